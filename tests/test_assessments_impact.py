"""The impact report on the demo program: its page, its downloads and `flask --app app impact` (the files the worker
makes are in test_assessments_impact_files.py)."""
import io
import json
import re

from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import func, select

from assessments.impact.chart_images import images_available
from assessments.models import Question, Questionnaire
from extensions import db
from tests.conftest import csrf_from, login, post_form
from tests.helpers import demo_pairs, demo_submitted, load_demo
from training.models import Participant, Program


def test_impact_json_of_the_demo_matches_the_tables(app, tmp_path):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo"]).exit_code == 0
    output = tmp_path / "impact.json"
    result = runner.invoke(args=["impact", "--program", "CRM-CE-2021", "--output", str(output)])
    assert result.exit_code == 0, result.output
    figures = json.loads(output.read_text(encoding="utf-8"))
    with app.app_context():
        pre, post = demo_submitted("pre"), demo_submitted("post")
        active = db.session.scalar(select(func.count()).select_from(Participant).join(Program).where(
            Program.code == "CRM-CE-2021", Participant.status != "withdrawn"))
        mexico = demo_submitted("pre", "MX") & demo_submitted("post", "MX")
    assert figures["program"] == "CRM-CE-2021"
    assert figures["participation"]["registered"] == active
    assert (figures["participation"]["pre"], figures["participation"]["post"]) == (len(pre), len(post))
    assert figures["knowledge"]["n_pairs"] == len(pre & post) > 30
    assert figures["knowledge"]["mean_post"] > figures["knowledge"]["mean_pre"]  # the demo's participants learned
    assert figures["knowledge_keys"] == [f"K{n:02d}" for n in range(1, 11)] and figures["max_score"] == 10
    assert len(figures["items"]) == 10 and len(figures["paired"]) == len(pre & post)
    mx = runner.invoke(args=["impact", "--program", "CRM-CE-2021", "--country", "mx"])
    assert mx.exit_code == 0
    assert json.loads(mx.output)["knowledge"]["n_pairs"] == len(mexico)


def test_impact_of_an_unknown_program_fails_with_one_line(app):
    result = app.test_cli_runner().invoke(args=["impact", "--program", "NOPE"])
    assert result.exit_code == 1 and "no program with code 'NOPE'" in result.output


def _figure(html, name):
    match = re.search(rf'<script type="application/json" id="chart-{name}">(.*?)</script>', html, re.S)
    assert match, f"no chart {name}"
    return json.loads(match.group(1))


def test_the_report_page_shows_the_paired_result_in_words_tables_and_charts(app, client):
    program_id = load_demo(app)
    login(client, "organizadora@capacita.example", "capacita-demo")
    token = csrf_from(client.get("/programs").get_data(as_text=True))
    client.post("/language", data={"language": "en", "csrf_token": token})
    html = client.get(f"/programs/{program_id}/impact").get_data(as_text=True)
    pairs = demo_pairs(app)
    assert f"Among the {pairs} participants who took both tests, the knowledge score rose from" in html
    assert re.search(r"out of 10 \(\+\d\.\d\d; 95% CI \d\.\d\d to \d\.\d\d; p &lt; 0\.001; \w+ effect, d_z = ", html)
    slopes = _figure(html, "slopes")
    assert sum(len([y for y in trace["y"] if y is not None]) for trace in slopes["data"]
               if trace.get("legendgroup") in ("improved", "unchanged", "declined")) == 2 * pairs
    forest = _figure(html, "forest")
    assert "Mexico" in json.dumps(forest, ensure_ascii=False)
    assert {"funnel", "distributions", "items", "likert-0"} <= set(re.findall(r'id="chart-([\w-]+)"', html))
    assert "K01" in html and "KR-20" in html and "SciPy" in html
    assert re.search(r"\d+ / \d+ / \d+ \(\d+ % / \d+ % / \d+ %\)", html)  # improved / unchanged / declined
    assert '<script src="/assets/plotly-' in html and "cdn" not in html.lower()


