"""In Chromium: the secretariat's first program, from empty to issued certificates, following only the program page's
"next step" (reached with the keyboard each time) and doing on the page it leads to what it asks. The program ran last
week, so its certificates may be issued; the one participant answers the post-test through their personal link when
the page says nothing is left to the secretariat. Screenshots: test-artifacts/lifecycle-*.png."""
import json
import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from certificates.models import Certificate
from extensions import db
from task_queue import run_queued
from tests.conftest import DESK, PHONE, photograph, sign_in
from tests.factories import make_staff
from tests.helpers import path_of
from training.models import Delegation, Program, utcnow

pytestmark = pytest.mark.browser

CODE = "PRIMERO-2026"
ADMIN = "secretaria@example.org"
NOTHING = "Por ahora no hay nada pendiente de su parte."
PERSON = "luz.rios@example.mx"


def questionnaire_file(kind, title):
    """A questionnaire as another program exported it: one true-or-false knowledge item."""
    question = {"type": "true_false", "dimension": "knowledge", "item_key": "K1", "options": [], "correct": ["true"],
                "points": 1, "required": True, "scale_labels": {},
                "text": {"es": "La contratación equitativa no cobra comisiones a la persona trabajadora.",
                         "en": "Fair recruitment charges no fees to the worker."}}
    return {"format": "capacita-questionnaire", "version": 1, "kind": kind, "title": {"es": title, "en": title},
            "intro": {}, "sections": [{"title": {"es": "Conocimientos", "en": "Knowledge"}, "questions": [question]}]}


class Walk:
    """The secretariat's browser window on the program, and what the steps need."""

    def __init__(self, app, page, tmp_path, artifacts):
        self.app, self.page, self.tmp, self.artifacts = app, page, tmp_path, artifacts
        self.start = (utcnow() - timedelta(days=10)).date()
        self.url = None

    def next_step(self, expected):
        """Open the program page, check its next step is `expected`, and follow it from the keyboard."""
        page = self.page
        page.goto(self.url)
        control = page.locator("section.next-step").locator("a.button.primary, button.button.primary")
        expect(control).to_have_text(expected)
        for _press in range(30):  # the next step comes early in the page's tab order
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.textContent.trim()") == expected:
                break
        else:
            pytest.fail(f"{expected!r} is not reachable with Tab")
        page.keyboard.press("Enter")
        page.wait_for_load_state("load")

    def flashed(self, text):
        expect(self.page.locator(".flash").first).to_contain_text(text)

    def upload(self, label, name, content):
        path = self.tmp / name
        path.write_bytes(content)
        self.page.get_by_label(label).set_input_files(str(path))


def create_program(w):
    page = w.page
    page.get_by_role("link", name="Nuevo programa").click()
    page.get_by_label("Código").fill(CODE)
    page.get_by_label("Fecha de inicio").fill(w.start.isoformat())
    page.get_by_label("Fecha de fin").fill((w.start + timedelta(days=4)).isoformat())
    page.get_by_label("Título (español)").fill("Mi primer programa")
    page.get_by_label("Título (inglés)").fill("My first program")
    page.get_by_role("button", name="Guardar programa").click()
    w.flashed("Programa guardado.")
    w.url = page.url
    photograph(page, w.artifacts, "lifecycle-empty")


def add_the_activities(w):
    page = w.page
    page.get_by_label("Código").fill("S1")
    page.get_by_label("Título (español)").fill("Sesión 1")
    page.get_by_label("Fecha", exact=True).fill(w.start.isoformat())
    page.get_by_label("Inicio").fill("10:00")
    page.get_by_role("textbox", name="Fin").fill("12:00")
    page.get_by_role("button", name="Guardar actividad").click()
    w.flashed("Actividad guardada.")


def import_questionnaire(kind, title):
    def step(w):
        content = json.dumps(questionnaire_file(kind, title), ensure_ascii=False).encode()
        w.upload("Archivo del cuestionario (.json)", f"{kind}.json", content)
        w.page.get_by_label("Usarlo como").select_option(kind)
        w.page.get_by_role("button", name="Importar", exact=True).click()
        w.flashed("Cuestionario importado.")
    return step


def add_a_delegation(w):
    page = w.page
    page.get_by_label("País", exact=True).select_option("MX")
    page.get_by_label("Cupo").fill("2")
    page.get_by_role("button", name="Guardar delegación").click()
    w.flashed("Delegación agregada.")


def import_the_list(w):
    w.upload("Lista de participantes (CSV o XLSX)", "mexico.csv",
             f"Nombre;Apellidos;Correo;País\r\nLuz;Ríos;{PERSON};México\r\n".encode("cp1252"))
    w.page.get_by_role("button", name="Revisar el archivo").click()
    w.page.get_by_role("button", name=re.compile("^Registrar 1")).click()
    w.flashed("Se importó mexico.csv: 1 nuevas")


def send_the_invitations(w):
    w.page.get_by_label("Enviar a").select_option("not_invited")
    w.page.get_by_role("button", name="Enviar", exact=True).click()
    w.flashed("1 mensaje se está preparando y enviando.")
    run_queued(w.app)  # the worker's part; the page then shows the outcome by itself
    expect(w.page.locator(".notice.job")).to_contain_text(
        "Envío terminado: 0 enviados, 1 en la bandeja de salida, 0 fallidos.", timeout=15000)


def mark_everyone_present(w):
    w.page.get_by_role("button", name="Marcar al resto como presente").click()
    w.flashed("1 marca guardada.")


def open_now(w):
    w.page.get_by_role("button", name="Abrir ahora").click()
    w.flashed("El cuestionario está abierto.")


def close_now(w):
    w.page.get_by_role("button", name="Cerrar ahora").click()  # its confirmation is accepted
    w.flashed("El cuestionario está cerrado.")


