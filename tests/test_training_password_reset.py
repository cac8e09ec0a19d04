"""Forgot your password?: one answer for every e-mail, a link by e-mail in the account's language that works once and
for an hour, the account's sessions ended by the new password, limits per address and per e-mail, audit events."""
import email
import email.policy
import logging
import re
import time

import pytest
from sqlalchemy import select
from werkzeug.security import check_password_hash

from extensions import db
from tests.conftest import PASSWORD, csrf_from, login, post_form
from tests.factories import make_staff
from tests.helpers import mail_server
from training.models import AuditEvent, User

LINK = re.compile(r"https?://\S+/password/reset/(\S+)")
NEW_PASSWORD = "a brand new passphrase"


class Inbox:
    def __init__(self):
        self.received = []  # (recipient, parsed message)

    async def handle_DATA(self, server, session, envelope):
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.received.append((envelope.rcpt_tos[0], parsed))
        return "250 OK"


@pytest.fixture
def staff(app):
    with app.app_context():
        ana = make_staff("admin", "ana@example.org", "Ana")
        bob = make_staff("admin", "bob@example.org", "Bob", language="en")
        gone = make_staff("admin", "gone@example.org", "Gone", active=False)
        db.session.commit()
        return {"ana": ana.id, "bob": bob.id, "gone": gone.id}


@pytest.fixture
def inbox(app):
    handler = Inbox()
    with mail_server(app, handler):
        yield handler


def ask(client, address):
    return post_form(client, "/password/forgot", {"email": address})


def link_in(inbox, index=-1):
    return "/password/reset/" + LINK.search(inbox.received[index][1].get_content()).group(1)


def choose(client, path, password=NEW_PASSWORD, confirm=None):
    return post_form(client, path, {"password": password, "confirm": confirm or password})


def test_known_unknown_and_inactive_emails_get_the_same_answer(client, staff, inbox, run_tasks):
    answers = []
    for address in ("ana@example.org", "nobody@example.org", "gone@example.org"):
        response = ask(client, address)
        page = client.get(response.headers["Location"]).get_data(as_text=True)
        answers.append((response.status_code, response.headers["Location"], page.replace(address, "…")))
    assert answers[0] == answers[1] == answers[2]
    assert answers[0][:2] == (302, "/login")
    assert "Si una cuenta activa usa" in answers[0][2]
    assert run_tasks() == 3  # the request did the same for each: one task, whose worker looks the account up
    assert [to for to, _message in inbox.received] == ["ana@example.org"]


def test_the_message_is_in_the_accounts_language_and_the_link_sets_a_new_password(app, client, staff, inbox,
                                                                                   run_tasks):
    ask(client, "BOB@example.org ")
    run_tasks()
    (to, message), = inbox.received
    assert to == "bob@example.org"
    assert message["Subject"] == "Capacita: choose a new password"
    assert "within 60 minutes" in message.get_content()
    path = link_in(inbox)
    assert "Elija una contraseña nueva" in client.get(path).get_data(as_text=True)
    response = choose(client, path)
    assert response.headers["Location"] == "/login"
    login(client, "bob@example.org", NEW_PASSWORD)
    with app.app_context():
        assert check_password_hash(db.session.get(User, staff["bob"]).password_hash, NEW_PASSWORD)
        actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_id == staff["bob"],
                                                                     AuditEvent.object_type == "User")).all()
        assert sorted(actions) == ["user.password_reset", "user.password_reset_requested"]


def test_a_link_works_once(client, staff, inbox, run_tasks):
    ask(client, "ana@example.org")
    run_tasks()
    path = link_in(inbox)
    assert choose(client, path).status_code == 302
    again = client.get(path)
    assert again.status_code == 404
    assert "ya no funciona" in again.get_data(as_text=True)
    # The form is gone; a POST with a valid CSRF token from another page is refused too.
    token = csrf_from(client.get("/password/forgot").get_data(as_text=True))
    refused = client.post(path, data={"csrf_token": token, "password": "another passphrase", "confirm":
                                      "another passphrase"})
    assert refused.status_code == 404
    login(client, "ana@example.org", NEW_PASSWORD)


