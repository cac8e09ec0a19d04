"""Attendance reports (Zoom, course platforms): keep the upload, plan it against the registrants, apply it once."""
import hashlib

from flask_babel import gettext as _
from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from extensions import db

from ..models import Attendance, AttendanceImport, AttendanceNameLink, Participant, utcnow
from ..services import ServiceError, record
from ..services_uploads import APPLIED, UploadNotClean, apply_once, read_staged, stage_upload, waiting_uploads
from ..textkeys import as_id
from .matching import IGNORE, UNLINKED, Registrant, plan_attendance
from .meeting_fit import SessionFacts, meeting_warnings
from .reports import read_report
from .services import save_marks

SOURCES = {"zoom": "zoom", "course": "course_report"}


class ReportNotClean(UploadNotClean):
    """The report has problems: nothing was written."""


def report_kind(activity):
    return "course" if activity.kind == "online_course" else "zoom"


def session_minutes(activity):
    if activity.starts_at is None or activity.ends_at is None:
        return None
    return round((activity.ends_at - activity.starts_at).total_seconds() / 60)


def check_importable(activity):
    """A Zoom report is judged against the session's length, so the session needs its times first."""
    if report_kind(activity) == "zoom" and not session_minutes(activity):
        raise ServiceError("file", _("This session has no start and end times yet: set them before importing "
                                     "a Zoom report."))


def store_report(activity, actor_id, filename, content, min_share):
    check_importable(activity)
    return stage_upload(AttendanceImport, actor_id, "attendance.report_uploaded", filename, content,
                        activity_id=activity.id,
                        sha256=hashlib.sha256(content).hexdigest(), min_share=min_share)


def waiting_reports(activity):
    """The activity's reports waiting for their confirmation."""
    return waiting_uploads(AttendanceImport, AttendanceImport.activity_id == activity.id)


def read_stored_report(upload, max_rows):
    """The stored file read as a report (TableError if it is no table); read once per request."""
    return read_report(read_staged(upload, max_rows), report_kind(upload.activity))


def plan_upload(upload, report):
    """Match the report against the registrants and their marks as they are now, with the saved decisions and the
    names linked on the program's earlier imports; and say where a Zoom report does not fit the session."""
    activity = upload.activity
    plan = plan_attendance(report, registrants(activity), upload.decisions, session_minutes(activity),
                           upload.min_share, remembered=remembered_names(activity.program_id))
    if report.kind == "zoom":
        plan.warnings = meeting_warnings(report, session_facts(activity))
    return plan


def session_facts(activity):
    return SessionFacts(activity.starts_at, activity.program.timezone, activity.link or "",
                        tuple(title for title in (activity.title or {}).values() if title), activity.code)


def remembered_names(program_id):
    """Folded report name → the registrant a reviewer linked it to on one of the program's imports."""
    return dict(db.session.execute(select(AttendanceNameLink.name_key, AttendanceNameLink.participant_id)
                                   .where(AttendanceNameLink.program_id == program_id)).all())


def registrants(activity):
    """Everyone registered in the program (not withdrawn), with their current mark for the activity."""
    rows = db.session.execute(
        select(Participant.id, Participant.email, Participant.given_names, Participant.family_names,
               Attendance.status, Attendance.source)
        .outerjoin(Attendance, (Attendance.participant_id == Participant.id)
                   & (Attendance.activity_id == activity.id))
        .where(Participant.program_id == activity.program_id, Participant.status != "withdrawn"))
    return [Registrant(*row) for row in rows]


def save_decisions(upload, actor_id, choices, visitors):
    """Keep the reviewer's links ('ignore' or a participant id) for the people the report left unmatched, and
    'not linked' where it overrides what would happen by default (the host ignored, a remembered link). A choice
    that is the default is not kept, so the default goes on deciding; a person the form sent no choice for keeps
    theirs. An id that is no registrant of this program links nobody: the plan only follows ids it knows."""
    decisions, saved = {}, upload.decisions or {}
    for visitor in visitors:
        value = choices.get(visitor.key)
        if value is None:  # no field for them in the form sent: what was decided before stands
            if visitor.key in saved:
                decisions[visitor.key] = saved[visitor.key]
            continue
        value = value if value == IGNORE else as_id(value) if value else UNLINKED
        if value is None or value == (visitor.default if visitor.default is not None else UNLINKED):
            continue
        decisions[visitor.key] = value
    if decisions != (upload.decisions or {}):
        upload.decisions = decisions
        db.session.flush()
        record(actor_id, "attendance.import_reviewed", upload, filename=upload.filename, decisions=len(decisions))


def similar_imports(upload):
    """Earlier confirmed imports of the very same file for this activity (re-importing sets the same marks)."""
    return db.session.scalars(select(AttendanceImport).where(
        AttendanceImport.activity_id == upload.activity_id, AttendanceImport.sha256 == upload.sha256,
        AttendanceImport.status == APPLIED, AttendanceImport.id != upload.id)).all()


def apply_upload(upload, actor_id, report):
    """Write the marks of a clean report once, planned after the claim (marks as they are now, decisions as just
    saved): (summary, True), or the first confirmation's (summary, False) for a second one."""
    return apply_once(upload, lambda: plan_upload(upload, report), lambda plan: _write(upload, plan, actor_id),
                      not_clean=ReportNotClean)


def _write(upload, plan, actor_id):
    write_plan(plan, upload.activity, actor_id)
    made, undone = remember_links(upload.activity.program_id, plan, actor_id)
    summary = plan.summary()
    record(actor_id, "attendance.imported", upload, activity=upload.activity.code, filename=upload.filename,
           warnings=[code for code, _params in plan.warnings], links_remembered=made, links_forgotten=undone,
           **{k: v for k, v in summary.items() if k != "unmatched_names"})
    return summary


def remember_links(program_id, plan, actor_id):
    """Keep the links the reviewer made on this import for the program's other imports (a name linked anew
    replaces its earlier link) and forget those they undid: (how many kept, how many forgotten)."""
    made, undone = plan.remembered_links()
    made = {key: participant_id for key, participant_id in made if len(key) <= 255}  # one link per name
    undone = [key for key in undone if key not in made]
    if undone:
        db.session.execute(delete(AttendanceNameLink).where(AttendanceNameLink.program_id == program_id,
                                                            AttendanceNameLink.name_key.in_(undone)))
    if made:
        table = AttendanceNameLink.__table__
        insert = postgresql_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
        statement = insert(table).values([{"program_id": program_id, "name_key": key, "participant_id": pid,
                                           "created_by": actor_id, "created_at": utcnow()}
                                          for key, pid in made.items()])
        # Two imports confirmed at once may link the same name: the database keeps one link, the later one's.
        db.session.execute(statement.on_conflict_do_update(
            index_elements=[table.c.program_id, table.c.name_key],
            set_={"participant_id": statement.excluded.participant_id, "created_by": statement.excluded.created_by,
                  "created_at": statement.excluded.created_at}))
    return len(made), len(undone)


def write_plan(plan, activity, actor_id):
    """Marks the report sets are written with the report as their source; kept hand marks get the minutes only.
    Marks are set, never added to, so the same report imported twice leaves the same marks."""
    source = SOURCES[plan.report.kind]
    reported = {pid: (o.status, None, o.minutes) for pid, o in plan.outcomes.items() if not o.kept}
    kept = {pid: (o.status, None, o.minutes) for pid, o in plan.outcomes.items() if o.kept}
    if reported:
        save_marks(activity, reported, actor_id, source=source)
    if kept:
        save_marks(activity, kept, actor_id, source="manual")
