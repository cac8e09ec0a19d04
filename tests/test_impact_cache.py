"""The impact report computed once per state of its data: kept for every later page, download and worker's file, and
computed again after any change it depends on (services_cache, services_files.data_fingerprint)."""
import io
import json
import os
import re
import stat
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from assessments.impact import exports
from assessments.impact.charts import TRACE_KINDS
from assessments.impact.services_files import data_fingerprint
from assessments.models import Answer, Attempt, Question, Questionnaire, Section
from assessments.services import save_answer, start_attempt, submit_attempt
from extensions import db
from tests.conftest import csrf_from, login, post_form
from tests.helpers import demo_submitted, load_demo
from training.models import Delegation, Participant, Program
from training.services import withdraw_participant
from training.services_privacy import erase_participant

ORGANIZER, PASSWORD = "organizadora@capacita.example", "capacita-demo"


@pytest.fixture
def counted(monkeypatch):
    """How often the report was computed and its charts built (the seams every page and file goes through)."""
    from assessments.impact import report

    calls = {"report": 0, "charts": 0}

    def counting(name, real):
        def wrapper(*args, **kwargs):
            calls[name] += 1
            return real(*args, **kwargs)
        return wrapper

    monkeypatch.setattr(report, "report", counting("report", report.report))
    monkeypatch.setattr(exports, "report_figures", counting("charts", exports.report_figures))
    monkeypatch.setattr("assessments.impact.tasks.png_images", lambda figures: {})  # the flow, not the drawing
    return calls


def kept_files(app, program_id):
    return sorted(path for path in (Path(app.config["REPORT_FOLDER"]) / str(program_id)).rglob("*.json"))


def figure(html, name):
    return json.loads(re.search(rf'<script type="application/json" id="chart-{name}">(.*?)</script>', html,
                                re.S).group(1))


def charts(html):
    """chart name → the figure's JSON as the page carries it."""
    return dict(re.findall(r'<script type="application/json" id="chart-([\w-]+)">(.*?)</script>', html, re.S))


def mean_post(html):
    """The post-test mean the slope chart draws (its bold line's right end)."""
    return next(trace for trace in figure(html, "slopes")["data"] if trace.get("legendgroup") == "mean")["y"][1]


def test_the_page_and_its_downloads_compute_the_report_once_per_state_of_the_data(app, client, counted, run_tasks):
    program_id = load_demo(app)
    login(client, ORGANIZER, PASSWORD)
    page = f"/programs/{program_id}/impact"
    first = client.get(page).get_data(as_text=True)
    assert counted == {"report": 1, "charts": 1}
    assert charts(client.get(page).get_data(as_text=True)) == charts(first)  # read back: the same charts
    drawn = {trace.get("type", "scatter") for chart in charts(first).values() for trace in json.loads(chart)["data"]}
    assert drawn <= set(TRACE_KINDS)  # the kinds whose look the figures' template carries
    assert client.get(f"{page}.xlsx").status_code == 200 and client.get(f"{page}.html").status_code == 200
    post_form(client, f"{page}/summary.pdf/make", {}, page=page)
    assert run_tasks() == 1  # the worker's PDF reads the report the page computed
    assert counted == {"report": 1, "charts": 1}

    client.post("/language", data={"language": "en", "csrf_token": csrf_from(first)})
    assert "Right answers" in charts(client.get(page).get_data(as_text=True))["items"]
    assert counted == {"report": 1, "charts": 2}  # the charts' words are the reader's: the figures are not
    client.get(page, query_string={"gender": "female"})
    assert counted == {"report": 2, "charts": 3}  # other filters, other people

    files = kept_files(app, program_id)
    assert {path.name.split("-")[0] for path in files} == {"report", "figures"} and len(files) == 5
    assert all(stat.S_IMODE(os.stat(path).st_mode) == 0o600 and path.parent.name == "all" for path in files)
    assert client.get(f"{page}/files/{files[0].name}").status_code == 404  # never a download

    with app.app_context():  # a participant withdraws: everything is computed again, the old files go
        person = db.session.scalar(select(Participant).where(Participant.program_id == program_id,
                                                             Participant.status != "withdrawn").limit(1))
        withdraw_participant(person, None)
        db.session.commit()
        withdrawn = person.id
    client.get(page)
    assert counted == {"report": 3, "charts": 4}
    assert len(kept_files(app, program_id)) == 2

    mexico = app.test_client()  # another scope's own files; an erasure removes every scope's
    login(mexico, "punto.focal.mx@capacita.example", PASSWORD)
    mexico.get(page)
    assert {path.parent.name for path in kept_files(app, program_id)} == {"all", "MX"}
    made = kept_files(app, program_id)[0].parent / f"pack-{'a' * 16}-{'b' * 16}.zip"  # as the worker names its files
    made.write_bytes(b"a pack quoting open answers")
    with app.app_context():
        erase_participant(db.session.get(Participant, withdrawn), None, "asked to")
        db.session.commit()
    assert kept_files(app, program_id) == [] and not made.exists()