def test_filters_narrow_the_report_and_a_bad_value_is_named(app, client):
    program_id = load_demo(app)
    login(client, "organizadora@capacita.example", "capacita-demo")
    html = client.get(f"/programs/{program_id}/impact", query_string={"country": "GT"}).get_data(as_text=True)
    assert f"Entre las {demo_pairs(app, 'GT')} personas participantes que respondieron ambas pruebas" in html
    # An unknown country drops that filter only, says so next to the field, and the report covers everyone.
    bad = client.get(f"/programs/{program_id}/impact", query_string={"country": "ZZ"}).get_data(as_text=True)
    assert 'id="country-error"' in bad and 'aria-invalid="true"' in bad
    assert f"Entre las {demo_pairs(app)} personas participantes" in bad


def test_a_focal_point_sees_their_country_only(app, client):
    program_id = load_demo(app)
    login(client, "punto.focal.mx@capacita.example", "capacita-demo")
    html = client.get(f"/programs/{program_id}/impact", query_string={"country": "GT"}).get_data(as_text=True)
    assert f"Entre las {demo_pairs(app, 'MX')} personas participantes" in html
    assert '<option value="GT"' not in html


def test_item_texts_are_shown_literally_in_tables_and_charts(app, client):
    program_id = load_demo(app)
    with app.app_context():
        question = db.session.scalar(select(Question).join(Questionnaire).where(
            Questionnaire.program_id == program_id, Questionnaire.kind == "pre", Question.item_key == "K01"))
        question.text = {"es": '<img src=x onerror=alert(1)></script>{{7*7}}', "en": "<b>bold</b>"}
        db.session.commit()
    login(client, "organizadora@capacita.example", "capacita-demo")
    html = client.get(f"/programs/{program_id}/impact").get_data(as_text=True)
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;&lt;/script&gt;{{7*7}}" in html
    items = _figure(html, "items")
    labels = json.dumps(items, ensure_ascii=False)
    assert "<img" not in labels and "&lt;img src=x" in labels  # plotly shows the entity as the character


def test_plotly_js_comes_from_the_app_with_a_long_cache(client):
    import plotly

    assert client.get("/assets/plotly-0.0.1.min.js").status_code == 404  # an address names one version
    response = client.get(f"/assets/plotly-{plotly.__version__}.min.js")
    assert response.status_code == 200 and response.mimetype == "text/javascript"
    assert "max-age=31536000" in response.headers["Cache-Control"]
    assert b"plotly.js" in response.get_data()[:2000]


def test_the_workbook_downloads_with_the_filters_and_from_the_command_line(app, client, tmp_path):
    program_id = load_demo(app)
    login(client, "organizadora@capacita.example", "capacita-demo")
    response = client.get(f"/programs/{program_id}/impact.xlsx", query_string={"country": "GT"})
    assert response.status_code == 200 and response.headers["Content-Disposition"].endswith('CRM-CE-2021-impact.xlsx')
    workbook = load_workbook(io.BytesIO(response.get_data()))
    assert workbook.sheetnames[0] == "Resumen"
    raw = workbook[workbook.sheetnames[-2]]
    assert raw.max_row - 1 == demo_pairs(app, "GT")  # one row per pair below the header
    output = tmp_path / "impact.xlsx"
    result = app.test_cli_runner().invoke(args=["impact", "--program", "CRM-CE-2021", "--format", "xlsx",
                                                "--language", "en", "--output", str(output)])
    assert result.exit_code == 0, result.output
    assert load_workbook(output).sheetnames[0] == "Summary"
    assert app.test_cli_runner().invoke(args=["impact", "--program", "CRM-CE-2021", "--format", "xlsx"]).exit_code == 1


