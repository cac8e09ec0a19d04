"""What mail servers answer (aiosmtpd on 127.0.0.1: plain, STARTTLS, implicit TLS) and what each message records;
messages whose sender stopped mid-send become "uncertain", never sent twice unless staff say so."""
import asyncio
import email
import email.policy
import re
import smtplib
import ssl
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

import pytest
from sqlalchemy import select, update

import config_checks
from extensions import db
from settings import Environment, from_environment
from task_queue import run_queued
from tests.conftest import csrf_from, login, post_form
from tests.helpers import mail_server, self_signed_certificate, write_queued_messages
from training import mail_rules
from training.mail_rules import DEFERRED, REFUSED, Outcome
from training.models import AuditEvent, OutboundMessage, Program, utcnow

MESSAGE_ID = re.compile(r"<capacita\.(\d+)\.([0-9a-f]{16})@([^>]+)>")


class Server:
    """An SMTP server's side: what arrives (and over which connection, encrypted or not), and the answers the test
    chose: to RCPT per address, to MAIL and to the end of DATA in turn (an empty answer: accepted)."""

    def __init__(self, rcpt=None, mail=(), data=(), data_delay=0):
        self.rcpt_answers, self.mail_answers, self.data_answers = rcpt or {}, list(mail), list(data)
        self.data_delay, self.data_started = data_delay, 0
        self.received = []  # (recipient, parsed message, encrypted), one per DATA, refused or not
        self.connections = set()

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        self.connections.add(session.peer)
        answer = self.mail_answers.pop(0) if self.mail_answers else ""
        if answer:
            return answer
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.rcpt_answers:
            return self.rcpt_answers[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.data_started += 1
        if self.data_delay:
            await asyncio.sleep(self.data_delay)
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        encrypted = server.transport.get_extra_info("cipher") is not None
        self.received.append((envelope.rcpt_tos[0], parsed, encrypted))
        return (self.data_answers.pop(0) if self.data_answers else "") or "250 OK"

    def to(self, address):
        return [parsed for recipient, parsed, _encrypted in self.received if recipient == address]


def send_to(client, program_id, *participant_ids, worker=True):
    """Invite these people through the page; the worker writes and sends them (unless `worker` is False: they are
    written and wait queued)."""
    response = post_form(client, f"/programs/{program_id}/invitations",
                         {"audience": "selected", "participant_ids": [str(i) for i in participant_ids]},
                         page=f"/programs/{program_id}/messages")
    if worker:
        run_queued(client.application)
    else:
        write_queued_messages(client.application)
    return response


def deliver_queued(client, program_id):
    response = post_form(client, f"/programs/{program_id}/messages/deliver", {},
                         page=f"/programs/{program_id}/messages")
    run_queued(client.application)
    return response


def stored(app, address):
    with app.app_context():
        message = db.session.scalar(select(OutboundMessage).where(OutboundMessage.to_address == address))
        db.session.expunge(message)
        return message


def audit_actions(app):
    with app.app_context():
        return db.session.execute(select(AuditEvent.action, AuditEvent.user_id, AuditEvent.details)
                                  .where(AuditEvent.action.like("message.%")).order_by(AuditEvent.id)).all()


# --- headers ---------------------------------------------------------------------------------------------------


def test_every_message_has_a_date_and_its_own_message_id_on_the_sending_domain(app, client, world):
    server = Server()
    with mail_server(app, server):
        login(client, world["emails"]["admin"])
        send_to(client, world["ids"]["program"], world["ids"]["mx1"], world["ids"]["gt1"])
    (first, ), (second, ) = server.to("jose.nunez@example.mx"), server.to("ixchel.tzul@example.gt")
    for received in (first, second):
        date = parsedate_to_datetime(received["Date"])
        assert abs(date.replace(tzinfo=date.tzinfo or timezone.utc) - utcnow()) < timedelta(minutes=1)
    numbers = [MESSAGE_ID.fullmatch(received["Message-ID"]).groups() for received in (first, second)]
    assert {domain for _number, _hash, domain in numbers} == {"crm.example"}  # MAIL_DEFAULT_SENDER's domain
    assert int(numbers[0][0]) == stored(app, "jose.nunez@example.mx").id and numbers[0] != numbers[1]


def test_a_message_sent_again_keeps_its_message_id_and_without_a_sender_the_public_url_names_the_domain(app, client,
                                                                                                     world):
    # The server takes the content and answers "try later" (4xx): queued again; the second time it accepts.
    server = Server(data=["451 4.3.0 Try again later"])
    with mail_server(app, server):
        app.config.update(MAIL_DEFAULT_SENDER="", PUBLIC_URL="https://capacita.example.org:8443")
        login(client, world["emails"]["admin"])
        program = world["ids"]["program"]
        send_to(client, program, world["ids"]["mx1"])
        message = stored(app, "jose.nunez@example.mx")
        assert (message.status, message.attempts) == ("queued", 1)
        assert message.error == "attempt 1 of 5: 451 4.3.0 Try again later"
        deliver_queued(client, program)
    first, second = server.to("jose.nunez@example.mx")
    assert first["Message-ID"] == second["Message-ID"]
    assert MESSAGE_ID.fullmatch(first["Message-ID"]).group(3) == "capacita.example.org"
    assert (stored(app, "jose.nunez@example.mx").status, first["From"]) == ("sent", "capacita@127.0.0.1")


def test_message_ids_and_the_sending_domain():
    made = datetime(2026, 3, 3, 20, 0, 0, 123456, tzinfo=timezone.utc)
    same_moment = made.astimezone(timezone(timedelta(hours=-6)))  # as PostgreSQL may hand it back
    assert mail_rules.message_id_for(7, made, "A@x.org", "crm.example") == mail_rules.message_id_for(
        7, same_moment, "a@x.org", "crm.example")
    assert mail_rules.message_id_for(7, made, "a@x.org", "d") != mail_rules.message_id_for(7, made, "b@x.org", "d")
    assert mail_rules.sending_domain("Secretaría <secretaria@CRM.example>", "https://x.org") == "crm.example"
    assert mail_rules.sending_domain("", "https://capacita.example.org:8443/app") == "capacita.example.org"
    assert mail_rules.sending_domain("", "http://[::1]:5000") == "[::1]"
    assert mail_rules.sending_domain("info@secretaría.example", "") == "xn--secretara-n5a.example"


# --- STARTTLS and implicit TLS ---------------------------------------------------------------------------------


@pytest.fixture
def certificate(tmp_path):
    return self_signed_certificate(tmp_path)


def server_context(certificate):
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)
    return context


