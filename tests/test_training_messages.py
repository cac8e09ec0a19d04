"""Invitations go through a real SMTP server (aiosmtpd on 127.0.0.1), or stay in the outbox without one."""
import email
import email.policy
import socket

import pytest
from sqlalchemy import func, select

from extensions import db
from tests.conftest import csrf_from, login, post_form
from training.messages import render, unknown_placeholders
from training.models import OutboundMessage


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append((envelope.rcpt_tos, parsed))
        return "250 OK"


@pytest.fixture
def smtp_server(app):
    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=False,
                      MAIL_DEFAULT_SENDER="secretaria@crm.example")
    yield inbox
    controller.stop()
    app.config.update(MAIL_SERVER="", MAIL_PORT=587, MAIL_USE_TLS=True, MAIL_DEFAULT_SENDER="")


def send(client, program_id, **data):
    return post_form(client, f"/programs/{program_id}/invitations", data, page=f"/programs/{program_id}/messages")


def test_placeholders_render_and_typos_are_found():
    assert render("Hola {first_name}: {link} {nope}", {"first_name": "Ana", "link": "L"}) == "Hola Ana: L {nope}"
    assert unknown_placeholders("{frist_name} {link}") == ["frist_name"]


def test_invitations_arrive_by_smtp_in_each_language_with_a_working_link(app, client, world, smtp_server):
    from training.models import Participant

    with app.app_context():
        db.session.get(Participant, world["ids"]["gt2"]).language = "en"
        db.session.commit()
    login(client, world["emails"]["admin"])
    response = send(client, world["ids"]["program"], audience="delegation", delegation_id=str(world["ids"]["gt"]))
    assert response.status_code == 302
    assert "2 enviadas" in client.get(response.headers["Location"]).get_data(as_text=True)
    received = {rcpt[0]: message for rcpt, message in smtp_server.messages}
    assert set(received) == {"ixchel.tzul@example.gt", "oscar.cojti@example.gt"}
    spanish, english = received["ixchel.tzul@example.gt"], received["oscar.cojti@example.gt"]
    assert spanish["Subject"] == "Invitación: Programa de prueba"
    assert "Estimada/o Ixchel" in spanish.get_content() and "delegación de Guatemala" in spanish.get_content()
    assert english["Subject"] == "Invitation: Test program" and "Dear Óscar" in english.get_content()
    link = next(line for line in spanish.get_content().splitlines() if "/p/" in line).strip()
    participant = app.test_client()
    page = participant.get("/" + link.split("/", 3)[3])
    assert "Continuar como Ixchel" in page.get_data(as_text=True)
    with app.app_context():
        statuses = db.session.scalars(select(OutboundMessage.status)).all()
        assert statuses == ["sent", "sent"]


def test_without_a_mail_server_messages_wait_in_the_outbox(app, client, world):
    login(client, world["emails"]["admin"])
    program = world["ids"]["program"]
    send(client, program, audience="not_invited")
    html = client.get(f"/programs/{program}/messages", query_string={"status": "outbox"}).get_data(as_text=True)
    assert html.count("badge-outbox") == 5 and "jose.nunez@example.mx" in html
    # Everyone has been invited now: a second round for the not-yet-invited finds nobody.
    again = send(client, program, audience="not_invited")
    assert "no se envió ninguna invitación" in client.get(again.headers["Location"]).get_data(as_text=True)
    export = client.get(f"/programs/{program}/messages/export.csv").get_data().decode("utf-8-sig")
    assert export.count("outbox") == 5 and "/p/" in export


def test_selected_people_only(app, client, world):
    login(client, world["emails"]["admin"])
    program = world["ids"]["program"]
    page = client.get(f"/programs/{program}/participants").get_data(as_text=True)
    client.post(f"/programs/{program}/invitations", data={
        "csrf_token": csrf_from(page), "audience": "selected",
        "participant_ids": [str(world["ids"]["mx2"]), str(world["ids"]["obs1"])]})
    with app.app_context():
        to = set(db.session.scalars(select(OutboundMessage.to_address)))
    assert to == {"fatima.gomez@example.mx", "marta.ruiz@example.org"}


def test_an_unreachable_mail_server_marks_messages_failed(app, client, world):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=closed_port, MAIL_USE_TLS=False)
    try:
        login(client, world["emails"]["admin"])
        response = send(client, world["ids"]["program"], audience="delegation",
                        delegation_id=str(world["ids"]["mx"]))
    finally:
        app.config.update(MAIL_SERVER="", MAIL_PORT=587, MAIL_USE_TLS=True)
    assert "2 fallidas" in client.get(response.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).where(OutboundMessage.status == "failed")) == 2


def test_edited_templates_are_used_and_hostile_names_stay_text(app, client, world, smtp_server):
    from training.models import Participant

    with app.app_context():
        db.session.get(Participant, world["ids"]["mx1"]).given_names = "<b>José</b>"
        db.session.commit()
    login(client, world["emails"]["admin"])
    program = world["ids"]["program"]
    url = f"/programs/{program}/messages/template"
    bad = post_form(client, url, {"subject_es": "Hola {frist_name}", "body_es": "{link}", "subject_en": "Hi",
                                  "body_en": "{link}"})
    assert "Marcador desconocido: {frist_name}." in bad.get_data(as_text=True)
    post_form(client, url, {"subject_es": "Bienvenida {first_name}", "body_es": "Su enlace: {link}",
                            "subject_en": "Welcome {first_name}", "body_en": "Your link: {link}"})
    send(client, program, audience="selected", participant_ids=str(world["ids"]["mx1"]))
    (_rcpt, message), = smtp_server.messages
    assert message["Subject"] == "Bienvenida <b>José</b>"
    html = client.get(f"/programs/{program}/messages").get_data(as_text=True)
    assert "&lt;b&gt;José&lt;/b&gt;" in html and "<b>José</b>" not in html
