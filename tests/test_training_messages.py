"""Invitations go through a real SMTP server (aiosmtpd on 127.0.0.1), or stay in the outbox without one."""
import email
import email.policy
import socket

import pytest
from sqlalchemy import delete, func, select

from extensions import db
from tests.conftest import csrf_from, login, post_form
from tests.helpers import write_queued_messages
from training.messages import render, unknown_placeholders
from training.models import OutboundMessage, Participant
from training.models_jobs import Job


class Inbox:
    def __init__(self):
        self.messages = []
        self.database_free = []  # for each message: could another writer get in while it was being sent?
        self.probe = None

    async def handle_DATA(self, server, session, envelope):
        if self.probe:
            self.database_free.append(self.probe())
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
    inbox.probe = lambda: database_is_free(app)
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=False,
                      MAIL_DEFAULT_SENDER="secretaria@crm.example")
    yield inbox
    controller.stop()
    app.config.update(MAIL_SERVER="", MAIL_PORT=587, MAIL_USE_TLS=True, MAIL_DEFAULT_SENDER="")


def database_is_free(app):
    """True when no transaction of the app holds the database (SQLite's write lock; PostgreSQL's idle txns)."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if url.startswith("sqlite"):
        import sqlite3

        connection = sqlite3.connect(url.split("///", 1)[1], timeout=0, isolation_level=None)
        try:
            connection.execute("BEGIN IMMEDIATE")
            connection.execute("ROLLBACK")
            return True
        except sqlite3.OperationalError:
            return False
        finally:
            connection.close()
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as connection:
        idle = connection.execute(text("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                                       "AND state = 'idle in transaction'")).scalar()
    engine.dispose()
    return idle == 0


def send(client, program_id, **data):
    return post_form(client, f"/programs/{program_id}/invitations", data, page=f"/programs/{program_id}/messages")


def test_placeholders_render_and_typos_are_found():
    assert render("Hola {first_name}: {link} {nope}", {"first_name": "Ana", "link": "L"}) == "Hola Ana: L {nope}"
    assert unknown_placeholders("{frist_name} {link}") == ["frist_name"]


def test_invitations_arrive_by_smtp_in_each_language_with_a_working_link(app, client, world, smtp_server,
                                                                          run_tasks):
    from training.models import Participant

    with app.app_context():
        db.session.get(Participant, world["ids"]["gt2"]).language = "en"
        db.session.commit()
    login(client, world["emails"]["admin"])
    response = send(client, world["ids"]["program"], audience="delegation", delegation_id=str(world["ids"]["gt"]))
    assert response.status_code == 302
    queued = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "2 mensajes se están preparando y enviando." in queued and "En espera de empezar" in queued
    assert smtp_server.messages == []  # the request only recorded the decision: the worker writes and sends
    assert run_tasks() == 2  # preparing the messages, then sending them
    assert "Envío terminado: 2 enviados, 0 en la bandeja de salida, 0 fallidos." in client.get(
        response.headers["Location"]).get_data(as_text=True)
    received = {rcpt[0]: message for rcpt, message in smtp_server.messages}
    assert set(received) == {"ixchel.tzul@example.gt", "oscar.cojti@example.gt"}
    spanish, english = received["ixchel.tzul@example.gt"], received["oscar.cojti@example.gt"]
    assert spanish["Subject"] == "Invitación: Programa de prueba"
    assert "Estimada/o Ixchel" in spanish.get_content() and "delegación de Guatemala" in spanish.get_content()
    assert english["Subject"] == "Invitation: Test program" and "Dear Óscar" in english.get_content()
    assert smtp_server.database_free == [True, True]  # no transaction held while the mail server talked
    link = next(line for line in spanish.get_content().splitlines() if "/p/" in line).strip()
    participant = app.test_client()
    path = "/" + link.split("/", 3)[3]
    page = participant.get(path)
    assert "Continuar como Ixchel" in page.get_data(as_text=True)
    entered = participant.post(path, data={"csrf_token": csrf_from(page.get_data(as_text=True))})
    assert entered.headers["Location"] == "/me"
    assert "Hola, Ixchel." in participant.get("/me").get_data(as_text=True)
    with app.app_context():
        statuses = db.session.scalars(select(OutboundMessage.status)).all()
        assert statuses == ["sent", "sent"]
        # The database keeps no working link: only the placeholder, filled in as the message leaves.
        bodies = db.session.scalars(select(OutboundMessage.body)).all()
        assert all("{link}" in body and "/p/" not in body for body in bodies)
    html = client.get(f"/programs/{world['ids']['program']}/messages").get_data(as_text=True)
    assert link not in html and "[…/p/•••]" in html


def test_without_a_mail_server_messages_wait_in_the_outbox(app, client, world, run_tasks):
    login(client, world["emails"]["admin"])
    program = world["ids"]["program"]
    send(client, program, audience="not_invited")
    run_tasks()
    html = client.get(f"/programs/{program}/messages", query_string={"status": "outbox"}).get_data(as_text=True)
    assert html.count("badge-outbox") == 5 and "jose.nunez@example.mx" in html
    # Everyone has been invited now: a second round for the not-yet-invited finds nobody.
    again = send(client, program, audience="not_invited")
    assert "no se envió ninguna invitación" in client.get(again.headers["Location"]).get_data(as_text=True)
    export = client.get(f"/programs/{program}/messages/export.csv").get_data().decode("utf-8-sig")
    assert export.count("En bandeja de salida") == 5 and "/p/" in export
    # The status as the page names it, not the stored code; times in the program's zone (Mexico City, UTC-6).
    assert ";outbox;" not in export and "+00:00" not in export and export.count("-06:00;") == 5
    assert "Horas en Ciudad de México" in html


def test_selected_people_only(app, client, world, run_tasks):
    login(client, world["emails"]["admin"])
    program = world["ids"]["program"]
    page = client.get(f"/programs/{program}/participants").get_data(as_text=True)
    client.post(f"/programs/{program}/invitations", data={
        "csrf_token": csrf_from(page), "audience": "selected",
        "participant_ids": [str(world["ids"]["mx2"]), str(world["ids"]["obs1"])]})
    run_tasks()
    with app.app_context():
        to = set(db.session.scalars(select(OutboundMessage.to_address)))
    assert to == {"fatima.gomez@example.mx", "marta.ruiz@example.org"}


def test_an_unreachable_mail_server_leaves_messages_queued_until_they_fail(app, client, world, run_tasks):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    program = world["ids"]["program"]
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=closed_port, MAIL_USE_TLS=False)
    try:
        login(client, world["emails"]["admin"])
        response = send(client, program, audience="delegation", delegation_id=str(world["ids"]["mx"]))
        run_tasks()
        page = client.get(response.headers["Location"]).get_data(as_text=True)
        assert "0 fallidos." in page and "2 mensajes esperan su envío" in page  # a server down now may answer later
        with app.app_context():
            rows = db.session.execute(select(OutboundMessage.status, OutboundMessage.attempts,
                                             OutboundMessage.error)).all()
            assert {(status, attempts) for status, attempts, _error in rows} == {("queued", 1)}
            assert all(error.startswith(f"attempt 1 of 5: 127.0.0.1:{closed_port}: ConnectionRefusedError")
                       for _status, _attempts, error in rows)
        for _round in range(4):
            post_form(client, f"/programs/{program}/messages/deliver", {}, page=f"/programs/{program}/messages")
            run_tasks()
    finally:
        app.config.update(MAIL_SERVER="", MAIL_PORT=587, MAIL_USE_TLS=True)
    with app.app_context():
        rows = db.session.execute(select(OutboundMessage.status, OutboundMessage.error)).all()
    assert [status for status, _error in rows] == ["failed", "failed"]
    assert all(error.startswith("gave up after 5 attempts: 127.0.0.1:") for _status, error in rows)


def test_edited_templates_are_used_and_hostile_names_stay_text(app, client, world, smtp_server, run_tasks):
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
    run_tasks()
    (_rcpt, message), = smtp_server.messages
    assert message["Subject"] == "Bienvenida <b>José</b>"
    html = client.get(f"/programs/{program}/messages").get_data(as_text=True)
    assert "&lt;b&gt;José&lt;/b&gt;" in html and "<b>José</b>" not in html


def test_the_worker_writes_and_sends_and_nobody_is_invited_twice(app, client, world, run_tasks):
    login(client, world["emails"]["admin"])
    program = world["ids"]["program"]
    first = send(client, program, audience="all")
    assert "5 mensajes se están preparando y enviando." in client.get(first.headers["Location"]).get_data(as_text=True)
    again = send(client, program, audience="not_invited")  # while the first is being written: refused, not doubled
    assert "Ahora mismo se están preparando mensajes de este tipo" in client.get(again.headers["Location"]).get_data(
        as_text=True)
    with app.app_context():
        prepare_id = db.session.scalar(select(Job.id).where(Job.status == "queued"))
    waiting = client.get(f"/programs/{program}/jobs/{prepare_id}").get_json()
    assert waiting["active"] and waiting["text"] == "En espera de empezar…"
    assert run_tasks() == 2
    assert client.get(f"/programs/{program}/jobs/{prepare_id}").get_json()["text"] == "5 mensajes preparados."
    with app.app_context():
        send_id = db.session.scalar(select(func.max(Job.id)))
        assert sorted(db.session.scalars(select(OutboundMessage.status))) == ["outbox"] * 5
    finished = client.get(f"/programs/{program}/jobs/{send_id}").get_json()
    assert (finished["status"], finished["done"], finished["total"]) == ("done", 5, 5)
    assert finished["text"] == "Envío terminado: 0 enviados, 5 en la bandeja de salida, 0 fallidos."
    after = send(client, program, audience="not_invited")  # everyone has one now
    assert "no se envió ninguna invitación" in client.get(after.headers["Location"]).get_data(as_text=True)
    post_form(client, f"/programs/{program}/messages/deliver", {}, page=f"/programs/{program}/messages")
    run_tasks()  # nothing was queued: nothing more is sent
    result = app.test_cli_runner().invoke(args=["send-messages", "--program", "TEST-2026"])
    assert result.exit_code == 0 and "outbox: 0" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(OutboundMessage)) == 5


def test_someone_invited_while_the_worker_had_not_yet_written_the_messages_is_not_invited_twice(app, client, world,
                                                                                                run_tasks):
    from training.models import Program
    from training.services_messages import queue_invitations

    login(client, world["emails"]["admin"])
    program = world["ids"]["program"]
    send(client, program, audience="not_invited")  # everyone: the worker has not written anything yet
    with app.app_context():  # meanwhile José Ángel is invited by other means (the command line, another page)
        queue_invitations(db.session.get(Program, program), [db.session.get(Participant, world["ids"]["mx1"])], None)
        db.session.commit()
    run_tasks()
    with app.app_context():
        to = db.session.scalars(select(OutboundMessage.to_address)).all()
    assert len(to) == 5 and to.count("jose.nunez@example.mx") == 1


def test_a_jobs_progress_is_shown_only_to_who_may_follow_that_work(app, client, world, run_tasks):
    login(client, world["emails"]["admin"])
    program = world["ids"]["program"]
    send(client, program, audience="all")
    with app.app_context():
        job_id = db.session.scalar(select(func.max(Job.id)))
    other = app.test_client()
    login(other, world["emails"]["focal_mx"])  # may see the program, not its messages
    assert other.get(f"/programs/{program}/jobs/{job_id}").status_code == 404
    assert client.get(f"/programs/{program + 1000}/jobs/{job_id}").status_code == 404
    assert client.get(f"/programs/{program}/jobs/{job_id + 1}").status_code == 404


def test_messages_queued_without_a_job_go_out_on_the_schedule(app, client, world, run_tasks):
    from datetime import datetime, timezone

    from training.tasks import run_scheduled

    login(client, world["emails"]["admin"])
    program = world["ids"]["program"]
    send(client, program, audience="all")
    write_queued_messages(app)
    with app.app_context():
        db.session.execute(delete(Job))  # as if the queue had lost the sending task and its row
        db.session.commit()
        run_scheduled(app, datetime.now(timezone.utc))
    run_tasks()
    with app.app_context():
        assert sorted(db.session.scalars(select(OutboundMessage.status))) == ["outbox"] * 5


def test_outbox_messages_show_the_current_link_to_the_secretariat(app, client, world, run_tasks):
    login(client, world["emails"]["admin"])
    program = world["ids"]["program"]
    send(client, program, audience="selected", participant_ids=str(world["ids"]["mx1"]))
    run_tasks()
    link = app.test_cli_runner().invoke(args=["participant-link", "jose.nunez@example.mx", "--program",
                                              "TEST-2026"]).output.strip()
    assert link in client.get(f"/programs/{program}/messages").get_data(as_text=True)
    assert link in client.get(f"/programs/{program}/messages/export.csv").get_data().decode("utf-8-sig")


def test_the_invitation_says_until_when_the_link_really_works(app, world):
    """Links work LINK_GRACE_DAYS (90) after the program ends: the invitation gives that day, in the reader's way of
    writing dates, not "until the program closes"."""
    from datetime import date, datetime, timezone

    from training.links import is_expired, last_valid_day
    from training.models import Participant, Program
    from training.services_messages import link_until, queue_invitations

    end = date(2026, 12, 10)
    assert last_valid_day(end, 90) == date(2027, 3, 10) and last_valid_day(None, 90) is None
    assert not is_expired(end, 90, datetime(2027, 3, 10, 23, 59, tzinfo=timezone.utc))
    assert is_expired(end, 90, datetime(2027, 3, 11, 0, 1, tzinfo=timezone.utc))
    with app.app_context():
        assert app.config["LINK_GRACE_DAYS"] == 90
        program = db.session.get(Program, world["ids"]["program"])
        program.end_date = end
        people = [db.session.get(Participant, world["ids"][key]) for key in ("gt1", "gt2")]
        people[1].language = "en"
        ids = queue_invitations(program, people, None)
        bodies = {m.language: m.body for m in (db.session.get(OutboundMessage, i) for i in ids)}
        assert "Vigencia del enlace: hasta el 10 de marzo de 2027." in bodies["es"]
        assert "Link validity: until March 10, 2027." in bodies["en"]
        assert "cierre del programa" not in bodies["es"] and "program closes" not in bodies["en"]
        assert link_until(program, "fr") == "jusqu'au 10 mars 2027"
        assert link_until(program, "pt") == "até 10 de março de 2027"
        program.end_date = None
        ids = queue_invitations(program, people[:1], None)
        assert "Vigencia del enlace: sin vencimiento." in db.session.get(OutboundMessage, ids[0]).body
        db.session.rollback()


def test_a_message_is_in_the_person_s_language_among_the_program_s_else_the_program_default():
    from training.localized import reader_language
    from training.messages import DEFAULTS, default_template

    assert reader_language("pt", ["fr", "pt"]) == "pt"
    assert reader_language("es", ["fr", "pt"]) == "fr"  # not offered: the program's default, not Spanish
    assert reader_language("en", []) == "es"
    assert reader_language("en", ["zz", "en"]) == "en" and reader_language("fr", ["zz"]) == "es"  # unknown codes
    assert all(set(texts) == {"es", "en", "fr", "pt"} for texts in DEFAULTS.values())
    subject, body = default_template("invitation", "fr")
    assert subject == "Invitation : {program}" and "{link}" in body and "{first_name}" in body
    assert default_template("certificate", "pt")[0] == "Seu certificado: {program}"
