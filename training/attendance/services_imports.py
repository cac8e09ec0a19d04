"""Attendance reports (Zoom, course platforms): keep the upload, plan it against the registrants, apply it once."""
import hashlib

from flask_babel import gettext as _
from sqlalchemy import select

from extensions import db

from ..models import Attendance, AttendanceImport, Participant
from ..services import ServiceError, record
from ..services_uploads import APPLIED, UploadNotClean, apply_once, read_staged, stage_upload, waiting_uploads
from ..textkeys import as_id
from .matching import IGNORE, Registrant, plan_attendance
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
    """Match the report against the registrants and their marks as they are now, with the saved decisions."""
    activity = upload.activity
    return plan_attendance(report, registrants(activity), upload.decisions, session_minutes(activity),
                           upload.min_share)


def registrants(activity):
    """Everyone registered in the program (not withdrawn), with their current mark for the activity."""
    rows = db.session.execute(
        select(Participant.id, Participant.email, Participant.given_names, Participant.family_names,
               Attendance.status, Attendance.source)
        .outerjoin(Attendance, (Attendance.participant_id == Participant.id)
                   & (Attendance.activity_id == activity.id))
        .where(Participant.program_id == activity.program_id, Participant.status != "withdrawn"))
    return [Registrant(*row) for row in rows]


def save_decisions(upload, actor_id, choices, known_keys):
    """Keep the reviewer's links ('ignore' or a participant id) for the people the report left unmatched.
    An id that is no registrant of this program links nobody: the plan only follows ids it knows."""
    decisions = {}
    for key in known_keys:
        value = choices.get(key, "")
        if value == IGNORE or as_id(value) is not None:
            decisions[key] = value if value == IGNORE else as_id(value)
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
    summary = plan.summary()
    record(actor_id, "attendance.imported", upload, activity=upload.activity.code, filename=upload.filename,
           **{k: v for k, v in summary.items() if k != "unmatched_names"})
    return summary


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
