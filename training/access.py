"""The one place that decides who may see what: each route's permission (the table in `permissions`), country
scoping for every query, and the participant's session that a personal link opens."""
from functools import wraps

from flask import abort, current_app, g, render_template, session
from flask_login import current_user
from sqlalchemy import select

from extensions import db, login_manager

from .models import Activity, Delegation, Participant, Program
from .permissions import PERMISSIONS, may
from .services_links import participant_of_session

PARTICIPANT_SESSION_KEY = "participant"


def permission_required(action):
    """Log-in required, then 403 unless PERMISSIONS lets the user's role do `action`. A participant who came in
    through their personal link is known, so a staff page is a plain 403 for them rather than the staff login form.
    The view carries its action (`view.permission`), for the test that every route declares one."""
    _known(action)  # a misspelt action fails when the views load

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                if PARTICIPANT_SESSION_KEY in session:
                    abort(403)
                return login_manager.unauthorized()
            if not may(current_user.role, action):
                abort(403)
            return view(*args, **kwargs)

        wrapped.permission = action
        return wrapped

    return decorator


def can(action):
    """Whether the logged-in staff member may do `action` (for what a page offers; templates have it too)."""
    _known(action)  # a misspelt action fails for anyone, not only for those logged in
    return current_user.is_authenticated and may(current_user.role, action)


def allowed_actions():
    """Every action the logged-in staff member may do (for pages that choose among many, like the dashboard)."""
    return frozenset(action for action in PERMISSIONS if can(action))


def _known(action):
    if action not in PERMISSIONS:
        raise KeyError(f"{action!r} is not in training.permissions.PERMISSIONS")


def actor_id():
    """The logged-in staff member's id, for the audit trail."""
    return current_user.id


def country_scope(user=None):
    """The country a user is bound to (focal points), or None for staff who see every delegation."""
    user = user or current_user
    return user.country_code if user.role == "focal_point" else None


def program_country_scope(program, user=None):
    """The country `user` sees in `program` (a focal point's), or None for staff who see every delegation there."""
    return country_scope(user)


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


# --- The participant's session -------------------------------------------------------------------------------------


def start_participant_session(participant):
    """Open this browser's session for `participant` (the POST of their personal link), replacing any other."""
    session.pop(PARTICIPANT_SESSION_KEY, None)
    session[PARTICIPANT_SESSION_KEY] = {"id": participant.id, "link": participant.token_hash,
                                        "version": participant.session_version}
    # Flask-Login's strong session protection rewrites a session without its identifier on every request;
    # concurrent requests (autosaves, a language switch) would then overwrite each other's cookie.
    session["_id"] = login_manager._session_identifier_generator()
    session["language"] = participant.language


def end_participant_session():
    session.pop(PARTICIPANT_SESSION_KEY, None)


def participant_required(view):
    """Load the participant of this browser session, or send them to the 'link not valid' page."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if session_participant() is None:
            return link_refused()
        return no_store(view(*args, **kwargs))

    return wrapped


def session_link():
    """(participant id, hash of the link that started it, session version) of this browser's participant session;
    (0, None, 0) without one. A view on a hot path may check them in its own query (`session_holds`) instead of
    loading the participant."""
    data = session.get(PARTICIPANT_SESSION_KEY) or {}
    return data.get("id") or 0, data.get("link"), data.get("version", 0)  # no version: a session from before them


def session_participant():
    """The participant of this browser session (also in `g`), or None: a re-issued, revoked or expired link, a
    withdrawal, or leaving the page ends the sessions it started."""
    participant = participant_of_session(*session_link())
    if participant is None:
        end_participant_session()
        return None
    g.participant = participant
    g.participant_language = participant.language
    return participant


def link_refused():
    return no_store(render_template("training/link_invalid.html"), 403)


def no_store(response, status=None):
    """A page about one person (a participant's, a certificate's check): kept by no cache, named in no Referer."""
    response = current_app.make_response(response if status is None else (response, status))
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
