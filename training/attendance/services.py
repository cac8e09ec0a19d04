"""Attendance marks: the sheet of one activity, saving marks, and the program-wide matrix."""
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError

from extensions import db

from ..labels import ATTENDANCE_LABELS, delegation_label
from ..models import Activity, Attendance, Participant, utcnow
from ..services import ServiceError, record
from ..services_activities import program_activities
from .rules import missing_required, not_started


class NotStarted(ServiceError):
    """Marks for an activity that has not started, without the override and its reason."""

    def __init__(self, starts_at, ticked):
        super().__init__("override_reason", "reason" if ticked else "not_started")
        self.starts_at = starts_at


def save_sheet(activity, marks, actor_id, override=False, reason="", now=None):
    """The sheet's marks. Before the activity starts they are refused (NotStarted) unless the staff member ticks
    the override and says why; the audit event keeps the reason and the start it overrode."""
    reason = (reason or "").strip()[:500]
    details = {}
    if not_started(activity.starts_at, now or utcnow()):
        if not (override and reason):
            raise NotStarted(activity.starts_at, override)
        details = {"override_reason": reason, "starts_at": activity.starts_at.isoformat()}
    save_marks(activity, marks, actor_id, details=details)


def marks_for(activity, participant_ids):
    rows = db.session.scalars(select(Attendance).where(Attendance.activity_id == activity.id,
                                                       Attendance.participant_id.in_(participant_ids)))
    return {row.participant_id: row for row in rows}


def save_marks(activity, marks, actor_id, source="manual", details=None):
    """Insert or update one mark per participant: `marks` maps participant id → (status, comment, minutes);
    a comment or minutes of None keep what the mark had. `details` go into the audit event."""
    existing = marks_for(activity, list(marks))
    for participant_id, (status, comment, minutes) in marks.items():
        row = existing.get(participant_id) or Attendance(participant_id=participant_id, activity_id=activity.id)
        row.status, row.source, row.recorded_by = status, source, actor_id
        if comment is not None or row.comment is None:
            row.comment = (comment or "")[:500]
        if minutes is not None or row.minutes is None:
            row.minutes = minutes
        db.session.add(row)
    try:
        db.session.flush()
    except IntegrityError as error:  # someone saved the same sheet at the same moment
        raise ServiceError("marks", "conflict") from error
    record(actor_id, "attendance.saved", activity, count=len(marks), source=source, **(details or {}))


def has_ended(activity, now=None):
    """Whether the session (or the course's deadline) is over; an activity without times may be marked any time."""
    ends = activity.ends_at or activity.due_at
    return ends is None or ends <= (now or utcnow())


def mark_rest_absent(activity, participant_ids, actor_id, now=None):
    """Mark absent every one of `participant_ids` (the registrants the staff member may mark) who has no mark for
    the activity yet, once it is over; how many were marked. Pressed twice, or with a sheet or an import saved at
    the same moment, it marks nobody twice and overwrites no mark: the database keeps the first."""
    if not has_ended(activity, now):
        raise ServiceError("activity", _("This activity has not ended yet: nobody can be marked absent from it."))
    marked = set(db.session.scalars(select(Attendance.participant_id).where(Attendance.activity_id == activity.id)))
    rows = [{"participant_id": pid, "activity_id": activity.id, "status": "absent", "source": "manual",
             "comment": "", "recorded_by": actor_id, "recorded_at": now or utcnow()}
            for pid in sorted(set(participant_ids) - marked)]
    if not rows:
        return 0
    table = Attendance.__table__
    insert = postgresql_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = (insert(table).values(rows)
                 .on_conflict_do_nothing(index_elements=[table.c.participant_id, table.c.activity_id])
                 .returning(table.c.participant_id))
    count = len(db.session.execute(statement).all())
    if count:
        record(actor_id, "attendance.absent_marked", activity, count=count)
    return count


def attendance_matrix(program, participant_query):
    """Rows of (participant, {activity code: status}, [missing required codes]) and the activities in order."""
    activities = program_activities(program)
    required = [a.code for a in activities if a.required]
    participants = db.session.scalars(participant_query.where(Participant.status != "withdrawn")
                                      .order_by(Participant.search_key)).all()
    codes = {a.id: a.code for a in activities}
    marks = {}
    ids = [p.id for p in participants]
    if ids:
        for row in db.session.scalars(select(Attendance).join(Activity).where(Activity.program_id == program.id,
                                                                              Attendance.participant_id.in_(ids))):
            marks.setdefault(row.participant_id, {})[codes[row.activity_id]] = row.status
    rows = [(p, marks.get(p.id, {}), missing_required(required, marks.get(p.id, {})))
            for p in participants]
    return activities, rows


def matrix_table(activities, rows, language):
    """The matrix as plain headers and rows, for CSV/XLSX (also used by the CLI)."""
    headers = [_("Family names"), _("Given names"), _("E-mail"), _("Delegation")] + \
        [a.code for a in activities] + [_("Required activities missing")]
    table = [[p.family_names, p.given_names, p.email, delegation_label(p.delegation, language)]
             + [str(ATTENDANCE_LABELS[marks[a.code]]) if a.code in marks else "" for a in activities]
             + [" ".join(missing)] for p, marks, missing in rows]
    return headers, table
