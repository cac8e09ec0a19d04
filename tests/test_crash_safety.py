"""kill -9 of the app server in the middle of writes: afterwards the database is intact, an interrupted import left
nothing behind, and every answer the server acknowledged is stored (a SQLite file, or a PostgreSQL database)."""
import http.client
import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from tests.conftest import PASSWORD
from tests.helpers import database_of_its_own

ROOT = Path(__file__).resolve().parent.parent
CRASH_DATABASE = "capacita_crash_test"  # its own database: the server process writes to it while the suite runs
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
SEQ_BASE = re.compile(r'data-seq-base="(\d+)"')
QUESTION = re.compile(r'<fieldset[^>]*data-question="(\d+)" data-type="([a-z_]+)"(.*?)</fieldset>', re.S)
CHOICE = re.compile(r'<input type="(?:radio|checkbox)" name="q\d+" value="([^"]*)"')
TAKERS, KILL_AFTER_ANSWERS = 12, 60
IMPORT_ROWS = 3000


@pytest.fixture
def crash_url(database_url, tmp_path):
    """An empty database for a server process: a SQLite file, or CRASH_DATABASE on the suite's PostgreSQL server."""
    with database_of_its_own(database_url, tmp_path, CRASH_DATABASE) as url:
        yield url


def crash_app(url):
    from flask_migrate import upgrade

    from app import create_app

    app = create_app({"CAPACITA_ENV": "test", "SECRET_KEY": "k" * 48, "SQLALCHEMY_DATABASE_URI": url,
                      "PUBLIC_URL": "http://127.0.0.1"})
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
    return app


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def server(url, port, log):
    """gunicorn (2 workers × 4 threads) on 127.0.0.1:`port`, in a process group of its own so that kill -9 takes the
    arbiter and every worker at once, as a crash or an OOM kill would."""
    env = {**os.environ, "CAPACITA_ENV": "production", "SECRET_KEY": "k" * 48, "DATABASE_URL": url,
           "PUBLIC_URL": f"http://127.0.0.1:{port}", "LINK_RATE_LIMIT": "100000 per minute",
           "LOGIN_RATE_LIMIT": "100000 per minute"}
    command = [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "2", "--threads", "4",
               "--worker-class", "gthread", "--chdir", str(ROOT), "app:create_app()"]
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 60
    while True:
        assert process.poll() is None, "gunicorn stopped; see its log"
        try:
            if Client(port).get("/login")[0] == 200:
                break
        except OSError:
            assert time.monotonic() < deadline, "gunicorn did not answer within a minute"
            time.sleep(0.2)
    try:
        yield process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)


def kill_9(process):
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


class Client:
    """One browser: its cookies (Secure ones too, as browsers do for 127.0.0.1), no redirects followed."""

    def __init__(self, port):
        self.port, self.cookies = port, {}

    def request(self, method, path, body=None, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        cookie = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}
        connection.request(method, path, body=body, headers={**cookie, **(headers or {})})
        response = connection.getresponse()
        content = response.read().decode(errors="replace")
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";")[0]
        connection.close()
        return response.status, response.getheader("Location") or "", content

    def get(self, path):
        return self.request("GET", path)

    def form(self, path, fields):
        return self.request("POST", path, urlencode(fields), {"Content-Type": "application/x-www-form-urlencoded"})

    def json(self, path, payload, csrf):
        return self.request("POST", path, json.dumps(payload), {"Content-Type": "application/json",
                                                                "X-CSRFToken": csrf})


# --- a burst of test submissions --------------------------------------------------------------------------------

def program_with_takers(app, count):
    """A program whose pre-test is open, `count` participants and their personal links' paths."""
    from assessments.demo_tests import PRE_TEST
    from assessments.services_builder import import_plain, open_now
    from extensions import db
    from training.services import add_delegation, save_participant, save_program
    from training.services_links import ensure_link

    with app.app_context():
        today = date.today()
        program = save_program(None, None, code="CRASH", start_date=today, end_date=today + timedelta(days=14),
                               timezone="America/Mexico_City", languages=["es", "en"],
                               title={"es": "Caída del servidor", "en": "Server crash"})
        open_now(import_plain(program, None, PRE_TEST, kind="pre"), None)
        delegation = add_delegation(program, None, kind="member", country_code="MX", quota=count,
                                    status="confirmed")
        links = []
        for index in range(count):
            person = save_participant(None, None, program=program, delegation=delegation, given_names="Persona",
                                      family_names=f"Número {index}", email=f"p{index}@crash.example.org",
                                      gender="female", profile="employment_counselor", language="es", timezone="",
                                      position="", institution="")
            links.append((person.id, "/p/" + ensure_link(person, None).rsplit("/", 1)[1]))
        db.session.commit()
        db.engine.dispose()
    return links


