"""Password guessing from many addresses neither locks staff out nor takes unbounded CPU: device cookies (OWASP), and
limits per address, per account, per device and on dummy checks for all addresses together."""
import time

import pytest
from werkzeug.security import check_password_hash, generate_password_hash

from extensions import db
from tests.conftest import PASSWORD, csrf_from, login, post_form
from training import web_login
from training.devices import DEVICE_COOKIE, DeviceCookies
from training.models import User

ATTACKERS = 20
PRODUCTION_LIMITS = ("LOGIN_RATE_LIMIT", "LOGIN_ACCOUNT_RATE_LIMIT", "LOGIN_DEVICE_RATE_LIMIT",
                     "LOGIN_TRUSTED_RATE_LIMIT", "LOGIN_CHECKS_RATE_LIMIT")
CHEAP = "pbkdf2:sha256:1000"  # real checks, only faster than scrypt: the test counts them instead of timing them


@pytest.fixture
def clock(app, monkeypatch):
    """Simulated seconds for the limiter's windows and the refusal memo; `clock.pass_(s)` moves them on."""

    class Clock:
        now = float(int(time.time()))

        def pass_(self, seconds):
            self.now += seconds

    simulated = Clock()
    monkeypatch.setattr(time, "time", lambda: simulated.now)
    monkeypatch.setattr(app.extensions["refusals"], "clock", lambda: simulated.now)
    return simulated


@pytest.fixture
def production(app, world, monkeypatch, tmp_path):
    """The limits as deployed (the tests' app relaxes them), and cheap real hashes."""
    from flask import Flask

    from app import _configure

    deployed = Flask("deployed", instance_path=str(tmp_path))  # only configured: no logging set up, no extensions
    _configure(deployed, {"CAPACITA_ENV": "test", "SECRET_KEY": "x" * 40})
    defaults = deployed.config
    for setting in PRODUCTION_LIMITS:
        monkeypatch.setitem(app.config, setting, defaults[setting])  # the app outlives this test
    with app.app_context():
        for user in db.session.query(User):
            user.password_hash = generate_password_hash(PASSWORD, method=CHEAP)
        db.session.commit()
    monkeypatch.setattr(web_login, "_dummy_hash", lambda: generate_password_hash("dummy", method=CHEAP))


@pytest.fixture
def checks(monkeypatch):
    """Every password check made, as the e-mail hash checked against: 'dummy' for e-mails that are no account."""
    made = []

    def counted(password_hash, password):
        made.append(password_hash)
        return check_password_hash(password_hash, password)

    monkeypatch.setattr(web_login, "check_password_hash", counted)
    return made


def browser(app, address, language="es"):
    each = app.test_client()
    each.environ_base.update(REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE=language)
    return each


class Attack:
    """ATTACKERS addresses, each posting a guess every `every` simulated seconds (more than their limit lets in)."""

    def __init__(self, app, clock, email_of, every=2):
        self.clock, self.email_of, self.every = clock, email_of, every
        self.browsers = [browser(app, f"198.51.100.{number}") for number in range(1, ATTACKERS + 1)]
        self.tokens = [csrf_from(each.get("/login").get_data(as_text=True)) for each in self.browsers]
        self.statuses, self.guesses = [], 0

    def run(self, seconds):
        """Knock for `seconds`; the last knocks are at the clock's time when it returns (whoever comes next meets
        the limits just as the guessers left them)."""
        for _tick in range(0, seconds, self.every):
            self.clock.pass_(self.every)
            for number, (each, token) in enumerate(zip(self.browsers, self.tokens, strict=True)):
                self.guesses += 1
                response = each.post("/login", data={"email": self.email_of(number, self.guesses),
                                                     "password": f"guess-{self.guesses}", "csrf_token": token})
                self.statuses.append(response.status_code)


def log_in_now(each, email):
    """One login as a person does it: the form, then the POST, at the same simulated second."""
    return post_form(each, "/login", {"email": email, "password": PASSWORD})


def trusted_browser(app, world, address="192.0.2.10"):
    """The administrator's own browser, which logged in before the attack (and out again)."""
    own = browser(app, address)
    login(own, world["emails"]["admin"])
    assert own.get_cookie(DEVICE_COOKIE, path="/login") is not None
    post_form(own, "/logout", {}, page="/programs")
    return own