def test_mail_use_tls_true_enables_starttls(app, client, world, certificate):
    # The variable as people write it: "true" (once only "1" turned STARTTLS on).
    settings = from_environment(Environment({"MAIL_USE_TLS": "true"}), "/tmp", "/tmp")
    assert (settings["MAIL_USE_TLS"], settings["MAIL_USE_SSL"], settings["MAIL_PORT"]) == (True, False, 587)
    server = Server()
    with mail_server(app, server, tls_context=server_context(certificate), require_starttls=True):
        login(client, world["emails"]["admin"])
        program = world["ids"]["program"]
        send_to(client, program, world["ids"]["mx1"])  # plain: the server requires STARTTLS and refuses
        app.config["MAIL_USE_TLS"] = settings["MAIL_USE_TLS"]
        send_to(client, program, world["ids"]["gt1"])
    refused = stored(app, "jose.nunez@example.mx")
    assert (refused.status, refused.error) == ("failed", "530 Must issue a STARTTLS command first")
    assert [encrypted for _to, _message, encrypted in server.received] == [True]
    assert stored(app, "ixchel.tzul@example.gt").status == "sent"


def test_implicit_tls_on_port_465(app, client, world, certificate, monkeypatch):
    settings = from_environment(Environment({"MAIL_USE_SSL": "yes"}), "/tmp", "/tmp")
    assert (settings["MAIL_USE_SSL"], settings["MAIL_USE_TLS"], settings["MAIL_PORT"]) == (True, False, 465)
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))  # the server's certificate is checked: trust this one
    server = Server()
    with mail_server(app, server, ssl_context=server_context(certificate)):
        app.config.update(MAIL_USE_SSL=True, MAIL_TIMEOUT=5)
        login(client, world["emails"]["admin"])
        send_to(client, world["ids"]["program"], world["ids"]["mx1"])
    assert stored(app, "jose.nunez@example.mx").status == "sent"
    assert [encrypted for _to, _message, encrypted in server.received] == [True]