def start_the_pre_test(client, link):
    """Open the personal link and start the pre-test: (its form page, CSRF token, first autosave sequence)."""
    _status, _location, page = client.get(link)
    client.form(link, {"csrf_token": CSRF.search(page).group(1)})
    _status, _location, intro = client.get("/me/tests/pre")
    client.form("/me/tests/pre/start", {"csrf_token": CSRF.search(intro).group(1)})
    _status, _location, page = client.get("/me/tests/pre")
    return page, CSRF.search(page).group(1), int(SEQ_BASE.search(page).group(1))


def take_the_test(port, participant, link, acks, stop):
    """Open the link, start the pre-test and save every answer, recording each one the server acknowledged."""
    client = Client(port)
    try:
        page, csrf, seq = start_the_pre_test(client, link)
        for question, kind, body in QUESTION.findall(page):
            if stop.is_set():
                return
            options = CHOICE.findall(body)
            value = ([options[0]] if kind == "multiple_choice" else options[0]) if options else "respuesta"
            seq += 1
            status, _location, reply = client.json("/me/tests/pre/answers",
                                                   {"question": int(question), "value": value, "seq": seq}, csrf)
            if status == 200 and json.loads(reply).get("status") == "saved":
                acks.append((participant, int(question), value, seq))
    except (OSError, http.client.HTTPException, AttributeError):
        return  # the server died under this participant: what was acknowledged before counts


def stored_answers(app):
    from assessments.models import Answer, Attempt
    from extensions import db

    with app.app_context():
        rows = db.session.execute(select(Attempt.participant_id, Answer.question_id, Answer.value, Answer.seq)
                                  .join(Attempt, Answer.attempt_id == Attempt.id)).all()
        db.engine.dispose()
    return {(participant, question): (value, seq) for participant, question, value, seq in rows}


def lost(acknowledged, stored):
    """The (participant, question) pairs whose last acknowledged answer is not in the database (nor a newer one)."""
    latest = {}
    for participant, question, value, seq in acknowledged:
        if seq > latest.get((participant, question), (None, -1))[1]:
            latest[(participant, question)] = (value, seq)
    return [key for key, (value, seq) in latest.items() if key not in stored or stored[key][1] < seq
            or (stored[key][1] == seq and str(stored[key][0]) != str(value))]  # a scale point is stored as a number


def assert_intact(app, url):
    """SQLite's own check and foreign keys; on PostgreSQL, every table readable and no answer without its attempt."""
    from extensions import db

    if url.startswith("sqlite"):
        with sqlite3.connect(make_url(url).database) as connection:
            assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
        return
    with app.app_context():
        for table in db.metadata.sorted_tables:
            db.session.execute(select(func.count()).select_from(table)).scalar_one()
        orphans = db.session.execute(text("SELECT count(*) FROM answers a LEFT JOIN attempts t ON t.id = a.attempt_id "
                                          "WHERE t.id IS NULL")).scalar_one()
        db.engine.dispose()
    assert orphans == 0


def test_every_acknowledged_answer_survives_kill_9_during_a_burst(crash_url, tmp_path):
    app = crash_app(crash_url)
    links = program_with_takers(app, TAKERS)
    port, acks, stop = free_port(), [], threading.Event()
    with open(tmp_path / "gunicorn.log", "w") as log:
        with server(crash_url, port, log) as process:
            takers = [threading.Thread(target=take_the_test, args=(port, person, link, acks, stop))
                      for person, link in links]
            for taker in takers:
                taker.start()
            deadline = time.monotonic() + 120
            while len(acks) < KILL_AFTER_ANSWERS and time.monotonic() < deadline:
                time.sleep(0.01)
            kill_9(process)  # mid-burst: answers are still arriving
            stop.set()
            for taker in takers:
                taker.join(timeout=60)
    acknowledged = list(acks)
    assert KILL_AFTER_ANSWERS <= len(acknowledged) < TAKERS * 15, "the kill did not land during the burst"
    assert_intact(app, crash_url)
    assert lost(acknowledged, stored_answers(app)) == []
    # After a restart the same participants carry on: their sessions and attempts are still there.
    with open(tmp_path / "gunicorn-restarted.log", "w") as log, server(crash_url, port, log):
        client = Client(port)
        participant, link = links[0]
        _status, _location, page = client.get(link)
        client.form(link, {"csrf_token": CSRF.search(page).group(1)})
        status, _location, page = client.get("/me/tests/pre")
        assert status == 200 and SEQ_BASE.search(page), "the test does not open again after the restart"


