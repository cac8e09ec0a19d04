"""The secretariat's invitations: edit their texts in the program's languages, send them to a chosen audience,
read the outbox and history."""
from datetime import timedelta
from zoneinfo import ZoneInfo

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from extensions import db
from task_queue import task_name
from transactions import writes

from . import bp
from .access import actor_id, permission_required, program_or_404
from .forms import InvitationForm, TemplateForm
from .labels import LANGUAGE_LABELS, MESSAGE_STATUS_LABELS
from .messages import KIND_PLACEHOLDERS
from .models import MESSAGE_STATUSES, OutboundMessage, Participant, utcnow
from .services import record
from .services_jobs import latest_job, start_job
from .services_messages import (
    body_for_reading,
    count_queued,
    invited_already,
    mark_as_sent,
    save_template,
    send_again,
    template_for,
)
from .tasks import prepare_messages, send_messages
from .web import call_or_show_error, delegation_choices, job_text, page_window, send_export, start_messages

PAGE_SIZE = 50
SHOW_FINISHED = timedelta(minutes=30)
TEMPLATE_HEADINGS = {"invitation": lambda: _("Invitation text"),
                     "absence": lambda: _("Text of the recording sent to those absent")}
TEMPLATE_SAVED = {"invitation": lambda: _("Invitation texts saved."),
                  "absence": lambda: _("Texts of the recording sent to those absent saved.")}


