"""In Chromium: the secretariat copies the demo program into next year's, adds a participant to the copy and sends
the invitations, with the invitation text the copy carried over. Screenshots: test-artifacts/copy-*.png."""
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from extensions import db
from task_queue import run_queued
from tests.conftest import DEMO_PASSWORD, photograph, sign_in
from tests.helpers import load_demo
from training.models import Activity, MessageTemplate, OutboundMessage, Participant, Program

pytestmark = pytest.mark.browser

PERSON = "luz.rios@example.mx"


def test_the_secretariat_copies_the_demo_and_walks_the_copy_to_its_invitations(app, page, artifacts):
    demo = load_demo(app)
    with app.app_context():
        source = db.session.get(Program, demo)
        start = source.start_date + timedelta(days=364)  # 52 weeks on: the sessions keep their weekdays
        title = source.title["es"]
        db.session.add(MessageTemplate(program_id=demo, kind="invitation", language="es",
                                       subject="Bienvenida a {program}", body="Hola {first_name}: {link}"))
        db.session.commit()
        outbox_before = db.session.scalar(select(func.count()).where(OutboundMessage.program_id == demo))
    sign_in(page, "admin@capacita.example", DEMO_PASSWORD)
    page.goto(f"/programs/{demo}")
    page.get_by_role("link", name="Copiar este programa").click()
    expect(page.get_by_label("Título (español)")).to_have_value(title)
    for part in ("Actividades y sus agendas", "Cuestionarios", "Reglas y diseño del certificado",
                 "Textos de los mensajes", "Delegaciones"):
        expect(page.get_by_label(part)).to_be_checked()
    page.get_by_label("Código").fill("CRM-CE-2025")
    page.get_by_label("Fecha de inicio").fill(start.isoformat())
    page.get_by_label("Título (español)").fill("Programa de consejerías 2022")
    photograph(page, artifacts, "copy-form")
    page.get_by_role("button", name="Copiar el programa").click()
    expect(page.locator(".flash").first).to_contain_text("Programa copiado.")
    expect(page.locator("h1")).to_contain_text("Programa de consejerías 2022")
    copy_url = page.url
    photograph(page, artifacts, "copy-dashboard")

    page.get_by_role("link", name="Agregar participante").first.click()
    page.get_by_label("Nombres").fill("Luz")
    page.get_by_label("Apellidos").fill("Ríos")
    page.get_by_label("Correo electrónico").fill(PERSON)
    page.get_by_label("Delegación").select_option(label="México")
    page.get_by_role("button", name="Guardar participante").click()
    expect(page.locator(".flash").first).to_contain_text("Participante guardado: Luz Ríos.")

    page.goto(copy_url)
    page.get_by_role("link", name="Invitaciones y mensajes").click()
    page.get_by_label("Enviar a").select_option("not_invited")
    page.get_by_role("button", name="Enviar", exact=True).click()
    run_queued(app)
    expect(page.locator(".notice.job")).to_contain_text(
        "Envío terminado: 0 enviados, 1 en la bandeja de salida, 0 fallidos.", timeout=15000)
    photograph(page, artifacts, "copy-invitations")
    with app.app_context():
        copy = db.session.scalar(select(Program).where(Program.code == "CRM-CE-2025"))
        assert db.session.scalars(select(Participant.email).where(Participant.program_id == copy.id)).all() == [PERSON]
        sent = db.session.scalar(select(OutboundMessage).where(OutboundMessage.program_id == copy.id))
        assert (sent.to_address, sent.subject) == (PERSON, "Bienvenida a Programa de consejerías 2022")
        assert db.session.scalar(select(func.count()).where(OutboundMessage.program_id == demo)) == outbox_before
        assert db.session.scalar(select(func.count()).where(Activity.program_id == copy.id)) == 6
