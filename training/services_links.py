"""Issue, find, re-issue and revoke participants' personal links."""
from flask import current_app
from sqlalchemy import select

from extensions import db

from .links import is_expired, new_salt, token_for, token_hash
from .models import Participant, utcnow
from .services import record


def issue_link(participant, actor_id):
    """Give the participant a new link (any previous one stops working) and return its URL."""
    participant.link_salt = new_salt()
    participant.token_hash = token_hash(_token(participant))
    participant.link_issued_at = utcnow()
    db.session.flush()
    record(actor_id, "participant.link_issued", participant)
    return current_link(participant)


def ensure_link(participant, actor_id):
    return current_link(participant) if participant.link_salt else issue_link(participant, actor_id)


def revoke_link(participant, actor_id):
    participant.link_salt = participant.token_hash = participant.link_issued_at = None
    db.session.flush()
    record(actor_id, "participant.link_revoked", participant)


def current_link(participant):
    """The absolute URL of the participant's link, built on the configured public address (never the Host header)."""
    return f"{current_app.config['PUBLIC_URL'].rstrip('/')}/p/{_token(participant)}"


def participant_for_token(token):
    """The participant a valid, unexpired, unrevoked token belongs to, else None."""
    participant = db.session.scalar(select(Participant).where(Participant.token_hash == token_hash(token)))
    if participant is None or participant.status == "withdrawn":
        return None
    if is_expired(participant.program.end_date, current_app.config["LINK_GRACE_DAYS"], utcnow()):
        return None
    return participant


def _token(participant):
    return token_for(current_app.config["SECRET_KEY"], participant.link_salt)