def test_under_attack_on_the_administrators_email_the_administrator_still_logs_in(app, world, production, clock,
                                                                                 checks):
    own = trusted_browser(app, world)
    admin_hash = next(iter(checks))
    checks.clear()
    attack = Attack(app, clock, lambda _number, _count: world["emails"]["admin"])
    attack.run(90)
    # A minute and a half into the attack, at the very second: the administrator's browser gets in.
    response = log_in_now(own, world["emails"]["admin"])
    assert response.status_code == 302 and response.headers["Location"] == "/programs"
    # So does their browser behind an attacking address (the refusals replayed there are the guessers').
    behind = browser(app, "198.51.100.1")
    behind.set_cookie(DEVICE_COOKIE, own.get_cookie(DEVICE_COOKIE, path="/login").value, path="/login")
    assert log_in_now(behind, world["emails"]["admin"]).status_code == 302
    # A new browser needs the account's attempts to calm down (OWASP: only accounts under attack need one);
    # other accounts log in from anywhere.
    new = log_in_now(browser(app, "192.0.2.20"), world["emails"]["admin"])
    assert new.status_code == 429
    assert "Un navegador que ya inició sesión en esta cuenta todavía puede hacerlo." in new.get_data(as_text=True)
    assert log_in_now(browser(app, "192.0.2.30"), world["emails"]["organizer"]).status_code == 302
    attack.run(90)
    assert log_in_now(own, world["emails"]["admin"]).status_code == 302
    # The guessers never got in, each address was let in ten times a minute at most, and their checks stayed
    # within the account's limit.
    assert 302 not in attack.statuses and attack.statuses.count(200) <= ATTACKERS * 10 * 3
    guessers_checks = len(checks) - 4  # the administrator's three logins and the organizer's
    assert 0 < guessers_checks <= 3 * 3 and checks.count(admin_hash) == len(checks) - 1


def test_under_a_spray_of_made_up_emails_staff_log_in_even_from_a_new_browser(app, world, production, clock,
                                                                             checks):
    own = trusted_browser(app, world)
    checks.clear()
    attack = Attack(app, clock, lambda number, count: f"guess-{number}-{count}@example.org")
    attack.run(120)
    assert log_in_now(own, world["emails"]["admin"]).status_code == 302
    assert log_in_now(browser(app, "192.0.2.20"), world["emails"]["admin"]).status_code == 302  # a new browser
    attack.run(60)
    assert log_in_now(browser(app, "192.0.2.21"), world["emails"]["organizer"]).status_code == 302
    assert 302 not in attack.statuses and attack.statuses.count(200) <= ATTACKERS * 10 * 3
    # Dummy checks stayed within "30 per minute" over the three minutes, however many e-mails were made up.
    dummies = len(checks) - 3
    assert 0 < dummies <= 30 * 3 and attack.guesses == ATTACKERS * 90


def test_a_device_cookie_for_another_account_or_made_up_earns_no_trust(app, world, production, clock):
    organizers = browser(app, "192.0.2.40")
    login(organizers, world["emails"]["organizer"])
    issued = organizers.get_cookie(DEVICE_COOKIE, path="/login").value
    with app.app_context():
        admin_hash = db.session.get(User, world["ids"]["admin"]).password_hash
    forged = DeviceCookies("another-secret-key-of-forty-characters-x").issue(world["emails"]["admin"], admin_hash)
    for value in (issued, forged, issued[:-2] + "xx"):
        limiter_reset(app)
        guesser = browser(app, "192.0.2.41")
        guesser.set_cookie(DEVICE_COOKIE, value, path="/login")
        statuses = [post_form(guesser, "/login", {"email": world["emails"]["admin"], "password": f"guess-{n}"})
                    .status_code for n in range(4)]
        assert statuses == [200, 200, 200, 429]  # the account's limit for untrusted browsers


def test_a_trusted_browser_has_a_limit_of_its_own(app, world, production, clock):
    own = trusted_browser(app, world)
    statuses = [post_form(own, "/login", {"email": world["emails"]["admin"], "password": f"guess-{n}"})
                .status_code for n in range(6)]
    assert statuses == [200, 200, 200, 200, 200, 429]  # five a minute
    clock.pass_(61)
    assert log_in_now(own, world["emails"]["admin"]).status_code == 302


def test_an_accounts_refusal_is_not_answered_again_to_its_addresss_other_visitors(app, world, production, clock):
    office = browser(app, "192.0.2.50")
    for number in range(3):
        post_form(office, "/login", {"email": world["emails"]["admin"], "password": f"guess-{number}"})
    refused = post_form(office, "/login", {"email": world["emails"]["admin"], "password": PASSWORD})
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "60"
    colleague = browser(app, "192.0.2.50")  # the same office, another account: the limit was the account's
    assert log_in_now(colleague, world["emails"]["organizer"]).status_code == 302


def test_the_device_cookie_goes_only_to_the_login_and_not_to_scripts(app, client, world):
    response = login(client, world["emails"]["admin"])
    header = next(value for value in response.headers.getlist("Set-Cookie") if value.startswith(DEVICE_COOKIE))
    assert "Path=/login" in header and "HttpOnly" in header and "SameSite=Strict" in header
    assert "Max-Age=31536000" in header
    assert world["emails"]["admin"] not in header and "admin" not in header.split(";")[0]


