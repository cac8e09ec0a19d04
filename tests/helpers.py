"""Plain helpers that test modules share (a test module never imports another one): personal links, choosing
English, uploads through the web, personal data, the demo program, pre-tests, backups, apps of their own, a mail
server."""
import io
import shutil
import socket
import subprocess
import zipfile
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import inspect, select, text

from app import create_app
from assessments.demo_tests import PRE_TEST
from assessments.models import Attempt, Questionnaire
from assessments.question_types import AnswerError, QuestionSpec, clean_answer
from assessments.services_builder import import_plain
from extensions import db
from tests.conftest import csrf_from, login, post_form
from tests.factories import (
    make_activity,
    make_agenda_item,
    make_certificate,
    make_delegation,
    make_participant,
    make_program,
)
from training.demo_data import MEMBER_COUNTRIES
from training.localized import SUPPORTED_LANGUAGES
from training.models import Delegation, OutboundMessage, Participant, Program, utcnow
from training.tasks import run_scheduled

DEMO = "CRM-CE-2021"  # the program `flask demo` loads


# --- personal links ---------------------------------------------------------------------------------------------


def link_for(app, participant_id, reissue=False):
    """The participant's personal link, from `flask participant-link` (a new one with `reissue`)."""
    with app.app_context():
        participant = db.session.get(Participant, participant_id)
        args = ["participant-link", participant.email, "--program", "TEST-2026"] + (["--reissue"] if reissue else [])
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 0, result.output
    return result.output.strip()


def path_of(link):
    """The link without its scheme and host, for the test client."""
    return "/" + link.split("/", 3)[3]


def enter(client, link):
    """Open the link, then press 'continue': the POST that starts the participant's session."""
    page = client.get(path_of(link))
    assert page.status_code == 200
    return client.post(path_of(link), data={"csrf_token": csrf_from(page.get_data(as_text=True))})


# --- languages --------------------------------------------------------------------------------------------------


def choose_english(client):
    """English through the language switcher, as a person picks it."""
    token = csrf_from(client.get("/login").get_data(as_text=True))
    client.post("/language", data={"language": "en", "next": "/", "csrf_token": token})


def english_session(client):
    """English in the session itself (the msgids), without a request."""
    with client.session_transaction() as session:
        session["language"] = "en"


# --- uploads through the web ------------------------------------------------------------------------------------


def upload_list(client, program_id, content, filename="lista.csv", delegation=""):
    url = f"/programs/{program_id}/participants/import"
    token = csrf_from(client.get(url).get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, "delegation_id": delegation,
                                  "file": (io.BytesIO(content), filename)}, content_type="multipart/form-data")


def upload_report(client, activity_id, content, filename="zoom.csv", **fields):
    url = f"/activities/{activity_id}/attendance/import"
    token = csrf_from(client.get(url).get_data(as_text=True))
    data = {"csrf_token": token, "min_share": "75", **fields,
            "file": (io.BytesIO(content if isinstance(content, bytes) else content.encode()), filename)}
    return client.post(url, data=data, content_type="multipart/form-data")


def upload_answers(client, questionnaire_id, content, filename="respuestas.csv"):
    url = f"/questionnaires/{questionnaire_id}/responses/import"
    token = csrf_from(client.get(url).get_data(as_text=True))
    data = {"csrf_token": token, "file": (io.BytesIO(content if isinstance(content, bytes) else content.encode()),
                                          filename)}
    return client.post(url, data=data, content_type="multipart/form-data")


# --- personal data ----------------------------------------------------------------------------------------------


def as_admin(client, world):
    login(client, world["emails"]["admin"])
    choose_english(client)


def export_personal_data(client, participant_id):
    page = client.get(f"/participants/{participant_id}/personal-data").get_data(as_text=True)
    response = client.post(f"/participants/{participant_id}/personal-data.zip", data={"csrf_token": csrf_from(page)})
    assert response.status_code == 200 and response.mimetype == "application/zip"
    return zipfile.ZipFile(io.BytesIO(response.data))


def erase_personal_data(client, participant_id, **fields):
    page = f"/participants/{participant_id}/personal-data"
    return post_form(client, f"/participants/{participant_id}/erase", fields, page=page)


# --- the demo program -------------------------------------------------------------------------------------------


def load_demo(app):
    """`flask demo`, then the demo program's id: ~113 participants, certificates issued, one revoked and reissued,
    one conflict."""
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        return db.session.scalar(select(Program.id).where(Program.code == DEMO))


def demo_people():
    """The demo's shape for its answer plans: ten people per member country (seven for Nicaragua) and six
    observers."""
    countries = [c for c in MEMBER_COUNTRIES for _ in range(7 if c == "NI" else 10)] + [None] * 6
    return [(index, country, "female", "employment_counselor") for index, country in enumerate(countries)]


