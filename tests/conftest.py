"""Shared fixtures: one migrated database per run (SQLite file or PostgreSQL), emptied after every test."""
import os
import re
import shutil
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app import create_app
from extensions import db, limiter
from task_queue import queue_of, run_queued
from tests.factories import (
    PASSWORD,
    ZOOM_S0,
    make_activity,
    make_agenda_item,
    make_attendance_report,
    make_certificate,
    make_delegation,
    make_group_work,
    make_import_batch,
    make_participant,
    make_program,
    make_question,
    make_questionnaire,
    make_response_import,
    make_section,
    make_staff,
)

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
BACKEND = os.environ.get("CAPACITA_TEST_DB", "sqlite")
POSTGRES_SERVER = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
# Its own name lets two checkouts run their PostgreSQL suites side by side on one server.
POSTGRES_DATABASE = os.environ.get("CAPACITA_TEST_PG_DATABASE", "capacita_test")
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
SECRET = "test-secret-key-that-is-long-enough-for-production-rules"


def pytest_report_header(config):
    return f"capacita database backend: {BACKEND}"


def _postgres_url():
    """Create a fresh capacita_test database and return its URL; exit the run when no server answers."""
    try:
        server = create_engine(POSTGRES_SERVER, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})
        with server.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {POSTGRES_DATABASE} WITH (FORCE)"))
            connection.execute(text(f"CREATE DATABASE {POSTGRES_DATABASE} ENCODING 'UTF8' TEMPLATE template0"))
        server.dispose()
    except Exception as error:  # any failure to reach the server means the same thing here
        reason = f"PostgreSQL at {make_url(POSTGRES_SERVER).render_as_string()} is unreachable ({type(error).__name__})"
        if IN_CI:
            pytest.exit(f"{reason}: CI requires the PostgreSQL run.", returncode=1)
        pytest.exit(f"SKIPPED the PostgreSQL run: {reason}.", returncode=0)
    return make_url(POSTGRES_SERVER).set(database=POSTGRES_DATABASE).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    if BACKEND == "postgresql":
        return _postgres_url()
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'capacita-test.sqlite3'}"


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    app = create_app(
        {
            "TESTING": True,
            "CAPACITA_ENV": "test",
            "SECRET_KEY": SECRET,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SESSION_COOKIE_SECURE": False,
            "RATELIMIT_STORAGE_URI": "memory://",
            # The queue is held in memory; a test runs what was queued with `run_tasks` (as the worker would).
            "QUEUE_URL": "memory://",
            # The impact report's files the worker makes: emptied after each test, as the database is.
            "REPORT_FOLDER": str(tmp_path_factory.mktemp("reports")),
            # Tests log in in quick succession, often to one account from several browsers; the limits on all
            # addresses together, per account and per device have tests of their own.
            "LOGIN_CHECKS_RATE_LIMIT": "1000 per minute",
            "LOGIN_ACCOUNT_RATE_LIMIT": "1000 per minute",
            "LOGIN_DEVICE_RATE_LIMIT": "1000 per minute",
            "LOGIN_TRUSTED_RATE_LIMIT": "1000 per minute",
        }
    )
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
    yield app
    with app.app_context():
        db.engine.dispose()


def empty_the_database(app):
    """Empty every table and reset the rate-limit counters."""
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as connection:
            for table in reversed(db.metadata.sorted_tables):
                connection.execute(table.delete())
        limiter.reset()
    app.extensions["refusals"].forget()
    queue_of(app).huey.flush()
    for made in Path(app.config["REPORT_FOLDER"]).iterdir():
        shutil.rmtree(made)


@pytest.fixture(autouse=True)
def _clean_state(request):
    """Every test that used the app leaves empty tables and fresh rate-limit counters behind."""
    yield
    if "app" in request.fixturenames:
        empty_the_database(request.getfixturevalue("app"))


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield
        db.session.remove()


@pytest.fixture
def run_tasks(app):
    """Run what the requests queued, in this process, as `flask worker` would; returns how many tasks ran."""
    return lambda: run_queued(app)


@pytest.fixture
def client(app):
    return app.test_client()


def csrf_from(html):
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, "page has no CSRF token"
    return match.group(1)


def post_form(client, url, data, page=None):
    """POST like a browser: fetch the page (or `page`) first and send its CSRF token."""
    token = csrf_from(client.get(page or url).get_data(as_text=True))
    return client.post(url, data={**data, "csrf_token": token})


