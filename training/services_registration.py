"""Online registration: a delegation's shareable form link, requests typed by staff or sent through the link, and
the secretariat's moderation (accepting goes through save_participant: its quota lock and unique e-mail)."""
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from extensions import db

from .links import is_expired, new_salt, token_for, token_hash
from .models import Participant, utcnow
from .models_registration import RegistrationLink, RegistrationRequest
from .services import ServiceError, active_count, record, save_participant
from .textkeys import email_key, squash_spaces

PURPOSE = "registration-link"
REQUEST_FIELDS = ("given_names", "family_names", "email", "position", "institution", "gender", "profile", "language")


class Refused(ServiceError):
    """A stranger's submission that is not kept; the link's page says only what is not personal (quota full)."""


def registration_link(delegation):
    """The delegation's working link, or None."""
    return db.session.scalar(select(RegistrationLink).where(RegistrationLink.delegation_id == delegation.id,
                                                            RegistrationLink.revoked_at.is_(None))
                             .order_by(RegistrationLink.id.desc()))


def link_url(link):
    """The link's absolute URL on the configured public address (never the Host header)."""
    token = token_for(current_app.config["SECRET_KEY"], link.salt, PURPOSE)
    return f"{current_app.config['PUBLIC_URL'].rstrip('/')}/register/{token}"


def registration_closed(program):
    """Whether the program has ended: nobody registers any more, through a focal point's form or a link."""
    return is_expired(program.end_date, 0, utcnow())


def _refuse_when_closed(program):
    if registration_closed(program):
        raise ServiceError("email", _l("The program has ended: registration is closed."))


def open_link(delegation, actor_id):
    """A new link for the delegation; the previous one stops working."""
    _refuse_when_closed(delegation.program)
    _revoke(delegation)
    salt = new_salt()
    link = RegistrationLink(delegation_id=delegation.id, salt=salt, created_by=actor_id,
                            token_hash=token_hash(token_for(current_app.config["SECRET_KEY"], salt, PURPOSE)))
    db.session.add(link)
    db.session.flush()
    record(actor_id, "registration.link_opened", delegation, link_id=link.id)
    return link


def revoke_link(delegation, actor_id):
    if _revoke(delegation):
        record(actor_id, "registration.link_revoked", delegation)


def _revoke(delegation):
    link = registration_link(delegation)
    if link is not None:
        link.revoked_at = utcnow()
        db.session.flush()
    return link


def link_for_token(token):
    """The working link a token belongs to (not revoked, its program not over), else None."""
    link = db.session.scalar(select(RegistrationLink).where(RegistrationLink.token_hash == token_hash(token),
                                                            RegistrationLink.revoked_at.is_(None)))
    if link is None or registration_closed(link.delegation.program):
        return None
    return link


def submit_request(delegation, values, actor_id=None, link=None):
    """Keep a registration waiting for moderation. Staff hear why one is refused (ServiceError on the field); a
    stranger's duplicate is dropped without a word (None): the page must not tell whether an e-mail is known."""
    _refuse_when_closed(delegation.program)
    key = email_key(values["email"])
    # A stranger hears about the quota first, known e-mail or not: the other order would let anyone holding the
    # link tell a known address (thanked) from an unknown one (quota full) once the delegation is full. Staff hear
    # the more useful of the two: that the person is already there.
    stranger = actor_id is None
    if stranger:
        _refuse_when_full(delegation, Refused)
    if _known(delegation.program_id, key):
        if stranger:
            return None
        raise ServiceError("email", _l("This e-mail address is already registered or waiting in the program."))
    if not stranger:
        _refuse_when_full(delegation, ServiceError)
    fields = {name: squash_spaces(values.get(name) or "") for name in REQUEST_FIELDS}
    request = RegistrationRequest(program_id=delegation.program_id, delegation_id=delegation.id, email_key=key,
                                  link_id=link.id if link else None, submitted_by=actor_id, **fields)
    db.session.add(request)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:  # the same e-mail sent twice at once: the unique index keeps one
        return None
    record(actor_id, "registration.requested", delegation, request_id=request.id)
    return request


def _refuse_when_full(delegation, refusal):
    if places_left(delegation) <= 0:
        raise refusal("email", _l("This delegation's quota of %(quota)s is full.", quota=delegation.quota))


def _known(program_id, key):
    participant = select(Participant.id).where(Participant.program_id == program_id, Participant.email_key == key)
    pending = select(RegistrationRequest.id).where(RegistrationRequest.program_id == program_id,
                                                   RegistrationRequest.email_key == key,
                                                   RegistrationRequest.status == "pending")
    return db.session.scalar(participant.limit(1)) is not None or db.session.scalar(pending.limit(1)) is not None


def pending_count(delegation):
    return db.session.scalar(select(func.count()).select_from(RegistrationRequest).where(
        RegistrationRequest.delegation_id == delegation.id, RegistrationRequest.status == "pending"))


def places_left(delegation):
    """Places neither taken by a participant nor held by a pending request."""
    return delegation.quota - active_count(delegation) - pending_count(delegation)


def delegation_requests(delegation):
    """The delegation's pending and rejected requests, newest first (what its focal point follows)."""
    return db.session.scalars(select(RegistrationRequest).where(RegistrationRequest.delegation_id == delegation.id)
                              .order_by(RegistrationRequest.created_at.desc(), RegistrationRequest.id.desc())).all()


def pending_requests(program):
    """The program's requests waiting for the secretariat, oldest first, with their delegations."""
    return db.session.scalars(select(RegistrationRequest).options(selectinload(RegistrationRequest.delegation))
                              .where(RegistrationRequest.program_id == program.id,
                                     RegistrationRequest.status == "pending")
                              .order_by(RegistrationRequest.created_at, RegistrationRequest.id)).all()


def waiting_count(program):
    """How many of the program's requests wait for the secretariat (the dashboard's cue)."""
    return db.session.scalar(select(func.count(RegistrationRequest.id)).where(
        RegistrationRequest.program_id == program.id, RegistrationRequest.status == "pending"))


def accept_request(request, actor_id):
    """The request becomes a participant, within the delegation's quota now (save_participant locks and counts)."""
    if request.status != "pending":
        raise ServiceError("reason", _l("This request was already decided."))
    fields = {name: getattr(request, name) for name in REQUEST_FIELDS}
    participant = save_participant(None, actor_id, program=request.delegation.program,
                                   delegation=request.delegation, timezone=None, **fields)
    record(actor_id, "registration.accepted", participant, request_id=request.id)
    db.session.delete(request)  # its data now lives in the participant's record
    db.session.flush()
    return participant


def reject_request(request, actor_id, reason):
    if request.status != "pending":
        raise ServiceError("reason", _l("This request was already decided."))
    request.status, request.reason = "rejected", reason.strip()
    request.decided_by, request.decided_at = actor_id, utcnow()
    db.session.flush()
    record(actor_id, "registration.rejected", request.delegation, request_id=request.id, reason=request.reason)
