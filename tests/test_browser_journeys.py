"""In Chromium, through the UI only: three people's journeys through one program, from an empty database to a verified
certificate.

1. The secretariat logs in, creates the program, adds its countries with their quotas and an organizer's account,
   imports two focal points' lists (an XLSX from Canada, a `;`-separated Windows-1252 CSV from the Dominican
   Republic with a bad row that is reported by number, then fixed), confirms them, sends the invitations (received by
   a local SMTP server) and builds the session with its agenda.
2. A counselor on a 360 × 740 phone, once in English (Canada) and once in Spanish (Dominican Republic): opens the
   personal link in the e-mail, sees the agenda in their own time zone, takes the pre-test through a cut connection
   and a reload, then the post-test once the organizer opens it, and at the end downloads the certificate.
3. The organizer marks attendance and imports a Zoom report, forms the groups, closes the post-test, reads the impact
   report and downloads a chart and the PDF summary, issues the certificates, downloads the ZIP and checks one
   certificate on its public verification page.

The journeys share one program: each test runs the journeys it depends on if they have not run yet (so any test
can be run alone), and is skipped when one of them failed earlier. Screenshots go to test-artifacts/journey-*.png.
"""
import csv
import email
import email.policy
import io
import json
import re
import socket
import zipfile
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect
from pypdf import PdfReader
from sqlalchemy import select

from assessments.models import Answer, Attempt, Question, Questionnaire
from certificates.models import Certificate
from extensions import db, limiter
from task_queue import run_queued
from tests.conftest import PASSWORD, empty_the_database, fits_the_width, sign_in
from training.models import Activity, Attendance, OutboundMessage, Participant, Program, User
from training.models_grants import ProgramRole
from training.models_groups import Group
from training.schedule import zone_label

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
DESK = {"width": 1280, "height": 900}
CODE = "CRM-CE-2026"
TITLE = {"es": "Programa de capacitación para personas consejeras de empleo",
         "en": "Training program for employment counselors"}
ZONE = "America/Mexico_City"
ADMIN = "secretaria@crm.example"
ORGANIZER = "organizadora@crm.example"
SESSION_START, SESSION_END = time(10, 0), time(12, 0)  # Mexico City
# (start, end, kind, Spanish title, English title): the session's agenda, as the secretariat types it.
AGENDA = [
    ("10:00", "10:15", "welcome", "Bienvenida y presentación del programa", "Welcome and introduction"),
    ("10:15", "10:30", "pre_test", "Evaluación previa", "Pre-test"),
    ("10:30", "11:10", "presentation", "Migración laboral y contratación equitativa",
     "Labour migration and fair recruitment"),
    ("11:10", "11:40", "group_work", "Trabajo en grupos por países", "Group work by countries"),
    ("11:40", "11:50", "post_test", "Evaluación posterior", "Post-test"),
    ("11:50", "12:00", "closing", "Cierre", "Closing"),
]

# The two focal points' lists. Canada's is an XLSX with English headers; the Dominican Republic's a CSV as Excel saves
# it in a Spanish locale (semicolons, Windows-1252, no BOM), whose third person has an e-mail cut short.
CANADA = [
    ["First name", "Last name", "Position", "Institution", "Email", "Country", "Gender", "Language"],
    ["Emily", "Tremblay", "Employment counsellor", "Service Canada", "emily.tremblay@servicecanada.example",
     "Canada", "F", "English"],
    ["Liam", "O'Connor", "Labour inspector", "Employment and Social Development Canada",
     "liam.oconnor@esdc.example", "Canada", "M", "English"],
    ["Chloé", "Gagnon", "Employer liaison officer", "Service Canada", "chloe.gagnon@servicecanada.example",
     "Canada", "F", "English"],
]
DOMINICAN_HEADER = ["Nombre(s)", "Apellido(s)", "Cargo/Puesto", "Afiliación institucional", "Correo electrónico",
                    "País", "Sexo"]
DOMINICAN = [
    ["José Ángel", "Núñez Peña", "Consejero de empleo", "Ministerio de Trabajo", "jose.nunez@mt.example.do",
     "República Dominicana", "M"],
    ["María Fernanda", "Pérez Ramírez", "Consejera de empleo", "Ministerio de Trabajo", "maria.perez@mt.example.do",
     "República Dominicana", "F"],
    ["Ramón", "Suárez Báez", "Inspector de trabajo", "Ministerio de Trabajo", "ramon.suarez@", "República Dominicana",
     "M"],
]
BAD_EMAIL, GOOD_EMAIL = "ramon.suarez@", "ramon.suarez@mt.example.do"

# The two counselors who take the tests: e-mail, given names, the zone their country gives them, and their answers.
# Knowledge items are K1–K3 (one point each); the pre-test's K2 and K3 are answered with the connection cut.
COUNSELORS = {
    "en": {"email": "emily.tremblay@servicecanada.example", "given": "Emily", "name": "Emily Tremblay",
           "zone": "America/St_Johns", "locale": "en-CA", "group": "Norte",
           "pre": {"K1": "b", "K2": "true", "K3": "b", "E1": "4"}, "post": {"K1": "b", "K2": "false", "K3": "a",
                                                                             "S1": "5"}},
    "es": {"email": "jose.nunez@mt.example.do", "given": "José Ángel", "name": "José Ángel Núñez Peña",
           "zone": "America/Santo_Domingo", "locale": "es-DO", "group": "Caribe",
           "pre": {"K1": "a", "K2": "false", "K3": "b", "E1": "5"}, "post": {"K1": "b", "K2": "false", "K3": "b",
                                                                              "S1": "4"}},
}
PRE_SCORES = {"en": 1, "es": 1}
POST_SCORES = {"en": 3, "es": 2}


def _choice(key, es, en):
    return {"key": key, "es": es, "en": en}


