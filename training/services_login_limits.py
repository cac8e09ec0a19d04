"""The login limit per account, outside any request: counted under a digest of the e-mail, and forgotten when the
account gets a new password (an attack must not keep its owner's new browsers out after a reset)."""
from flask import current_app

from extensions import forget

from .textkeys import email_key


def account_key(email):
    """The key the limit on logins to `email` (an account's or not) counts under: a digest, never the e-mail."""
    return "login-account", current_app.extensions["device_cookies"].account_digest(email_key(email))


def forget_account_guesses(email):
    """Let browsers without a device cookie log in to `email` again at once."""
    forget("LOGIN_ACCOUNT_RATE_LIMIT", *account_key(email))


def reset_key(email):
    """The key the limit on reset messages to `email` counts under (an account's or not): a digest, as above."""
    return "password-reset", current_app.extensions["device_cookies"].account_digest(email_key(email))
