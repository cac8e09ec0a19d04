"""The impact report's files made by the worker: asked for from the page, followed, downloaded, reused while the data
is unchanged, made again after a new submission, and kept within the country scope they were made for."""
import io
import os
import re
import stat
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from assessments.impact.chart_images import images_available
from assessments.impact.services_files import STORED
from assessments.models import Attempt, Questionnaire
from extensions import db
from tests.conftest import login, post_form
from tests.helpers import demo_pairs, load_demo
from training.models import Participant, utcnow
from training.models_jobs import Job

ORGANIZER, FOCAL_MX, FOCAL_GT = ("organizadora@capacita.example", "punto.focal.mx@capacita.example",
                                 "punto.focal.gt@capacita.example")
PASSWORD = "capacita-demo"
MAKING = "assessments.impact.tasks.make_impact_file"
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def no_chromium(monkeypatch):
    """The PDF without its charts: the files' flow is tested here, the charts' drawing where it is asked for."""
    monkeypatch.setattr("assessments.impact.tasks.png_images", lambda figures, **_size: {})
    monkeypatch.setattr("assessments.impact.tasks.summary_charts", lambda *_args: {})


def ask(client, program_id, token, **filters):
    """Press a file's button on the report's page (with its filters)."""
    page = f"/programs/{program_id}/impact"
    query = "&".join(f"{name}={value}" for name, value in filters.items())
    return post_form(client, f"{page}/{token}/make" + (f"?{query}" if query else ""), {}, page=page)


def making_jobs(app):
    with app.app_context():
        return db.session.scalars(select(Job).where(Job.kind == MAKING).order_by(Job.id)).all()


def stored_files(app):
    """The files the worker made (not the computed figures the pages keep next to them)."""
    return sorted(path for path in Path(app.config["REPORT_FOLDER"]).rglob("*")
                  if path.is_file() and STORED.match(path.name))


def pdf_text(data):
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages)


def took_the_post_test(text):
    """The participation table's third figure (registered, pre-test, post-test, …), in the PDF's reading order."""
    match = re.search(r"Solo la evaluación posterior Ninguna (\d+) (\d+) (\d+) ", text)
    assert match, "no participation table"
    return int(match.group(3))


def test_the_pdf_is_made_by_the_worker_followed_by_the_page_and_downloaded(app, client, run_tasks, no_chromium):
    program_id = load_demo(app)
    login(client, ORGANIZER, PASSWORD)
    page = client.get(f"/programs/{program_id}/impact", query_string={"country": "MX"}).get_data(as_text=True)
    assert f'action="/programs/{program_id}/impact/summary.pdf/make?country=MX"' in page
    asked = ask(client, program_id, "summary.pdf", country="MX")
    assert asked.status_code == 302 and asked.headers["Location"].endswith("/impact?country=MX#files")
    (job,) = making_jobs(app)
    following = client.get(asked.headers["Location"]).get_data(as_text=True)
    assert "El archivo se está preparando" in following
    assert f'data-job-url="/programs/{program_id}/jobs/{job.id}" data-job-active="yes"' in following
    waiting = client.get(f"/programs/{program_id}/jobs/{job.id}").get_json()
    assert waiting["active"] and waiting["result_url"] is None
    assert ask(client, program_id, "summary.pdf", country="MX").status_code == 302  # asked again: joins the job
    assert len(making_jobs(app)) == 1

    assert run_tasks() == 1
    done = client.get(f"/programs/{program_id}/jobs/{job.id}").get_json()
    assert (done["status"], done["text"]) == ("done", "El archivo está listo.")
    assert done["result_url"].startswith(f"/programs/{program_id}/impact/files/summary-")
    response = client.get(done["result_url"])
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == "attachment; filename=CRM-CE-2021-impact.pdf"
    assert "no-store" in response.headers["Cache-Control"]
    data = response.get_data()
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    assert f"Entre las {demo_pairs(app, 'MX')} personas participantes" in text and "País: México" in text
    (stored,) = stored_files(app)
    assert stat.S_IMODE(os.stat(stored).st_mode) == 0o600  # personal data: the owner only
    for folder in (stored.parent, stored.parent.parent):  # the scope's and the program's
        assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700

    # The page now links the file itself; asking again hands it over at once, without a new job.
    ready = client.get(f"/programs/{program_id}/impact", query_string={"country": "MX"}).get_data(as_text=True)
    assert f'href="{done["result_url"]}"' in ready and "/impact/summary.pdf/make?country=MX" not in ready
    again = ask(client, program_id, "summary.pdf", country="MX")
    assert again.status_code == 302 and again.headers["Location"] == done["result_url"]
    assert len(making_jobs(app)) == 1 and run_tasks() == 0
    # Another filter or language is another file.
    assert ask(client, program_id, "summary.pdf").headers["Location"].endswith("/impact#files")
    assert len(making_jobs(app)) == 2