def test_check_config_refuses_starttls_and_implicit_tls_together():
    def findings(**mail):
        settings = {"CAPACITA_ENV": "test", "SECRET_KEY": "s" * 48, "SQLALCHEMY_DATABASE_URI": "postgresql://db/c",
                    "PUBLIC_URL": "https://c.example", "MAIL_SERVER": "smtp.example", **mail}
        probes = config_checks.Probes(database=lambda: None, migrations=lambda: ({"1"}, {"1"}),
                                      rate_limit_storage=lambda _uri: None, chart_browser=lambda: None,
                                      mounts=lambda: "")
        return [(f.level, f.message) for f in config_checks.check_config(settings, probes) if "MAIL" in f.message
                or f.message.startswith("mail goes")]

    assert findings(MAIL_USE_TLS=True, MAIL_USE_SSL=True, MAIL_PORT=465)[0] == (
        "error", "MAIL_USE_TLS and MAIL_USE_SSL are both on: set MAIL_USE_SSL=true for implicit TLS (port 465) or "
                 "MAIL_USE_TLS=true for STARTTLS (port 587), not both")
    assert findings(MAIL_USE_SSL=True, MAIL_PORT=465) == [("ok", "mail goes out through smtp.example:465 "
                                                                 "(implicit TLS)")]
    assert findings(MAIL_USE_SSL=True, MAIL_PORT=587)[0][0] == "warning"
    assert findings(MAIL_USE_TLS=True, MAIL_PORT=587, MAIL_TIMEOUT=0)[0] == (
        "error", "MAIL_TIMEOUT is 0: it must be a number of seconds above 0 (30 is usual)")


def test_both_tls_modes_on_keep_messages_queued_with_the_reason(app, client, world):
    with mail_server(app, Server()):
        app.config.update(MAIL_USE_TLS=True, MAIL_USE_SSL=True)
        login(client, world["emails"]["admin"])
        send_to(client, world["ids"]["program"], world["ids"]["mx1"])
    message = stored(app, "jose.nunez@example.mx")
    assert message.status == "queued" and "MAIL_USE_TLS and MAIL_USE_SSL are both on" in message.error


# --- what the server answers -----------------------------------------------------------------------------------


def test_a_refused_recipient_is_recorded_with_the_servers_answer_and_the_batch_goes_on(app, client, world):
    server = Server(rcpt={"jose.nunez@example.mx": "550 5.1.1 <jose.nunez@example.mx>: User unknown"},
                    data=["", "554 5.6.0 Message rejected as spam"])
    with mail_server(app, server):
        login(client, world["emails"]["admin"])
        response = send_to(client, world["ids"]["program"], world["ids"]["mx1"], world["ids"]["mx2"],
                           world["ids"]["gt1"])
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "1 enviados, 0 en la bandeja de salida, 2 fallidos." in page
    refused = stored(app, "jose.nunez@example.mx")
    assert (refused.status, refused.error) == ("failed", "550 5.1.1 <jose.nunez@example.mx>: User unknown")
    assert (refused.attempts, refused.sent_at) == (1, None)
    assert stored(app, "fatima.gomez@example.mx").status == "sent"  # messages are sent in the order they were made
    spam = stored(app, "ixchel.tzul@example.gt")
    assert (spam.status, spam.error) == ("failed", "554 5.6.0 Message rejected as spam")
    assert len(server.connections) == 1  # one connection for the batch, the refusals included


def test_a_temporary_refusal_is_tried_again_and_fails_after_five_attempts(app, client, world):
    server = Server(rcpt={"jose.nunez@example.mx": "450 4.2.0 Mailbox busy"})
    with mail_server(app, server):
        login(client, world["emails"]["admin"])
        program = world["ids"]["program"]
        send_to(client, program, world["ids"]["mx1"])
        assert stored(app, "jose.nunez@example.mx").error == "attempt 1 of 5: 450 4.2.0 Mailbox busy"
        for _round in range(4):
            deliver_queued(client, program)
        deliver_queued(client, program)  # nothing is queued any more
    message = stored(app, "jose.nunez@example.mx")
    assert (message.status, message.attempts) == ("failed", 5)
    assert message.error == "gave up after 5 attempts: 450 4.2.0 Mailbox busy"


