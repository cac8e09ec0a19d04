"""Logging in and out: hashed passwords, one message for every failure, rate limit, safe redirects, fresh session."""
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select
from werkzeug.security import check_password_hash

from extensions import db
from tests.conftest import PASSWORD, csrf_from, login, post_form
from training import web_login
from training.models import User


def test_login_takes_staff_to_their_programs(client, world):
    response = login(client, world["emails"]["admin"])
    assert response.headers["Location"] == "/programs"
    assert "Programa de prueba" in client.get("/programs").get_data(as_text=True)


def test_passwords_are_stored_hashed(app, world):
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == world["emails"]["admin"]))
        assert PASSWORD not in user.password_hash
        assert user.password_hash.startswith(("scrypt:", "pbkdf2:"))


@pytest.mark.parametrize("email, password", [
    ("admin@example.org", "wrong-password"),
    ("nobody@example.org", PASSWORD),
])
def test_unknown_user_and_wrong_password_get_the_same_message(client, world, email, password):
    response = post_form(client, "/login", {"email": email, "password": password})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Correo electrónico o contraseña incorrectos." in html
    assert "nobody" not in html.split("<form")[0]


def test_inactive_accounts_cannot_log_in(app, client, world):
    with app.app_context():
        db.session.get(User, world["ids"]["organizer"]).active = False
        db.session.commit()
    response = post_form(client, "/login", {"email": world["emails"]["organizer"], "password": PASSWORD})
    assert "Correo electrónico o contraseña incorrectos." in response.get_data(as_text=True)


def test_login_is_rate_limited(client, world, monkeypatch):
    now = float(int(time.time()))  # frozen: the refusal names the time left, which the slow password checks shorten
    monkeypatch.setattr(time, "time", lambda: now)
    statuses = [
        post_form(client, "/login", {"email": "admin@example.org", "password": f"guess-{i}"}).status_code
        for i in range(11)
    ]
    assert statuses[:10] == [200] * 10
    assert statuses[10] == 429
    # Even the right password waits until the window passes.
    blocked = post_form(client, "/login", {"email": "admin@example.org", "password": PASSWORD})
    assert blocked.status_code == 429
    assert "Demasiados intentos. Espere 1 minuto y vuelva a intentarlo." in blocked.get_data(as_text=True)
    assert blocked.headers["Retry-After"] == "60" and blocked.headers["Cache-Control"] == "no-store"
    assert '<html lang="es">' in blocked.get_data(as_text=True)


def test_a_refusal_says_how_long_is_really_left_in_each_visitors_language(app, client, world, monkeypatch):
    # The moving window lets the address in again when its oldest attempt is an hour old, not an hour after the
    # refusal; and the page replayed to a refused address must not reach another person there in the wrong language.
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "3 per hour")  # the app outlives this test
    clock = [float(int(time.time()))]
    monkeypatch.setattr(time, "time", lambda: clock[0])
    monkeypatch.setattr(app.extensions["refusals"], "clock", lambda: clock[0])
    guesses = [post_form(client, "/login", {"email": "admin@example.org", "password": f"guess-{number}"})
               for number in range(3)]
    assert [guess.status_code for guess in guesses] == [200, 200, 200]
    clock[0] += 40 * 60
    refused = post_form(client, "/login", {"email": "admin@example.org", "password": PASSWORD})
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "1200"
    assert "Espere 20 minutos y vuelva a intentarlo." in refused.get_data(as_text=True)
    colleague = app.test_client()  # another browser behind the same address, in English
    colleague.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    english = post_form(colleague, "/login", {"email": "admin@example.org", "password": PASSWORD})
    assert english.status_code == 429 and "Please wait 20 minutes and try again." in english.get_data(as_text=True)
    clock[0] += 20 * 60 + 1
    assert post_form(client, "/login", {"email": "admin@example.org", "password": PASSWORD}).status_code == 302


def test_login_without_csrf_token_is_rejected(client, world):
    response = client.post("/login", data={"email": world["emails"]["admin"], "password": PASSWORD})
    assert response.status_code == 400
    with client.session_transaction() as session:
        assert "_user_id" not in session
    assert client.get("/programs").status_code == 302


def test_login_starts_a_fresh_session(client, world):
    client.get("/login")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    login(client, world["emails"]["admin"])
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"] == f"{world['ids']['admin']}:0"  # the account and its session version