def assert_accepted(questions, answers, where=""):
    """Every planned answer ({answer key: raw value}) is one its question ({answer key: plain question}) accepts."""
    for key, raw in answers.items():
        question = questions[key]
        spec = QuestionSpec(question["type"], tuple(o["key"] for o in question["options"]),
                            tuple(question["correct"]), question["points"], question["required"])
        try:
            clean_answer(spec, raw)
        except AnswerError as error:  # pragma: no cover - the message names the culprit
            raise AssertionError(f"{where}{key}: {raw!r} refused ({error.code})") from error


def demo_submitted(kind, country=None):
    """Participant ids with a submitted attempt at the demo's `kind` test, counted straight from the tables."""
    query = (select(Attempt.participant_id).join(Questionnaire).join(Program)
             .join(Participant, Participant.id == Attempt.participant_id).join(Delegation)
             .where(Program.code == DEMO, Questionnaire.kind == kind, Attempt.status == "submitted",
                    Participant.status != "withdrawn"))
    if country:
        query = query.where(Delegation.country_code == country)
    return set(db.session.scalars(query))


def demo_pairs(app, country=None):
    with app.app_context():
        return len(demo_submitted("pre", country) & demo_submitted("post", country))


# --- the scheduler's minute -----------------------------------------------------------------------------------


def tick(app, moment):
    """The scheduler's minute at `moment` (a clock the test sets)."""
    with app.app_context():
        run_scheduled(app, moment)


def queued_of_kind(app, kind):
    """(address, language, subject) of every message of `kind`, sorted."""
    with app.app_context():
        return sorted((m.to_address, m.language, m.subject) for m in db.session.scalars(
            select(OutboundMessage).where(OutboundMessage.kind == kind)))


# --- pre-tests --------------------------------------------------------------------------------------------------


PLAIN = {
    "kind": "pre", "title": {"es": "Prueba previa", "en": "Pre-test"}, "intro": {"es": "Responda con calma."},
    "sections": [{"title": {"es": "Conocimientos", "en": "Knowledge"}, "questions": [
        {"type": "single_choice", "text": {"es": "¿Quién paga el reclutamiento?", "en": "Who pays recruitment?"},
         "dimension": "knowledge", "item_key": "K1", "points": 2, "required": True, "correct": ["b"],
         "options": [{"key": "a", "es": "El trabajador", "en": "The worker"},
                     {"key": "b", "es": "El empleador", "en": "The employer"}], "scale_labels": {}},
        {"type": "true_false", "text": {"es": "La OIT publica principios.", "en": "The ILO publishes principles."},
         "dimension": "knowledge", "item_key": "K2", "points": 1, "required": False, "correct": ["true"],
         "options": [], "scale_labels": {}},
        {"type": "multiple_choice", "text": {"es": "Elija las agencias", "en": "Choose the agencies"},
         "dimension": "knowledge", "item_key": "K3", "points": 1, "required": False, "correct": ["x", "y"],
         "options": [{"key": "x", "es": "OIT"}, {"key": "y", "es": "OIM"}, {"key": "z", "es": "FIFA"}],
         "scale_labels": {}},
    ]}, {"title": {"es": "Expectativas"}, "questions": [
        {"type": "likert", "text": {"es": "Espero aprender mucho"}, "dimension": "expectations", "item_key": None,
         "points": 0, "required": False, "correct": [], "options": [],
         "scale_labels": {"es": ["Nada de acuerdo", "Muy de acuerdo"]}},
        {"type": "long_text", "text": {"es": "¿Qué espera?"}, "dimension": "expectations", "item_key": None,
         "points": 0, "required": False, "correct": [], "options": [], "scale_labels": {}},
    ]}],
}


def open_pre_test(app, program_id):
    """The PLAIN pre-test, open since an hour ago; ids of its questions in order."""
    with app.app_context():
        program = db.session.get(Program, program_id)
        questionnaire = import_plain(program, None, PLAIN)
        questionnaire.opens_at = utcnow() - timedelta(hours=1)
        questionnaire.show_score = True
        db.session.commit()
        questions = [q.id for s in questionnaire.sections for q in s.questions]
        return {"id": questionnaire.id, "questions": questions}


def open_demo_pre_test(app, program_id):
    """The demo's bilingual pre-test in the test program, open since an hour ago: its id and question ids by key."""
    with app.app_context():
        program = db.session.get(Program, program_id)
        questionnaire = import_plain(program, None, PRE_TEST)
        questionnaire.opens_at = utcnow() - timedelta(hours=1)
        db.session.commit()
        ids = {question.item_key or f"{s}.{q}": question.id
               for s, section in enumerate(questionnaire.sections, start=1)
               for q, question in enumerate(section.questions, start=1)}
        return {"id": questionnaire.id, "questions": ids}


