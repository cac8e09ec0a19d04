"""A program's lessons learned: the list, the record (new, edit, delete) and its read-only page."""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from training.access import actor_id, permission_required, program_or_404
from training.countries import country_name
from training.labels import current_language
from training.web import call_or_show_error
from transactions import writes

from .. import bp
from ..models_lessons import Lesson
from .forms import FIELD_LABELS, KIND_LABELS, LessonForm
from .frameworks import objective_label, principle_label, sdg_label
from .services import delete_lesson, lesson_or_404, lessons_of, save_lesson
from .services_prefill import evidence_lines, prefilled_lesson


@bp.route("/programs/<int:program_id>/lessons")
@permission_required("lessons.view")
def lessons(program_id):
    program = program_or_404(program_id)
    return render_template("assessments/lessons/list.html", program=program, lessons=lessons_of(program),
                           kind_labels=KIND_LABELS, language=current_language())


@bp.route("/programs/<int:program_id>/lessons/new", methods=["GET", "POST"])
@permission_required("lessons.record")
@writes
def lesson_new(program_id):
    program = program_or_404(program_id)
    return _lesson_form(program, None)


@bp.route("/lessons/<int:lesson_id>/edit", methods=["GET", "POST"])
@permission_required("lessons.record")
@writes
def lesson_edit(lesson_id):
    lesson = lesson_or_404(lesson_id)
    return _lesson_form(lesson.program, lesson)


def _lesson_form(program, lesson):
    form = LessonForm.for_languages(program.languages)()
    language = current_language()
    stored = list(lesson.countries) if lesson else []
    codes = sorted({d.country_code for d in program.delegations if d.country_code} | set(stored))
    form.offer_countries([(code, country_name(code, language)) for code in codes])
    if not form.is_submitted():
        form.fill_from(lesson or prefilled_lesson(program))
    if form.validate_on_submit():
        saved, result = call_or_show_error(
            form, lambda: save_lesson(lesson or Lesson(), program, form.data_for(lesson), actor_id()),
            _("Lesson saved."))
        if saved:
            return redirect(url_for("assessments.lesson", lesson_id=result.id))
    evidence = evidence_lines(program, language) if lesson is None else []
    return render_template("assessments/lessons/form.html", form=form, program=program, lesson=lesson,
                           evidence=evidence)


@bp.route("/lessons/<int:lesson_id>/delete", methods=["POST"])
@permission_required("lessons.record")
@writes
def lesson_delete(lesson_id):
    lesson = lesson_or_404(lesson_id)
    program_id = lesson.program_id
    delete_lesson(lesson, actor_id())
    flash(_("Lesson deleted."), "success")
    return redirect(url_for("assessments.lessons", program_id=program_id))


@bp.route("/lessons/<int:lesson_id>")
@permission_required("lessons.view")
def lesson(lesson_id):
    lesson = lesson_or_404(lesson_id)
    language = current_language()
    return render_template("assessments/lessons/record.html", lesson=lesson, program=lesson.program,
                           language=language, field_labels=FIELD_LABELS, kind_labels=KIND_LABELS,
                           sdg_label=sdg_label, principle_label=principle_label, objective_label=objective_label,
                           countries=[country_name(code, language) for code in lesson.countries or []])
