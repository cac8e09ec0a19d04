"""A person across programs: their registrations elsewhere, found by e-mail, within what the viewer may see."""
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import func, select

from extensions import db

from .attendance.rules import ATTENDED
from .hooks import hooks
from .models import Activity, Attendance, Delegation, Participant, Program

KEYS_PER_QUERY = 500  # well under every database's limit on bound parameters


@dataclass(frozen=True)
class Registration:
    """One of the person's registrations in another program, and what it holds: activities attended of the
    program's, and each history hook's text (tests' scores, certificate) by hook name."""

    participant: Participant
    attended: int
    activities: int
    facts: dict


def registrations_elsewhere(email_keys, program_id, scopes, active_only=False):
    """email key → the person's registrations in programs other than `program_id`, newest program first. `scopes`:
    program id → the country the viewer sees there (None: every delegation); other programs are never searched.
    Erased registrations are not anyone's any more; withdrawn ones count unless `active_only`."""
    keys = sorted({key for key in email_keys if key})
    found = {}
    for start in range(0, len(keys), KEYS_PER_QUERY):
        query = (select(Participant, Delegation.country_code).join(Participant.delegation).join(Participant.program)
                 .where(Participant.email_key.in_(keys[start:start + KEYS_PER_QUERY]),
                        Participant.program_id != program_id, Participant.program_id.in_(list(scopes)),
                        Participant.erased_at.is_(None))
                 .order_by(Program.start_date.desc().nulls_last(), Program.code))
        if active_only:
            query = query.where(Participant.status != "withdrawn")
        for participant, country in db.session.execute(query):
            if scopes[participant.program_id] in (None, country):
                found.setdefault(participant.email_key, []).append(participant)
    return found


def person_history(participant, scopes):
    """The person's registrations in the other programs of `scopes`, with what each of them holds."""
    others = registrations_elsewhere([participant.email_key], participant.program_id, scopes).get(
        participant.email_key, []) if participant.erased_at is None else []
    if not others:
        return []
    ids = [other.id for other in others]
    attended = dict(db.session.execute(
        select(Attendance.participant_id, func.count()).where(Attendance.participant_id.in_(ids),
                                                              Attendance.status.in_(ATTENDED))
        .group_by(Attendance.participant_id)).all())
    activities = dict(db.session.execute(
        select(Activity.program_id, func.count()).where(Activity.program_id.in_({o.program_id for o in others}))
        .group_by(Activity.program_id)).all())
    facts = {name: load(ids) for name, (_label, load) in hooks(current_app).person_history.items()}
    return [Registration(other, attended.get(other.id, 0), activities.get(other.program_id, 0),
                         {name: texts.get(other.id) for name, texts in facts.items()}) for other in others]


def history_labels():
    """Hook name → the column heading its texts go under, in the order the blueprints registered them."""
    return {name: label for name, (label, _load) in hooks(current_app).person_history.items()}