# --- an import confirmed while the server dies --------------------------------------------------------------------

def program_with_upload(app, rows):
    """An admin, a program with Mexico, and a previewed list of `rows` new people waiting to be confirmed."""
    from werkzeug.security import generate_password_hash

    from extensions import db
    from training.models import ImportBatch, User
    from training.models_grants import ProgramRole
    from training.services import add_delegation, save_program

    with app.app_context():
        today = date.today()
        program = save_program(None, None, code="CRASH-IMPORT", start_date=today, end_date=today + timedelta(days=9),
                               timezone="America/Mexico_City", languages=["es"], title={"es": "Importación"})
        mexico = add_delegation(program, None, kind="member", country_code="MX", quota=rows, status="invited")
        db.session.add(User(email="admin@crash.example.org", name="Admin", grants=[ProgramRole(role="admin")],
                            password_hash=generate_password_hash(PASSWORD)))
        lines = ["Nombre;Apellidos;Correo"] + [f"Persona;Apellido {i};p{i}@import.example.mx" for i in range(rows)]
        batch = ImportBatch(program_id=program.id, delegation_id=mexico.id, locked=True, filename="mexico.csv",
                            content="\n".join(lines).encode("cp1252"))
        db.session.add(batch)
        db.session.commit()
        ids = program.id, batch.id
        db.engine.dispose()
    return ids


def logged_in_admin(port):
    admin = Client(port)
    _status, _location, page = admin.get("/login")
    admin.form("/login", {"csrf_token": CSRF.search(page).group(1), "email": "admin@crash.example.org",
                          "password": PASSWORD})
    return admin


def writing(url):
    """Whether the server holds a write transaction open right now."""
    if url.startswith("sqlite"):
        connection = sqlite3.connect(make_url(url).database, timeout=0)
        try:
            connection.execute("BEGIN IMMEDIATE")
            connection.rollback()
            return False
        except sqlite3.OperationalError:  # "database is locked": the server's write transaction has begun
            return True
        finally:
            connection.close()
    import psycopg

    with psycopg.connect(make_url(url).set(drivername="postgresql").render_as_string(hide_password=False),
                         autocommit=True) as connection:
        return connection.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                                  "AND pid <> pg_backend_pid() AND query ILIKE 'INSERT INTO participants%'"
                                  ).fetchone()[0] > 0


def imported(app, program_id, batch_id):
    from extensions import db
    from training.models import ImportBatch, Participant

    with app.app_context():
        count = db.session.scalar(select(func.count()).where(Participant.program_id == program_id))
        status = db.session.get(ImportBatch, batch_id).status
        db.engine.dispose()
    return count, status


def test_an_import_killed_mid_write_leaves_nothing_behind_and_can_be_confirmed_again(crash_url, tmp_path):
    app = crash_app(crash_url)
    program_id, batch_id = program_with_upload(app, IMPORT_ROWS)
    port, caught = free_port(), []
    with open(tmp_path / "gunicorn.log", "w") as log:
        with server(crash_url, port, log) as process:
            admin = logged_in_admin(port)
            status, _location, preview = admin.get(f"/imports/{batch_id}")
            assert status == 200
            token = CSRF.search(preview).group(1)
            confirm = threading.Thread(target=lambda: caught.append(
                _quietly(admin.form, f"/imports/{batch_id}/confirm", {"csrf_token": token})))
            confirm.start()
            deadline = time.monotonic() + 60
            while not writing(crash_url):
                assert time.monotonic() < deadline and confirm.is_alive(), "the import finished before the kill"
                time.sleep(0.002)
            kill_9(process)
            confirm.join(timeout=60)
    assert caught and caught[0] is None, "the confirmation got an answer: the kill came too late"
    assert_intact(app, crash_url)
    assert imported(app, program_id, batch_id) == (0, "previewed")  # all or nothing: nothing
    with open(tmp_path / "gunicorn-restarted.log", "w") as log, server(crash_url, port, log):
        admin = logged_in_admin(port)
        _status, _location, preview = admin.get(f"/imports/{batch_id}")
        status, location, _body = admin.form(f"/imports/{batch_id}/confirm",
                                             {"csrf_token": CSRF.search(preview).group(1)})
        assert status == 302 and location.endswith(f"/programs/{program_id}/participants")
    assert imported(app, program_id, batch_id) == (IMPORT_ROWS, "applied")