# --- backups ----------------------------------------------------------------------------------------------------


def backup_kind(app):
    """The database's kind ("sqlite" or "postgresql") for the backup commands; skips on PostgreSQL without pg_dump."""
    with app.app_context():
        name = db.engine.dialect.name
    if name == "postgresql" and not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.skip("pg_dump/pg_restore not on PATH (apt-get install postgresql-client-15)")
    return name


# --- apps of their own ------------------------------------------------------------------------------------------


def app_with(tmp_path, **config):
    """An app of its own on a new SQLite file, with `config` on top of the test settings."""
    from flask_migrate import upgrade

    app = create_app({"TESTING": True, "CAPACITA_ENV": "test", "SECRET_KEY": "s" * 40,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'limits.sqlite3'}",
                      # The limit per address is under test: not those on e-mails that are no account.
                      "LOGIN_CHECKS_RATE_LIMIT": "1000 per minute", "LOGIN_ACCOUNT_RATE_LIMIT": "1000 per minute",
                      **config})
    with app.app_context():
        upgrade()
    return app


def failed_logins(app, address, count):
    """The status codes of `count` failed logins from `address`, behind a proxy at 10.0.0.2."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = "10.0.0.2"  # the proxy
    client.environ_base["HTTP_X_FORWARDED_FOR"] = address
    return [post_form(client, "/login", {"email": "a@example.org", "password": "nope"}).status_code
            for _ in range(count)]


@contextmanager
def database_of_its_own(database_url, tmp_path, name):
    """An empty database other processes (a worker, a server) can share with the test: a SQLite file, or `name` on
    the suite's PostgreSQL server (dropped afterwards)."""
    if not database_url.startswith("postgresql"):
        yield f"sqlite:///{tmp_path / (name + '.sqlite3')}"
        return
    import psycopg
    from sqlalchemy.engine import make_url

    server = make_url(database_url)
    maintenance = server.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)

    def recreate(create):
        with psycopg.connect(maintenance, autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            if create:
                connection.execute(f"CREATE DATABASE {name}")

    recreate(True)
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        recreate(False)


# --- a mail server ----------------------------------------------------------------------------------------------


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def mail_server(app, handler, ssl_context=None, **smtp_parameters):
    """aiosmtpd on 127.0.0.1 with `handler`, and the app's mail settings pointing at it (plain SMTP unless the test
    sets MAIL_USE_TLS or MAIL_USE_SSL); implicit TLS with `ssl_context`, STARTTLS with tls_context=…; the settings
    are restored afterwards."""
    from aiosmtpd.controller import Controller

    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port, ssl_context=ssl_context, **smtp_parameters)
    controller.start()
    keys = ("MAIL_SERVER", "MAIL_PORT", "MAIL_USE_TLS", "MAIL_USE_SSL", "MAIL_DEFAULT_SENDER", "MAIL_TIMEOUT",
            "PUBLIC_URL")
    saved = {key: app.config.get(key) for key in keys}
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=False, MAIL_USE_SSL=False,
                      MAIL_DEFAULT_SENDER="secretaria@crm.example")
    try:
        yield controller
    finally:
        controller.stop()
        app.config.update(saved)


def self_signed_certificate(folder):
    """(certificate, key) files for 127.0.0.1, made by the openssl command; the test is skipped without it."""
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is not on PATH")
    certificate, key = folder / "server.pem", folder / "server.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(certificate)],
                   check=True, capture_output=True)
    return certificate, key


# --- the worker's part ------------------------------------------------------------------------------------------


def write_queued_messages(app):
    """The worker's first step only: the messages pages asked for are written (queued); the tasks that send them
    stay queued, as if the worker had not come to them yet."""
    from task_queue import queue_of

    huey, waiting = queue_of(app).huey, []
    while (task := huey.dequeue()) is not None:
        if task.name.endswith(".prepare_messages"):
            huey.execute(task)
        else:
            waiting.append(task)
    for task in waiting:
        huey.enqueue(task)


# --- a program in the four languages ----------------------------------------------------------------------