def _question(kind, dimension, es, en, item_key=None, options=(), correct=(), labels=None):
    return {"type": kind, "dimension": dimension, "text": {"es": es, "en": en}, "item_key": item_key,
            "options": list(options), "correct": list(correct), "points": 1 if correct else 0, "required": True,
            "scale_labels": labels or {}}


KNOWLEDGE = [
    _question("single_choice", "knowledge", "¿Cuántos Países Miembros tiene la Conferencia Regional sobre Migración?",
              "How many Member Countries does the Regional Conference on Migration have?", "K1",
              [_choice("a", "Cinco", "Five"), _choice("b", "Once", "Eleven"), _choice("c", "Veinte", "Twenty")],
              ["b"]),
    _question("true_false", "knowledge",
              "Las comisiones de contratación pueden cobrarse a la persona trabajadora migrante.",
              "Recruitment fees may be charged to the migrant worker.", "K2", correct=["false"]),
    _question("single_choice", "knowledge", "¿Qué instrumento internacional se adoptó en 2018?",
              "Which international instrument was adopted in 2018?", "K3",
              [_choice("a", "El Pacto Mundial para la Migración Segura, Ordenada y Regular",
                       "The Global Compact for Safe, Orderly and Regular Migration"),
               _choice("b", "La Convención sobre los Derechos del Niño", "The Convention on the Rights of the Child")],
              ["a"]),
]
AGREEMENT = {"es": ["Totalmente en desacuerdo", "Totalmente de acuerdo"], "en": ["Strongly disagree", "Strongly agree"]}
PRE_TEST = {"format": "capacita-questionnaire", "version": 1, "kind": "pre",
            "title": {"es": "Prueba de entrada", "en": "Entry test"}, "intro": {},
            "sections": [{"title": {"es": "Conocimientos", "en": "Knowledge"}, "questions": KNOWLEDGE},
                         {"title": {"es": "Expectativas", "en": "Expectations"}, "questions": [
                             _question("likert", "expectations", "Espero obtener herramientas prácticas.",
                                       "I expect to gain practical tools.", labels=AGREEMENT)]}]}
POST_TEST = {**PRE_TEST, "kind": "post", "title": {"es": "Prueba de salida", "en": "Exit test"},
             "sections": [PRE_TEST["sections"][0],
                          {"title": {"es": "Satisfacción", "en": "Satisfaction"}, "questions": [
                              _question("likert", "satisfaction", "El programa cumplió mis expectativas.",
                                        "The program met my expectations.", labels=AGREEMENT)]}]}
QUESTION_KEYS = {"¿Cuántos Países Miembros": "K1", "Las comisiones de contratación": "K2",
                 "¿Qué instrumento internacional": "K3", "Espero obtener": "E1", "El programa cumplió": "S1"}


# --- the shared program ---------------------------------------------------------------------------------------------


class Inbox:
    """What the local SMTP server received: (recipients, parsed message) pairs."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, email.message_from_bytes(envelope.content,
                                                                           policy=email.policy.default)))
        return "250 OK"

    def to(self, address):
        found = [message for recipients, message in self.messages if address in recipients]
        assert len(found) == 1, f"{len(found)} messages to {address}"
        return found[0]


class Scenario:
    """The program the journeys share, what each journey left behind, and which journeys ran."""

    def __init__(self, app, browser, live_server, artifacts, inbox, tmp):
        self.app, self.browser, self.live_server, self.artifacts = app, browser, live_server, artifacts
        self.inbox, self.tmp = inbox, tmp
        today = datetime.now(ZoneInfo(ZONE)).date()
        self.start_date, self.end_date = today - timedelta(days=1), today + timedelta(days=6)
        # Held yesterday, whatever the hour the suite runs: marks wait for a session's start, certificates its end.
        self.session_day = self.start_date
        self.outcomes = {}
        self.contexts = []

    def run(self, name, journey, *args):
        """Run a journey once; later callers go on when it passed and are skipped when it failed."""
        if name in self.outcomes:
            if not self.outcomes[name]:
                pytest.skip(f"the journey this test builds on failed: {name}")
            return
        self.outcomes[name] = False
        journey(self, *args)
        self.outcomes[name] = True

    def new_page(self, viewport=DESK, locale="es-MX", **options):
        if viewport == PHONE:
            options.update(is_mobile=True, has_touch=True)
        context = self.browser.new_context(base_url=self.live_server, locale=locale, viewport=viewport,
                                           accept_downloads=True, **options)
        context.set_default_timeout(15_000)
        self.contexts.append(context)
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        return page

    def close_pages(self):
        for context in self.contexts:
            context.close()
        self.contexts.clear()

    def shot(self, page, name, full_page=True):
        page.screenshot(path=str(self.artifacts / f"journey-{name}.png"), full_page=full_page)

    def program_id(self):
        with self.app.app_context():
            return db.session.scalar(select(Program.id).where(Program.code == CODE))

    def participant(self, email_address):
        with self.app.app_context():
            return db.session.scalar(select(Participant).where(Participant.email == email_address))

    def local(self, clock_text):
        """A time of the session's day in Mexico City, as an aware datetime."""
        return datetime.combine(self.session_day, time.fromisoformat(clock_text), ZoneInfo(ZONE))


@pytest.fixture(autouse=True)
def _clean_state(app):
    """Replaces conftest's per-test cleanup: the journeys share one program, emptied when the module ends. Only the
    rate-limit counters start afresh for each test."""
    yield
    with app.app_context():
        limiter.reset()
    app.extensions["refusals"].forget()


