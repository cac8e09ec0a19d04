"""Whose password is checked now: device cookies, and the login limits per address, per account and for all."""
import secrets
import time
from functools import cache
from urllib.parse import urlsplit

from flask import current_app, g, request, session
from flask_babel import gettext as _
from flask_login import login_user
from werkzeug import security
from werkzeug.security import check_password_hash, generate_password_hash

from extensions import TooManyAttempts, spend

from .devices import DEVICE_COOKIE, DEVICE_COOKIE_DAYS
from .services import user_by_email
from .services_login_limits import account_key
from .textkeys import email_key


@cache
def _dummy_hash():
    # Checked against when the e-mail is unknown, so both failures take as long as a real check.
    return generate_password_hash(secrets.token_urlsafe(16))


@cache
def _check_seconds():
    """How long one password check takes here (measured once, on the real function): what an e-mail that is no
    account waits instead of a check once their budget is spent, so that no answer comes sooner than an account's.
    The check's own CPU time, not the clock's: measured while the machine is busy (the first such login often comes
    with an attack), the clock would count other processes' turns too, and every later wait would hold a sync
    worker that much longer."""
    started = time.thread_time()
    security.check_password_hash(_dummy_hash(), "a measure")
    return time.thread_time() - started


def _wait(seconds):
    time.sleep(seconds)


def _devices():
    return current_app.extensions["device_cookies"]


def login_target():
    """(account, this browser's `Device`) of the login form posted: the account its e-mail names (None when none
    does) and the device when the browser's cookie vouches for that account and its current password. Found once
    per request; without a device cookie the account is looked up only after the per-address limit let it in."""
    if "login_target" not in g:
        email = request.form.get("email", "")
        cookie = request.cookies.get(DEVICE_COOKIE)
        user = user_by_email(email)
        device = _devices().trusted_for(cookie, email_key(email), user.password_hash) \
            if cookie and user is not None else None
        g.login_target = (user, device)
    return g.login_target


def trusted_browser():
    """For the per-address limit: a login whose device cookie vouches for the account its form logs in to."""
    return DEVICE_COOKIE in request.cookies and login_target()[1] is not None


def count_attempt(email, device):
    """Count a login attempt, when it arrives, against the limits it falls under; raise TooManyAttempts once one is
    spent. A trusted `device` is counted on its own and with the account's other trusted browsers (someone who knows
    the password cannot multiply browsers into unbounded checks); any other browser per e-mail typed."""
    if device is not None:
        wait = spend("LOGIN_DEVICE_RATE_LIMIT", "login-device", device.nonce) \
            or spend("LOGIN_TRUSTED_RATE_LIMIT", "login-trusted", device.account)
        if wait:
            raise TooManyAttempts(wait)
        return
    # Any e-mail has this limit, an account's or not: a refusal tells nothing about which e-mails are accounts.
    wait = spend("LOGIN_ACCOUNT_RATE_LIMIT", *account_key(email))
    if wait:
        # The account's limit, not the address's: refusals.py must not answer it to the address's other visitors.
        raise TooManyAttempts(wait, replayable=False,
                              note=_("A browser that has logged in to this account before can still log in."))


def password_matches(user, password, trusted):
    """Whether `password` is the account's. For an e-mail that is no account, a dummy hash is checked so that the
    answer takes as long, while such checks from untrusted browsers stay within LOGIN_CHECKS_RATE_LIMIT for all
    addresses together; beyond it the answer waits as long as a check would, without one (CPU stays bounded)."""
    if user is not None:
        return check_password_hash(user.password_hash, password)
    if trusted or not spend("LOGIN_CHECKS_RATE_LIMIT", "login-checks"):
        check_password_hash(_dummy_hash(), password)
    else:
        _wait(_check_seconds())
    return False


def remember_device(response, user, device):
    """Give the browser that has just logged in a device cookie for the account, sent back to /login only; a browser
    that held one for it keeps its name (and its own count)."""
    value = _devices().issue(user.email, user.password_hash, device.nonce if device is not None else None)
    response.set_cookie(DEVICE_COOKIE, value, max_age=DEVICE_COOKIE_DAYS * 86400, path="/login",
                        secure=current_app.config["SESSION_COOKIE_SECURE"], httponly=True, samesite="Strict")
    return response


def fresh_session():
    """Nothing from before survives but the language chosen (at a login, and after a new password)."""
    language = session.get("language")
    session.clear()
    if language:
        session["language"] = language


def safe_next(target):
    """`target` when it is a path on this site, else None (no open redirects)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else None


def start_session(user):
    """Log `user` in, in a fresh session."""
    fresh_session()
    login_user(user)