def test_a_connection_the_server_closed_while_idle_is_opened_again(app, client, world):
    # Postfix answers the next command with 421 once it has closed an idle connection.
    server = Server(mail=["", "421 4.4.2 Timeout exceeded"])
    with mail_server(app, server):
        login(client, world["emails"]["admin"])
        send_to(client, world["ids"]["program"], world["ids"]["mx1"], world["ids"]["mx2"])
    assert sorted(to for to, _message, _encrypted in server.received) == ["fatima.gomez@example.mx",
                                                                           "jose.nunez@example.mx"]
    assert len(server.connections) == 2
    assert {stored(app, to).status for to in ("fatima.gomez@example.mx", "jose.nunez@example.mx")} == {"sent"}


def test_no_answer_once_the_content_left_makes_the_message_uncertain_and_it_is_not_sent_again(app, client, world):
    server = Server(data_delay=2)
    with mail_server(app, server):
        app.config["MAIL_TIMEOUT"] = 1
        login(client, world["emails"]["admin"])
        program = world["ids"]["program"]
        send_to(client, program, world["ids"]["mx1"])
        message = stored(app, "jose.nunez@example.mx")
        assert message.status == "uncertain"
        assert message.error.startswith("no answer after the message was handed over: ")
        deliver_queued(client, program)
        result = app.test_cli_runner().invoke(args=["send-messages", "--program", "TEST-2026"])
    assert "sent: 0, outbox: 0, failed: 0, queued again: 0, uncertain: 0" in result.output
    assert server.data_started == 1  # the server got it once
    assert stored(app, "jose.nunez@example.mx").status == "uncertain"


# --- a sender that stopped mid-send ----------------------------------------------------------------------------


def crash_while_sending(app, monkeypatch):
    """`flask send-messages` killed after claiming the first message and before recording the answer."""
    def killed(_mailer, _outgoing):
        raise KeyboardInterrupt  # what a worker's SIGINT (or a cut-off request) leaves behind

    with monkeypatch.context() as patch:
        patch.setattr("training.mailer.Mailer.send", killed)
        result = app.test_cli_runner().invoke(args=["send-messages", "--program", "TEST-2026"])
    assert result.exit_code != 0, result.output


def test_a_stalled_message_becomes_uncertain_after_the_lease_and_is_never_sent_again(app, client, world,
                                                                                      monkeypatch):
    login(client, world["emails"]["admin"])
    program = world["ids"]["program"]
    send_to(client, program, world["ids"]["mx1"], worker=False)  # queued by the page, sent by the command
    crash_while_sending(app, monkeypatch)
    send_to(client, program, world["ids"]["mx2"], worker=False)
    stalled = stored(app, "jose.nunez@example.mx")
    assert (stalled.status, stalled.attempts) == ("sending", 1) and stalled.claimed_at is not None
    server = Server()
    with mail_server(app, server):
        within_lease = app.test_cli_runner().invoke(args=["send-messages", "--program", "TEST-2026"])
        assert not within_lease.output.startswith("uncertain:")  # its sender may still be at work
        assert stored(app, "jose.nunez@example.mx").status == "sending"
        lease = mail_rules.lease(app.config["MAIL_TIMEOUT"])
        with app.app_context():
            db.session.execute(update(OutboundMessage).where(OutboundMessage.id == stalled.id)
                               .values(claimed_at=stalled.claimed_at - lease))  # the lease has run out
            db.session.commit()
        result = app.test_cli_runner().invoke(args=["send-messages", "--program", "TEST-2026"])
    assert result.output.splitlines()[0] == ("uncertain: 1 message(s) whose sender stopped mid-send "
                                             "(see the messages page)")
    assert [to for to, _message, _encrypted in server.received] == ["fatima.gomez@example.mx"]  # never the stalled one
    recovered = stored(app, "jose.nunez@example.mx")
    assert recovered.status == "uncertain" and "may have arrived" in recovered.error
    assert [(action, user) for action, user, _details in audit_actions(app)] == [("message.uncertain", None)]


def test_a_late_answer_still_lands_on_a_message_recovered_as_uncertain(app, client, world, monkeypatch):
    from training import services_messages
    from training.mailer import Mailer

    real_send = Mailer.send

    def slow_send(mailer, outgoing):
        services_messages.recover_stalled(utcnow() + timedelta(days=1))  # meanwhile, recovery gives up on it
        db.session.commit()
        return real_send(mailer, outgoing)

    monkeypatch.setattr(Mailer, "send", slow_send)
    with mail_server(app, Server()):
        login(client, world["emails"]["admin"])
        send_to(client, world["ids"]["program"], world["ids"]["mx1"])
    assert stored(app, "jose.nunez@example.mx").status == "sent"