def _quietly(call, *args):
    """The call's answer, or None when the connection died under it."""
    try:
        return call(*args)
    except (OSError, http.client.HTTPException):
        return None


# --- the database server restarts under traffic ------------------------------------------------------------------

def restartable_postgresql():
    """The local cluster's version when this process may restart it (root, pg_ctlcluster), else None."""
    clusters = Path("/etc/postgresql")
    if os.geteuid() != 0 or not clusters.is_dir() or subprocess.run(["which", "pg_ctlcluster"],
                                                                      capture_output=True).returncode:
        return None
    return sorted(path.name for path in clusters.iterdir())[0]


def keep_saving(port, participant, link, acks, statuses, stop):
    """Start the pre-test, then save its answers over and over until `stop`, as a participant who keeps changing
    them; every reply's status is kept, every acknowledged answer recorded."""
    client = Client(port)
    page, csrf, seq = start_the_pre_test(client, link)
    questions = [(int(question), CHOICE.findall(body)) for question, kind, body in QUESTION.findall(page)
                 if kind != "multiple_choice"]
    while not stop.is_set():
        for question, options in questions:
            seq += 1
            value = options[seq % len(options)] if options else f"respuesta {seq}"
            status, _location, reply = client.json("/me/tests/pre/answers",
                                                   {"question": question, "value": value, "seq": seq}, csrf)
            statuses.append((time.monotonic(), status, reply))
            if status == 200 and json.loads(reply).get("status") == "saved":
                acks.append((participant, question, value, seq))
            time.sleep(0.05)


@pytest.mark.skipif(not os.environ.get("CAPACITA_TEST_DB") == "postgresql", reason="a PostgreSQL server restart: "
                    "runs in the PostgreSQL pass of the suite")
def test_a_postgresql_restart_fails_requests_cleanly_and_the_app_recovers_by_itself(crash_url, tmp_path):
    version = restartable_postgresql()
    if version is None:
        pytest.skip("restarting PostgreSQL needs root and pg_ctlcluster (as in CI)")
    app = crash_app(crash_url)
    links = program_with_takers(app, 3)
    port, acks, statuses, stop = free_port(), [], [], threading.Event()
    with open(tmp_path / "gunicorn.log", "w") as log, server(crash_url, port, log) as process:
        savers = [threading.Thread(target=keep_saving, args=(port, person, link, acks, statuses, stop))
                  for person, link in links]
        for saver in savers:
            saver.start()
        while len(acks) < 20:
            time.sleep(0.05)
        subprocess.run(["pg_ctlcluster", version, "main", "restart"], check=True, timeout=120)
        restarted = time.monotonic()
        deadline = restarted + 60
        while sum(1 for at, status, _reply in statuses if at > restarted and status == 200) < 20:
            assert time.monotonic() < deadline, "the app did not recover within a minute of the restart"
            time.sleep(0.1)
        stop.set()
        for saver in savers:
            saver.join(timeout=60)
        assert process.poll() is None  # the same server: it recovered by itself
    failures = [(status, reply) for _at, status, reply in statuses if status != 200]
    assert failures, "no request met the restart: it was not under traffic"
    assert {status for status, _reply in failures} == {503}, failures[:3]
    assert all("briefly unavailable" in reply or "brevemente" in reply for _status, reply in failures)
    assert lost(list(acks), stored_answers(app)) == []


def test_a_database_that_does_not_answer_gets_a_clean_503_that_reads_nothing(tmp_path):
    from app import create_app

    app = create_app({"CAPACITA_ENV": "test", "SECRET_KEY": "k" * 48, "WTF_CSRF_ENABLED": False,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'no-such-folder' / 'x.sqlite3'}"})
    response = app.test_client().post("/login", data={"email": "a@example.org", "password": "whatever-it-is"})
    # At least our 5 s: on a rate-limited route such as this one, Flask-Limiter raises it to its window's reset.
    assert response.status_code == 503 and int(response.headers["Retry-After"]) >= 5
    assert response.headers["Cache-Control"] == "no-store"
    assert "503" in response.get_data(as_text=True) and "Traceback" not in response.get_data(as_text=True)
