"""Shared fixtures: one migrated database per run (SQLite file or PostgreSQL), emptied after every test."""
import os
import re
import shutil
import threading
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app import create_app
from extensions import db, limiter

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
BACKEND = os.environ.get("CAPACITA_TEST_DB", "sqlite")
POSTGRES_SERVER = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
# Its own name lets two checkouts run their PostgreSQL suites side by side on one server.
POSTGRES_DATABASE = os.environ.get("CAPACITA_TEST_PG_DATABASE", "capacita_test")
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
PASSWORD = "correct-horse-battery"
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
def app(database_url):
    app = create_app(
        {
            "TESTING": True,
            "CAPACITA_ENV": "test",
            "SECRET_KEY": SECRET,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SESSION_COOKIE_SECURE": False,
            "RATELIMIT_STORAGE_URI": "memory://",
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

    from werkzeug.security import generate_password_hash

    from assessments.models import Question, Questionnaire, ResponseImport, Section
    from training.models import (
        Activity,
        AgendaItem,
        AttendanceImport,
        Delegation,
        ImportBatch,
        Participant,
        Program,
        User,
    )
    from training.models_groups import Group, GroupMember, GroupWork
    from training.textkeys import person_search_key

    with app.app_context():
        password_hash = generate_password_hash(PASSWORD)
        users = {
            "admin": User(email="admin@example.org", name="Admin", role="admin", password_hash=password_hash),
            "organizer": User(email="org@example.org", name="Org", role="organizer", password_hash=password_hash),
            "facilitator": User(email="fac@example.org", name="Fac", role="facilitator", password_hash=password_hash),
            "focal_mx": User(email="fp.mx@example.org", name="FP MX", role="focal_point", country_code="MX",
                             password_hash=password_hash),
            "focal_gt": User(email="fp.gt@example.org", name="FP GT", role="focal_point", country_code="GT",
                             password_hash=password_hash),
        }
        program = Program(code="TEST-2026", title={"es": "Programa de prueba", "en": "Test program"},
                          timezone="America/Mexico_City", languages=["es", "en"])
        mx = Delegation(program=program, kind="member", country_code="MX", quota=3)
        gt = Delegation(program=program, kind="member", country_code="GT", quota=3)
        observer = Delegation(program=program, kind="observer", organization="Red Civil", quota=2)
        db.session.add_all([*users.values(), program, mx, gt, observer])
        db.session.flush()
        people = {}
        for key, delegation, given, family, email in [
            ("mx1", mx, "José Ángel", "Núñez Peña", "jose.nunez@example.mx"),
            ("mx2", mx, "Fátima", "Gómez Díaz", "fatima.gomez@example.mx"),
            ("gt1", gt, "Ixchel", "Tzul Batz", "ixchel.tzul@example.gt"),
            ("gt2", gt, "Óscar", "Cojtí", "oscar.cojti@example.gt"),
            ("obs1", observer, "Marta", "Ruiz", "marta.ruiz@example.org"),
        ]:
            people[key] = Participant(program_id=program.id, delegation_id=delegation.id, given_names=given,
                                      family_names=family, email=email, email_key=email.lower(),
                                      search_key=person_search_key(given, family, email),
                                      timezone="America/Mexico_City")
        db.session.add_all(people.values())
        # A list Mexico's focal point uploaded and has not confirmed yet (one new person: Mexico has one place left).
        batch = ImportBatch(program_id=program.id, delegation_id=mx.id, locked=True,
                            created_by=users["focal_mx"].id, filename="mexico.csv",
                            content="Nombre;Apellidos;Correo\nLuz;Ríos;luz.rios@example.mx\n".encode("cp1252"))
        db.session.add(batch)
        session = Activity(program_id=program.id, code="S0", kind="virtual_session", title={"es": "Sesión 0"},
                           starts_at=datetime(2026, 3, 3, 20, 0, tzinfo=timezone.utc),
                           ends_at=datetime(2026, 3, 3, 22, 0, tzinfo=timezone.utc))
        session.items.append(AgendaItem(starts_at=session.starts_at, ends_at=session.ends_at, kind="welcome",
                                        title={"es": "Bienvenida"}))
        group_item = AgendaItem(starts_at=datetime(2026, 3, 3, 21, 0, tzinfo=timezone.utc),
                                ends_at=datetime(2026, 3, 3, 21, 30, tzinfo=timezone.utc), kind="group_work",
                                title={"es": "Trabajo en grupos"})
        session.items.append(group_item)
        db.session.add(session)
        db.session.flush()
        # Groups by country for that item: Mexico in one, Guatemala and the observer in the other.
        work = GroupWork(agenda_item_id=group_item.id, strategy="clusters", questions={"es": "¿Qué falta?"})
        work.groups = [Group(position=1, name="Grupo 1", countries=["MX"]),
                       Group(position=2, name="Grupo 2", countries=["GT"])]
        work.groups[0].members = [GroupMember(participant_id=people[key].id) for key in ("mx1", "mx2")]
        work.groups[1].members = [GroupMember(participant_id=people[key].id) for key in ("gt1", "gt2", "obs1")]
        db.session.add(work)
        # A Zoom report for S0 waiting for review: one e-mail match, one name match, one host nobody registered.
        report = AttendanceImport(activity_id=session.id, created_by=users["organizer"].id, filename="zoom.csv",
                                  content=ZOOM_S0.encode(), sha256="0" * 64, min_share=75)
        db.session.add(report)
        # A questionnaire with an export of answers to map, in a program of its own (no delegations, no people)
        # so the test program's questionnaires stay as each test makes them.
        tests_program = Program(code="TEST-Q-2026", title={"es": "Programa con cuestionario"},
                                timezone="America/Mexico_City", languages=["es", "en"])
        questionnaire = Questionnaire(program=tests_program, kind="pre", title={"es": "Prueba de entrada"})
        db.session.add_all([tests_program, questionnaire])
        db.session.flush()
        # One section and an open question, for the builder's routes (the window is not open: nobody answers).
        section = Section(questionnaire_id=questionnaire.id, position=1, title={"es": "Aplicación"})
        db.session.add(section)
        db.session.flush()
        question = Question(questionnaire_id=questionnaire.id, section_id=section.id, position=1, type="long_text",
                            dimension="application", text={"es": "¿Qué aplicará en su trabajo?"})
        db.session.add(question)
        responses = ResponseImport(questionnaire_id=questionnaire.id, created_by=users["organizer"].id,
                                   filename="respuestas.csv",
                                   content=b"Correo,Comentarios\nmarta.ruiz@example.org,Bien\n")
        db.session.add(responses)
        # A certificate Guatemala's first participant holds (its PDF not drawn yet: drawn when first downloaded).
        from certificates.models import Certificate

        certificate = Certificate(program_id=program.id, participant_id=people["gt1"].id, serial_number=900,
                                  serial="TEST-2026-0900", code="world-certificate-code-" + "x" * 20,
                                  languages=["es"], facts={"name": "Ixchel Tzul Batz", "title": program.title,
                                                           "start": None, "end": None, "hours": 4, "place": {},
                                                           "virtual": True, "issuer": {}, "counts": {}})
        db.session.add(certificate)
        db.session.commit()
        ids = {
            "program": program.id, "batch": batch.id, "activity": session.id, "report": report.id,
            "agenda_item": session.items[0].id, "group_item": group_item.id, "group": work.groups[0].id,
            "mx": mx.id, "gt": gt.id, "observer": observer.id,
            "questionnaire": questionnaire.id, "response_import": responses.id, "section": section.id,
            "question": question.id, "certificate": certificate.id,
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


ZOOM_S0 = """Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest
Secretaría,host@example.org,03/03/2026 01:55:00 PM,03/03/2026 04:00:00 PM,125,No
José Ángel Núñez,jose.nunez@example.mx,03/03/2026 02:00:00 PM,03/03/2026 03:00:00 PM,60,Yes
José Ángel Núñez,jose.nunez@example.mx,03/03/2026 03:05:00 PM,03/03/2026 04:00:00 PM,55,Yes
IXCHEL TZUL BATZ,,03/03/2026 02:00:00 PM,03/03/2026 03:00:00 PM,60,Yes
"""


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
