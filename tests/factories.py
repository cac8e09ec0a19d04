"""Small builders of the records a test needs (staff, a program, delegations, participants, sessions, tests…): each
adds to the session and flushes, so ids are set and nothing is committed; conftest's `world` is made of them.
Call them inside an app context and commit once: `make_participant(make_delegation(make_program(), "MX"), …)`."""
import hashlib
from datetime import timedelta
from functools import cache

from sqlalchemy import select
from werkzeug.security import generate_password_hash

from assessments.models import Question, Questionnaire, ResponseImport, Section
from certificates.models import Certificate
from extensions import db
from training.models import Activity, AgendaItem, AttendanceImport, Delegation, ImportBatch, Participant, Program, User
from training.models_grants import ProgramRole
from training.models_groups import Group, GroupMember, GroupWork
from training.textkeys import person_search_key

PASSWORD = "correct-horse-battery"  # every staff account's, unless a test says otherwise
ZOOM_S0 = """Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest
Secretaría,host@example.org,03/03/2026 01:55:00 PM,03/03/2026 04:00:00 PM,125,No
José Ángel Núñez,jose.nunez@example.mx,03/03/2026 02:00:00 PM,03/03/2026 03:00:00 PM,60,Yes
José Ángel Núñez,jose.nunez@example.mx,03/03/2026 03:05:00 PM,03/03/2026 04:00:00 PM,55,Yes
IXCHEL TZUL BATZ,,03/03/2026 02:00:00 PM,03/03/2026 03:00:00 PM,60,Yes
"""


def _added(record):
    db.session.add(record)
    db.session.flush()
    return record


@cache
def password_hash(password=PASSWORD):
    """Hashed once per run: hashing is slow on purpose, and a test's staff share one password."""
    return generate_password_hash(password)


def make_staff(role, email, name, country_code=None, password=PASSWORD, programs=None, **fields):
    """A staff account with `role` in `programs`: admin (the secretariat: every program), organizer, facilitator,
    or focal_point of `country_code`. Without `programs`, an organizer or facilitator has the role in every
    program, and a focal point in each program that exists now with a delegation of their country (as migration
    0020 turned the accounts of before program roles into grants)."""
    user = _added(User(email=email, name=name, password_hash=password_hash(password), **fields))
    if role == "focal_point" and programs is None:
        programs = db.session.scalars(select(Program).where(Program.delegations.any(
            Delegation.country_code == country_code)).order_by(Program.id)).all()
    if role == "admin" or programs is None:
        make_grant(user, role)
    for program in programs or ():
        make_grant(user, role, program, country_code)
    db.session.flush()
    return user


def make_grant(user, role, program=None, country_code=None):
    """`user`'s `role` in `program` (None: every program)."""
    grant = ProgramRole(role=role, program_id=program.id if program is not None else None, country_code=country_code)
    user.grants.append(grant)
    db.session.flush()
    return grant


def make_program(code="TEST-2026", title=None, timezone="America/Mexico_City", languages=("es", "en"), **fields):
    """A program (by default the test program `link_for` and the command-line tests name)."""
    title = {"es": "Programa de prueba", "en": "Test program"} if title is None else title
    return _added(Program(code=code, title=title, timezone=timezone, languages=list(languages), **fields))


def make_delegation(program, country_code=None, organization=None, quota=3):
    """A member country's delegation, or an observer organization's when `organization` is given."""
    kind = "observer" if organization else "member"
    return _added(Delegation(program=program, kind=kind, country_code=country_code, organization=organization,
                             quota=quota))


def make_participant(delegation, given_names, family_names, email, **fields):
    """A participant of the delegation's program, with the keys the app derives (in the program's zone unless told)."""
    fields.setdefault("timezone", delegation.program.timezone)
    return _added(Participant(program_id=delegation.program_id, delegation_id=delegation.id, given_names=given_names,
                              family_names=family_names, email=email, email_key=email.lower(),
                              search_key=person_search_key(given_names, family_names, email), **fields))


def make_import_batch(delegation, by, filename, content, **fields):
    """A participant list `by` uploaded for the delegation and nobody confirmed yet."""
    return _added(ImportBatch(program_id=delegation.program_id, delegation_id=delegation.id, created_by=by.id,
                              filename=filename, content=content, **fields))


def make_activity(program, code, title, starts_at, ends_at=None, kind="virtual_session", **fields):
    """An activity (by default a virtual session of two hours) at UTC times."""
    return _added(Activity(program_id=program.id, code=code, kind=kind, title=title, starts_at=starts_at,
                           ends_at=ends_at or starts_at + timedelta(hours=2), **fields))


def make_agenda_item(activity, kind, title, starts_at=None, ends_at=None):
    """An item of the activity's agenda; by default as long as the activity."""
    item = AgendaItem(starts_at=starts_at or activity.starts_at, ends_at=ends_at or activity.ends_at, kind=kind,
                      title=title)
    activity.items.append(item)
    db.session.flush()
    return item


def make_group_work(item, groups, strategy="clusters", questions=None):
    """Group work for an agenda item; `groups` is [(Spanish name, countries, participants)], numbered in that order."""
    work = GroupWork(agenda_item_id=item.id, strategy=strategy, questions=questions or {})
    work.groups = [Group(position=number, names={"es": name}, countries=countries)
                   for number, (name, countries, _people) in enumerate(groups, start=1)]
    for group, (_name, _countries, people) in zip(work.groups, groups, strict=True):
        group.members = [GroupMember(participant_id=person.id) for person in people]
    return _added(work)


def make_attendance_report(activity, by, content=ZOOM_S0, filename="zoom.csv", sha256=None, min_share=75):
    """A Zoom report of the activity `by` uploaded, waiting for review (by default ZOOM_S0, world's report of S0)."""
    data = content.encode()
    return _added(AttendanceImport(activity_id=activity.id, created_by=by.id, filename=filename, content=data,
                                   sha256=sha256 or hashlib.sha256(data).hexdigest(), min_share=min_share))


def make_questionnaire(program, kind="pre", title=None, **fields):
    """A questionnaire of the program, with no sections yet (and no window: nobody can answer it)."""
    return _added(Questionnaire(program_id=program.id, kind=kind, title=title or {"es": "Prueba de entrada"},
                                **fields))


def make_section(questionnaire, title, position=1):
    return _added(Section(questionnaire_id=questionnaire.id, position=position, title=title))


def make_question(section, type, dimension, text, position=1, **fields):
    """A question of the section (options, correct answers, points, item key… as `fields`)."""
    return _added(Question(questionnaire_id=section.questionnaire_id, section_id=section.id, position=position,
                           type=type, dimension=dimension, text=text, **fields))


def make_response_import(questionnaire, by, filename, content):
    """An export of answers `by` uploaded for the questionnaire, not mapped yet."""
    return _added(ResponseImport(questionnaire_id=questionnaire.id, created_by=by.id, filename=filename,
                                 content=content))


def make_certificate(participant, serial_number, code, languages=("es",), hours=4):
    """A certificate the participant holds, its PDF not drawn yet (drawn when first downloaded)."""
    program = participant.program
    facts = {"name": f"{participant.given_names} {participant.family_names}", "title": program.title,
             "start": None, "end": None, "hours": hours, "place": {}, "virtual": True, "issuer": {}, "counts": {}}
    return _added(Certificate(program_id=program.id, participant_id=participant.id, serial_number=serial_number,
                              serial=f"{program.code}-{serial_number:04d}", code=code, languages=list(languages),
                              facts=facts))
