"""What training knows of a program's progress, as `lifecycle`'s plain facts: its dates and titles, activities and
their attendance, delegations and their lists, invitations (counted among one country's people for a focal point)."""
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import exists, func, select

from extensions import db

from .lifecycle_facts import ActivityFacts, DelegationFacts, Facts, ProgramFacts
from .models import Activity, Attendance, Delegation, OutboundMessage, Participant
from .services_activities import program_activities
from .services_messages import INVITED


def active_participants_of(program, country_code=None):
    """The program's active (not withdrawn) participants, of one country when it is given, as a query."""
    query = select(Participant).where(Participant.program_id == program.id, Participant.status != "withdrawn")
    if country_code is not None:
        query = query.join(Participant.delegation).where(Delegation.country_code == country_code)
    return query


def lifecycle_facts(program, country_code, delegation_rows, contributed):
    """lifecycle.Facts of `program` for a viewer bound to `country_code` (None: every country).
    `delegation_rows`: services.delegation_summaries' (delegation, registered) for the same viewer; `contributed`:
    the later blueprints' facts by hook name."""
    people = active_participants_of(program, country_code)
    ids = people.with_only_columns(Participant.id)
    activities = program_activities(program)
    return Facts(
        program=program_facts(program, activities),
        activities=tuple(_activity_facts(activities, _marked(program, ids))),
        delegations=tuple(DelegationFacts(delegation.id, delegation.status, registered, delegation.quota)
                          for delegation, registered in delegation_rows),
        participants=db.session.scalar(select(func.count()).select_from(people.subquery())),
        invited=db.session.scalar(select(func.count()).where(Participant.id.in_(ids), _invited())),
        queued=db.session.scalar(select(func.count()).where(OutboundMessage.program_id == program.id,
                                                            OutboundMessage.status == "queued")),
        contributed=dict(contributed),
    )


def program_facts(program, activities):
    starts = [a.starts_at for a in activities if a.starts_at is not None]
    ends = [a.ends_at or a.due_at for a in activities if (a.ends_at or a.due_at) is not None]
    if program.start_date:
        starts.append(_midnight(program.start_date, program.timezone))
    if program.end_date:
        ends.append(_midnight(program.end_date + timedelta(days=1), program.timezone))
    return ProgramFacts(languages=tuple(program.languages or ()),
                        titled=tuple(code for code, text in (program.title or {}).items() if (text or "").strip()),
                        start_date=program.start_date, end_date=program.end_date,
                        starts_at=min(starts) if starts else None, ends_at=max(ends) if ends else None)


def _midnight(day, zone):
    return datetime.combine(day, time(), ZoneInfo(zone)).astimezone(timezone.utc)


def _activity_facts(activities, marked):
    for activity in activities:
        yield ActivityFacts(activity.id, activity.code, activity.is_session, activity.required, activity.starts_at,
                            activity.ends_at or activity.due_at, len(activity.items), marked.get(activity.id, 0))


def _marked(program, participant_ids):
    """activity id → how many of the participants have a mark there."""
    return dict(db.session.execute(
        select(Attendance.activity_id, func.count()).join(Activity)
        .where(Activity.program_id == program.id, Attendance.participant_id.in_(participant_ids))
        .group_by(Attendance.activity_id)).all())


def _invited():
    return exists().where(OutboundMessage.participant_id == Participant.id, OutboundMessage.kind == "invitation",
                          OutboundMessage.status.in_(INVITED))