CONTENT = {
    "title": {"es": "Programa regional de orientación", "en": "Regional guidance program",
              "fr": "Programme régional d'orientation", "pt": "Programa regional de orientação"},
    "session": {"es": "Sesión inaugural", "en": "Opening session", "fr": "Séance d'ouverture",
                "pt": "Sessão de abertura"},
    "welcome": {"es": "Bienvenida", "en": "Welcome", "fr": "Accueil", "pt": "Boas-vindas"},
}
QUESTIONNAIRE = {
    "kind": "pre",
    "title": {"es": "Evaluación previa", "en": "Pre-test", "fr": "Pré-test", "pt": "Pré-teste"},
    "intro": {"es": "Responda con calma.", "en": "Take your time.", "fr": "Prenez votre temps.",
              "pt": "Responda com calma."},
    "sections": [{"title": {"es": "Conocimientos", "en": "Knowledge", "fr": "Connaissances", "pt": "Conhecimentos"},
                  "questions": [
        {"type": "single_choice", "dimension": "knowledge", "item_key": "K1", "points": 1, "required": True,
         "text": {"es": "¿Quién paga la contratación?", "en": "Who pays for recruitment?",
                  "fr": "Qui paie le recrutement ?", "pt": "Quem paga o recrutamento?"},
         "correct": ["b"], "scale_labels": {},
         "options": [{"key": "a", "es": "La persona trabajadora", "en": "The worker", "fr": "La personne salariée",
                      "pt": "A pessoa trabalhadora"},
                     {"key": "b", "es": "El empleador", "en": "The employer", "fr": "L'employeur",
                      "pt": "O empregador"}]},
        {"type": "likert", "dimension": "expectations", "item_key": None, "points": 0, "required": False,
         "text": {"es": "Espero aprender", "en": "I expect to learn", "fr": "J'espère apprendre",
                  "pt": "Espero aprender"}, "correct": [], "options": [],
         "scale_labels": {"es": ["Nada", "Mucho"], "en": ["Not at all", "A lot"], "fr": ["Pas du tout", "Beaucoup"],
                          "pt": ["Nada", "Muito"]}},
    ]}],
}


def make_four_language_program(app):
    """A program offering es, en, fr and pt, with its content in all four; one participant per language, each
    holding a certificate in their language; its pre-test open."""
    utc = timezone.utc
    with app.app_context():
        program = make_program("FOUR-2026", CONTENT["title"], languages=SUPPORTED_LANGUAGES)
        delegation = make_delegation(program, country_code="CA", quota=10)
        start = datetime(2026, 3, 3, 20, 0, tzinfo=utc)
        session = make_activity(program, "S1", CONTENT["session"], start)
        make_agenda_item(session, "welcome", CONTENT["welcome"])
        people = {}
        for number, language in enumerate(SUPPORTED_LANGUAGES, start=1):
            person = make_participant(delegation, f"Persona{number}", "Prueba", f"p{number}@example.ca")
            person.language = language
            make_certificate(person, serial_number=number, code=f"four-languages-code-{number}-" + "x" * 20,
                             languages=(language,))
            people[language] = person.id
        questionnaire = import_plain(program, None, QUESTIONNAIRE)
        questionnaire.opens_at = utcnow() - timedelta(hours=1)
        db.session.commit()
        question = questionnaire.sections[0].questions[0].id
    return {"people": people, "question": question}


def participant_link(app, participant_id):
    with app.app_context():
        email = db.session.get(Participant, participant_id).email
    result = app.test_cli_runner().invoke(args=["participant-link", email, "--program", "FOUR-2026"])
    assert result.exit_code == 0, result.output
    return result.output.strip()


def insert_row(connection, table, values):
    """A row with the columns `table` has at this revision; a required column not given gets a plain value of its
    type (these tests are about the rows surviving, not about their contents)."""
    columns = {column["name"]: column for column in inspect(connection).get_columns(table)}
    values = {name: value for name, value in values.items() if name in columns}
    for name, column in columns.items():
        if name not in values and not column["nullable"] and column.get("default") is None:
            values[name] = _plain_value(column["type"])
    connection.execute(text(f"INSERT INTO {table} ({', '.join(values)}) VALUES ({', '.join(':' + n for n in values)})"),
                       values)


def _plain_value(column_type):
    kind = type(column_type).__name__.upper()
    if "BOOL" in kind:
        return False
    if "INT" in kind or "NUMERIC" in kind or "FLOAT" in kind:
        return 0
    if "DATE" in kind or "TIME" in kind:
        return "2026-01-01 00:00:00"
    return "{}" if "JSON" in kind else ""


def add_lesson(program_code, code, **fields):
    """A lesson saved as the record's form saves it (its search text folded by the service); returns its id."""
    from assessments.lessons.services import save_lesson
    from assessments.models_lessons import Lesson

    program = db.session.scalar(select(Program).where(Program.code == program_code))
    data = {"code": code, "kind": fields.pop("kind", "positive"), **fields}
    lesson = save_lesson(Lesson(), program, data, None)
    db.session.commit()
    return lesson.id