def login(client, email, password=PASSWORD):
    response = post_form(client, "/login", {"email": email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response


@pytest.fixture
def world(app):
    """A program with Mexico, Guatemala and an observer; two participants each; one staff member per role."""
    from datetime import datetime, timezone

    from assessments.models_lessons import Lesson
    from training.models_jobs import Job

    utc = timezone.utc
    with app.app_context():
        program = make_program("TEST-2026", {"es": "Programa de prueba", "en": "Test program"})
        mx = make_delegation(program, country_code="MX", quota=3)
        gt = make_delegation(program, country_code="GT", quota=3)
        observer = make_delegation(program, organization="Red Civil", quota=2)
        # The secretariat, and an organizer and a facilitator, in every program; each focal point in this one.
        users = {
            "admin": make_staff("admin", "admin@example.org", "Admin"),
            "organizer": make_staff("organizer", "org@example.org", "Org"),
            "facilitator": make_staff("facilitator", "fac@example.org", "Fac"),
            "focal_mx": make_staff("focal_point", "fp.mx@example.org", "FP MX", country_code="MX", programs=[program]),
            "focal_gt": make_staff("focal_point", "fp.gt@example.org", "FP GT", country_code="GT", programs=[program]),
        }
        people = {key: make_participant(delegation, given, family, email) for key, delegation, given, family, email in [
            ("mx1", mx, "José Ángel", "Núñez Peña", "jose.nunez@example.mx"),
            ("mx2", mx, "Fátima", "Gómez Díaz", "fatima.gomez@example.mx"),
            ("gt1", gt, "Ixchel", "Tzul Batz", "ixchel.tzul@example.gt"),
            ("gt2", gt, "Óscar", "Cojtí", "oscar.cojti@example.gt"),
            ("obs1", observer, "Marta", "Ruiz", "marta.ruiz@example.org"),
        ]}
        # A list Mexico's focal point uploaded and has not confirmed yet (one new person: Mexico has one place left).
        batch = make_import_batch(mx, users["focal_mx"], "mexico.csv",
                                  "Nombre;Apellidos;Correo\nLuz;Ríos;luz.rios@example.mx\n".encode("cp1252"),
                                  locked=True)
        session = make_activity(program, "S0", {"es": "Sesión 0"}, datetime(2026, 3, 3, 20, 0, tzinfo=utc),
                                datetime(2026, 3, 3, 22, 0, tzinfo=utc))
        welcome = make_agenda_item(session, "welcome", {"es": "Bienvenida"})
        group_item = make_agenda_item(session, "group_work", {"es": "Trabajo en grupos"},
                                      datetime(2026, 3, 3, 21, 0, tzinfo=utc), datetime(2026, 3, 3, 21, 30, tzinfo=utc))
        # Groups by country for that item: Mexico in one, Guatemala and the observer in the other.
        work = make_group_work(group_item, [
            ("Grupo 1", ["MX"], [people[key] for key in ("mx1", "mx2")]),
            ("Grupo 2", ["GT"], [people[key] for key in ("gt1", "gt2", "obs1")]),
        ], questions={"es": "¿Qué falta?"})
        # A Zoom report for S0 waiting for review: one e-mail match, one name match, one host nobody registered.
        # (Its hash is a placeholder, not the file's: once applied, a new upload of ZOOM_S0 is not a re-import of it.)
        report = make_attendance_report(session, users["organizer"], ZOOM_S0, sha256="0" * 64)
        # A questionnaire with an export of answers to map, in a program of its own (no delegations, no people)
        # so the test program's questionnaires stay as each test makes them.
        tests_program = make_program("TEST-Q-2026", {"es": "Programa con cuestionario"})
        questionnaire = make_questionnaire(tests_program, "pre", {"es": "Prueba de entrada"})
        # One section and an open question, for the builder's routes (the window is not open: nobody answers).
        section = make_section(questionnaire, {"es": "Aplicación"})
        question = make_question(section, "long_text", "application", {"es": "¿Qué aplicará en su trabajo?"})
        responses = make_response_import(questionnaire, users["organizer"], "respuestas.csv",
                                         b"Correo,Comentarios\nmarta.ruiz@example.org,Bien\n")
        # A certificate Guatemala's first participant holds (its PDF not drawn yet: drawn when first downloaded).
        certificate = make_certificate(people["gt1"], serial_number=900, code="world-certificate-code-" + "x" * 20)
        # A finished job that sent the program's messages: whose progress only who may send messages can follow.
        job = Job(kind="training.tasks.send_messages", program_id=program.id, status="done", done=0, total=0,
                  result={"sent": 0, "outbox": 0, "failed": 0})
        db.session.add(job)
        # A lesson learned of the program, for the record's routes.
        lesson = Lesson(program_id=program.id, code="LA1_PRUEBA", finding={"es": "Hallazgo de prueba"})
        db.session.add(lesson)
        db.session.commit()
        ids = {
            "program": program.id, "batch": batch.id, "activity": session.id, "report": report.id,
            "agenda_item": welcome.id, "group_item": group_item.id, "group": work.groups[0].id,
            "mx": mx.id, "gt": gt.id, "observer": observer.id,
            "questionnaire": questionnaire.id, "response_import": responses.id, "section": section.id,
            "question": question.id, "certificate": certificate.id, "job": job.id,
            "lesson": lesson.id,
            **{key: user.id for key, user in users.items()},
            **{key: person.id for key, person in people.items()},
        }
        emails = {key: user.email for key, user in users.items()}
    return {"ids": ids, "emails": emails}


@pytest.fixture
def course(app, world):
    """World's program with a post-test: mx1 and mx2 attended and submitted it (80% and 40%), gt2 was absent and is
    still answering, obs1 was excused and never started. gt1 holds world's certificate but did nothing."""
    from datetime import datetime, timezone

    from assessments.models import Attempt, Questionnaire
    from training.models import Attendance

    ids = world["ids"]
    with app.app_context():
        post = Questionnaire(program_id=ids["program"], kind="post", title={"es": "Prueba de salida"})
        db.session.add(post)
        db.session.flush()
        done = datetime(2026, 3, 3, 22, 0, tzinfo=timezone.utc)
        for key, status, score in (("mx1", "submitted", 8), ("mx2", "submitted", 4), ("gt2", "in_progress", None)):
            db.session.add(Attempt(questionnaire_id=post.id, participant_id=ids[key], status=status, score=score,
                                   max_score=10, submitted_at=done if status == "submitted" else None))
        for key, status in (("mx1", "present"), ("mx2", "late"), ("gt2", "absent"), ("obs1", "excused")):
            db.session.add(Attendance(participant_id=ids[key], activity_id=ids["activity"], status=status,
                                      minutes={"present": 120, "late": 80}.get(status)))
        db.session.commit()
    return world


# --- browser -----------------------------------------------------------------------------------------------

DEMO_PASSWORD = "capacita-demo"  # every account `flask demo` creates
PHONE = {"width": 360, "height": 740}
DESK = {"width": 1280, "height": 900}


def sign_in(page, email, password=PASSWORD):
    """A staff member logs in through the login form (Spanish, the default language) and lands on the programs."""
    page.goto("/login")
    page.get_by_label("Correo electrónico").fill(email)
    page.get_by_label("Contraseña").fill(password)
    page.get_by_role("button", name="Iniciar sesión").click()
    page.wait_for_url("**/programs")


def fits_the_width(page):
    """No sideways scroll, measured once the stylesheet has loaded (before that the layout is the unstyled one)."""
    page.wait_for_load_state("load")
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def photograph(page, artifacts, name, widths=(360, 1280), full_page=True):
    """Screenshots at each width (name-360.png, name-1280.png); the page must fit the phone."""
    original = page.viewport_size
    for width in widths:
        page.set_viewport_size(PHONE if width == 360 else {**DESK, "width": width})
        if width <= 360:
            assert fits_the_width(page), f"{name} scrolls sideways at {width} px"
        page.screenshot(path=str(artifacts / f"{name}-{width}.png"), full_page=full_page)
    page.set_viewport_size(original)


@pytest.fixture(scope="session")
def live_server(app):
    """The app served on 127.0.0.1 from a thread, for Chromium to talk to."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is None:
        message = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if IN_CI:
            pytest.fail(f"{message}: CI requires the browser tests.")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server, locale="es-MX")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def contexts(browser, live_server):
    """`contexts(viewport)`: a page in a new browser context (a touch phone at PHONE) on the live server that accepts
    downloads; all closed at the end. (test_browser_tests has a `contexts` of its own, which returns contexts.)"""
    opened = []

    def new(viewport, **options):
        if viewport == PHONE:
            options.update(is_mobile=True, has_touch=True)
        context = browser.new_context(base_url=live_server, locale="es-MX", viewport=viewport,
                                      accept_downloads=True, **options)
        context.set_default_timeout(10_000)
        opened.append(context)
        return context.new_page()

    yield new
    for context in opened:
        context.close()


@pytest.fixture(scope="session")
def artifacts():
    """Screenshots land in test-artifacts/ (git-ignored) so a person can look at them."""
    path = Path(__file__).resolve().parent.parent / "test-artifacts"
    path.mkdir(exist_ok=True)
    return path


@pytest.fixture
def scratch_url(tmp_path):
    """A database of its own for a migration test (the suite's stays at the head)."""
    if BACKEND != "postgresql":
        yield f"sqlite:///{tmp_path / 'migration.sqlite3'}"
        return
    name = f"{POSTGRES_DATABASE}_migration"
    server = create_engine(POSTGRES_SERVER, isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        connection.execute(text(f"CREATE DATABASE {name} ENCODING 'UTF8' TEMPLATE template0"))
    yield make_url(POSTGRES_SERVER).set(database=name).render_as_string(hide_password=False)
    with server.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    server.dispose()


@pytest.fixture
def scratch_app(scratch_url):
    """An app on the scratch database, for a migration test to upgrade and downgrade step by step."""
    from app import create_app

    app = create_app({"TESTING": True, "CAPACITA_ENV": "test", "SECRET_KEY": SECRET, "QUEUE_URL": "memory://",
                      "SQLALCHEMY_DATABASE_URI": scratch_url})
    yield app
    with app.app_context():
        db.engine.dispose()


@contextmanager
def statements_run(app):
    """The SQL statements the database receives inside the block (a list, filled as they run)."""
    from sqlalchemy import event

    statements = []

    def seen(_conn, _cursor, statement, *_args):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", seen)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", seen)