def test_a_new_password_withdraws_every_device_cookies_trust(app, world, production, clock):
    """A stolen cookie (with the password it came with) is worth nothing once the owner's password is reset."""
    own = trusted_browser(app, world)
    with app.app_context():
        from training.services import save_user

        admin = db.session.get(User, world["ids"]["admin"])
        save_user(admin, admin.id, email=admin.email, name=admin.name, language="es", password="a-brand-new-password")
        db.session.commit()
    statuses = [post_form(own, "/login", {"email": world["emails"]["admin"], "password": f"guess-{n}"})
                .status_code for n in range(4)]
    assert statuses == [200, 200, 200, 429]  # the limit of a browser the account does not know
    clock.pass_(61)
    response = post_form(own, "/login", {"email": world["emails"]["admin"], "password": "a-brand-new-password"})
    assert response.status_code == 302  # and logging in with the new password makes it known again
    assert [post_form(own, "/login", {"email": world["emails"]["admin"], "password": f"again-{n}"}).status_code
            for n in range(4)] == [200] * 4


def test_a_new_password_lets_new_browsers_in_at_once_after_an_attack(app, world, production, clock):
    attack = Attack(app, clock, lambda _number, _count: world["emails"]["admin"])
    attack.run(20)
    assert log_in_now(browser(app, "192.0.2.60"), world["emails"]["admin"]).status_code == 429
    result = app.test_cli_runner().invoke(args=["create-admin", "--email", world["emails"]["admin"],
                                                "--password", PASSWORD])  # the recovery: a reset
    assert result.exit_code == 0, result.output
    assert log_in_now(browser(app, "192.0.2.61"), world["emails"]["admin"]).status_code == 302


def test_a_browser_keeps_its_name_and_an_accounts_trusted_browsers_share_a_limit(app, world, production, clock):
    own = trusted_browser(app, world)
    first = own.get_cookie(DEVICE_COOKIE, path="/login").value
    login(own, world["emails"]["admin"])
    devices = app.extensions["device_cookies"]
    assert devices.read(own.get_cookie(DEVICE_COOKIE, path="/login").value).nonce == devices.read(first).nonce
    # Someone who knows the password gathers cookies from three browsers: together they get ten checks a minute.
    gathered = [own] + [browser(app, f"192.0.2.{70 + n}") for n in range(2)]
    for each in gathered[1:]:
        login(each, world["emails"]["admin"])
    clock.pass_(61)
    statuses = [post_form(each, "/login", {"email": world["emails"]["admin"], "password": f"g-{n}"}).status_code
                for n in range(5) for each in gathered]
    assert statuses.count(200) == 10 and statuses[10:] == [429] * 5


def test_an_unknown_email_past_the_checks_budget_waits_as_long_as_a_check(app, world, production, clock, checks,
                                                                          monkeypatch):
    waited = []
    monkeypatch.setattr(web_login, "_wait", waited.append)
    monkeypatch.setitem(app.config, "LOGIN_CHECKS_RATE_LIMIT", "1 per minute")
    for number in range(3):
        each = browser(app, f"192.0.2.{80 + number}")
        response = post_form(each, "/login", {"email": f"nobody-{number}@example.org", "password": "x"})
        assert response.status_code == 200
    assert len(checks) == 1  # one dummy check, then none: the CPU stays bounded
    seconds = web_login._check_seconds()
    assert waited == [seconds, seconds] and seconds > 0  # but no answer comes sooner than an account's would


def test_the_wait_that_stands_in_for_a_check_is_the_checks_own_work_not_a_busy_machines_clock(monkeypatch):
    def check_on_a_busy_machine(_hash, _password):
        started = time.thread_time()
        while time.thread_time() - started < 0.05:  # the check's own work
            pass
        time.sleep(0.3)  # other processes' turns on the cores meanwhile

    monkeypatch.setattr(web_login.security, "check_password_hash", check_on_a_busy_machine)
    web_login._check_seconds.cache_clear()
    try:
        assert 0.05 <= web_login._check_seconds() < 0.2
    finally:
        web_login._check_seconds.cache_clear()


def test_logins_work_with_rate_limiting_disabled(app, world, monkeypatch):
    from extensions import limiter

    monkeypatch.setattr(limiter, "enabled", False)
    each = app.test_client()
    assert post_form(each, "/login", {"email": "nobody@example.org", "password": "x"}).status_code == 200
    assert post_form(each, "/login", {"email": world["emails"]["admin"], "password": PASSWORD}).status_code == 302


def limiter_reset(app):
    from extensions import limiter

    with app.app_context():
        limiter.reset()
    app.extensions["refusals"].forget()
