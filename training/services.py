"""Database work for programs, delegations, participants and staff: queries and writes that flush, never commit."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from werkzeug.security import generate_password_hash

from extensions import db

from .countries import default_timezone
from .localized import compact
from .models import AuditEvent, Delegation, Participant, Program, User
from .models_grants import ProgramRole
from .models_groups import GroupMember
from .services_login_limits import forget_account_guesses
from .textkeys import email_key, person_search_key, squash_spaces


class ServiceError(Exception):
    """A rule the input breaks; `field` names the form field the message belongs next to."""

    def __init__(self, field, message):
        super().__init__(str(message))
        self.field = field
        self.message = message


def record(user_id, action, obj, **details):
    """Append an audit event for `obj`, with the program it belongs to (the audit log filters on it)."""
    db.session.add(
        AuditEvent(user_id=user_id, action=action, object_type=type(obj).__name__, object_id=obj.id,
                   program_id=program_id_of(obj), details=details)
    )


_PARENTS = ("activity", "questionnaire", "agenda_item", "group_work")  # how objects without a program_id reach one


def program_id_of(obj):
    """The id of the program `obj` belongs to, following its parents (an agenda item's activity, …); None for
    objects outside any program (staff accounts)."""
    if isinstance(obj, Program):
        return obj.id
    while obj is not None:
        if getattr(obj, "program_id", None) is not None:
            return obj.program_id
        obj = next((getattr(obj, name) for name in _PARENTS if hasattr(obj, name)), None)
    return None


# --- programs --------------------------------------------------------------------------------------------

LOCALIZED_PROGRAM_FIELDS = ("title", "description", "general_objective", "specific_objectives")


def save_program(program, actor_id, *, code, start_date, end_date, timezone, languages, **texts):
    """Create (program=None) or update a program; `texts` maps each localized field to {"es": …, "en": …}."""
    code = code.strip().upper()
    clash = db.session.scalar(select(Program.id).where(func.upper(Program.code) == code))
    if clash is not None and (program is None or clash != program.id):
        raise ServiceError("code", _l("Another program already uses this code."))
    creating = program is None
    program = program or Program()
    program.code, program.start_date, program.end_date = code, start_date, end_date
    program.timezone, program.languages = timezone, list(languages)
    for field in LOCALIZED_PROGRAM_FIELDS:
        setattr(program, field, compact(texts.get(field)))
    db.session.add(program)
    _flush_unique(_l("Another program already uses this code."), "code")
    record(actor_id, "program.created" if creating else "program.updated", program, code=code)
    return program


def program_by_code(code):
    return db.session.scalar(select(Program).where(func.upper(Program.code) == (code or "").strip().upper()))


# --- delegations -----------------------------------------------------------------------------------------


def add_delegation(program, actor_id, *, kind, country_code=None, organization=None, quota, status="invited",
                   focal_point_name="", focal_point_email="", focal_point_phone=""):
    """Add a member country's or an observer organization's delegation to a program."""
    delegation = Delegation(program_id=program.id, kind=kind, quota=quota, status=status)
    if kind == "member":
        delegation.country_code, column = country_code, Delegation.country_code
        message, field = _l("This country is already part of the program."), "country_code"
    else:
        delegation.organization, column = organization.strip(), Delegation.organization
        message, field = _l("This organization is already part of the program."), "organization"
    taken = select(Delegation.id).where(Delegation.program_id == program.id, column == getattr(delegation, field))
    if db.session.scalar(taken) is not None:
        raise ServiceError(field, message)
    _set_contacts(delegation, focal_point_name, focal_point_email, focal_point_phone)
    db.session.add(delegation)
    _flush_unique(message, field)
    record(actor_id, "delegation.created", delegation, country=country_code, organization=organization)
    return delegation


def update_delegation(delegation, actor_id, *, quota, status, focal_point_name, focal_point_email, focal_point_phone):
    _lock(delegation)  # so a registration cannot slip in between the count and the new quota
    if quota < active_count(delegation):
        raise ServiceError("quota", _l("The quota cannot be lower than the %(count)s people already registered.",
                                       count=active_count(delegation)))
    delegation.quota, delegation.status = quota, status
    _set_contacts(delegation, focal_point_name, focal_point_email, focal_point_phone)
    db.session.flush()
    record(actor_id, "delegation.updated", delegation, quota=quota, status=status)


def mark_list_submitted(delegation, actor_id):
    """The focal point says the list is complete: the secretariat has it to review."""
    if delegation.status == "invited":
        delegation.status = "list_received"
        db.session.flush()
        record(actor_id, "delegation.list_submitted", delegation)


def reopen_for_review(delegation_id, actor_id):
    """A focal point changed a confirmed list: it goes back to the secretariat for review."""
    reopened = db.session.execute(
        update(Delegation).where(Delegation.id == delegation_id, Delegation.status == "confirmed")
        .values(status="list_received")).rowcount
    if reopened:
        record(actor_id, "delegation.reopened", db.session.get(Delegation, delegation_id))


def confirm_list(delegation, actor_id):
    delegation.status = "confirmed"
    db.session.flush()
    record(actor_id, "delegation.confirmed", delegation)


def _set_contacts(delegation, name, email, phone):
    delegation.focal_point_name = (name or "").strip()
    delegation.focal_point_email = (email or "").strip()
    delegation.focal_point_phone = (phone or "").strip()


def active_count(delegation):
    return db.session.scalar(
        select(func.count()).where(Participant.delegation_id == delegation.id, Participant.status != "withdrawn")
    )


def delegation_summaries(program, country_code=None):
    """Each delegation of the program with its count of active participants, members first by country."""
    counts = (
        select(Participant.delegation_id, func.count().label("registered"))
        .where(Participant.program_id == program.id, Participant.status != "withdrawn")
        .group_by(Participant.delegation_id)
        .subquery()
    )
    query = (
        select(Delegation, func.coalesce(counts.c.registered, 0))
        .outerjoin(counts, counts.c.delegation_id == Delegation.id)
        .where(Delegation.program_id == program.id)
    )
    if country_code is not None:
        query = query.where(Delegation.country_code == country_code)
    return [tuple(row) for row in db.session.execute(query)]


# --- participants ----------------------------------------------------------------------------------------

PARTICIPANT_FIELDS = ("given_names", "family_names", "position", "institution", "email", "gender", "profile",
                      "language", "timezone")


def save_participant(participant, actor_id, *, program, delegation, **fields):
    """Create (participant=None) or update a participant, within the delegation's quota and with a unique e-mail."""
    creating = participant is None
    if delegation.program_id != program.id:
        raise ServiceError("delegation_id", _l("Choose a delegation of this program."))
    moving = not creating and participant.delegation_id != delegation.id
    if creating or (moving and participant.status != "withdrawn"):
        _reserve_place(delegation)
    participant = participant or Participant(program_id=program.id, status="registered")
    key = email_key(fields["email"])
    _check_email_free(program.id, key, participant.id)
    for name in PARTICIPANT_FIELDS:
        value = fields.get(name)
        setattr(participant, name, value.strip() if isinstance(value, str) else value)
    participant.given_names = squash_spaces(participant.given_names)
    participant.family_names = squash_spaces(participant.family_names)
    participant.email_key = key
    participant.search_key = person_search_key(participant.given_names, participant.family_names, key,
                                               participant.institution)
    if not participant.timezone:
        participant.timezone = default_timezone(delegation.country_code, program.timezone) or program.timezone
    participant.delegation_id = delegation.id
    db.session.add(participant)
    _flush_unique(_l("This e-mail address is already registered in the program."), "email")
    record(actor_id, "participant.created" if creating else "participant.updated", participant)
    return participant


def withdraw_participant(participant, actor_id):
    """Withdrawn people leave every group too (their group mates would otherwise still see them)."""
    participant.status = "withdrawn"
    db.session.execute(delete(GroupMember).where(GroupMember.participant_id == participant.id))
    db.session.flush()
    record(actor_id, "participant.withdrawn", participant)


def reinstate_participant(participant, actor_id):
    """Bring a withdrawn participant back, if the delegation still has room."""
    if participant.status != "withdrawn":
        return
    _reserve_place(participant.delegation)
    participant.status = "registered"
    db.session.flush()
    record(actor_id, "participant.reinstated", participant)


def _lock(delegation):
    # Row lock on PostgreSQL so concurrent registrations cannot both take the delegation's last place;
    # SQLite's immediate write transactions already serialize writers.
    db.session.execute(select(Delegation.id).where(Delegation.id == delegation.id).with_for_update())


def _reserve_place(delegation):
    _lock(delegation)
    if active_count(delegation) >= delegation.quota:
        raise ServiceError("delegation_id", _l("This delegation's quota of %(quota)s is full.", quota=delegation.quota))


def _check_email_free(program_id, key, participant_id):
    query = select(Participant.id).where(Participant.program_id == program_id, Participant.email_key == key)
    existing = db.session.scalar(query)
    if existing is not None and existing != participant_id:
        raise ServiceError("email", _l("This e-mail address is already registered in the program."))


def _flush_unique(message, field):
    # The database constraint is the last word when two requests race past the checks above;
    # the caller rolls the session back on ServiceError.
    try:
        db.session.flush()
    except IntegrityError as error:
        raise ServiceError(field, message) from error


# --- staff -----------------------------------------------------------------------------------------------


def save_user(user, actor_id, *, email, name, language, active=True, password=None, secretariat=None):
    """Create (user=None) or update a staff account; the password is only replaced when given. `secretariat`
    True or False gives or takes the secretariat's grant (every action in every program); None leaves it."""
    key = email_key(email)
    clash = db.session.scalar(select(User.id).where(User.email == key))
    if clash is not None and (user is None or clash != user.id):
        raise ServiceError("email", _l("Another account already uses this e-mail address."))
    creating = user is None
    if creating and not password:
        raise ServiceError("password", _l("A new account needs a password."))
    user = user or User()
    if not creating and (password or (user.active and not active)):
        user.end_sessions()  # ASVS: a new password or a deactivation ends the account's sessions everywhere
    user.email, user.name, user.language, user.active = key, name.strip(), language, active
    if password:
        user.password_hash = generate_password_hash(password)  # which also withdraws its device cookies' trust
        forget_account_guesses(key)  # an attack on the account must not keep its owner out after a reset
    db.session.add(user)
    _flush_unique(_l("Another account already uses this e-mail address."), "email")
    changed = secretariat is not None and secretariat != user.is_admin
    if changed:
        _set_secretariat(user, secretariat)
    record(actor_id, "user.created" if creating else "user.updated", user,
           **({"secretariat": secretariat} if changed else {}))
    return user


def _set_secretariat(user, secretariat):
    """The secretariat's grant replaces an organizer's or facilitator's for every program (one per account)."""
    for grant in [grant for grant in user.grants if grant.program_id is None]:
        user.grants.remove(grant)
    db.session.flush()  # the old grant's row goes before the new one takes its place in the unique index
    if secretariat:
        user.grants.append(ProgramRole(role="admin"))
    db.session.flush()


def grant_role(user, actor_id, *, program, role, country_code=None):
    """Give `user` `role` in `program` (None: every program), replacing the role they had there. A focal point is of
    one country in one program; the secretariat's grant is `save_user`'s."""
    if role == "focal_point" and (program is None or not country_code):
        raise ServiceError("country_code" if program else "program_id",
                           _l("A focal point is of one country in one program."))
    if role not in ("focal_point", "organizer", "facilitator"):
        raise ServiceError("role", _l("Choose a role."))
    program_id = program.id if program is not None else None
    grant = next((grant for grant in user.grants if grant.program_id == program_id and grant.role != "admin"), None)
    if grant is None:
        if program_id is None and user.is_admin:
            raise ServiceError("program_id", _l("The secretariat already has every role in every program."))
        grant = ProgramRole(program_id=program_id)
        user.grants.append(grant)
    grant.role, grant.country_code = role, country_code if role == "focal_point" else None
    db.session.flush()
    record(actor_id, "user.role_granted", user, **_grant_details(grant, program))
    return grant


def remove_grant(grant, actor_id):
    """Take one program role away from its account (the secretariat's is `save_user`'s)."""
    user = grant.user
    details = _grant_details(grant, db.session.get(Program, grant.program_id) if grant.program_id else None)
    user.grants.remove(grant)
    db.session.flush()
    record(actor_id, "user.role_removed", user, **details)


def _grant_details(grant, program):
    return {"program": program.code if program is not None else None, "role": grant.role,
            "country_code": grant.country_code}


def user_by_email(email):
    return db.session.scalar(select(User).where(User.email == email_key(email)))
