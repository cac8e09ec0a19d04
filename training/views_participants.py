"""Participants of a program: searchable list, create, edit, withdraw and reinstate, scoped by country."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func

from extensions import db
from transactions import writes

from . import bp
from .access import (
    actor_id,
    participant_or_404,
    permission_required,
    program_or_404,
    program_role,
    scoped_participants,
)
from .forms import ParticipantFilterForm, ParticipantForm
from .labels import current_language, language_choices
from .models import Delegation, Participant
from .services import (
    PARTICIPANT_FIELDS,
    ServiceError,
    reinstate_participant,
    reopen_for_review,
    save_participant,
    withdraw_participant,
)
from .services_exports import participant_export
from .services_links import current_link, issue_link, revoke_link
from .services_people import history_labels, person_history
from .textkeys import fold
from .web import (
    call_or_show_error,
    delegation_choices,
    erased_redirect,
    export_separator,
    page_window,
    program_scopes,
    send_table,
)

PAGE_SIZE = 50


@bp.route("/programs/<int:program_id>/participants")
@permission_required("participants.view")
def participants(program_id):
    program = program_or_404(program_id)
    form = ParticipantFilterForm(request.args, delegations=delegation_choices(program))
    form.validate()  # a bad value drops only its own filter; its error shows next to it
    query = _apply_filters(scoped_participants(program), form)
    total = db.session.scalar(query.with_only_columns(func.count(Participant.id)).order_by(None))
    page, pages = page_window(total, PAGE_SIZE)
    rows = db.session.scalars(
        query.order_by(Participant.search_key, Participant.id).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    ).all()
    filters = {name: form[name].data for name in FILTER_FIELDS if form[name].data and not form[name].errors}
    return render_template("training/participants.html", program=program, form=form, participants=rows,
                           total=total, page=page, pages=pages, filters=filters)


FILTER_FIELDS = ("q", "delegation", "gender", "profile", "status")


def _valid(field):
    return bool(field.data) and not field.errors


def _apply_filters(query, form):
    if _valid(form.q):
        # Every word must appear somewhere in the folded name, e-mail or institution.
        for word in fold(form.q.data).split():
            query = query.where(Participant.search_key.contains(word, autoescape=True))
    if _valid(form.delegation):
        query = query.where(Participant.delegation_id == int(form.delegation.data))
    for name in ("gender", "profile"):
        if _valid(form[name]):
            query = query.where(getattr(Participant, name) == form[name].data)
    if _valid(form.status) and form.status.data == "all":
        return query
    if _valid(form.status):
        return query.where(Participant.status == form.status.data)
    return query.where(Participant.status != "withdrawn")


@bp.route("/programs/<int:program_id>/participants/export.<any(csv, xlsx):file_format>")
@permission_required("participants.view")
def participants_export(program_id, file_format):
    program = program_or_404(program_id)
    form = ParticipantFilterForm(request.args, delegations=delegation_choices(program))
    form.validate()
    content = participant_export(program, file_format, current_language(),
                                 query=_apply_filters(scoped_participants(program), form),
                                 separator=export_separator(program))
    return send_table(content, file_format, f"{program.code}-participants.{file_format}")


@bp.route("/participants/<int:participant_id>/link", methods=["POST"])
@permission_required("participants.edit")
@writes
def participant_link(participant_id):
    participant = participant_or_404(participant_id)
    if participant.erased_at is not None:
        return erased_redirect(participant)
    if request.form.get("action") == "revoke":
        revoke_link(participant, actor_id())
        message = _("The personal link of %(name)s no longer works.", name=participant.full_name)
    else:
        issue_link(participant, actor_id())
        message = _("%(name)s has a new personal link; the previous one no longer works.", name=participant.full_name)
    flash(message, "success")
    return redirect(url_for("training.participant_edit", participant_id=participant.id))


@bp.route("/programs/<int:program_id>/participants/new", methods=["GET", "POST"])
@permission_required("participants.edit")
@writes
def participant_new(program_id):
    program = program_or_404(program_id)
    return _participant_form(program, None)


@bp.route("/participants/<int:participant_id>/edit", methods=["GET", "POST"])
@permission_required("participants.edit")
@writes
def participant_edit(participant_id):
    participant = participant_or_404(participant_id)
    if participant.erased_at is not None:
        return erased_redirect(participant)
    return _participant_form(participant.program, participant)


def _participant_form(program, participant):
    choices = delegation_choices(program)
    # A new person reads the program's default language until told otherwise; the program's languages come first.
    form = ParticipantForm(obj=participant, data=None if participant else {"language": program.default_language},
                           delegations=choices)
    form.language.choices = language_choices(program.languages)
    if form.validate_on_submit():
        # The list of choices is already scoped, so a forged delegation id of another country fails validation.
        delegation = db.session.get(Delegation, form.delegation_id.data)
        saved, result = call_or_show_error(form, lambda: _by_focal_point_reopens(delegation, save_participant(
            participant, actor_id(), program=program, delegation=delegation,
            **{name: form[name].data for name in PARTICIPANT_FIELDS},
        )), lambda saved: _("Participant saved: %(name)s.", name=saved.full_name))
        if saved:
            return redirect(url_for("training.participants", program_id=program.id))
    link = current_link(participant) if participant is not None and participant.link_salt else None
    history = person_history(participant, program_scopes()) if participant is not None else []
    return render_template("training/participant_form.html", form=form, program=program, participant=participant,
                           link=link, history=history, history_labels=history_labels())


@bp.route("/participants/<int:participant_id>/withdraw", methods=["POST"])
@permission_required("participants.edit")
@writes
def participant_withdraw(participant_id):
    participant = participant_or_404(participant_id)
    if participant.erased_at is not None:
        return erased_redirect(participant)
    withdraw_participant(participant, actor_id())
    _by_focal_point_reopens(participant.delegation, participant)
    flash(_("%(name)s was withdrawn from the program.", name=participant.full_name), "info")
    return redirect(url_for("training.participant_edit", participant_id=participant.id))


@bp.route("/participants/<int:participant_id>/reinstate", methods=["POST"])
@permission_required("participants.edit")
@writes
def participant_reinstate(participant_id):
    participant = participant_or_404(participant_id)
    if participant.erased_at is not None:
        return erased_redirect(participant)
    try:
        reinstate_participant(participant, actor_id())
        _by_focal_point_reopens(participant.delegation, participant)
    except ServiceError as error:
        db.session.rollback()
        flash(str(error.message), "error")
    else:
        flash(_("%(name)s is registered again.", name=participant.full_name), "success")
    return redirect(url_for("training.participant_edit", participant_id=participant.id))


def _by_focal_point_reopens(delegation, result):
    """Changes a focal point makes to a confirmed list send it back to the secretariat for review."""
    if program_role(delegation.program) == "focal_point":
        reopen_for_review(delegation.id, actor_id())
    return result