def add_an_agenda_item(w):
    page = w.page
    page.get_by_label("Inicio").fill("10:00")
    page.get_by_role("textbox", name="Fin").fill("12:00")
    page.get_by_label("Tipo").select_option("presentation")
    page.get_by_label("Título (español)").fill("Contratación equitativa")
    page.get_by_role("button", name="Agregar a la agenda").click()
    w.flashed("Punto de agenda agregado.")


def save_the_certificate_settings(w):
    # This program measures what was learned, but certifies attendance and the post-test: the pre-test is not a
    # condition (it is by default, since the program has one).
    w.page.get_by_label("Se debe enviar la evaluación previa").uncheck()
    w.page.get_by_role("button", name="Guardar", exact=True).click()
    w.flashed("Configuración de certificados guardada.")


def the_participant_answers_the_post_test(w, contexts):
    """Nothing is left to the secretariat: the participant, on a phone, answers the post-test."""
    w.page.goto(w.url)
    expect(w.page.locator("section.next-step")).to_contain_text(NOTHING)
    result = w.app.test_cli_runner().invoke(args=["participant-link", PERSON, "--program", CODE])
    assert result.exit_code == 0, result.output
    phone = contexts(PHONE)
    phone.goto(path_of(result.output.strip()))
    phone.get_by_role("button", name="Continuar como Luz").tap()
    phone.wait_for_url("**/me")
    phone.locator(".my-tests li", has_text="Prueba de salida").get_by_role("link", name="Responder").tap()
    phone.get_by_role("button", name="Comenzar el cuestionario").tap()
    phone.get_by_label("Verdadero", exact=True).tap()
    expect(phone.locator("[data-state-for]")).to_have_text("Guardada")
    phone.get_by_role("button", name="Revisar y enviar").tap()
    phone.get_by_role("button", name="Enviar mis respuestas").tap()
    phone.wait_for_url("**/done")


def issue_to_everyone_eligible(w):
    w.page.get_by_role("button", name=re.compile("^Emitir a todas las personas que cumplen")).click()
    expect(w.page.locator(".flash").first).to_be_visible()
    run_queued(w.app)  # the worker draws the PDF


def record_a_lesson(w):
    w.page.get_by_role("link", name="Nueva lección").click()
    w.page.get_by_label("Código").fill("LA1_REDES")
    w.page.get_by_label("Hallazgo (español)").fill("Las redes de apoyo entre participantes duran más allá del curso.")
    w.page.get_by_role("button", name="Guardar la lección").click()
    w.flashed("Lección guardada.")


def confirm_the_list(w):
    w.flashed("La lista de la delegación está confirmada.")


# (the next step the program page shows, what is done on the page it leads to), in order.
STEPS = [
    ("Agregar las actividades", add_the_activities),
    ("Crear la evaluación previa (pre-test)", import_questionnaire("pre", "Prueba de entrada")),
    ("Crear la evaluación posterior (post-test)", import_questionnaire("post", "Prueba de salida")),
    ("Agregar las delegaciones y sus cupos", add_a_delegation),
    ("Importar la lista de participantes", import_the_list),
    ("Enviar las invitaciones", send_the_invitations),
    ("Registrar la asistencia de S1", mark_everyone_present),
    ("Abrir la evaluación previa", open_now),
    ("Abrir la evaluación posterior", open_now),
    ("Agregar la agenda de S1", add_an_agenda_item),
    ("Revisar las reglas y las firmas del certificado", save_the_certificate_settings),
    # Suggestions, once nothing is needed: the list it imported was never "sent"; the post-test is open.
    ("Confirmar la lista de México", confirm_the_list),
    ("Cerrar la evaluación previa", close_now),
    (None, the_participant_answers_the_post_test),
    ("Cerrar la evaluación posterior: todas las personas respondieron", close_now),
    ("Emitir los certificados", issue_to_everyone_eligible),
    ("Registrar las lecciones aprendidas del programa", record_a_lesson),
]


def test_a_new_program_goes_from_empty_to_issued_certificates_by_its_next_steps(app, contexts, tmp_path, artifacts):
    with app.app_context():
        make_staff("admin", ADMIN, "Secretaría")
        db.session.commit()
    page = contexts(DESK)
    page.on("dialog", lambda dialog: dialog.accept())
    sign_in(page, ADMIN)
    walk = Walk(app, page, tmp_path, artifacts)
    create_program(walk)
    for expected, do in STEPS:
        if expected is None:
            do(walk, contexts)
            continue
        walk.next_step(expected)
        do(walk)
        if expected == "Enviar las invitaciones":
            page.goto(walk.url)
            photograph(page, artifacts, "lifecycle-invited")

    page.goto(walk.url)
    expect(page.locator("section.next-step")).to_contain_text(NOTHING)
    done = page.locator("li.step-done strong")
    for title in ("Actividades y agenda", "Listas de participantes", "Invitaciones", "Asistencia",
                  "Evaluación posterior (post-test)", "Certificados"):
        expect(done.filter(has_text=re.compile(f"^{re.escape(title)}$"))).to_have_count(1)
    expect(page.locator("li.phase-done h3")).to_contain_text(["Preparación", "Inscripción", "Sesiones",
                                                              "Certificados"])
    photograph(page, artifacts, "lifecycle-issued")
    with app.app_context():
        program = db.session.scalar(select(Program).where(Program.code == CODE))
        certificates = db.session.scalars(select(Certificate).where(Certificate.program_id == program.id)).all()
        assert [c.participant.email for c in certificates] == [PERSON] and certificates[0].valid
        assert db.session.scalar(select(Delegation.status).where(Delegation.program_id == program.id)) == "confirmed"