def test_a_new_submission_makes_a_new_file_and_the_old_one_is_removed(app, client, run_tasks, no_chromium):
    program_id = load_demo(app)
    login(client, ORGANIZER, PASSWORD)
    ask(client, program_id, "summary.pdf")
    run_tasks()
    (first,) = stored_files(app)
    first_content = first.read_bytes()
    with app.app_context():  # someone who had not taken the post-test submits it now
        post = db.session.scalar(select(Questionnaire).where(Questionnaire.program_id == program_id,
                                                             Questionnaire.kind == "post"))
        answered = select(Attempt.participant_id).where(Attempt.questionnaire_id == post.id)
        person = db.session.scalar(select(Participant).where(Participant.program_id == program_id,
                                                             Participant.status != "withdrawn",
                                                             Participant.id.not_in(answered)).limit(1))
        db.session.add(Attempt(questionnaire_id=post.id, participant_id=person.id, status="submitted",
                               submitted_at=utcnow(), score=0, max_score=10))
        db.session.commit()
        post_id = post.id
    page = client.get(f"/programs/{program_id}/impact").get_data(as_text=True)
    assert "/impact/summary.pdf/make" in page  # the file no longer fits the data: no link to it
    asked = ask(client, program_id, "summary.pdf")
    assert asked.headers["Location"].endswith("/impact#files") and len(making_jobs(app)) == 2
    run_tasks()
    (second,) = stored_files(app)
    assert second != first and not first.exists()
    assert first.name.split("-")[1] == second.name.split("-")[1]  # the same key, other data
    with app.app_context():
        submitted = db.session.scalar(select(func.count(Attempt.id)).where(Attempt.questionnaire_id == post_id,
                                                                           Attempt.status == "submitted"))
    assert took_the_post_test(pdf_text(first_content)) == submitted - 1
    assert took_the_post_test(pdf_text(second.read_bytes())) == submitted


def test_a_file_and_its_job_stay_in_the_country_scope_they_were_made_for(app, run_tasks, no_chromium):
    program_id = load_demo(app)
    mexico, guatemala, organizer = app.test_client(), app.test_client(), app.test_client()
    login(mexico, FOCAL_MX, PASSWORD)
    login(guatemala, FOCAL_GT, PASSWORD)
    login(organizer, ORGANIZER, PASSWORD)
    ask(mexico, program_id, "summary.pdf", country="GT")  # a focal point's filter outside their country is dropped
    ask(organizer, program_id, "summary.pdf")
    mx_job, all_job = making_jobs(app)
    assert mx_job.key.startswith("MX/") and all_job.key.startswith("all/")
    assert guatemala.get(f"/programs/{program_id}/jobs/{mx_job.id}").status_code == 404
    assert organizer.get(f"/programs/{program_id}/jobs/{mx_job.id}").status_code == 404
    assert mexico.get(f"/programs/{program_id}/jobs/{all_job.id}").status_code == 404
    run_tasks()
    mx_url = mexico.get(f"/programs/{program_id}/jobs/{mx_job.id}").get_json()["result_url"]
    all_url = organizer.get(f"/programs/{program_id}/jobs/{all_job.id}").get_json()["result_url"]
    text = pdf_text(mexico.get(mx_url).get_data())
    assert f"Entre las {demo_pairs(app, 'MX')} personas participantes" in text  # Mexico's people only
    assert guatemala.get(mx_url).status_code == 404
    assert organizer.get(mx_url).status_code == 404  # the secretariat's scope is another folder
    assert mexico.get(all_url).status_code == 404 and guatemala.get(all_url).status_code == 404
    assert organizer.get(all_url).status_code == 200
    # Guatemala asking for the same file gets its own, made for its scope.
    ask(guatemala, program_id, "summary.pdf")
    assert making_jobs(app)[-1].key.startswith("GT/")