@pytest.fixture(scope="module")
def scenario(app, browser, live_server, artifacts, tmp_path_factory):
    """An empty database with the secretariat's account (the one thing the UI cannot create), an SMTP server on
    127.0.0.1 for the app's mail, and personal links and verification addresses built on the test server."""
    from aiosmtpd.controller import Controller
    from werkzeug.security import generate_password_hash

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    saved = {key: app.config.get(key) for key in ("MAIL_SERVER", "MAIL_PORT", "MAIL_USE_TLS", "MAIL_DEFAULT_SENDER",
                                                  "PUBLIC_URL")}
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=False,
                      MAIL_DEFAULT_SENDER="secretaria@crm.example", PUBLIC_URL=live_server)
    with app.app_context():
        db.session.add(User(email=ADMIN, name="Secretaría Técnica", grants=[ProgramRole(role="admin")],
                            password_hash=generate_password_hash(PASSWORD)))
        db.session.commit()
    world = Scenario(app, browser, live_server, artifacts, inbox, tmp_path_factory.mktemp("journeys"))
    try:
        yield world
    finally:
        world.close_pages()
        controller.stop()
        app.config.update(saved)
        empty_the_database(app)


@pytest.fixture
def journeys(scenario):
    """The shared scenario; each test closes the browser windows it opened."""
    yield scenario
    scenario.close_pages()






def downloaded(download):
    with open(download.path(), "rb") as file:
        return file.read()


def pdf_text(data):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def say(app, language, message, **params):
    """The app's own wording of `message` in `language` (for the journey run in both languages)."""
    from flask_babel import force_locale, gettext

    with app.test_request_context(), force_locale(language):
        return gettext(message, **params)


# --- 1. the secretariat ---------------------------------------------------------------------------------------------