def test_a_link_expires_after_an_hour(client, staff, inbox, run_tasks, monkeypatch):
    ask(client, "ana@example.org")
    run_tasks()
    path = link_in(inbox)
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 3601)
    assert client.get(path).status_code == 404
    monkeypatch.setattr(time, "time", lambda: now + 3500)
    assert client.get(path).status_code == 200


@pytest.mark.parametrize("path", ["/password/reset/made-up", "/password/reset/" + "x" * 5000,
                                  "/password/reset/WzEsImFiYyJd.ZZZZ.bad"])
def test_a_made_up_link_opens_nothing(client, staff, path):
    assert client.get(path).status_code == 404


def test_a_new_password_ends_every_session_of_the_account(client, app, staff, inbox, run_tasks):
    other = app.test_client()
    login(other, "ana@example.org")
    assert other.get("/programs").status_code == 200
    ask(client, "ana@example.org")
    run_tasks()
    choose(client, link_in(inbox))
    assert other.get("/programs").status_code == 302  # back to the login page
    assert login(client, "ana@example.org", NEW_PASSWORD).status_code == 302
    assert post_form(app.test_client(), "/login", {"email": "ana@example.org", "password": PASSWORD}) \
        .status_code == 200  # the old password is refused


def test_an_older_link_dies_with_the_password_a_newer_one_set(client, staff, inbox, run_tasks):
    ask(client, "ana@example.org")
    ask(client, "ana@example.org")
    run_tasks()
    first, second = link_in(inbox, 0), link_in(inbox, 1)
    choose(client, second)
    assert client.get(first).status_code == 404


def test_a_link_is_built_on_the_public_address_and_dies_with_a_deactivation(app, client, staff, inbox, run_tasks):
    forged = "http://evil.example"  # the Host the request names does not make the link
    token = csrf_from(client.get("/password/forgot", base_url=forged).get_data(as_text=True))
    asked = client.post("/password/forgot", data={"csrf_token": token, "email": "ana@example.org"}, base_url=forged)
    assert asked.status_code == 302
    run_tasks()
    body = inbox.received[0][1].get_content()
    assert f"{app.config['PUBLIC_URL'].rstrip('/')}/password/reset/" in body and "evil.example" not in body
    path = link_in(inbox)
    with app.app_context():
        db.session.get(User, staff["ana"]).active = False
        db.session.commit()
    assert client.get(path).status_code == 404


def test_the_new_password_is_checked(client, staff, inbox, run_tasks):
    ask(client, "ana@example.org")
    run_tasks()
    path = link_in(inbox)
    assert choose(client, path, "short").status_code == 200
    assert choose(client, path, NEW_PASSWORD, "something else").status_code == 200
    assert login(client, "ana@example.org").status_code == 302  # the password is still the old one


def test_bad_input_is_answered_with_the_form(client, staff):
    response = ask(client, "not an e-mail")
    assert response.status_code == 200
    assert client.post("/password/forgot", data={"email": "ana@example.org"}).status_code == 400  # no CSRF token


def test_messages_per_email_are_limited_with_the_same_answer(app, client, staff, inbox, run_tasks):
    responses = [ask(app.test_client(), "ana@example.org") for _ in range(5)]
    assert {response.status_code for response in responses} == {302}
    run_tasks()
    assert len(inbox.received) == 3  # PASSWORD_RESET_EMAIL_RATE_LIMIT: 3 per hour


def test_requests_per_address_are_limited(client, staff):
    statuses = [ask(client, f"someone{i}@example.org").status_code for i in range(6)]
    assert statuses == [302] * 5 + [429]


def test_without_a_mail_server_nothing_is_sent_and_the_audit_log_says_so(app, client, staff, run_tasks):
    ask(client, "ana@example.org")
    run_tasks()
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.password_reset_requested"))
        assert (event.object_id, event.user_id, event.details["outcome"]) == (staff["ana"], None, "outbox")


def test_access_logs_hide_the_link(app):
    from app import RedactPersonalLinks

    record = logging.LogRecord("werkzeug", logging.INFO, "", 0, '"GET /password/reset/WzEs.aB-c_9 HTTP/1.1" 200', (),
                               None)
    RedactPersonalLinks().filter(record)
    assert record.msg == '"GET /password/reset/[redacted] HTTP/1.1" 200'


def test_the_login_page_offers_it(client):
    assert 'href="/password/forgot"' in client.get("/login").get_data(as_text=True)
