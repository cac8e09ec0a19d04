"""Whose password is checked now: device cookies, and the login limits per address, per account and for all."""
import secrets
from functools import cache

from flask import current_app, request
from flask_babel import gettext as _
from werkzeug.security import check_password_hash, generate_password_hash

from extensions import TooManyAttempts, spend

from .devices import DEVICE_COOKIE, DEVICE_COOKIE_DAYS
from .textkeys import email_key


@cache
def _dummy_hash():
    # Checked against when the e-mail is unknown, so both failures take as long as a real check.
    return generate_password_hash(secrets.token_urlsafe(16))


def _devices():
    return current_app.extensions["device_cookies"]


def trusted_device(email):
    """This browser's `Device` when its device cookie names the account `email` logs in to, else None."""
    return _devices().trusted_for(request.cookies.get(DEVICE_COOKIE), email_key(email))


def trusted_browser():
    """For the per-address limit: a login whose device cookie names the account its form logs in to."""
    return trusted_device(request.form.get("email", "")) is not None


def count_attempt(email):
    """Count a login attempt, when it arrives, against the limit it falls under; raise TooManyAttempts once that
    is spent. Returns whether the browser is trusted for the account (it logged in to it before)."""
    device = trusted_device(email)
    if device is not None:
        # Counted on its own (OWASP's lockout of a device): guesses at the account do not hold it up.
        wait = spend("LOGIN_DEVICE_RATE_LIMIT", "login-device", device.nonce)
        if wait:
            raise TooManyAttempts(wait)
        return True
    # Any e-mail has this limit, an account's or not: a refusal tells nothing about which e-mails are accounts.
    wait = spend("LOGIN_ACCOUNT_RATE_LIMIT", "login-account", _devices().account_digest(email_key(email)))
    if wait:
        # The account's limit, not the address's: refusals.py must not answer it to the address's other visitors.
        raise TooManyAttempts(wait, replayable=False,
                              note=_("A browser that has logged in to this account before can still log in."))
    return False


def password_matches(user, password, trusted):
    """Whether `password` is the account's. For an e-mail that is no account, a dummy hash is checked so that the
    answer takes as long, while such checks from untrusted browsers stay within LOGIN_CHECKS_RATE_LIMIT for all
    addresses together; beyond it they are answered without one (the CPU an attack costs stays bounded)."""
    if user is not None:
        return check_password_hash(user.password_hash, password)
    if trusted or not spend("LOGIN_CHECKS_RATE_LIMIT", "login-checks"):
        check_password_hash(_dummy_hash(), password)
    return False


def remember_device(response, email):
    """Give the browser that has just logged in a device cookie for the account, sent back to /login only."""
    response.set_cookie(DEVICE_COOKIE, _devices().issue(email_key(email)), max_age=DEVICE_COOKIE_DAYS * 86400,
                        path="/login", secure=current_app.config["SESSION_COOKIE_SECURE"], httponly=True,
                        samesite="Strict")
    return response
