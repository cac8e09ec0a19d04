"""Password reset by e-mail: a signed link that works once and for an hour, its message, and the new password."""
import hashlib
import hmac
from email.utils import make_msgid

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from itsdangerous import BadData, URLSafeTimedSerializer
from werkzeug.security import generate_password_hash

from extensions import db
from transactions import commit_step

from .mail_rules import DEFERRED, OUTBOX, sending_domain
from .mailer import Mailer, Outgoing
from .models import User
from .services import record, user_by_email
from .services_login_limits import forget_account_guesses

SALT = "capacita-password-reset"
MAX_TOKEN_LENGTH = 300


class MailDeferred(Exception):
    """The mail server turned the message away for now: the task tries again later."""


def _serializer():
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def _state(user):
    """What a link is bound to: the password and the sessions as they were. A new password (the link used), a logout
    or a deactivation changes it, so a link works once. A digest: a token is signed, not secret, and must not carry
    the password's hash."""
    seed = f"{user.password_hash}:{user.session_version}".encode()
    return hmac.new(current_app.config["SECRET_KEY"].encode(), seed, hashlib.sha256).hexdigest()[:32]


def reset_token(user):
    return _serializer().dumps([user.id, _state(user)])


def user_for_reset_token(token):
    """The active account a reset `token` was made for, while it is unused and younger than PASSWORD_RESET_MAX_AGE,
    else None."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    try:
        user_id, state = _serializer().loads(token, max_age=current_app.config["PASSWORD_RESET_MAX_AGE"])
    except (BadData, TypeError, ValueError):
        return None
    user = db.session.get(User, user_id) if isinstance(user_id, int) and isinstance(state, str) else None
    if user is None or not user.active or not hmac.compare_digest(state, _state(user)):
        return None
    return user


def set_new_password(user, password):
    """The password the account's owner chose through a reset link: every session of the account ends (the link is
    used up with them), and the login limits an attack ran up against the account are forgotten."""
    user.password_hash = generate_password_hash(password)
    user.end_sessions()
    forget_account_guesses(user.email)
    record(user.id, "user.password_reset", user)
    db.session.flush()


def reset_message(user, link, minutes):
    """(subject, body) of the reset message, in the account's language."""
    with force_locale(user.language):
        subject = _("Capacita: choose a new password")
        body = _("Hello %(name)s,\n\nSomeone (we hope you) asked to choose a new password for your Capacita account. "
                 "Open this link within %(minutes)d minutes to choose it:\n\n%(link)s\n\nThe link works once. If you "
                 "did not ask for it, ignore this message: your password stays as it is.",
                 name=user.name, minutes=minutes, link=link)
    return subject, body


def send_reset_message(email, final=True):
    """Send the account `email` names (if any, and active) a reset link; what became of it is audited. The request
    that asked answered the same whatever the e-mail: only here, in the worker, is the account looked up."""
    user = user_by_email(email)
    if user is None or not user.active:
        commit_step()
        return None
    config = current_app.config
    link = f"{config['PUBLIC_URL'].rstrip('/')}/password/reset/{reset_token(user)}"
    subject, body = reset_message(user, link, config["PASSWORD_RESET_MAX_AGE"] // 60)
    domain = sending_domain(config["MAIL_DEFAULT_SENDER"], config["PUBLIC_URL"]).strip("[]")
    outgoing = Outgoing(to=user.email, subject=subject, body=body, message_id=make_msgid("capacita.reset", domain))
    user_id = user.id
    commit_step()  # no transaction stays open while the mail server talks
    with Mailer(config) as mailer:
        outcome = mailer.send(outgoing)
    if outcome.kind == DEFERRED and not final:
        raise MailDeferred(outcome.error)
    if outcome.kind == OUTBOX:
        # Staff messages have no outbox page (another staff member would read the link there), and logs redact it.
        current_app.logger.warning("password reset for account %s not sent: MAIL_SERVER is not set", user_id)
    record(None, "user.password_reset_requested", db.session.get(User, user_id), outcome=outcome.kind,
           error=outcome.error[:200])
    commit_step()
    return outcome.kind

