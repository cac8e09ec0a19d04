"""The one place that decides who may see what: role checks and country scoping for every query."""
from functools import wraps

from flask import abort, session
from flask_login import current_user
from sqlalchemy import select

from extensions import db, login_manager

from .models import ROLES, Activity, Delegation, Participant, Program

STAFF_EDITORS = ("admin", "focal_point")
PARTICIPANT_SESSION_KEY = "participant"  # set by the personal link (views_portal)


def roles_required(*roles):
    """Log-in required, then 403 unless the user has one of `roles`. A participant who came in through their
    personal link is known, so a staff page is a plain 403 for them rather than the staff login form."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                if PARTICIPANT_SESSION_KEY in session:
                    abort(403)
                return login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def staff_required(view):
    """Any staff role (a participant's session is a 403, an anonymous visitor goes to the login form)."""
    return roles_required(*ROLES)(view)


def actor_id():
    """The logged-in staff member's id, for the audit trail."""
    return current_user.id


def country_scope(user=None):
    """The country a user is bound to (focal points), or None for staff who see every delegation."""
    user = user or current_user
    return user.country_code if user.role == "focal_point" else None


def visible_programs(user=None):
    query = select(Program).order_by(Program.start_date.desc().nulls_last(), Program.code)
    scope = country_scope(user)
    if scope is not None:
        query = query.where(Program.delegations.any(Delegation.country_code == scope))
    return db.session.scalars(query).all()


def program_or_404(program_id):
    program = db.session.get(Program, program_id)
    if program is None:
        abort(404)
    scope = country_scope()
    if scope is not None and not any(d.country_code == scope for d in program.delegations):
        abort(404)
    return program


def scoped_delegations(program):
    query = select(Delegation).where(Delegation.program_id == program.id)
    scope = country_scope()
    if scope is not None:
        query = query.where(Delegation.country_code == scope)
    return query


def delegation_or_404(delegation_id):
    delegation = db.session.get(Delegation, delegation_id)
    scope = country_scope()
    if delegation is None or (scope is not None and delegation.country_code != scope):
        abort(404)
    return delegation


def activity_or_404(activity_id):
    activity = db.session.get(Activity, activity_id)
    if activity is None:
        abort(404)
    program_or_404(activity.program_id)  # country scoping for focal points
    return activity


def active_participants(program):
    """The registered (not withdrawn) participants the current user may see, in name order."""
    return db.session.scalars(scoped_participants(program).where(Participant.status != "withdrawn")
                              .order_by(Participant.search_key)).all()


def scoped_participants(program):
    """Participants of the program the current user may see."""
    query = select(Participant).where(Participant.program_id == program.id)
    scope = country_scope()
    if scope is not None:
        query = query.join(Participant.delegation).where(Delegation.country_code == scope)
    return query


def participant_or_404(participant_id):
    participant = db.session.get(Participant, participant_id)
    scope = country_scope()
    if participant is None or (scope is not None and participant.delegation.country_code != scope):
        abort(404)
    return participant