def secretariat(s):
    page = s.new_page()
    sign_in(page, ADMIN)

    # A program from scratch: code, dates, reference zone, both languages, titles.
    page.get_by_role("link", name="Nuevo programa").click()
    page.get_by_label("Código").fill(CODE)
    page.get_by_label("Fecha de inicio").fill(s.start_date.isoformat())
    page.get_by_label("Fecha de fin").fill(s.end_date.isoformat())
    page.get_by_label("Zona horaria de referencia").select_option(ZONE)
    page.get_by_label("Título (español)").fill(TITLE["es"])
    page.get_by_label("Título (inglés)").fill(TITLE["en"])
    s.shot(page, "1-program-form")
    page.get_by_role("button", name="Guardar programa").click()
    expect(page.locator(".flash")).to_contain_text("Programa guardado.")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE["es"])
    program_url = page.url

    # Its countries and quotas, each with its focal point's contact.
    for country, quota, focal_point, contact in [("MX", 10, "Laura Méndez", "punto.focal@stps.example.mx"),
                                                 ("CA", 3, "Sarah Wilson", "focal.point@esdc.example"),
                                                 ("DO", 4, "Pedro Almonte", "punto.focal@mt.example.do")]:
        page.get_by_role("link", name="Agregar delegación").click()
        page.get_by_label("País", exact=True).select_option(country)
        page.get_by_label("Cupo").fill(str(quota))
        page.get_by_label("Nombre del punto focal").fill(focal_point)
        page.get_by_label("Correo del punto focal").fill(contact)
        page.get_by_role("button", name="Guardar delegación").click()
        expect(page.locator(".flash")).to_contain_text("Delegación agregada.")
    rows = page.locator("table.data tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.filter(has_text="Canadá")).to_contain_text("0 / 3")
    expect(rows.filter(has_text="República Dominicana")).to_contain_text("0 / 4")
    expect(rows.filter(has_text="México")).to_contain_text("0 / 10")
    s.shot(page, "1-dashboard-empty")

    # An organizer's account, for journey 3.
    page.goto("/users/new")
    page.get_by_label("Nombre").fill("Organizadora OIM")
    page.get_by_label("Correo electrónico").fill(ORGANIZER)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Guardar cuenta").click()
    expect(page.locator(".flash")).to_contain_text("Cuenta guardada.")
    # On to the account's roles: organizer of this program.
    page.get_by_label("Programa", exact=True).select_option(label=CODE)
    page.get_by_label("Rol", exact=True).select_option("organizer")
    page.get_by_role("button", name="Dar este rol").click()
    expect(page.locator(".flash")).to_contain_text("Rol guardado.")
    expect(page.locator("#grants")).to_contain_text(CODE)

    # Canada's list, an XLSX: every row is new, and nothing is written before the import is confirmed.
    canada = s.tmp / "canada.xlsx"
    workbook = Workbook()
    for row in CANADA:
        workbook.active.append(row)
    workbook.save(canada)
    page.goto(program_url)
    page.get_by_role("link", name="Importar una lista").click()
    page.get_by_label("Lista de participantes (CSV o XLSX)").set_input_files(str(canada))
    page.get_by_role("button", name="Revisar el archivo").click()
    expect(page.locator("table.import-rows tbody tr.status-new")).to_have_count(3)
    expect(page.locator("table.import-rows")).to_contain_text("Chloé Gagnon")
    s.shot(page, "1-import-canada-preview")
    assert count_participants(s) == 0
    page.get_by_role("button", name="Registrar 3 participantes nuevos").click()
    expect(page.get_by_text("3 nuevas")).to_be_visible()

    # The Dominican Republic's CSV: the row with the cut e-mail is named by its number, and nothing is imported.
    dominican = s.tmp / "republica-dominicana.csv"
    dominican.write_bytes(cp1252_csv([DOMINICAN_HEADER, *DOMINICAN]))
    page.goto(program_url)
    page.get_by_role("link", name="Importar una lista").click()
    page.get_by_label("Lista de participantes (CSV o XLSX)").set_input_files(str(dominican))
    page.get_by_role("button", name="Revisar el archivo").click()
    expect(page.get_by_text("1 fila debe corregirse. No se importó nada.")).to_be_visible()
    bad = page.locator("table.import-rows tbody tr.status-error")
    expect(bad).to_have_count(1)
    expect(bad.get_by_role("rowheader")).to_contain_text("4")  # the header is row 1: the third person is row 4
    expect(bad).to_contain_text(f"“{BAD_EMAIL}” no es un correo electrónico válido.")
    expect(page.locator("table.import-rows")).to_contain_text("José Ángel Núñez Peña")  # accents read from cp1252
    expect(page.get_by_role("button", name=re.compile("^Registrar"))).to_have_count(0)
    s.shot(page, "1-import-dominican-error")
    assert count_participants(s) == 3

    # The focal point sends the corrected file; this time it goes in.
    fixed = s.tmp / "republica-dominicana-corregida.csv"
    fixed.write_bytes(cp1252_csv([DOMINICAN_HEADER, *DOMINICAN[:2], [*DOMINICAN[2][:4], GOOD_EMAIL,
                                                                      *DOMINICAN[2][5:]]]))
    page.get_by_role("link", name="Subir el archivo corregido").click()
    page.get_by_label("Lista de participantes (CSV o XLSX)").set_input_files(str(fixed))
    page.get_by_role("button", name="Revisar el archivo").click()
    expect(page.locator("table.import-rows tbody tr.status-new")).to_have_count(3)
    s.shot(page, "1-import-dominican-fixed")
    page.get_by_role("button", name="Registrar 3 participantes nuevos").click()
    expect(page.get_by_text("3 nuevas")).to_be_visible()

    # The lists are confirmed on the dashboard.
    page.goto(program_url)
    for country in ("Canadá", "República Dominicana"):
        row = page.locator("table.data tbody tr", has_text=country)
        row.get_by_role("button", name=re.compile("^Marcar la lista como enviada")).click()
        row = page.locator("table.data tbody tr", has_text=country)
        row.get_by_role("button", name=re.compile("^Confirmar la lista")).click()
        expect(page.locator("table.data tbody tr", has_text=country)).to_contain_text("Confirmada")
    expect(page.locator("table.data tbody tr", has_text="Canadá")).to_contain_text("3 / 3")
    expect(page.locator("table.data tbody tr", has_text="República Dominicana")).to_contain_text("3 / 4")
    s.shot(page, "1-dashboard-lists")
    with s.app.app_context():
        people = {p.email: p for p in db.session.scalars(select(Participant))}
        assert set(people) == {row[4] for row in CANADA[1:]} | {row[4] for row in DOMINICAN[:2]} | {GOOD_EMAIL}
        jose, emily = people["jose.nunez@mt.example.do"], people["emily.tremblay@servicecanada.example"]
        assert (jose.given_names, jose.family_names, jose.language, jose.timezone) == (
            "José Ángel", "Núñez Peña", "es", "America/Santo_Domingo")
        assert (emily.language, emily.timezone, people["chloe.gagnon@servicecanada.example"].given_names) == (
            "en", "America/St_Johns", "Chloé")

    # The invitations leave for everyone, each in its person's language, through the SMTP server.
    page.get_by_role("link", name="Invitaciones y mensajes").click()
    page.get_by_label("Enviar a").select_option("not_invited")
    page.get_by_role("button", name="Enviar", exact=True).click()
    expect(page.locator(".flash")).to_contain_text("6 mensajes se están preparando y enviando.")
    expect(page.locator(".notice.job")).to_contain_text("En espera de empezar")
    run_queued(s.app)  # the worker's part; the page follows the job and shows its outcome by itself
    expect(page.locator(".notice.job")).to_contain_text(
        "Envío terminado: 6 enviados, 0 en la bandeja de salida, 0 fallidos.", timeout=15000)
    s.shot(page, "1-invitations-sent")
    assert sorted(address for recipients, _message in s.inbox.messages for address in recipients) == sorted(people)
    for language, subject in (("en", "Invitation"), ("es", "Invitación")):
        message = s.inbox.to(COUNSELORS[language]["email"])
        # A long subject is folded before its first encoded word (RFC 2047): mail programs show it without the space.
        assert message["Subject"].lstrip() == f"{subject}: {TITLE[language]}"
        assert COUNSELORS[language]["given"] in message.get_body(preferencelist=("plain",)).get_content()
    with s.app.app_context():
        assert set(db.session.scalars(select(OutboundMessage.status))) == {"sent"}

    # The first session and its agenda, typed in Mexico City time.
    page.goto(program_url)
    page.get_by_role("link", name="Actividades y agenda").click()
    page.get_by_role("link", name="Nueva actividad").click()
    page.get_by_label("Código").fill("S1")
    page.get_by_label("Título (español)").fill("Sesión 1: migración laboral")
    page.get_by_label("Título (inglés)").fill("Session 1: labour migration")
    page.get_by_label("Fecha", exact=True).fill(s.session_day.isoformat())
    page.get_by_label("Inicio").fill(SESSION_START.strftime("%H:%M"))
    page.get_by_role("textbox", name="Fin").fill(SESSION_END.strftime("%H:%M"))
    page.get_by_label("Enlace de la reunión o del curso").fill("https://zoom.example/j/123456789")
    page.get_by_role("button", name="Guardar actividad").click()
    expect(page.locator(".flash")).to_contain_text("Actividad guardada.")
    for start, end, kind, title_es, title_en in AGENDA:
        page.get_by_label("Inicio").fill(start)
        page.get_by_role("textbox", name="Fin").fill(end)
        page.get_by_label("Tipo").select_option(kind)
        page.get_by_label("Título (español)").fill(title_es)
        page.get_by_label("Título (inglés)").fill(title_en)
        page.get_by_label("Facilitación").fill("OIM")
        page.get_by_role("button", name="Agregar a la agenda").click()
        expect(page.locator(".flash")).to_contain_text("Punto de agenda agregado.")
    agenda = page.locator("table.agenda tbody tr")
    expect(agenda).to_have_count(len(AGENDA))
    expect(agenda.first).to_contain_text("10:00–10:15")
    expect(agenda.nth(3)).to_contain_text("Trabajo en grupos por países")
    s.shot(page, "1-session-agenda")
    with s.app.app_context():
        session = db.session.scalar(select(Activity).where(Activity.code == "S1"))
        assert session.starts_at == s.local("10:00").astimezone(ZoneInfo("UTC"))
        assert [item.kind for item in session.items] == [row[2] for row in AGENDA]
    assert page.errors == []


def count_participants(s):
    with s.app.app_context():
        return len(db.session.scalars(select(Participant.id)).all())


def cp1252_csv(rows):
    """A CSV as Excel saves it in a Spanish locale: semicolons, CRLF, Windows-1252, no BOM."""
    return "".join(";".join(row) + "\r\n" for row in rows).encode("cp1252")


def test_the_secretariat_builds_the_program_imports_the_lists_and_invites_everyone(journeys):
    journeys.run("secretariat", secretariat)


# --- 2. the counselors ----------------------------------------------------------------------------------------------


def organizer_prepares_the_tests(s):
    """The organizer imports the pre-test and the post-test (JSON files, as exported from another program) and opens
    the pre-test; the post-test waits."""
    page = s.new_page()
    sign_in(page, ORGANIZER)
    page.get_by_role("link", name=TITLE["es"]).click()
    page.get_by_role("link", name="Evaluación previa y evaluación posterior").click()
    page.get_by_role("link", name="Preparar los cuestionarios").click()
    for plain in (PRE_TEST, POST_TEST):
        path = s.tmp / f"{plain['kind']}-test.json"
        path.write_text(json.dumps(plain, ensure_ascii=False), encoding="utf-8")
        page.get_by_label("Archivo del cuestionario (.json)").set_input_files(str(path))
        page.get_by_label("Usarlo como").select_option(plain["kind"])
        page.get_by_role("button", name="Importar", exact=True).click()
        expect(page.locator(".flash")).to_contain_text("Cuestionario importado.")
        expect(page.locator(".builder-questions > li")).to_have_count(4)
        page.get_by_role("link", name="Cuestionarios").click()
    page.get_by_role("link", name=PRE_TEST["title"]["es"]).click()
    page.get_by_role("button", name="Abrir ahora").click()
    expect(page.locator(".flash")).to_contain_text("El cuestionario está abierto.")
    s.shot(page, "2-pre-test-opened")
    assert page.errors == []


def organizer_opens_the_post_test(s):
    page = s.new_page()
    sign_in(page, ORGANIZER)
    page.goto(f"/programs/{s.program_id()}/tests")
    page.get_by_role("link", name=re.compile("^Preguntas y plazo · Evaluación posterior")).click()
    page.get_by_role("button", name="Abrir ahora").click()
    expect(page.locator(".flash")).to_contain_text("El cuestionario está abierto.")
    page.context.close()


class Questions:
    """A questionnaire as the counselor sees it: each question is a group named by its text, in their language."""

    def __init__(self, page, app, language, kind):
        self.page, self.app, self.language = page, app, language
        with app.app_context():
            questions = db.session.scalars(select(Question).join(Questionnaire).where(Questionnaire.kind == kind)).all()
            self.questions = {next(key for start, key in QUESTION_KEYS.items() if q.text["es"].startswith(start)): q
                           for q in questions}

    def group(self, key):
        return self.page.get_by_role("group", name=re.compile(re.escape(self.questions[key].text[self.language])))

    def label(self, key, value):
        question = self.questions[key]
        if question.type == "true_false":
            return say(self.app, self.language, "True" if value == "true" else "False")
        if question.type == "single_choice":
            return next(option[self.language] for option in question.options if option["key"] == value)
        return value  # a Likert point is labelled by its number

    def choose(self, key, value):
        self.group(key).get_by_label(self.label(key, value), exact=True).tap()

    def expect_chosen(self, key, value):
        expect(self.group(key).get_by_label(self.label(key, value), exact=True)).to_be_checked()

    def expect_state(self, key, message):
        expect(self.page.locator(f'[data-state-for="{self.questions[key].id}"]')).to_have_text(
            say(self.app, self.language, message))

    def stored(self, participant_id):
        """item → stored answer of the participant's attempt at this questionnaire."""
        with self.app.app_context():
            rows = db.session.execute(select(Answer.question_id, Answer.value).join(Attempt)
                                      .where(Attempt.participant_id == participant_id)).all()
        keys = {question.id: key for key, question in self.questions.items()}
        return {keys[question_id]: value for question_id, value in rows if question_id in keys}

    def review_and_submit(self):
        say_ = lambda message: say(self.app, self.language, message)  # noqa: E731
        self.page.get_by_role("button", name=say_("Review and submit")).tap()
        self.page.wait_for_url("**/review*")
        expect(self.page.locator(".error-summary")).to_have_count(0)
        self.page.get_by_role("button", name=say_("Submit my answers")).tap()
        self.page.wait_for_url("**/done")
        expect(self.page.get_by_role("heading", name=say_("Thank you"))).to_be_visible()


def open_personal_link(s, language):
    """The counselor's phone opens the link in their invitation and continues to their page."""
    counselor = COUNSELORS[language]
    body = s.inbox.to(counselor["email"]).get_body(preferencelist=("plain",)).get_content()
    link = re.search(r"https?://\S+/p/[A-Za-z0-9_-]+", body).group(0)
    assert link.startswith(s.live_server + "/p/")  # built on PUBLIC_URL, here the test server
    phone = s.new_page(PHONE, locale=counselor["locale"], timezone_id=counselor["zone"])
    phone.goto(link)
    expect(phone.locator("html")).to_have_attribute("lang", language)
    button = phone.get_by_role("button", name=say(s.app, language, "Continue as %(name)s", name=counselor["given"]))
    return phone, button


def counselor_takes_the_tests(s, language):
    app, counselor = s.app, COUNSELORS[language]
    zone = counselor["zone"]
    person = s.participant(counselor["email"])
    phone, button = open_personal_link(s, language)
    assert fits_the_width(phone)
    s.shot(phone, f"2-{language}-continue-360")
    button.tap()
    phone.wait_for_url("**/me")
    assert "/p/" not in phone.url

    # The agenda in their own zone, the program's beside it.
    expect(phone.get_by_text(say(app, language, "Times are shown in your time zone, %(zone)s.",
                                 zone=zone_label(zone, language)))).to_be_visible()
    start, end = s.local("10:00"), s.local("12:00")
    session = phone.locator(".my-agenda > li").first
    expect(session).to_contain_text(f"{clock(start, zone)}–{clock(end, zone)} ({zone_label(zone, language)})")
    expect(session).to_contain_text(f"10:00–12:00 ({zone_label(ZONE, language)})")
    session.get_by_text(say(app, language, "Agenda of the session")).tap()
    items = session.locator(".agenda-items li")
    expect(items).to_have_count(len(AGENDA))
    for item, (begins, ends, _kind, title_es, title_en) in zip(items.all(), AGENDA, strict=True):
        expect(item).to_have_text(f"{clock(s.local(begins), zone)}–{clock(s.local(ends), zone)} "
                                  f"{title_en if language == 'en' else title_es}")
    assert fits_the_width(phone)
    s.shot(phone, f"2-{language}-my-page-360")

    # The pre-test, from their page.
    s.run("organizer-prepares-the-tests", organizer_prepares_the_tests)
    phone.reload()
    tests = phone.locator(".my-tests li", has_text=PRE_TEST["title"][language])
    tests.get_by_role("link", name=say(app, language, "Answer")).tap()
    phone.get_by_role("button", name=say(app, language, "Start the questionnaire")).tap()
    phone.wait_for_url("**/me/tests/pre")
    test = Questions(phone, app, language, "pre")
    answers = counselor["pre"]
    test.choose("K1", answers["K1"])
    test.expect_state("K1", "Saved")

    # The connection drops: two answers wait on the phone, and the page says so.
    phone.context.set_offline(True)
    banner = phone.locator("#connection-state")
    test.choose("K2", answers["K2"])
    test.choose("K3", answers["K3"])
    expect(banner).to_contain_text(say(app, language, "Answers waiting to be sent:") + " 2")
    test.expect_state("K2", "Waiting to be sent")
    test.expect_state("K3", "Waiting to be sent")
    assert test.stored(person.id) == {"K1": answers["K1"]}
    assert fits_the_width(phone)
    s.shot(phone, f"2-{language}-pre-test-offline-360", full_page=False)

    # It comes back: the answers leave by themselves; a reload shows them as the server has them.
    phone.context.set_offline(False)
    test.expect_state("K2", "Saved")
    test.expect_state("K3", "Saved")
    expect(banner).to_be_hidden()
    assert test.stored(person.id) == {key: answers[key] for key in ("K1", "K2", "K3")}
    phone.reload()
    for key in ("K1", "K2", "K3"):
        test.expect_chosen(key, answers[key])
    test.choose("E1", answers["E1"])
    test.expect_state("E1", "Saved")
    s.shot(phone, f"2-{language}-pre-test-360")
    test.review_and_submit()
    s.shot(phone, f"2-{language}-pre-test-done-360")
    with app.app_context():
        attempt = db.session.scalar(select(Attempt).join(Questionnaire).where(
            Attempt.participant_id == person.id, Questionnaire.kind == "pre"))
        assert (attempt.status, attempt.score, attempt.max_score) == ("submitted", PRE_SCORES[language], 3)

    # Later, once the organizer has opened it: the post-test.
    s.run("organizer-opens-the-post-test", organizer_opens_the_post_test)
    phone.goto("/me")
    tests = phone.locator(".my-tests li", has_text=POST_TEST["title"][language])
    tests.get_by_role("link", name=say(app, language, "Answer")).tap()
    phone.get_by_role("button", name=say(app, language, "Start the questionnaire")).tap()
    phone.wait_for_url("**/me/tests/post")
    test = Questions(phone, app, language, "post")
    for key, value in counselor["post"].items():
        test.choose(key, value)
        test.expect_state(key, "Saved")
    assert fits_the_width(phone)
    test.review_and_submit()
    with app.app_context():
        attempt = db.session.scalar(select(Attempt).join(Questionnaire).where(
            Attempt.participant_id == person.id, Questionnaire.kind == "post"))
        assert (attempt.status, attempt.score, attempt.max_score) == ("submitted", POST_SCORES[language], 3)
    phone.goto("/me")
    expect(phone.locator(".my-tests .badge")).to_have_count(2)
    s.shot(phone, f"2-{language}-my-page-tests-done-360")
    assert phone.errors == []


def clock(moment, zone):
    return moment.astimezone(ZoneInfo(zone)).strftime("%H:%M")


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_counselor_opens_the_invitation_on_a_phone_and_takes_both_tests(journeys, language):
    journeys.run("secretariat", secretariat)
    journeys.run(f"counselor-tests-{language}", counselor_takes_the_tests, language)


# --- 3. the organizer -----------------------------------------------------------------------------------------------


def zoom_report(s):
    """The participants report Zoom exports for S1 (times in Mexico City): Emily by e-mail, reconnecting once; Liam by
    name (capitals and a typographic apostrophe); Chloé from a phone under another name; the host, who is nobody's
    participant."""
    day = s.session_day.strftime("%m/%d/%Y")
    return ("Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\n"
            f"Secretaría CRM,host@crm.example,{day} 09:50:00 AM,{day} 12:05:00 PM,135,No\n"
            f"Emily Tremblay,{COUNSELORS['en']['email']},{day} 09:58:00 AM,{day} 10:40:00 AM,42,Yes\n"
            f"Emily Tremblay,{COUNSELORS['en']['email']},{day} 10:45:00 AM,{day} 12:00:00 PM,75,Yes\n"
            f"LIAM O’CONNOR,,{day} 10:00:00 AM,{day} 11:45:00 AM,105,Yes\n"
            f"iPhone de Chloe,,{day} 10:10:00 AM,{day} 10:50:00 AM,40,Yes\n")


def organizer_runs_the_session_and_closes_the_program(s):
    app = s.app
    page = s.new_page()
    sign_in(page, ORGANIZER)
    page.get_by_role("link", name=TITLE["es"]).click()
    program_url = page.url

    # Attendance by hand for the Dominican delegation.
    page.get_by_role("link", name="Actividades y agenda").click()
    page.get_by_role("link", name=re.compile("^S1 ")).click()
    session_url = page.url
    page.get_by_role("link", name="Asistencia", exact=True).click()
    for name, status in [("Núñez Peña, José Ángel", "Presente"), ("Pérez Ramírez, María Fernanda", "Tarde"),
                         ("Suárez Báez, Ramón", "Justificada")]:
        page.locator("fieldset", has_text=name).get_by_label(status, exact=True).check()
    page.locator("fieldset", has_text="Suárez Báez, Ramón").get_by_placeholder(
        "Comentario (p. ej., motivo de la justificación)").fill("Sin conexión en su oficina")
    page.get_by_role("button", name="Guardar la hoja").first.click()
    expect(page.locator(".flash")).to_contain_text("3 marcas guardadas.")
    s.shot(page, "3-attendance-sheet")

    # Canada's people from the Zoom report: one matched by e-mail, one by name, one linked by hand, the host ignored.
    report = s.tmp / "zoom-s1.csv"
    report.write_text(zoom_report(s), encoding="utf-8")
    page.get_by_role("link", name="Importar un informe de Zoom").click()
    page.get_by_label("Informe (CSV o XLSX)").set_input_files(str(report))
    page.get_by_role("button", name="Revisar el informe").click()
    expect(page.get_by_role("heading", name="Personas sin encontrar")).to_be_visible()
    page.get_by_label("Persona inscrita para iPhone de Chloe").select_option(label="Gagnon, Chloé · Canadá")
    page.get_by_label("Persona inscrita para Secretaría CRM").select_option("ignore")
    page.get_by_role("button", name="Aplicar los vínculos y revisar de nuevo").click()
    s.shot(page, "3-zoom-review")
    page.get_by_role("button", name="Guardar la asistencia de 3 personas").click()
    expect(page.locator(".flash")).to_contain_text(
        "Asistencia importada: 3 personas encontradas, 2 presentes, 1 parciales, 0 sin encontrar.")
    with app.app_context():
        marks = {(p.email, a.status, a.minutes, a.source) for a, p in db.session.execute(
            select(Attendance, Participant).join(Participant))}
    assert {mark[:3] for mark in marks if mark[3] != "manual"} == {
        (COUNSELORS["en"]["email"], "present", 117), ("liam.oconnor@esdc.example", "present", 105),
        ("chloe.gagnon@servicecanada.example", "partial", 40)}
    assert {mark[:2] for mark in marks if mark[3] == "manual"} == {
        (COUNSELORS["es"]["email"], "present"), ("maria.perez@mt.example.do", "late"), (GOOD_EMAIL, "excused")}

    # Groups for the group-work item, by country clusters.
    page.goto(session_url)
    page.get_by_role("link", name=re.compile("^Grupos")).click()
    page.get_by_role("link", name="Formar los grupos").click()
    page.get_by_label("Grupos fijos por países (cada grupo es un conjunto de países)").check()
    page.get_by_label("Grupos de países").fill("Norte: Canadá, México\nCaribe: República Dominicana")
    page.get_by_label("Preguntas orientadoras (una por línea) (español)").fill(
        "¿Qué servicios ofrece su institución a las personas migrantes?")
    page.get_by_role("button", name="Formar los grupos").click()
    expect(page.locator(".flash")).to_contain_text("Grupos formados.")
    north = page.locator("section.group-card", has_text="Norte")
    caribbean = page.locator("section.group-card", has_text="Caribe")
    expect(north).to_contain_text("Tremblay, Emily")
    expect(caribbean).to_contain_text("Núñez Peña, José Ángel")
    s.shot(page, "3-groups")
    with app.app_context():
        groups = {group.name_in("es", "es"): sorted(member.participant.family_names for member in group.members)
                  for group in db.session.scalars(select(Group))}
    assert groups == {"Norte": ["Gagnon", "O'Connor", "Tremblay"],
                      "Caribe": ["Núñez Peña", "Pérez Ramírez", "Suárez Báez"]}

    # The post-test closes.
    page.goto(program_url)
    page.get_by_role("link", name="Evaluación previa y evaluación posterior").click()
    page.get_by_role("link", name=re.compile("^Preguntas y plazo · Evaluación posterior")).click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Cerrar ahora").click()
    expect(page.locator(".flash")).to_contain_text("El cuestionario está cerrado.")
    s.shot(page, "3-post-test-closed")

    # The impact report: both counselors' scores rose; a chart as PNG, the summary as PDF.
    page.goto(program_url)
    page.get_by_role("link", name="Informe de impacto", exact=True).click()
    expect(page.locator(".lead").first).to_contain_text(
        "Entre las 2 personas participantes que respondieron ambas pruebas, "
        "el puntaje de conocimientos subió de 1,0 a 2,5 sobre 3")
    expect(page.locator(".js-plotly-plot")).not_to_have_count(0)
    s.shot(page, "3-impact-report", full_page=False)
    # Each file is made by the worker while the page follows it, then its link shows.
    slopes = page.locator("figure.chart", has_text="Puntaje de conocimientos de cada participante")
    slopes.get_by_role("button", name="PNG", exact=True).click()
    expect(slopes.locator(".notice.job")).to_contain_text("En espera de empezar")
    run_queued(app)
    expect(slopes.locator(".notice.job")).to_contain_text("El archivo está listo.")
    with page.expect_download() as chart:
        slopes.locator(".notice.job").get_by_role("link", name="Descargar").click()
    assert chart.value.suggested_filename == f"{CODE}-slopes.png"
    chart.value.save_as(s.artifacts / "journey-3-chart-slopes.png")
    assert downloaded(chart.value).startswith(b"\x89PNG\r\n\x1a\n")
    page.get_by_role("button", name="Descargar el resumen (PDF)").click()
    files = page.locator("#files .notice.job")
    expect(files).to_contain_text("En espera de empezar")
    run_queued(app)
    expect(files).to_contain_text("El archivo está listo.")
    with page.expect_download() as summary:
        files.get_by_role("link", name="Descargar").click()
    assert summary.value.suggested_filename == f"{CODE}-impact.pdf"
    summary.value.save_as(s.artifacts / "journey-3-impact-summary.pdf")
    pdf = downloaded(summary.value)
    assert pdf.startswith(b"%PDF-")
    text = " ".join(pdf_text(pdf).split())
    assert TITLE["es"] in text
    assert "Entre las 2 personas participantes que respondieron ambas pruebas" in text

    # Certificates for everyone who completed everything: the two counselors.
    page.goto(program_url)
    page.get_by_role("link", name="Certificados", exact=True).click()
    counts = page.locator("p.stats")
    expect(counts).to_contain_text("Cumple los requisitos: 2")
    expect(page.locator("tr", has_text="Gómez")).to_have_count(0)
    expect(page.locator("tr", has_text="O'Connor")).to_contain_text("Evaluación posterior no enviada")
    expect(page.locator("tr", has_text="Suárez Báez")).to_contain_text("Ausencia justificada en S1")
    s.shot(page, "3-certificates-before")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Emitir a todas las personas que cumplen (2)").click()
    expect(page.locator(".flash-success")).to_have_text("2 certificados emitidos.")
    expect(counts).to_contain_text("Emitido: 2")
    s.shot(page, "3-certificates-issued")
    run_queued(app)  # the worker draws the PDFs; the page reloads itself when it is done
    expect(page.locator(".notice.job")).to_contain_text("Todos los certificados emitidos tienen su PDF",
                                                        timeout=20_000)

    with page.expect_download() as bundle:
        page.get_by_role("link", name="Descargar todos los emitidos (ZIP)").click()
    with zipfile.ZipFile(io.BytesIO(downloaded(bundle.value))) as archive:
        names = archive.namelist()
        pdfs = {name: archive.read(name) for name in names if name.endswith(".pdf")}
        register = list(csv.reader(io.StringIO(archive.read(f"{CODE}-register.csv").decode("utf-8-sig")),
                                   delimiter=";"))  # a Spanish-first program: Excel's separator in Spanish
    assert len(pdfs) == 2 and all(data.startswith(b"%PDF-") for data in pdfs.values())
    assert sorted(names) == sorted([*pdfs, f"{CODE}-register.csv"])
    emily = next(row for row in register[1:] if "Tremblay" in row)
    address = next(cell for cell in emily if "/verify/" in cell)
    emily_pdf = next(data for name, data in pdfs.items() if name.startswith("CA_Tremblay"))
    assert address.split("/verify/")[1] in " ".join(pdf_text(emily_pdf).split()).replace(" ", "")
    with app.app_context():
        issued = {c.participant.email: c.code for c in db.session.scalars(select(Certificate))}
    assert set(issued) == {COUNSELORS["en"]["email"], COUNSELORS["es"]["email"]}
    assert address == f"{s.live_server}/verify/{issued[COUNSELORS['en']['email']]}"

    # Anyone holding the certificate checks it at the address printed on it.
    public = s.new_page(PHONE)
    assert public.goto(address).status == 200
    expect(public.locator(".verdict-valid")).to_contain_text("Certificado válido")
    awarded_to = public.locator("dl.facts dt", has_text="Se otorga a").locator("xpath=following-sibling::dd[1]")
    expect(awarded_to).to_have_text("Emily Tremblay")
    assert fits_the_width(public)
    s.shot(public, "3-verify-360")
    assert page.errors == [] and public.errors == []


def test_the_organizer_runs_the_session_reads_the_impact_and_issues_the_certificates(journeys):
    journeys.run("secretariat", secretariat)
    for language in COUNSELORS:
        journeys.run(f"counselor-tests-{language}", counselor_takes_the_tests, language)
    journeys.run("organizer", organizer_runs_the_session_and_closes_the_program)


# --- 2, the end: the certificate --------------------------------------------------------------------------------


def counselor_downloads_the_certificate(s, language):
    counselor = COUNSELORS[language]
    phone, button = open_personal_link(s, language)
    button.tap()
    phone.wait_for_url("**/me")
    card = phone.locator(".my-certificate")
    expect(card).to_contain_text(say(s.app, language, "Your certificate is ready."))
    expect(phone.locator(".my-group h2")).to_have_text(say(s.app, language, "Your group: %(name)s",
                                                           name=counselor["group"]))  # formed in journey 3
    assert fits_the_width(phone)
    s.shot(phone, f"2-{language}-certificate-ready-360")
    with phone.expect_download() as download:
        card.get_by_role("link", name=say(s.app, language, "Download my certificate (PDF)")).tap()
    pdf = downloaded(download.value)
    assert pdf.startswith(b"%PDF-")
    with s.app.app_context():
        certificate = db.session.scalar(select(Certificate).join(Participant).where(
            Participant.email == counselor["email"]))
        assert download.value.suggested_filename == f"{certificate.serial}.pdf"
        assert pdf == certificate.pdf
    assert counselor["name"] in " ".join(pdf_text(pdf).split())
    assert phone.errors == []


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_counselor_downloads_the_certificate_once_it_is_issued(journeys, language):
    journeys.run("secretariat", secretariat)
    for each in COUNSELORS:
        journeys.run(f"counselor-tests-{each}", counselor_takes_the_tests, each)
    journeys.run("organizer", organizer_runs_the_session_and_closes_the_program)
    journeys.run(f"certificate-{language}", counselor_downloads_the_certificate, language)
