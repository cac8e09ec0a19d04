"""After a session, those marked absent are sent its recording: each person once, whatever runs it or when."""
from datetime import timedelta

from sqlalchemy import exists, select, update
from sqlalchemy.dialects import postgresql, sqlite

from extensions import db

from .models import (
    MAX_NOTICE_HOURS,
    SESSION_KINDS,
    AbsenceNotice,
    Activity,
    Attendance,
    OutboundMessage,
    Participant,
)
from .schedule import notice_due
from .services import record
from .services_messages import queue_invitations

TOO_LATE = timedelta(days=14)  # a notice whose time passed longer ago than this is never sent


def activities_due(now):
    """Sessions with a recording whose notice to those absent is due at `now`."""
    earliest_end = now - TOO_LATE - timedelta(hours=MAX_NOTICE_HOURS)
    candidates = db.session.scalars(select(Activity).where(
        Activity.kind.in_(SESSION_KINDS), Activity.recording_link != "", Activity.absent_notice_hours.is_not(None),
        Activity.ends_at <= now, Activity.ends_at > earliest_end).order_by(Activity.ends_at, Activity.id)).all()
    return [activity for activity in candidates
            if notice_due(activity.ends_at, activity.absent_notice_hours, now, TOO_LATE)]


def queue_absence_notices(activity, now):
    """Queue the recording to each participant marked absent from `activity` who was not sent it yet (erased and
    withdrawn people are skipped); how many were queued. Each person is claimed first with an insert that a
    unique pair refuses the second time, so two runs at once, or a notice time edited afterwards, queue it once."""
    claimed = [person for person in _absent_without_notice(activity) if _claim(activity, person, now)]
    if not claimed:
        return 0
    ids = queue_invitations(activity.program, claimed, None, kind="absence", audited=False,
                            extra=lambda language: {"session": activity.title_in(language),
                                                    "recording": activity.recording_link})
    for message_id, participant_id in db.session.execute(select(OutboundMessage.id, OutboundMessage.participant_id)
                                                         .where(OutboundMessage.id.in_(ids))):
        db.session.execute(update(AbsenceNotice).where(
            AbsenceNotice.activity_id == activity.id, AbsenceNotice.participant_id == participant_id)
            .values(message_id=message_id))
    record(None, "absence_notices.queued", activity, count=len(ids))
    return len(ids)


def _absent_without_notice(activity):
    noticed = exists().where(AbsenceNotice.activity_id == activity.id,
                             AbsenceNotice.participant_id == Participant.id)
    return db.session.scalars(select(Participant).join(Attendance, Attendance.participant_id == Participant.id).where(
        Attendance.activity_id == activity.id, Attendance.status == "absent",
        Participant.program_id == activity.program_id, Participant.status != "withdrawn",
        Participant.erased_at.is_(None), ~noticed).order_by(Participant.id)).all()


def _claim(activity, participant, now):
    """Insert the person's notice unless it exists (INSERT … ON CONFLICT DO NOTHING): True for the one run that did
    (the row comes back only when inserted)."""
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    table = AbsenceNotice.__table__
    statement = dialect.insert(table).values(activity_id=activity.id, participant_id=participant.id,
                                             created_at=now).on_conflict_do_nothing(
        index_elements=["activity_id", "participant_id"]).returning(table.c.id)
    return db.session.execute(statement).scalar_one_or_none() is not None
