"""Import answers collected elsewhere: upload → map columns and preview → confirm; nothing is written before."""
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired

from extensions import db
from training.access import actor_id, roles_required
from training.labels import TABLE_PROBLEMS, current_language, problem_text
from training.localized import pick
from training.services import ServiceError
from training.services_uploads import read_staged
from training.tabular import TableError
from training.views_common import (
    discard_stored_upload,
    max_upload_megabytes,
    read_limited_upload,
    stored_upload_or_404,
)

from . import bp
from .access import BUILDERS, questionnaire_or_404
from .models import ResponseImport
from .responses_import import EMAIL, IGNORE, shown
from .services_responses import (
    OUTCOME_LABELS,
    ResponsesNotClean,
    apply_import,
    mapping_of,
    ordered_questions,
    participant_names,
    plan_import,
    problem_message,
    save_mapping,
    store_upload,
    waiting_imports,
)

QUESTION_LABEL_MAX = 90


class ResponsesUploadForm(FlaskForm):
    file = FileField(_l("Answers (CSV or XLSX)"), validators=[FileRequired(_l("Choose a file."))],
                     description=_l("One row per respondent, one column per question, and a column with their "
                                    "e-mail."))


class MappingForm(FlaskForm):
    """Only the CSRF token: one select per column is read in the view."""


@bp.route("/questionnaires/<int:questionnaire_id>/responses/import", methods=["GET", "POST"])
@roles_required(*BUILDERS)
def responses_import(questionnaire_id):
    questionnaire = questionnaire_or_404(questionnaire_id)
    form = ResponsesUploadForm()
    if form.validate_on_submit():
        content = read_limited_upload(form.file.data)
        try:
            if content is None:
                raise ServiceError("file", problem_text(TABLE_PROBLEMS, "too_large",
                                                        {"limit": max_upload_megabytes()}))
            upload = store_upload(questionnaire, actor_id(), form.file.data.filename or "answers", content,
                                  current_app.config["IMPORT_MAX_ROWS"])
        except ServiceError as error:
            db.session.rollback()
            form.file.errors.append(str(error.message))
        else:
            db.session.commit()
            return redirect(url_for("assessments.response_import", import_id=upload.id))
    return render_template("assessments/responses_import_form.html", questionnaire=questionnaire,
                           program=questionnaire.program, form=form, max_megabytes=max_upload_megabytes(),
                           waiting=waiting_imports(questionnaire))


@bp.route("/response-imports/<int:import_id>", methods=["GET", "POST"])
@roles_required(*BUILDERS)
def response_import(import_id):
    upload = _upload_or_404(import_id)
    form = MappingForm()
    try:
        table = read_staged(upload, current_app.config["IMPORT_MAX_ROWS"])
    except TableError as error:
        return _render(upload, form, None, None, problem_text(TABLE_PROBLEMS, error.code, error.details))
    if not form.validate_on_submit():
        return _render(upload, form, table, plan_import(upload, table))
    if upload.status != "previewed":  # a double click or a second tab: the first confirmation did the work
        flash(_("These answers were already imported."), "notice")
        return redirect(_after_import(upload))
    changed = save_mapping(upload, _column_choices(len(table.headers)), len(table.headers))
    if request.form.get("action") != "confirm" or changed:
        db.session.commit()
        if changed and request.form.get("action") == "confirm":
            flash(_("The columns changed: check the preview again before importing."), "notice")
        return redirect(url_for("assessments.response_import", import_id=upload.id))
    try:
        summary, first = apply_import(upload, actor_id(), table)
    except ResponsesNotClean as error:
        db.session.rollback()
        flash(_("Nothing was imported: the file has problems to fix."), "error")
        return _render(upload, form, table, error.plan)
    db.session.commit()
    if first:
        flash(_("Answers imported: %(imported)s participants; %(answered)s already answered (skipped), "
                "%(unmatched)s rows not matched.", **summary), "success")
    else:
        flash(_("These answers were already imported."), "notice")
    return redirect(_after_import(upload))


@bp.route("/response-imports/<int:import_id>/discard", methods=["POST"])
@roles_required(*BUILDERS)
def response_import_discard(import_id):
    upload = _upload_or_404(import_id)
    return discard_stored_upload(upload, "responses.import_discarded",
                                 url_for("assessments.response_import", import_id=upload.id),
                                 url_for("assessments.responses_import", questionnaire_id=upload.questionnaire_id))


def _after_import(upload):
    return url_for("assessments.questionnaire", questionnaire_id=upload.questionnaire_id)


def _upload_or_404(import_id):
    upload = stored_upload_or_404(ResponseImport, import_id)
    questionnaire_or_404(upload.questionnaire_id)  # the same rules as the questionnaire it belongs to
    return upload


def _column_choices(width):
    """column index → what the reviewer chose for it, for the columns the form sent."""
    return {index: request.form[f"column-{index}"] for index in range(width) if f"column-{index}" in request.form}


def _render(upload, form, table, plan, table_error=None):
    questionnaire = upload.questionnaire
    questions = ordered_questions(questionnaire)
    language = current_language()
    fallback = questionnaire.program.default_language
    labels = {q.id: _short(f"{number}. {pick(q.text, language, fallback)}") for number, q in
              enumerate(questions, start=1)}
    return render_template(
        "assessments/responses_import_review.html", upload=upload, questionnaire=questionnaire,
        program=questionnaire.program, form=form, table=table, plan=plan, table_error=table_error,
        questions=questions, question_labels=labels, email=EMAIL, ignore=IGNORE,
        mapping=mapping_of(upload, questions, len(table.headers)) if table else {},
        samples=_samples(table) if table else [], names=participant_names(plan) if plan else {},
        summary=plan.summary() if plan else {}, outcome_labels=OUTCOME_LABELS, message=problem_message)


def _samples(table):
    """The first non-blank cell of each column, to recognize it by."""
    return [shown(next((cells[i] for _n, cells in table.rows if i < len(cells) and cells[i]), ""))
            for i in range(len(table.headers))]


def _short(text):
    return text if len(text) <= QUESTION_LABEL_MAX else text[:QUESTION_LABEL_MAX - 1] + "…"
