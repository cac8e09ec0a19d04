"""Programs, their dashboard of delegations, and delegations' quotas and contacts."""
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from transactions import writes

from . import bp, lifecycle
from .access import (
    actor_id,
    allowed_actions,
    can,
    delegation_or_404,
    permission_required,
    program_country_scope,
    program_or_404,
    visible_programs,
)
from .countries import country_name
from .forms import DelegationEditForm, DelegationForm, ProgramCopyForm, ProgramForm
from .hooks import hooks
from .labels import current_language, delegation_label
from .lifecycle_display import dashboard
from .models import utcnow
from .services import (
    LOCALIZED_PROGRAM_FIELDS,
    add_delegation,
    confirm_list,
    delegation_summaries,
    mark_list_submitted,
    save_program,
    update_delegation,
)
from .services_copy import copy_parts, copy_program
from .services_lifecycle import lifecycle_facts
from .services_registration import waiting_count
from .web import call_or_show_error


@bp.route("/programs")
@permission_required("programs.view")
def programs():
    return render_template("training/programs.html", programs=visible_programs())


@bp.route("/programs/new", methods=["GET", "POST"])
@permission_required("programs.manage")
@writes
def program_new():
    return _program_form(None)


@bp.route("/programs/<int:program_id>/edit", methods=["GET", "POST"])
@permission_required("programs.manage")
@writes
def program_edit(program_id):
    return _program_form(program_or_404(program_id))


def _program_form(program):
    chosen_default = request.form.get("default_language") if request.method == "POST" else None
    form = ProgramForm.for_program(program, chosen_default)(obj=program)
    if program is not None and not form.is_submitted():
        for field in LOCALIZED_PROGRAM_FIELDS:
            form.fill(field, getattr(program, field))
    if form.validate_on_submit():
        saved, result = call_or_show_error(form, lambda: save_program(
            program, actor_id(), code=form.code.data, start_date=form.start_date.data, end_date=form.end_date.data,
            timezone=form.timezone.data, languages=form.chosen_languages(),
            **{field: form.localized(field, kept=getattr(program, field, None)) for field in LOCALIZED_PROGRAM_FIELDS},
        ), _("Program saved."))
        if saved:
            return redirect(url_for("training.program_dashboard", program_id=result.id))
    return render_template("training/program_form.html", form=form, program=program,
                           localized_fields=LOCALIZED_PROGRAM_FIELDS)


@bp.route("/programs/<int:program_id>/copy", methods=["GET", "POST"])
@permission_required("programs.manage")
@writes
def program_copy(program_id):
    """A new program made from this one: new code and dates, the parts chosen; never its people."""
    source = program_or_404(program_id)
    parts = copy_parts()
    form = ProgramCopyForm.for_languages(source.languages)(parts=[part.option for part in parts])
    if not form.is_submitted():
        form.fill("title", source.title)
    form.parts.choices = [(part.option, part.label) for part in parts]
    if form.validate_on_submit():
        saved, copy = call_or_show_error(form, lambda: copy_program(
            source, actor_id(), code=form.code.data, start_date=form.start_date.data,
            title=form.localized("title", source.title),
            options=set(form.parts.data),
        ), _("Program copied. Check its dates, texts and links before inviting anyone."))
        if saved:
            return redirect(url_for("training.program_dashboard", program_id=copy.id))
    return render_template("training/program_copy.html", form=form, program=source)


@bp.route("/programs/<int:program_id>")
@permission_required("programs.view")
def program_dashboard(program_id):
    """Where the program stands: its phases, the viewer's next action, its delegations, and every tool."""
    program = program_or_404(program_id)
    scope = program_country_scope(program)
    rows = delegation_summaries(program, scope)
    members = sorted((r for r in rows if r[0].kind == "member"), key=lambda r: _country_sort(r[0]))
    observers = [r for r in rows if r[0].kind == "observer"]
    totals = {"registered": sum(r[1] for r in rows), "quota": sum(r[0].quota for r in rows)}
    contributed = {name: load(program, scope) for name, load in hooks(current_app).lifecycle_facts.items()}
    shown = lifecycle.phases(lifecycle_facts(program, scope, rows, contributed), utcnow(), allowed_actions(program))
    language = current_language()
    phases, next_step = dashboard(program, shown, lifecycle.next_action(shown),
                                  {d.id: delegation_label(d, language) for d, _registered in rows}, language)
    return render_template("training/program_dashboard.html", program=program, members=members,
                           observers=observers, totals=totals, phases=phases, next_step=next_step,
                           as_focal_point=scope is not None,
                           waiting=waiting_count(program) if can("registrations.moderate", program) else 0)


def _country_sort(delegation):
    return country_name(delegation.country_code, current_language())


@bp.route("/programs/<int:program_id>/delegations/new", methods=["GET", "POST"])
@permission_required("delegations.manage")
@writes
def delegation_new(program_id):
    program = program_or_404(program_id)
    form = DelegationForm()
    if form.validate_on_submit():
        saved, _delegation = call_or_show_error(form, lambda: add_delegation(
            program, actor_id(), kind=form.kind.data, country_code=form.country_code.data or None,
            organization=form.organization.data, quota=form.quota.data, status=form.status.data, **_contacts(form),
        ), _("Delegation added."))
        if saved:
            return redirect(url_for("training.program_dashboard", program_id=program.id))
    return render_template("training/delegation_form.html", form=form, program=program, delegation=None)


@bp.route("/delegations/<int:delegation_id>/edit", methods=["GET", "POST"])
@permission_required("delegations.manage")
@writes
def delegation_edit(delegation_id):
    delegation = delegation_or_404(delegation_id)
    form = DelegationEditForm(obj=delegation)
    if form.validate_on_submit():
        saved, _result = call_or_show_error(form, lambda: update_delegation(
            delegation, actor_id(), quota=form.quota.data, status=form.status.data, **_contacts(form),
        ), _("Delegation saved."))
        if saved:
            return redirect(url_for("training.program_dashboard", program_id=delegation.program_id))
    return render_template("training/delegation_form.html", form=form, program=delegation.program,
                           delegation=delegation)


def _contacts(form):
    return {name: form[name].data for name in ("focal_point_name", "focal_point_email", "focal_point_phone")}


@bp.route("/delegations/<int:delegation_id>/submit", methods=["POST"])
@permission_required("delegations.submit")
@writes
def delegation_submit(delegation_id):
    delegation = delegation_or_404(delegation_id)
    mark_list_submitted(delegation, actor_id())
    flash(_("The list was marked as sent to the secretariat."), "success")
    return redirect(url_for("training.program_dashboard", program_id=delegation.program_id))


@bp.route("/delegations/<int:delegation_id>/confirm", methods=["POST"])
@permission_required("delegations.manage")
@writes
def delegation_confirm(delegation_id):
    delegation = delegation_or_404(delegation_id)
    confirm_list(delegation, actor_id())
    flash(_("The delegation's list is confirmed."), "success")
    return redirect(url_for("training.program_dashboard", program_id=delegation.program_id))
