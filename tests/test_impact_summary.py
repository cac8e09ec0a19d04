"""The impact report's one-page summary: on the page first, as the PDF's first page and as a slide, for the
organizer and for a focal point, and what it says when the data cannot support a claim."""
import io
import re
import shutil
import subprocess

import pytest
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import select

from extensions import db
from tests.conftest import csrf_from, login, post_form
from tests.helpers import DEMO, demo_pairs, load_demo
from training.models import Delegation, Participant, Program

PASSWORD = "capacita-demo"
DIMENSIONS = ("Quiénes participaron", "Conocimientos", "Expectativas cumplidas", "Satisfacción",
              "Uso previsto en el trabajo", "Uso declarado en el trabajo")  # the demo's follow-up has answers


def _summary(html):
    """The summary section's text, tags removed."""
    section = re.search(r'<section id="summary".*?</section>', html, re.S).group(0)
    return " ".join(re.sub(r"<[^>]+>", " ", section).split())


def _registered(app, country=None):
    with app.app_context():
        query = (select(Participant.id).join(Delegation).join(Program, Program.id == Participant.program_id)
                 .where(Participant.status != "withdrawn", Program.code == DEMO))
        if country:
            query = query.where(Delegation.country_code == country)
        return len(db.session.scalars(query).all())


def test_the_page_opens_on_the_summary_with_a_finding_per_dimension(app, client):
    program_id = load_demo(app)
    login(client, "organizadora@capacita.example", PASSWORD)
    html = client.get(f"/programs/{program_id}/impact").get_data(as_text=True)
    assert html.index('id="summary"') < html.index('id="participation"')
    summary = _summary(html)
    assert [heading for heading in DIMENSIONS if heading in summary] == list(DIMENSIONS)
    pairs = demo_pairs(app)
    assert f"Se registraron {_registered(app)} personas de 11 países" in summary
    assert re.search(rf"Entre las {pairs} personas que respondieron ambas evaluaciones, el puntaje promedio subió "
                     r"de \d,\d a \d,\d sobre 10; con un 95% de confianza, la ganancia promedio está entre \d,\d y "
                     r"\d,\d puntos\.", summary)
    assert "Aumentó en cada uno de los 11 países con al menos 3 pares." in summary
    assert "«El programa cumplió mis expectativas»" in summary
    # Each finding shows its chart: the same figure the full report draws further down.
    charts = re.findall(r'class="chart-area finding-chart" data-figure="chart-([\w-]+)"', html)
    assert charts[:2] == ["funnel", "forest"] and charts[-1] == "use" and len(charts) == 6
    assert all(f'id="chart-{name}"' in html for name in charts)


def test_a_focal_points_summary_covers_their_country_and_says_what_limits_it(app, client):
    program_id = load_demo(app)
    login(client, "punto.focal.mx@capacita.example", PASSWORD)
    summary = _summary(client.get(f"/programs/{program_id}/impact").get_data(as_text=True))
    assert f"Se registraron {_registered(app, 'MX')} personas de México" in summary
    assert f"Entre las {demo_pairs(app, 'MX')} personas" in summary and "Guatemala" not in summary
    # Fewer than ten pairs: the claim comes with its warning.
    assert "Menos de 10 personas respondieron ambas evaluaciones" in summary


def test_a_program_without_answers_gets_a_summary_that_says_what_it_cannot_say(app, client, world):
    login(client, world["emails"]["admin"])
    html = client.get(f"/programs/{world['ids']['program']}/impact").get_data(as_text=True)
    summary = _summary(html)
    assert "Nadie ha respondido todavía la evaluación posterior, así que no se puede medir un cambio" in summary
    assert "Satisfacción" not in summary  # no questionnaire asks about it: no finding, no empty chart


@pytest.fixture
def summary_pdf(app, client, run_tasks):
    program_id = load_demo(app)
    login(client, "organizadora@capacita.example", PASSWORD)
    page = f"/programs/{program_id}/impact"
    post_form(client, f"{page}/summary.pdf/make", {}, page=page)
    assert run_tasks() == 1
    link = re.search(r'href="(/programs/\d+/impact/files/summary-[0-9a-f-]+\.pdf)"', client.get(page).get_data(
        as_text=True)).group(1)
    return client.get(link).get_data()


def test_the_pdfs_first_page_is_the_summary(app, summary_pdf):
    pages = PdfReader(io.BytesIO(summary_pdf)).pages
    first = " ".join(pages[0].extract_text().split())
    assert [heading for heading in DIMENSIONS if heading in first] == list(DIMENSIONS)
    assert f"Entre las {demo_pairs(app)} personas que respondieron ambas evaluaciones" in first
    assert "Por país (registradas / respondieron ambas evaluaciones): " in first
    assert "Prueba de Shapiro" not in first and "Control de abandono" not in first  # the annex follows
    assert "Control de abandono" in " ".join(pages[1].extract_text().split())


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is missing")
def test_the_pdfs_first_page_draws_as_an_a4_page(summary_pdf, tmp_path):
    (tmp_path / "impact.pdf").write_bytes(summary_pdf)
    subprocess.run(["pdftoppm", "-r", "50", "-f", "1", "-l", "1", "-png", "-singlefile", str(tmp_path / "impact.pdf"),
                    str(tmp_path / "first")], check=True)
    image = Image.open(tmp_path / "first.png").convert("L")
    assert image.size == (414, 585)  # A4 (210 × 297 mm) at 50 dpi, rounded up
    # Ink across the page: the findings and their charts, not a blank or half-empty page.
    rows = [sum(image.getpixel((x, y)) < 200 for x in range(0, image.width, 4)) for y in range(image.height)]
    inked = [y for y, ink in enumerate(rows) if ink]
    assert inked[0] < 60 and inked[-1] > 480


def test_the_summary_comes_as_a_slide(app, client, run_tasks):
    program_id = load_demo(app)
    login(client, "organizadora@capacita.example", PASSWORD)
    page = f"/programs/{program_id}/impact"
    html = client.get(page).get_data(as_text=True)
    assert "Descargar el resumen como diapositiva (PNG)" in html
    client.post(f"{page}/slide.png/make", data={"csrf_token": csrf_from(html)})
    assert run_tasks() == 1
    link = re.search(r'href="(/programs/\d+/impact/files/slide-[0-9a-f-]+\.png)"',
                     client.get(page).get_data(as_text=True)).group(1)
    response = client.get(link)
    assert response.headers["Content-Disposition"] == "attachment; filename=CRM-CE-2021-summary.png"
    assert Image.open(io.BytesIO(response.get_data())).size == (1920, 1080)


def test_a_slide_without_chart_images_still_renders():
    """A server that cannot draw charts still makes the slide (and the donor pack that carries it)."""
    from assessments.impact.summary_layout import slide_png

    summary = {"title": "Informe", "subtitle": "CRM", "composition": ["México 3 / 2"], "note": "",
               "findings": [{"heading": "Conocimientos", "verdict": "subió", "sentence": "De 5 a 7.", "caveats": [],
                             "chart": "slopes"}, {"heading": "Satisfacción", "sentence": "88 %", "chart": None}]}
    assert Image.open(io.BytesIO(slide_png(summary, {}))).size == (1920, 1080)
