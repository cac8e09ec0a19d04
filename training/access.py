"""The one place that decides who may see what: each route's permission (the table in `permissions`), checked
against the user's role in the program of what they load (their program roles), country scoping for every query,
and the participant's session that a personal link opens."""
from functools import wraps

from flask import abort, current_app, g, render_template, session
from flask_login import current_user
from sqlalchemy import select

from extensions import db, login_manager

from .models import Activity, Delegation, Participant, Program
from .models_grants import ruling_grant
from .permissions import PERMISSIONS, may
from .services_links import participant_of_session

PARTICIPANT_SESSION_KEY = "participant"


def permission_required(action):
    """Log-in required, then 403 unless one of the user's program roles lets them do `action` somewhere. The
    loaders below then check the role the user holds in the program of the object they load (none there: 404; one
    that may not do `action`: 403). A participant who came in through their personal link is known, so a staff
    page is a plain 403 for them rather than the staff login form. The view carries its action (`view.permission`),
    for the test that every route declares one."""
    _known(action)  # a misspelt action fails when the views load

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                if PARTICIPANT_SESSION_KEY in session:
                    abort(403)
                return login_manager.unauthorized()
            if not any(may(grant.role, action) for grant in current_user.grants):
                abort(403)
            g.permission = action
            return view(*args, **kwargs)

        wrapped.permission = action
        return wrapped

    return decorator


def can(action, program=None):
    """Whether the logged-in staff member may do `action` in `program` (by default the program this request loaded;
    without one, in any program): for what a page offers. Templates have it too."""
    _known(action)  # a misspelt action fails for anyone, not only for those logged in
    if not current_user.is_authenticated:
        return False
    program = program or g.get("access_program")
    if program is None:
        return any(may(grant.role, action) for grant in current_user.grants)
    grant = ruling_grant(current_user, program.id)
    return grant is not None and may(grant.role, action)


def allowed_actions(program=None):
    """Every action the logged-in staff member may do in `program` (as `can`), for pages that choose among many."""
    return frozenset(action for action in PERMISSIONS if can(action, program))


def _known(action):
    if action not in PERMISSIONS:
        raise KeyError(f"{action!r} is not in training.permissions.PERMISSIONS")


def actor_id():
    """The logged-in staff member's id, for the audit trail."""
    return current_user.id


def program_role(program, user=None):
    """The role `user` (by default the logged-in one) holds in `program`, or None."""
    grant = ruling_grant(user or current_user, program.id)
    return grant.role if grant is not None else None


def role_here():
    """The logged-in user's grant in the program this request loaded (the secretariat's on any page), or None."""
    program = g.get("access_program")
    if program is not None:
        return ruling_grant(current_user, program.id)
    return next((grant for grant in current_user.grants if grant.role == "admin"), None)


def program_country_scope(program, user=None):
    """The country `user` sees in `program` (a focal point's), or None for staff who see every delegation there."""
    grant = ruling_grant(user or current_user, program.id)
    return grant.country_code if grant is not None else None


def visible_programs(user=None):
    """The programs `user` (by default the logged-in one) has a role in; a focal point's only where their country
    has a delegation."""
    user = user or current_user
    query = select(Program).order_by(Program.start_date.desc().nulls_last(), Program.code)
    if not user.is_admin and not any(grant.program_id is None for grant in user.grants):
        query = query.where(Program.id.in_([grant.program_id for grant in user.grants]))
    return [program for program in db.session.scalars(query) if _reaches(program, ruling_grant(user, program.id))]


def _reaches(program, grant):
    return grant is not None and (grant.country_code is None
                                  or any(d.country_code == grant.country_code for d in program.delegations))


def _program_in_reach(program_id):
    """The program and the logged-in user's grant there; 404 unless they have one that reaches it."""
    program = db.session.get(Program, program_id) if program_id is not None else None
    grant = ruling_grant(current_user, program.id) if program is not None else None
    if not _reaches(program, grant):
        abort(404)
    g.access_program = program
    return program, grant


def _role_allows(grant):
    """403 when the user's role in this program may not do the action the route declared."""
    action = g.get("permission")
    if action is not None and not may(grant.role, action):
        abort(403)


def program_or_404(program_id):
    program, grant = _program_in_reach(program_id)
    _role_allows(grant)
    return program


def _in_country_or_404(program_id, country_code):
    """Load the program of an object of `country_code` (None: an observer's): 404 unless the user reaches both."""
    program, grant = _program_in_reach(program_id)
    if grant.country_code is not None and country_code != grant.country_code:
        abort(404)
    _role_allows(grant)
    return program


def scoped_delegations(program):
    query = select(Delegation).where(Delegation.program_id == program.id)
    scope = program_country_scope(program)
    if scope is not None:
        query = query.where(Delegation.country_code == scope)
    return query


def delegation_or_404(delegation_id):
    delegation = db.session.get(Delegation, delegation_id)
    if delegation is None:
        abort(404)
    _in_country_or_404(delegation.program_id, delegation.country_code)
    return delegation


def activity_or_404(activity_id):
    activity = db.session.get(Activity, activity_id)
    if activity is None:
        abort(404)
    program_or_404(activity.program_id)
    return activity


def active_participants(program):
    """The registered (not withdrawn) participants the current user may see, in name order."""
    return db.session.scalars(scoped_participants(program).where(Participant.status != "withdrawn")
                              .order_by(Participant.search_key)).all()


def scoped_participants(program):
    """Participants of the program the current user may see."""
    query = select(Participant).where(Participant.program_id == program.id)
    scope = program_country_scope(program)
    if scope is not None:
        query = query.join(Participant.delegation).where(Delegation.country_code == scope)
    return query


def participant_or_404(participant_id):
    participant = db.session.get(Participant, participant_id)
    if participant is None:
        abort(404)
    _in_country_or_404(participant.program_id, participant.delegation.country_code)
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


def participant_required(view=None, *, with_delegation=False):
    """Load the participant of this browser session (`with_delegation`: their delegation too, in the same query),
    or send them to the 'link not valid' page. As `@participant_required` or
    `@participant_required(with_delegation=True)`."""
    if view is None:
        return lambda view: participant_required(view, with_delegation=with_delegation)

    @wraps(view)
    def wrapped(*args, **kwargs):
        if session_participant(with_delegation) is None:
            return link_refused()
        return no_store(view(*args, **kwargs))

    return wrapped


def session_link():
    """(participant id, hash of the link that started it, session version) of this browser's participant session;
    (0, None, 0) without one. A view on a hot path may check them in its own query (`session_holds`) instead of
    loading the participant."""
    data = session.get(PARTICIPANT_SESSION_KEY) or {}
    return data.get("id") or 0, data.get("link"), data.get("version", 0)  # no version: a session from before them


def session_participant(with_delegation=False):
    """The participant of this browser session (also in `g`), or None: a re-issued, revoked or expired link, a
    withdrawal, or leaving the page ends the sessions it started."""
    participant = participant_of_session(*session_link(), with_delegation=with_delegation)
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