# --- the messages page ----------------------------------------------------------------------------------------


def make_uncertain(app, client, world, monkeypatch):
    program = world["ids"]["program"]
    send_to(client, program, world["ids"]["mx1"], worker=False)
    crash_while_sending(app, monkeypatch)
    with app.app_context():
        db.session.execute(update(OutboundMessage).values(claimed_at=utcnow() - timedelta(hours=1)))
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["send-messages", "--program", "TEST-2026"])
    assert result.output.startswith("uncertain: 1 ")
    return stored(app, "jose.nunez@example.mx")


def test_staff_send_an_uncertain_message_again_from_the_messages_page(app, client, world, monkeypatch):
    login(client, world["emails"]["admin"])
    program = world["ids"]["program"]
    message = make_uncertain(app, client, world, monkeypatch)
    page = client.get(f"/programs/{program}/messages", query_string={"status": "uncertain"}).get_data(as_text=True)
    assert "badge-uncertain" in page and "jose.nunez@example.mx" in page and "Marcar como enviado" in page
    action = f"/programs/{program}/messages/{message.id}/send-again"
    assert client.post(action).status_code == 400  # no CSRF token
    response = client.post(action, data={"csrf_token": csrf_from(page), "status": "uncertain"})
    assert response.headers["Location"] == f"/programs/{program}/messages?status=uncertain"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "El mensaje está de nuevo en cola y se está enviando." in page
    again = stored(app, "jose.nunez@example.mx")
    assert (again.status, again.attempts, again.error) == ("queued", 0, "")
    (action_name, user, details), = audit_actions(app)[1:]
    assert (action_name, user, details["previous"]) == ("message.sent_again", world["ids"]["admin"], "uncertain")
    server = Server()
    with mail_server(app, server):
        deliver_queued(client, program)
    (received, ) = server.to("jose.nunez@example.mx")
    assert MESSAGE_ID.fullmatch(received["Message-ID"]).group(1) == str(message.id)
    assert stored(app, "jose.nunez@example.mx").status == "sent"
    # Sent now: the action is refused and changes nothing.
    refused = post_form(client, action, {}, page=f"/programs/{program}/messages")
    assert "ya no se puede enviar de nuevo" in client.get(refused.headers["Location"]).get_data(as_text=True)
    assert stored(app, "jose.nunez@example.mx").status == "sent"


def test_staff_mark_an_uncertain_message_as_sent(app, client, world, monkeypatch):
    login(client, world["emails"]["admin"])
    program = world["ids"]["program"]
    message = make_uncertain(app, client, world, monkeypatch)
    post_form(client, f"/programs/{program}/messages/{message.id}/mark-sent", {},
              page=f"/programs/{program}/messages")
    marked = stored(app, "jose.nunez@example.mx")
    assert (marked.status, marked.error, marked.sent_at) == ("sent", "", message.claimed_at)
    assert [action for action, _user, _details in audit_actions(app)] == ["message.uncertain", "message.marked_sent"]
    # Another program's page does not reach it.
    with app.app_context():
        other = db.session.scalar(select(Program.id).where(Program.code == "TEST-Q-2026"))
    assert post_form(client, f"/programs/{other}/messages/{message.id}/send-again", {},
                     page=f"/programs/{program}/messages").status_code == 404


# --- what an outcome means -------------------------------------------------------------------------------------


def test_outcomes_by_the_servers_code_and_the_attempts_made():
    assert mail_rules.refusal(smtplib.SMTPRecipientsRefused({"a@x": (550, b"5.1.1 unknown")})) == Outcome(
        REFUSED, "550 5.1.1 unknown")
    assert mail_rules.refusal(smtplib.SMTPDataError(451, b"4.3.0  try\r\n later")) == Outcome(
        DEFERRED, "451 4.3.0 try later")
    assert mail_rules.refusal(smtplib.SMTPServerDisconnected("gone")).kind == DEFERRED
    assert mail_rules.settle(Outcome(DEFERRED, "451 x"), 4) == ("queued", "attempt 4 of 5: 451 x")
    assert mail_rules.settle(Outcome(DEFERRED, "451 x"), 5) == ("failed", "gave up after 5 attempts: 451 x")
    assert mail_rules.settle(Outcome(REFUSED, "550 x"), 1) == ("failed", "550 x")
    assert mail_rules.lease(30) == timedelta(seconds=120)