def test_without_kaleido_the_page_says_so_and_a_chart_file_request_comes_back_with_a_message(app, client,
                                                                                           monkeypatch):
    program_id = load_demo(app)
    monkeypatch.setattr("assessments.impact.views.images_available", lambda: False)
    login(client, "organizadora@capacita.example", "capacita-demo")
    page = client.get(f"/programs/{program_id}/impact").get_data(as_text=True)
    assert "no puede dibujar archivos de gráficos" in page
    assert "/impact/chart-slopes.png/make" not in page and "/impact/charts.zip/make" not in page
    assert "/impact/summary.pdf/make" in page  # the PDF goes without its charts rather than not at all
    response = post_form(client, f"/programs/{program_id}/impact/chart-slopes.png/make", {},
                         page=f"/programs/{program_id}/impact")
    assert response.status_code == 302
    assert "use el botón de la cámara" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_the_standalone_html_carries_everything_inside_and_names_its_filters(app, client):
    program_id = load_demo(app)
    login(client, "organizadora@capacita.example", "capacita-demo")
    response = client.get(f"/programs/{program_id}/impact.html", query_string={"country": "MX"})
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == "attachment; filename=CRM-CE-2021-impact.html"
    html = response.get_data(as_text=True)
    assert "País: México" in html and f"Entre las {demo_pairs(app, 'MX')} personas participantes" in html
    assert "plotly.js v" in html and "Plotly.newPlot" in html and _figure(html, "slopes")["data"]
    assert not re.search(r'<(script|link)[^>]+(src|href)=', html)  # nothing fetched from anywhere
    assert "/impact/charts/" not in html  # no links back to the server


def test_the_pdf_summary_carries_the_findings_tables_and_charts_in_the_readers_language(app, client, tmp_path,
                                                                                       run_tasks):
    program_id = load_demo(app)
    login(client, "organizadora@capacita.example", "capacita-demo")
    post_form(client, f"/programs/{program_id}/impact/summary.pdf/make?country=MX", {},
              page=f"/programs/{program_id}/impact")
    assert run_tasks() == 1  # the worker makes it
    page = client.get(f"/programs/{program_id}/impact", query_string={"country": "MX"}).get_data(as_text=True)
    link = re.search(r'href="(/programs/\d+/impact/files/summary-[0-9a-f-]+\.pdf)"', page)
    response = client.get(link.group(1))
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == "attachment; filename=CRM-CE-2021-impact.pdf"
    document = PdfReader(io.BytesIO(response.get_data()))
    text = " ".join(" ".join(page.extract_text().split()) for page in document.pages)
    assert f"Entre las {demo_pairs(app, 'MX')} personas participantes" in text and "País: México" in text
    assert "Control de abandono" in text and "Página 1 de" in text
    images = sum(len(page.images) for page in document.pages)
    assert images >= 4 if images_available() else images == 0  # funnel, slopes, forest, items, Likert bars
    output = tmp_path / "impact.pdf"
    result = app.test_cli_runner().invoke(args=["impact", "--program", "CRM-CE-2021", "--format", "pdf",
                                                "--language", "en", "--output", str(output)])
    assert result.exit_code == 0, result.output
    english = " ".join(page.extract_text() for page in PdfReader(output).pages)
    assert f"Among the {demo_pairs(app)} participants who took both tests" in " ".join(english.split())


def test_a_focal_point_downloads_their_country_only(app, client):
    program_id = load_demo(app)
    login(client, "punto.focal.mx@capacita.example", "capacita-demo")
    workbook = load_workbook(io.BytesIO(client.get(f"/programs/{program_id}/impact.xlsx",
                                                   query_string={"country": "GT"}).get_data()))
    assert workbook[workbook.sheetnames[-2]].max_row - 1 == demo_pairs(app, "MX")
    html = client.get(f"/programs/{program_id}/impact.html", query_string={"country": "GT"}).get_data(as_text=True)
    assert f"Entre las {demo_pairs(app, 'MX')} personas participantes" in html


def test_the_command_refuses_filters_that_match_nothing(app):
    load_demo(app)
    result = app.test_cli_runner().invoke(args=["impact", "--program", "CRM-CE-2021", "--country", "ZZ",
                                                "--gender", "robot"])
    assert result.exit_code == 1
    assert "--country: 'ZZ' is not one of" in result.output and "--gender: 'robot' is not one of" in result.output
