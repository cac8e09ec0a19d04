"""Import answers collected elsewhere: upload → map columns and preview → confirm; nothing is written before."""
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired

from extensions import db
from training.access import actor_id, permission_required
from training.labels import current_language
from training.localized import pick
from training.services_uploads import read_staged
from training.tabular import TableError
from training.web import UploadPages, max_upload_megabytes, table_message
from transactions import writes

from . import bp
from .access import questionnaire_or_404
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
ANSWER_FILES = UploadPages(
    ResponseImport, owner_or_404=lambda upload: questionnaire_or_404(upload.questionnaire_id),
    review_url=lambda upload: url_for("assessments.response_import", import_id=upload.id),
    upload_url=lambda upload: url_for("assessments.responses_import", questionnaire_id=upload.questionnaire_id),
    applied_url=lambda upload: url_for("assessments.questionnaire", questionnaire_id=upload.questionnaire_id),
    applied_message=lambda summary: _("Answers imported: %(imported)s participants; %(answered)s already answered "
                                      "(skipped), %(unmatched)s rows not matched.", **summary),
    already_message=_l("These answers were already imported."), discarded_action="responses.import_discarded",
    default_filename="answers")


class ResponsesUploadForm(FlaskForm):
    file = FileField(_l("Answers (CSV or XLSX)"), validators=[FileRequired(_l("Choose a file."))],
                     description=_l("One row per respondent, one column per question, and a column with their "
                                    "e-mail."))


class MappingForm(FlaskForm):
    """Only the CSRF token: one select per column is read in the view."""


@bp.route("/questionnaires/<int:questionnaire_id>/responses/import", methods=["GET", "POST"])
@permission_required("responses.import")
@writes
def responses_import(questionnaire_id):
    questionnaire = questionnaire_or_404(questionnaire_id)
    form = ResponsesUploadForm()
    if form.validate_on_submit():
        upload = ANSWER_FILES.stage(form.file, lambda filename, content: store_upload(
            questionnaire, actor_id(), filename, content, current_app.config["IMPORT_MAX_ROWS"]))
        if upload is None:
            db.session.rollback()
        else:
            return redirect(ANSWER_FILES.review_url(upload))
    return render_template("assessments/responses_import_form.html", questionnaire=questionnaire,
                           program=questionnaire.program, form=form, max_megabytes=max_upload_megabytes(),
                           waiting=waiting_imports(questionnaire))


@bp.route("/response-imports/<int:import_id>", methods=["GET", "POST"])
@permission_required("responses.import")
@writes
def response_import(import_id):
    upload = ANSWER_FILES.get_or_404(import_id)
    form = MappingForm()
    try:
        table = read_staged(upload, current_app.config["IMPORT_MAX_ROWS"])
    except TableError as error:
        return _render(upload, form, None, None, table_message(error))
    if not form.validate_on_submit():
        return _render(upload, form, table, plan_import(upload, table))
    if (done := ANSWER_FILES.already_applied(upload)) is not None:
        return done
    changed = save_mapping(upload, actor_id(), _column_choices(len(table.headers)), len(table.headers))
    if request.form.get("action") != "confirm" or changed:
        if changed and request.form.get("action") == "confirm":
            flash(_("The columns changed: check the preview again before importing."), "notice")
        return redirect(ANSWER_FILES.review_url(upload))
    try:
        summary, first = apply_import(upload, actor_id(), table)
    except ResponsesNotClean as error:
        db.session.rollback()
        flash(_("Nothing was imported: the file has problems to fix."), "error")
        return _render(upload, form, table, error.plan)
    return ANSWER_FILES.applied(upload, summary, first)


@bp.route("/response-imports/<int:import_id>/discard", methods=["POST"])
@permission_required("responses.import")
@writes
def response_import_discard(import_id):
    return ANSWER_FILES.discard(import_id)


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
