"""Attendance: the sheet of a session or course (tablet-friendly), and the program's matrix with exports."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from extensions import db
from transactions import writes

from .. import bp
from ..access import (
    active_participants,
    activity_or_404,
    actor_id,
    permission_required,
    program_or_404,
    scoped_participants,
)
from ..forms import SheetForm
from ..labels import current_language
from ..models import Participant, utcnow
from ..schedule import when
from ..services import ServiceError
from ..textkeys import as_id, database_id
from ..web import delegation_choices, send_export
from .rules import not_started, sheet_counts
from .services import NotStarted, attendance_matrix, has_ended, mark_rest_absent, marks_for, matrix_table, save_sheet

SESSION_STATUSES = ("present", "late", "partial", "excused", "absent")  # partial: from a Zoom report
COURSE_STATUSES = ("completed", "partial", "absent")


@bp.route("/activities/<int:activity_id>/attendance", methods=["GET", "POST"])
@permission_required("attendance.mark")
@writes
def attendance_sheet(activity_id):
    activity = activity_or_404(activity_id)
    people = active_participants(activity.program)
    statuses = COURSE_STATUSES if activity.kind == "online_course" else SESSION_STATUSES
    form = SheetForm()
    typed = None
    if form.validate_on_submit():
        allowed = {p.id for p in people}
        marks = _changed(_marks_from(request.form, allowed, statuses), marks_for(activity, list(allowed)))
        try:
            save_sheet(activity, marks, actor_id(), form.override.data, form.override_reason.data)
        except NotStarted as refusal:
            db.session.rollback()
            _say_not_started(form, activity, refusal)
            typed = _typed(request.form, people)
        except ServiceError:
            db.session.rollback()
            flash(_("Someone saved this sheet at the same moment; your marks were not saved. Try again."), "error")
        else:
            flash(ngettext("%(num)s mark saved.", "%(num)s marks saved.", len(marks)), "success")
            return redirect(url_for("training.attendance_sheet", activity_id=activity.id))
    return _sheet(activity, people, statuses, form, typed)


def _sheet(activity, people, statuses, form, typed):
    """The sheet with the stored marks, or with what was typed when it was refused (status 400)."""
    existing = marks_for(activity, [p.id for p in people])
    counts = sheet_counts(existing[p.id].status if p.id in existing else None for p in people)
    chosen = {pid: (mark.status, mark.comment) for pid, mark in existing.items()} if typed is None else typed
    program = activity.program
    upcoming = not_started(activity.starts_at, utcnow())
    starts = when(activity.starts_at, program.timezone, current_language()) if upcoming else ""
    return render_template("training/attendance_sheet.html", activity=activity, program=program, people=people,
                           marks=existing, chosen=chosen, statuses=statuses, form=form, counts=counts,
                           starts=starts, ended=has_ended(activity)), 200 if typed is None else 400


def _say_not_started(form, activity, refusal):
    """The refusal next to the override's reason, and on top of the page (which keeps what was typed)."""
    starts = when(refusal.starts_at, activity.program.timezone, current_language())
    if refusal.message == "reason":
        form.override_reason.errors = [_("Explain why you record attendance before the activity starts.")]
    flash(_("This activity has not started yet (it starts on %(when)s): no mark was saved. To record attendance "
            "now, tick the box below and explain why.", when=starts), "error")


def _typed(data, people):
    """participant id → (status, comment) as typed on the sheet, to show it again."""
    return {p.id: (data.get(f"status-{p.id}"), data.get(f"comment-{p.id}", "")) for p in people
            if data.get(f"status-{p.id}") or data.get(f"comment-{p.id}")}


@bp.route("/activities/<int:activity_id>/attendance/absent", methods=["POST"])
@permission_required("attendance.mark")
@writes
def attendance_rest_absent(activity_id):
    """After a session's imports: everyone the staff member may mark who has no mark yet is marked absent."""
    activity = activity_or_404(activity_id)
    people = active_participants(activity.program)  # a focal point: their own country's
    try:
        count = mark_rest_absent(activity, [p.id for p in people], actor_id())
    except ServiceError as error:
        flash(error.message, "error")
    else:
        flash(ngettext("%(num)s person marked absent.", "%(num)s people marked absent.", count) if count
              else _("Everyone already has a mark: nobody was marked absent."), "success")
    return redirect(url_for("training.attendance_sheet", activity_id=activity.id))


def _changed(marks, existing):
    """Only marks the sheet changes are saved, so a report's marks keep their source and minutes."""
    return {pid: mark for pid, mark in marks.items()
            if pid not in existing or (existing[pid].status, existing[pid].comment) != mark[:2]}


def _marks_from(data, allowed_ids, statuses):
    """participant id → (status, comment, None) from the sheet's fields; a foreign id is a 404, not a skip."""
    bulk = data.get("action") == "all_present"
    marks = {}
    for key, value in data.items():
        if not key.startswith("status-"):
            continue
        participant_id = as_id(key.removeprefix("status-"))
        if participant_id not in allowed_ids:
            abort(404)
        if value not in statuses:
            abort(400)
        marks[participant_id] = (value, data.get(f"comment-{participant_id}", "").strip(), None)
    if bulk:  # "all present": everyone not marked otherwise on the sheet
        for participant_id in allowed_ids:
            marks.setdefault(participant_id, (statuses[0], "", None))
    return marks


@bp.route("/programs/<int:program_id>/attendance")
@permission_required("attendance.mark")
def attendance_matrix_view(program_id):
    program = program_or_404(program_id)
    activities, rows = _matrix(program)
    return render_template("training/attendance_matrix.html", program=program, activities=activities, rows=rows,
                           only=request.args.get("only", ""), delegations=delegation_choices(program),
                           delegation=request.args.get("delegation", type=database_id))


@bp.route("/programs/<int:program_id>/attendance.<any(csv, xlsx):file_format>")
@permission_required("attendance.mark")
def attendance_export(program_id, file_format):
    program = program_or_404(program_id)
    activities, rows = _matrix(program)
    headers, table = matrix_table(activities, rows, current_language())
    return send_export(file_format, headers, table, f"{program.code}-attendance.{file_format}", program,
                       sheet_title=program.code)


def _matrix(program):
    query = scoped_participants(program)
    delegation = request.args.get("delegation", type=database_id)
    if delegation:
        query = query.where(Participant.delegation_id == delegation)
    activities, rows = attendance_matrix(program, query)
    only = request.args.get("only", "")
    if only == "incomplete":
        rows = [row for row in rows if row[2]]
    elif only == "complete":
        rows = [row for row in rows if not row[2]]
    return activities, rows


