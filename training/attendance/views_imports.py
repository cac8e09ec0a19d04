"""Import a Zoom participant report or a course-completion report: upload → review (link or ignore who was
not matched) → confirm; nothing is written to attendance before the confirmation."""
import hashlib

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from extensions import db
from transactions import writes

from .. import bp
from ..access import active_participants, activity_or_404, actor_id, permission_required
from ..forms import AttendanceReportForm, SheetForm
from ..labels import REPORT_PROBLEMS, current_language, delegation_label, meeting_warning_text, problem_text
from ..models import AttendanceImport
from ..services import ServiceError
from ..tabular import TableError
from ..web import UploadPages, max_upload_megabytes, table_message
from .matching import IGNORE
from .services_imports import (
    ReportNotClean,
    apply_upload,
    check_importable,
    plan_upload,
    read_stored_report,
    report_kind,
    save_decisions,
    session_minutes,
    similar_imports,
    store_report,
    waiting_reports,
)

REPORTS = UploadPages(
    AttendanceImport, owner_or_404=lambda upload: activity_or_404(upload.activity_id),
    review_url=lambda upload: url_for("training.attendance_import_review", import_id=upload.id),
    upload_url=lambda upload: url_for("training.attendance_import", activity_id=upload.activity_id),
    applied_url=lambda upload: url_for("training.attendance_sheet", activity_id=upload.activity_id),
    applied_message=lambda summary: _("Attendance imported: %(matched)s people matched, %(present)s present, "
                                      "%(partial)s partial, %(unmatched)s not matched.", **summary),
    already_message=_l("This report was already imported."), discarded_action="attendance.import_discarded",
    default_filename="report")


@bp.route("/activities/<int:activity_id>/attendance/import", methods=["GET", "POST"])
@permission_required("attendance.import")
@writes
def attendance_import(activity_id):
    activity = activity_or_404(activity_id)
    form = AttendanceReportForm(min_share=current_app.config["ATTENDANCE_MIN_SHARE"])
    if report_kind(activity) == "course":
        del form.min_share
    if form.validate_on_submit():
        share = form.min_share.data if "min_share" in form else current_app.config["ATTENDANCE_MIN_SHARE"]
        upload = REPORTS.stage(form.file, lambda filename, content: store_report(
            activity, actor_id(), filename, content, share))
        if upload is None:
            db.session.rollback()
        else:
            return redirect(REPORTS.review_url(upload))
    return render_template("training/attendance_import_form.html", activity=activity, program=activity.program,
                           form=form, kind=report_kind(activity), minutes=session_minutes(activity),
                           max_megabytes=max_upload_megabytes(), waiting=waiting_reports(activity))


@bp.route("/attendance-imports/<int:import_id>", methods=["GET", "POST"])
@permission_required("attendance.import")
@writes
def attendance_import_review(import_id):
    upload = REPORTS.get_or_404(import_id)
    form = SheetForm()
    try:
        report = read_stored_report(upload, current_app.config["IMPORT_MAX_ROWS"])
    except TableError as error:
        return _render(upload, None, form, table_error=table_message(error))
    plan = plan_upload(upload, report)
    if not form.validate_on_submit():
        return _render(upload, plan, form)
    if (done := REPORTS.already_applied(upload)) is not None:
        return done
    choices = {visitor.key: request.form.get(choice_field(visitor.key)) for visitor in plan.reviewed}
    save_decisions(upload, actor_id(), choices, plan.reviewed)
    if request.form.get("action") != "confirm":
        return redirect(REPORTS.review_url(upload))
    if plan.warnings and request.form.get("fits_anyway") != "yes":
        flash(_("Nothing was imported: this report may not be of this session. Check it, and tick the box if it "
                "is."), "error")
        return redirect(REPORTS.review_url(upload))
    try:
        summary, first = apply_upload(upload, actor_id(), report)
    except ReportNotClean as error:
        db.session.rollback()
        flash(_("Nothing was imported: the report has rows to fix."), "error")
        return _render(upload, error.plan, form)
    return REPORTS.applied(upload, summary, first)


@bp.route("/attendance-imports/<int:import_id>/discard", methods=["POST"])
@permission_required("attendance.import")
@writes
def attendance_import_discard(import_id):
    return REPORTS.discard(import_id)


def choice_field(key):
    """The review form's field for one unmatched person: named after a digest of their key, so the same person
    keeps the same field even if the list changes between showing the form and sending it."""
    return "person-" + hashlib.sha256(key.encode()).hexdigest()[:16]


def _people(upload):
    return active_participants(upload.activity.program)  # importers are never country-scoped: everyone


def _render(upload, plan, form, table_error=None):
    activity = upload.activity
    people = _people(upload)
    language = current_language()
    by_id = {person.id: person for person in people}
    problem = None
    try:
        check_importable(activity)
    except ServiceError as error:
        problem = error.message
    title = activity.title_in(language)
    warnings = [meeting_warning_text(code, params, title, activity.program.timezone)
                for code, params in (plan.warnings if plan else [])]
    return render_template(
        "training/attendance_import_review.html", upload=upload, activity=activity, program=activity.program,
        plan=plan, form=form, warnings=warnings, table_error=table_error or problem, people=people, by_id=by_id,
        delegations={d.id: delegation_label(d, language) for d in activity.program.delegations},
        minutes=session_minutes(activity), ignore=IGNORE, choice_field=choice_field, earlier=similar_imports(upload),
        messages=lambda errors: [problem_text(REPORT_PROBLEMS, code, params) for code, params in errors])

