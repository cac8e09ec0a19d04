"""Activities and agendas: list, create and edit (times in the program's zone), agenda in two zones, .ics files."""
from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _

from extensions import db
from transactions import writes

from . import bp
from .access import activity_or_404, actor_id, can, permission_required, program_or_404
from .forms import ActivityForm, AgendaItemForm
from .labels import current_language
from .models import AgendaItem
from .schedule import to_local
from .services_activities import delete_agenda_item, program_activities, save_activity, save_agenda_item
from .timezones import is_timezone
from .web import agenda_document, call_or_show_error, ics_response, pdf_response


@bp.route("/programs/<int:program_id>/activities")
@permission_required("activities.view")
def activities(program_id):
    program = program_or_404(program_id)
    return render_template("training/activities.html", program=program, activities=program_activities(program),
                           viewer_zone=_viewer_zone(program))


@bp.route("/programs/<int:program_id>/activities/new", methods=["GET", "POST"])
@permission_required("activities.plan")
@writes
def activity_new(program_id):
    return _activity_form(program_or_404(program_id), None)


@bp.route("/activities/<int:activity_id>/edit", methods=["GET", "POST"])
@permission_required("activities.plan")
@writes
def activity_edit(activity_id):
    activity = activity_or_404(activity_id)
    return _activity_form(activity.program, activity)


def _activity_form(program, activity):
    form = ActivityForm.for_languages(program.languages)(obj=activity)
    if activity is not None and not form.is_submitted():
        _fill_times(form, activity)
    if form.validate_on_submit():
        saved, result = call_or_show_error(form, lambda: save_activity(
            activity, actor_id(), program, code=form.code.data, kind=form.kind.data, required=form.required.data,
            title=form.localized("title", kept=activity.title if activity else None),
            description=form.localized("description", kept=activity.description if activity else None),
            day=form.day.data, start=form.start.data, end=form.end.data, due_day=form.due_day.data,
            link=form.link.data or "", location=form.location.data or "",
            recording_link=form.recording_link.data or "", absent_notice_hours=form.absent_notice_hours.data,
        ), _("Activity saved."))
        if saved:
            return redirect(url_for("training.activity", activity_id=result.id))
    return render_template("training/activity_form.html", form=form, program=program, activity=activity)


def _fill_times(form, activity):
    zone = activity.program.timezone
    form.fill("title", activity.title)
    form.fill("description", activity.description)
    if activity.starts_at:
        local = to_local(activity.starts_at, zone)
        form.day.data, form.start.data = local.date(), local.time()
    if activity.ends_at:
        form.end.data = to_local(activity.ends_at, zone).time()
    if activity.due_at:
        form.due_day.data = to_local(activity.due_at, zone).date()


@bp.route("/activities/<int:activity_id>", methods=["GET", "POST"])
@permission_required("activities.view")
@writes
def activity(activity_id):
    activity = activity_or_404(activity_id)
    form = AgendaItemForm.for_languages(activity.program.languages)()
    if form.validate_on_submit():
        if not can("activities.plan"):
            abort(403)
        saved, _item = call_or_show_error(form, lambda: save_agenda_item(None, actor_id(), activity,
                                                                          **_item_values(form)),
                                           _("Agenda item added."))
        if saved:
            return redirect(url_for("training.activity", activity_id=activity.id))
    return render_template("training/activity.html", activity=activity, program=activity.program, form=form,
                           viewer_zone=_viewer_zone(activity.program))


@bp.route("/agenda-items/<int:item_id>/edit", methods=["GET", "POST"])
@permission_required("activities.plan")
@writes
def agenda_item_edit(item_id):
    item = db.session.get(AgendaItem, item_id) or abort(404)
    activity = activity_or_404(item.activity_id)
    form = AgendaItemForm.for_languages(activity.program.languages)(obj=item)
    if not form.is_submitted():
        zone = activity.program.timezone
        form.start.data, form.end.data = to_local(item.starts_at, zone).time(), to_local(item.ends_at, zone).time()
        form.fill("title", item.title)
    if form.validate_on_submit():
        if request.form.get("action") == "delete":
            delete_agenda_item(item, actor_id())
            return redirect(url_for("training.activity", activity_id=activity.id))
        saved, _item = call_or_show_error(form, lambda: save_agenda_item(item, actor_id(), activity,
                                                                          **_item_values(form, item)),
                                           _("Agenda item saved."))
        if saved:
            return redirect(url_for("training.activity", activity_id=activity.id))
    return render_template("training/agenda_item_form.html", form=form, activity=activity, item=item)


def _item_values(form, item=None):
    return {"start": form.start.data, "end": form.end.data, "kind": form.kind.data,
            "title": form.localized("title", kept=item.title if item else None),
            "facilitators": form.facilitators.data or "", "speakers": form.speakers.data or "",
            "notes": form.notes.data or "", "parallel": form.parallel.data}


@bp.route("/activities/<int:activity_id>/agenda.ics")
@permission_required("activities.view")
def activity_ics(activity_id):
    activity = activity_or_404(activity_id)
    return ics_response([activity], activity.program, f"{activity.program.code}-{activity.code}",
                        with_program_events=False)


@bp.route("/activities/<int:activity_id>/agenda.pdf")
@permission_required("activities.view")
def activity_pdf(activity_id):
    """The session's agenda in the program's zone and, with ?tz=, the viewer's zone beside it."""
    from .agenda_pdf import agenda_pdf  # reportlab: loaded by what draws an agenda, not by the app

    activity = activity_or_404(activity_id)
    program = activity.program
    zones = list(dict.fromkeys([program.timezone, _viewer_zone(program)]))
    body = agenda_pdf(agenda_document([activity], program, current_language(), zones))
    return pdf_response(body, f"{program.code}-{activity.code}-agenda.pdf")


@bp.route("/programs/<int:program_id>/agenda.ics")
@permission_required("activities.view")
def program_ics(program_id):
    program = program_or_404(program_id)
    return ics_response(program_activities(program), program, program.code)


def _viewer_zone(program):
    """The second zone staff compare with (?tz=…), else the program's own."""
    zone = request.args.get("tz", "")
    return zone if is_timezone(zone) else program.timezone