@bp.route("/programs/<int:program_id>/messages")
@permission_required("messages.send")
def messages(program_id):
    program = program_or_404(program_id)
    job = latest_job([task_name(prepare_messages), task_name(send_messages)], program)
    if job is not None and not job.active and utcnow() - (job.finished_at or job.updated_at) > SHOW_FINISHED:
        job = None  # an old send's outcome is in the statuses below
    status = request.args.get("status", "")
    if status not in MESSAGE_STATUSES:
        status = ""
    query = select(OutboundMessage).where(OutboundMessage.program_id == program.id)
    if status:
        query = query.where(OutboundMessage.status == status)
    total = db.session.scalar(query.with_only_columns(func.count(OutboundMessage.id)))
    page, pages = page_window(total, PAGE_SIZE)
    rows = db.session.scalars(query.options(selectinload(OutboundMessage.participant))
                              .order_by(OutboundMessage.created_at.desc(), OutboundMessage.id.desc())
                              .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    return render_template("training/messages.html", program=program, messages=rows, status=status, total=total,
                           page=page, pages=pages, form=InvitationForm(delegations=delegation_choices(program)),
                           queued=count_queued(program), body_for_reading=body_for_reading,
                           job=job, job_text=job_text(job) if job else "")


@bp.route("/programs/<int:program_id>/messages/export.csv")
@permission_required("messages.send")
def messages_export(program_id):
    program = program_or_404(program_id)
    rows = db.session.scalars(select(OutboundMessage).where(OutboundMessage.program_id == program.id)
                              .options(selectinload(OutboundMessage.participant)).order_by(OutboundMessage.id)).all()
    # Times in the program's zone with their offset (as the page shows them), statuses as the page names them.
    zone = ZoneInfo(program.timezone)
    return send_export("csv", [_("Date"), _("To"), _("Subject"), _("Status"), _("Message"), _("Error")],
                       [[m.created_at.astimezone(zone).isoformat(timespec="seconds"), m.to_address, m.subject,
                         str(MESSAGE_STATUS_LABELS[m.status]), body_for_reading(m), m.error] for m in rows],
                       f"{program.code}-messages.csv", program)


@bp.route("/programs/<int:program_id>/messages/template", methods=["GET", "POST"], defaults={"kind": "invitation"})
@bp.route("/programs/<int:program_id>/messages/template/absence", methods=["GET", "POST"],
          defaults={"kind": "absence"})
@permission_required("messages.send")
@writes
def message_template(program_id, kind):
    """The texts of one kind of message in each of the program's languages: the invitation, or the recording sent
    to those absent."""
    program = program_or_404(program_id)
    form = TemplateForm.for_languages(program.languages)(kind=kind)
    if not form.is_submitted():
        for language in form.languages:
            form[f"subject_{language}"].data, form[f"body_{language}"].data = template_for(program, kind, language)
    if form.validate_on_submit():
        saved, _result = call_or_show_error(form, lambda: [
            save_template(program, actor_id(), kind, language, form[f"subject_{language}"].data,
                          form[f"body_{language}"].data) for language in form.languages
        ], TEMPLATE_SAVED[kind]())
        if saved:
            return redirect(url_for("training.messages", program_id=program.id))
    return render_template("training/invitation_template.html", program=program, form=form, kind=kind,
                           heading=TEMPLATE_HEADINGS[kind](), placeholders=KIND_PLACEHOLDERS[kind],
                           language_names=LANGUAGE_LABELS)


@bp.route("/programs/<int:program_id>/invitations", methods=["POST"])
@permission_required("messages.send")
@writes
def send_invitations(program_id):
    program = program_or_404(program_id)
    form = InvitationForm(delegations=delegation_choices(program))
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
        return redirect(url_for("training.messages", program_id=program.id))
    people = db.session.scalars(_audience(program, form)).all()
    if not people:
        flash(_("Nobody matches that choice: no invitation was sent."), "info")
        return redirect(url_for("training.messages", program_id=program.id))
    start_messages(program, "invitation", people, not_invited=form.audience.data == "not_invited")
    return redirect(url_for("training.messages", program_id=program.id))


@bp.route("/programs/<int:program_id>/messages/deliver", methods=["POST"])
@permission_required("messages.send")
@writes
def deliver_queued(program_id):
    """Send what waits now (the worker also starts it within a minute by itself)."""
    program = program_or_404(program_id)
    job, started = start_job(send_messages, program, actor_id())
    if started:
        record(actor_id(), "messages.sending_started", program, queued=count_queued(program))
    flash(_("The queued messages are being sent."), "success")
    return redirect(url_for("training.messages", program_id=program.id))


@bp.route("/programs/<int:program_id>/messages/<int:message_id>/send-again", methods=["POST"])
@permission_required("messages.send")
@writes
def message_send_again(program_id, message_id):
    program = program_or_404(program_id)
    if send_again(_message_or_404(program, message_id), actor_id()):
        start_job(send_messages, program, actor_id())
        flash(_("The message is queued again and is being sent."), "success")
    else:
        db.session.rollback()
        flash(_("This message can no longer be sent again: its status changed meanwhile."), "info")
    return redirect(url_for("training.messages", program_id=program.id, status=request.form.get("status") or None))


@bp.route("/programs/<int:program_id>/messages/<int:message_id>/mark-sent", methods=["POST"])
@permission_required("messages.send")
@writes
def message_mark_sent(program_id, message_id):
    program = program_or_404(program_id)
    if mark_as_sent(_message_or_404(program, message_id), actor_id()):
        flash(_("The message is marked as sent."), "success")
    else:
        db.session.rollback()
        flash(_("This message can no longer be marked as sent: its status changed meanwhile."), "info")
    return redirect(url_for("training.messages", program_id=program.id, status=request.form.get("status") or None))


def _message_or_404(program, message_id):
    message = db.session.get(OutboundMessage, message_id)
    if message is None or message.program_id != program.id:
        abort(404)
    return message


def _audience(program, form):
    query = select(Participant).where(Participant.program_id == program.id, Participant.status != "withdrawn")
    if form.audience.data == "delegation":
        query = query.where(Participant.delegation_id == form.delegation_id.data)
    elif form.audience.data == "selected":
        query = query.where(Participant.id.in_(form.participant_ids.data or [-1]))
    elif form.audience.data == "not_invited":
        query = query.where(~invited_already())
    return query.order_by(Participant.search_key)
