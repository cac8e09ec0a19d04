"""Import a participant list: upload → preview of every row → confirm, all or nothing."""
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from extensions import db
from transactions import writes

from . import bp
from .access import actor_id, permission_required, program_country_scope, program_or_404, scoped_delegations
from .forms import ImportForm
from .labels import FIELD_LABELS, IMPORT_PROBLEMS, current_language, delegation_label, field_value, problem_text
from .models import Delegation, ImportBatch
from .services_exports import list_template, template_languages
from .services_imports import (
    ImportNotClean,
    apply_batch,
    batches_seen_by,
    plan_batch,
    store_upload,
    waiting_batches,
)
from .services_people import registrations_elsewhere
from .tabular import TableError
from .textkeys import email_key
from .web import UploadPages, delegation_choices, max_upload_megabytes, program_scopes, send_table, table_message

PREVIEW_OK_ROWS = 200  # every problem row is listed; clean rows beyond this are counted, not shown
LISTS = UploadPages(
    ImportBatch, owner_or_404=lambda batch: _batch_owner_or_404(batch),
    scope=lambda: batches_seen_by(_created_by_this_user()),
    review_url=lambda batch: url_for("training.import_preview", batch_id=batch.id),
    upload_url=lambda batch: url_for("training.participants_import", program_id=batch.program_id),
    applied_url=lambda batch: url_for("training.participants", program_id=batch.program_id),
    applied_message=lambda summary: _("Imported %(filename)s: %(created)s new, %(updated)s updated, "
                                      "%(unchanged)s already registered.", **summary),
    already_message=None, discarded_action="participants.import_discarded", default_filename="upload")


@bp.route("/programs/<int:program_id>/participants/import", methods=["GET", "POST"])
@permission_required("participants.edit")
@writes
def participants_import(program_id):
    program = program_or_404(program_id)
    choices = delegation_choices(program)
    locked = program_country_scope(program) is not None
    form = ImportForm(delegations=choices, locked=locked)
    if form.validate_on_submit():
        delegation = db.session.get(Delegation, form.delegation_id.data) if form.delegation_id.data else None
        batch = LISTS.stage(form.file, lambda filename, content: store_upload(
            program, actor_id(), filename, content, delegation=delegation, locked=locked))
        if batch is None:
            db.session.rollback()
        else:
            return redirect(LISTS.review_url(batch))
    waiting = waiting_batches(program, _created_by_this_user(), program_country_scope(program))
    return render_template("training/import_form.html", form=form, program=program, locked=locked,
                           max_megabytes=max_upload_megabytes(), max_rows=current_app.config["IMPORT_MAX_ROWS"],
                           waiting=waiting, template_languages=template_languages(program))


@bp.route("/programs/<int:program_id>/participants/template.xlsx")
@permission_required("participants.edit")
def participants_template(program_id):
    """The list template focal points fill: the import's columns, drop-down lists of the allowed values, notes."""
    program = program_or_404(program_id)
    offered = template_languages(program)
    language = request.args.get("language") if request.args.get("language") in offered else offered[0]
    content = list_template(program, language, scoped_delegations(program))
    return send_table(content, "xlsx", f"{program.code}-participants-template-{language}.xlsx")


@bp.route("/imports/<int:batch_id>")
@permission_required("participants.edit")
def import_preview(batch_id):
    batch = LISTS.get_or_404(batch_id)
    try:
        plan = plan_batch(batch, current_app.config["IMPORT_MAX_ROWS"])
    except TableError as error:
        return render_template("training/import_preview.html", batch=batch, plan=None,
                               table_error=table_message(error))
    return _render_plan(batch, plan)


@bp.route("/imports/<int:batch_id>/confirm", methods=["POST"])
@permission_required("participants.edit")
@writes
def import_confirm(batch_id):
    batch = LISTS.get_or_404(batch_id)
    if (done := LISTS.already_applied(batch)) is not None:
        return done
    try:
        summary, first = apply_batch(batch, actor_id(), current_app.config["IMPORT_MAX_ROWS"])
    except ImportNotClean as error:
        db.session.rollback()
        flash(_("Nothing was imported: some rows have to be fixed (the program may have changed since the preview)."),
              "error")
        return _render_plan(batch, error.plan)
    except TableError as error:
        db.session.rollback()
        return render_template("training/import_preview.html", batch=batch, plan=None,
                               table_error=table_message(error))
    return LISTS.applied(batch, summary, first)


@bp.route("/imports/<int:batch_id>/discard", methods=["POST"])
@permission_required("participants.edit")
@writes
def import_discard(batch_id):
    return LISTS.discard(batch_id)


def _created_by_this_user():
    """The secretariat sees every list, others their own uploads (and a focal point only those for their country:
    `_batch_owner_or_404`, `waiting_batches`)."""
    return None if current_user.is_admin else current_user.id


def _batch_owner_or_404(batch):
    program = program_or_404(batch.program_id)
    scope = program_country_scope(program)
    if scope is not None and (batch.delegation is None or batch.delegation.country_code != scope):
        abort(404)


def _render_plan(batch, plan):
    language = current_language()
    labels = {d.id: delegation_label(d, language) for d in batch.program.delegations}
    problem_rows = [row for row in plan.rows if row.errors or row.warnings]
    shown_ok = [row for row in plan.rows if not row.errors and not row.warnings][:PREVIEW_OK_ROWS]
    rows = sorted(problem_rows + shown_ok, key=lambda row: row.number)
    elsewhere = registrations_elsewhere([email_key(row.values.get("email", "")) for row in rows], batch.program_id,
                                        program_scopes(), active_only=True)
    return render_template(
        "training/import_preview.html", batch=batch, plan=plan, table_error=None, labels_by_id=labels, rows=rows,
        hidden=len(plan.rows) - len(problem_rows) - len(shown_ok), confirm_label=confirm_label(plan),
        messages=lambda items: [problem_text(IMPORT_PROBLEMS, code, p) for code, p in items],
        changes=change_lines, took_part=lambda row: [registration.program.code for registration in elsewhere.get(
            email_key(row.values.get("email", "")), [])],
    )


def change_lines(row):
    """(field, old value, new value) of each field an update row changes, as people read them."""
    return [(FIELD_LABELS[name], field_value(name, row.existing_values.get(name)), field_value(name, row.values[name]))
            for name in row.changes]


def confirm_label(plan):
    """What the confirmation does, in numbers: "Register 3 new and update 2" (or only one of the two)."""
    new, updated = plan.count("new"), plan.count("update")
    if not updated:
        return ngettext("Register %(num)s new participant", "Register %(num)s new participants", new)
    if not new:
        return ngettext("Update %(num)s participant", "Update %(num)s participants", updated)
    return ngettext("Register %(num)s new and update %(updated)s", "Register %(num)s new and update %(updated)s",
                    new, updated=updated)