def test_an_answer_changed_after_submission_shows_on_the_next_page(app, client):
    program_id = load_demo(app)
    login(client, ORGANIZER, PASSWORD)
    page = f"/programs/{program_id}/impact"
    before = client.get(page).get_data(as_text=True)
    with app.app_context():  # a paired participant's post-test answer to K01 corrected: right ↔ wrong
        paired = demo_submitted("pre") & demo_submitted("post")
        question = db.session.scalar(select(Question).join(Questionnaire).where(
            Questionnaire.program_id == program_id, Questionnaire.kind == "post", Question.item_key == "K01"))
        answer = db.session.scalar(select(Answer).join(Attempt).where(
            Answer.question_id == question.id, Attempt.status == "submitted", Attempt.participant_id.in_(paired))
            .order_by(Answer.id).limit(1))
        was_right = answer.value == question.correct[0]
        wrong = next(option["key"] for option in question.options if option["key"] not in question.correct)
        answer.value = wrong if was_right else question.correct[0]
        change = (-1 if was_right else 1) * question.points / len(paired)
        db.session.commit()
    after = client.get(page).get_data(as_text=True)
    assert mean_post(after) == pytest.approx(mean_post(before) + change)


def test_the_fingerprint_changes_with_everything_the_report_reads_and_only_that(app):
    program_id = load_demo(app)
    with app.app_context():
        program = db.session.get(Program, program_id)
        seen = [data_fingerprint(program)]

        def changed(what):
            db.session.commit()
            now = data_fingerprint(program)
            assert now not in seen, f"the fingerprint missed: {what}"
            seen.append(now)

        def person(**where):
            return db.session.scalar(select(Participant).filter_by(program_id=program_id, **where)
                                     .where(Participant.status != "withdrawn").order_by(Participant.id.desc()))

        post = db.session.scalar(select(Questionnaire).filter_by(program_id=program_id, kind="post"))
        question = db.session.scalar(select(Question).filter_by(questionnaire_id=post.id, item_key="K02"))
        answered = select(Attempt.participant_id).where(Attempt.questionnaire_id == post.id)
        late = db.session.scalar(select(Participant).where(Participant.program_id == program_id,
                                                           Participant.status != "withdrawn",
                                                           Participant.id.not_in(answered)).limit(1))
        attempt = start_attempt(post, late)
        save_answer(attempt, question, question.correct[0], 1)
        db.session.commit()
        assert data_fingerprint(program) == seen[-1]  # an attempt still in progress is not in the report
        submit_attempt(attempt)
        changed("an attempt submitted")
        db.session.get(Answer, db.session.scalar(select(Answer.id).where(Answer.attempt_id == attempt.id))).value = "x"
        changed("an answer edited on a submitted attempt")
        withdraw_participant(person(), None)
        changed("a participant withdrawn")
        someone = person()
        someone.gender = "other" if someone.gender != "other" else "female"
        changed("a gender")
        someone.profile = "labor_inspector" if someone.profile != "labor_inspector" else "other"
        changed("a profile")
        mexico = db.session.scalar(select(Delegation).filter_by(program_id=program_id, country_code="MX"))
        moved = db.session.scalar(select(Participant).where(Participant.program_id == program_id,
                                                            Participant.delegation_id != mexico.id).limit(1))
        moved.delegation_id = mexico.id
        changed("a participant moved to another delegation")
        erase_participant(late, None, "asked to")
        changed("a participant erased")
        question.text = {**question.text, "es": "Otra redacción"}
        changed("a question's text")
        first, second = db.session.scalars(select(Section).filter_by(questionnaire_id=post.id)
                                           .order_by(Section.position).limit(2))
        first.position, second.position = second.position, first.position
        changed("the sections' order")
        mexico.country_code = "CO"
        changed("a delegation's country")


def test_a_focal_points_report_names_their_country_everywhere(app, client, world, run_tasks, monkeypatch):
    monkeypatch.setattr("assessments.impact.tasks.png_images", lambda figures: {})
    login(client, world["emails"]["focal_mx"])
    page = f"/programs/{world['ids']['program']}/impact"
    everyone = ("Todos los países", "Todas las personas participantes", "All countries", "All participants")

    html = client.get(page).get_data(as_text=True)
    assert "<strong>País: México</strong>" in html  # the summary says whom it covers
    assert '<option selected value="MX">México</option></select>' in html
    forest = json.dumps(figure(html, "forest"), ensure_ascii=False)
    assert "México, en total" in forest
    standalone = client.get(f"{page}.html").get_data(as_text=True)
    forest_data = client.get(f"{page}/data/forest.csv").get_data(as_text=True)
    assert "México, en total" in forest_data
    assert "País: México" in standalone
    sheet = load_workbook(io.BytesIO(client.get(f"{page}.xlsx").get_data())).worksheets[0]
    rows = {row[0]: row[1] for row in sheet.iter_rows(values_only=True)}
    assert rows["País"] == "México" and rows["Género"] == "Todas"
    post_form(client, f"{page}/summary.pdf/make", {}, page=page)
    assert run_tasks() == 1
    link = re.search(r'href="(/programs/\d+/impact/files/summary-[0-9a-f-]+\.pdf)"',
                     client.get(page).get_data(as_text=True))
    pdf = PdfReader(io.BytesIO(client.get(link.group(1)).get_data()))
    text = " ".join(" ".join(page.extract_text().split()) for page in pdf.pages)
    assert "País: México" in text
    for words in everyone:
        assert not any(words in output for output in (html, forest, standalone, forest_data, text))
    assert not any(words in str(value) for value in rows.values() for words in everyone)

    women = client.get(page, query_string={"gender": "female"}).get_data(as_text=True)
    assert "<strong>País: México · Género: Mujer</strong>" in women