@pytest.mark.parametrize("target, expected", [
    ("/programs/1", "/programs/1"),
    ("https://evil.example/", "/programs"),
    ("//evil.example/", "/programs"),
    ("/\\evil.example", "/programs"),
    ("javascript:alert(1)", "/programs"),
])
def test_next_redirects_only_within_the_site(client, world, target, expected):
    page = client.get("/login", query_string={"next": target}).get_data(as_text=True)
    response = client.post("/login", data={"email": world["emails"]["admin"], "password": PASSWORD,
                                           "next": target, "csrf_token": csrf_from(page)})
    assert response.headers["Location"] == expected


def test_logout_needs_a_post_and_ends_the_session(client, world):
    login(client, world["emails"]["admin"])
    assert client.get("/logout").status_code == 405
    response = post_form(client, "/logout", {}, page="/programs")
    assert response.headers["Location"] == "/login"
    assert client.get("/programs").status_code == 302


def test_anonymous_visitors_are_sent_to_login_with_next(client, world):
    response = client.get(f"/programs/{world['ids']['program']}")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


@pytest.fixture
def checks(monkeypatch):
    """The password checks made, as (hash, password) pairs; each still checked for real."""
    made = []

    def counted(password_hash, password):
        made.append((password_hash, password))
        return check_password_hash(password_hash, password)

    monkeypatch.setattr(web_login, "check_password_hash", counted)
    return made


def test_checks_for_emails_that_are_no_account_from_all_addresses_together_are_limited(app, world, checks,
                                                                                      monkeypatch):
    # Each such check is a slow dummy one: many addresses making up e-mails must not add up to unbounded CPU.
    monkeypatch.setitem(app.config, "LOGIN_CHECKS_RATE_LIMIT", "2 per minute")  # the app outlives this test
    waited = []
    monkeypatch.setattr(web_login, "_wait", waited.append)
    clients = [app.test_client() for _ in range(5)]
    for number, each in enumerate(clients, 1):
        each.environ_base["REMOTE_ADDR"] = f"203.0.113.{number}"
    right = post_form(clients[0], "/login", {"email": world["emails"]["organizer"], "password": PASSWORD})
    assert right.status_code == 302  # a real account's check does not spend this budget
    wrong = [post_form(each, "/login", {"email": f"guess{number}@example.org", "password": "nope"})
             for number, each in enumerate(clients[1:])]
    # The same answer for all (nothing tells which e-mails are accounts), but only two dummy checks: the other two
    # wait as long as a check takes instead, so that no answer comes sooner than an account's.
    assert [response.status_code for response in wrong] == [200] * 4
    assert all("Correo electrónico o contraseña incorrectos." in each.get_data(as_text=True) for each in wrong)
    assert [password for _hash, password in checks] == [PASSWORD, "nope", "nope"]
    assert waited == [web_login._check_seconds()] * 2
    # A real account is still checked once that budget is spent.
    other = post_form(clients[1], "/login", {"email": world["emails"]["admin"], "password": "wrong"})
    assert other.status_code == 200 and len(checks) == 4


def test_simultaneous_logins_cannot_all_slip_under_the_limits(app, world, checks, monkeypatch):
    # Counted on arrival: a burst of guesses at the same instant gets no more attempts or checks than allowed.
    monkeypatch.setitem(app.config, "LOGIN_ACCOUNT_RATE_LIMIT", "3 per minute")  # the app outlives this test
    monkeypatch.setitem(app.config, "LOGIN_CHECKS_RATE_LIMIT", "2 per minute")
    clients = [app.test_client() for _ in range(6)]
    tokens = []
    for number, each in enumerate(clients, 1):
        each.environ_base["REMOTE_ADDR"] = f"203.0.113.{number}"
        tokens.append(csrf_from(each.get("/login").get_data(as_text=True)))
    together = threading.Barrier(len(clients))

    def guess(each, token):
        together.wait()
        return each.post("/login", data={"email": "guess@example.org", "password": "nope", "csrf_token": token})

    with ThreadPoolExecutor(len(clients)) as pool:
        statuses = sorted(response.status_code for response in pool.map(guess, clients, tokens))
    assert statuses == [200, 200, 200, 429, 429, 429]
    assert len(checks) == 2