def test_names_that_are_not_files_of_the_report_are_refused_before_any_work(app, client, world):
    login(client, world["emails"]["organizer"])
    program = world["ids"]["program"]
    page = f"/programs/{program}/impact"
    for token in ("report.pdf", "chart-other.png", "summary.png", "chart-slopes.pdf", "..%2Fsecret.pdf"):
        assert post_form(client, f"{page}/{token}/make", {}, page=page).status_code == 404
    for name in ("secret.pdf", "summary-0123456789abcdef-0123456789abcdef.exe", "..", "%2E%2E%2Fqueue.sqlite3"):
        assert client.get(f"{page}/files/{name}").status_code == 404
    assert making_jobs(app) == []


def test_running_the_task_twice_makes_the_file_once(app, client, run_tasks, no_chromium, monkeypatch):
    from assessments.impact import tasks
    from task_queue import queue_of

    made = []
    real = tasks.report_pdf
    monkeypatch.setattr(tasks, "report_pdf", lambda *args, **kwargs: made.append(1) or real(*args, **kwargs))
    program_id = load_demo(app)
    login(client, ORGANIZER, PASSWORD)
    ask(client, program_id, "summary.pdf")
    (job,) = making_jobs(app)
    run_tasks()
    queue_of(app).send(MAKING, job.id)  # the same task delivered twice
    with app.app_context():  # and another job for the same file, as if the page had been asked from two places
        from training.models import Program
        from training.services_jobs import start_job

        start_job(tasks.make_impact_file, db.session.get(Program, program_id), None, key=job.key)[0].result = \
            making_jobs(app)[0].result
        db.session.commit()
    run_tasks()
    assert len(made) == 1 and len(stored_files(app)) == 1
    assert [j.status for j in making_jobs(app)] == ["done", "done"]


@pytest.mark.skipif(not images_available(), reason="kaleido or Chromium missing: chart files cannot be drawn here")
def test_chart_images_and_every_chart_are_made_by_the_worker(app, client, run_tasks):
    program_id = load_demo(app)
    login(client, ORGANIZER, PASSWORD)
    page = client.get(f"/programs/{program_id}/impact", query_string={"country": "MX"}).get_data(as_text=True)
    assert f"/programs/{program_id}/impact/chart-slopes.png/make?country=MX" in page
    assert f"/programs/{program_id}/impact/charts.zip/make?country=MX" in page
    asked = ask(client, program_id, "chart-slopes.png", country="MX")
    assert asked.headers["Location"].endswith("/impact?country=MX#figure-slopes")
    ask(client, program_id, "chart-forest.svg")
    ask(client, program_id, "charts.zip")
    assert run_tasks() == 3
    slopes, forest, every = making_jobs(app)
    png = client.get(client.get(f"/programs/{program_id}/jobs/{slopes.id}").get_json()["result_url"])
    assert png.mimetype == "image/png" and png.get_data()[:8] == PNG
    assert png.headers["Content-Disposition"] == "attachment; filename=CRM-CE-2021-slopes.png"
    svg = client.get(client.get(f"/programs/{program_id}/jobs/{forest.id}").get_json()["result_url"])
    assert svg.get_data(as_text=True).startswith("<svg") and "México" in svg.get_data(as_text=True)
    archive = client.get(client.get(f"/programs/{program_id}/jobs/{every.id}").get_json()["result_url"])
    assert archive.headers["Content-Disposition"] == "attachment; filename=CRM-CE-2021-charts.zip"
    with zipfile.ZipFile(io.BytesIO(archive.get_data())) as charts:
        drawn = re.findall(r'<script type="application/json" id="chart-([\w-]+)"', page)  # every chart on the page
        assert sorted(charts.namelist()) == sorted(f"CRM-CE-2021-{name}.png" for name in drawn) and len(drawn) == 13
        assert "CRM-CE-2021-likert-0-1.png" in charts.namelist()  # the expectations' 0–10 question, charted apart
        assert "CRM-CE-2021-use.png" in charts.namelist()  # intended against reported use, from the follow-up
        assert all(charts.read(name)[:8] == PNG for name in charts.namelist())
