"""The questionnaire builder (admin, organizer): settings and window, sections, questions, order, files, preview."""
from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _

from extensions import db
from training.access import actor_id, permission_required, program_or_404
from training.labels import AGENDA_KIND_LABELS, current_language
from training.models import utcnow
from training.schedule import LocalTimeError, clock, day, to_local, to_utc, when
from training.services import ServiceError
from training.web import read_limited_upload
from transactions import writes

from . import bp
from .access import question_or_404, questionnaire_or_404, section_or_404
from .forms import (
    FollowUpScheduleForm,
    NewQuestionnaireForm,
    QuestionForm,
    QuestionnaireFileForm,
    ReopenForm,
    SectionForm,
    SettingsForm,
)
from .question_types import QUESTIONNAIRE_KINDS
from .questionnaire_files import dump, load
from .services_builder import (
    Locked,
    add_section,
    copy_knowledge_items,
    create_question,
    create_questionnaire,
    create_section,
    delete_question,
    delete_section,
    has_attempts,
    import_plain,
    move,
    open_now,
    plain_of,
    program_agenda_items,
    program_questionnaires,
    rename_section,
    save_settings,
    update_question,
)
from .services_builder import close_now as close_window
from .services_builder import delete_questionnaire as discard_questionnaire
from .services_survey import follow_up_summary
from .services_taking import finalize_overdue, sections_with_questions
from .texts import default_title, file_problem_message


@bp.route("/programs/<int:program_id>/questionnaires", methods=["GET", "POST"])
@permission_required("questionnaires.build")
@writes
def questionnaires(program_id):
    program = program_or_404(program_id)
    existing = program_questionnaires(program)
    form = NewQuestionnaireForm()
    form.kind.choices = [(k, label) for k, label in form.kind.choices if k not in existing]
    if form.validate_on_submit():
        questionnaire = create_questionnaire(program, actor_id(), form.kind.data,
                                             default_title(form.kind.data, program.languages))
        add_section(questionnaire, {})
        return redirect(url_for("assessments.questionnaire", questionnaire_id=questionnaire.id))
    file_form = QuestionnaireFileForm(prefix="file")
    file_form.kind.choices = form.kind.choices
    return render_template("assessments/questionnaires.html", program=program, existing=existing, form=form,
                           file_form=file_form, kinds=QUESTIONNAIRE_KINDS)


@bp.route("/programs/<int:program_id>/questionnaires/import", methods=["POST"])
@permission_required("questionnaires.build")
@writes
def import_questionnaire(program_id):
    program = program_or_404(program_id)
    existing = program_questionnaires(program)
    form = QuestionnaireFileForm(prefix="file")
    form.kind.choices = [(k, label) for k, label in form.kind.choices if k not in existing]
    problems = []
    if form.validate_on_submit():
        data = read_limited_upload(form.file.data)
        plain, problems = load(data) if data is not None else (None, [("file", "too_large")])
        if plain is not None:
            questionnaire = import_plain(program, actor_id(), plain, kind=form.kind.data)
            flash(_("Questionnaire imported."), "success")
            return redirect(url_for("assessments.questionnaire", questionnaire_id=questionnaire.id))
    form.file.errors = list(form.file.errors) + [file_problem_message(where, code) for where, code in problems]
    new_form = NewQuestionnaireForm(formdata=None)
    new_form.kind.choices = form.kind.choices
    return render_template("assessments/questionnaires.html", program=program, existing=existing, form=new_form,
                           file_form=form, kinds=QUESTIONNAIRE_KINDS), 400


@bp.route("/questionnaires/<int:questionnaire_id>", methods=["GET", "POST"])
@permission_required("questionnaires.build")
@writes
def questionnaire(questionnaire_id):
    questionnaire = questionnaire_or_404(questionnaire_id)
    slots = _slots(questionnaire.program)
    form = SettingsForm.for_languages(questionnaire.program.languages)(
        obj=None, slots=_slot_choices(slots.values(), questionnaire.program.timezone)) \
        if request.method == "POST" else _settings_form(questionnaire, slots)
    if form.validate_on_submit() and _save_settings(questionnaire, form, slots.get(form.agenda_item_id.data)):
        finalize_overdue(questionnaire)  # an earlier closing ends the attempts still open
        flash(_("Settings saved."), "success")
        return redirect(url_for("assessments.questionnaire", questionnaire_id=questionnaire.id))
    return _page(questionnaire, form, _reopen_form(questionnaire), slots)


def _page(questionnaire, form, reopen_form, slots):
    """The builder's page; 400 when one of its forms was refused (it shows what was typed)."""
    program = questionnaire.program
    others = program_questionnaires(program)
    status = 400 if form.errors or reopen_form.errors else 200
    follow_up = follow_up_summary(questionnaire) if questionnaire.kind == "follow_up" else None
    return render_template("assessments/questionnaire.html", questionnaire=questionnaire, program=program, form=form,
                           reopen_form=reopen_form, slot=slots.get(questionnaire.agenda_item_id),
                           sections=sections_with_questions(questionnaire), locked=has_attempts(questionnaire),
                           pre_test=others.get("pre"), follow_up=follow_up,
                           follow_up_form=FollowUpScheduleForm.for_weeks(follow_up["weeks"]) if follow_up else None,
                           section_form=SectionForm.for_languages(program.languages)(formdata=None)), status


def _reopen_form(questionnaire):
    """"Open now" offers the closing time still ahead, if any."""
    closes_at = questionnaire.closes_at
    ahead = closes_at is not None and closes_at > utcnow()
    return ReopenForm(prefix="reopen", formdata=None,
                      closes_at=to_local(closes_at, questionnaire.program.timezone) if ahead else None)


def _slots(program):
    """The program's agenda items a questionnaire can be tied to, by id."""
    return {item.id: item for item in program_agenda_items(program)}


def _slot_choices(items, zone):
    """Each agenda slot as a person picks it: session, day and times in the program's zone, kind, title."""
    language = current_language()
    return [(item.id, f"{item.activity.code} · {day(item.starts_at, zone, language)}, "
                      f"{clock(item.starts_at, zone, language)}–{clock(item.ends_at, zone, language)} · "
                      f"{AGENDA_KIND_LABELS[item.kind]} · {item.title_in(language)}") for item in items]


def _settings_form(questionnaire, slots):
    zone = questionnaire.program.timezone
    form = SettingsForm.for_languages(questionnaire.program.languages)(
        formdata=None, slots=_slot_choices(slots.values(), zone), agenda_item_id=questionnaire.agenda_item_id,
        opens_at=to_local(questionnaire.opens_at, zone) if questionnaire.opens_at else None,
        closes_at=to_local(questionnaire.closes_at, zone) if questionnaire.closes_at else None,
        time_limit_minutes=questionnaire.time_limit_minutes, show_score=questionnaire.show_score)
    form.fill("title", questionnaire.title)
    form.fill("intro", questionnaire.intro)
    return form


def _save_settings(questionnaire, form, slot):
    zone = questionnaire.program.timezone
    moments = {"opens_at": None, "closes_at": None}
    for field in (form.opens_at, form.closes_at) if slot is None else ():  # tied: the slot's times are used
        try:
            moments[field.name] = to_utc(field.data, zone) if field.data else None
        except (LocalTimeError, OverflowError):  # a skipped hour, or a year like 9999 that UTC cannot hold
            field.errors.append(_("This time does not exist in %(zone)s (the clocks skip it).", zone=zone))
            return False
    save_settings(questionnaire, actor_id(), form.localized("title", questionnaire.title),
                  form.localized("intro", questionnaire.intro),
                  moments["opens_at"], moments["closes_at"], form.time_limit_minutes.data, form.show_score.data,
                  agenda_item=slot)
    return True


@bp.route("/questionnaires/<int:questionnaire_id>/open", methods=["POST"])
@permission_required("questionnaires.build")
@writes
def open_questionnaire(questionnaire_id):
    questionnaire = questionnaire_or_404(questionnaire_id)
    form = ReopenForm(prefix="reopen")
    if form.validate_on_submit() and _open(questionnaire, form):
        flash(_("The questionnaire is open."), "success")
        return redirect(url_for("assessments.questionnaire", questionnaire_id=questionnaire.id))
    slots = _slots(questionnaire.program)
    return _page(questionnaire, _settings_form(questionnaire, slots), form, slots)


def _open(questionnaire, form):
    """Open it until the closing time typed (in the program's zone); False with the error next to the field."""
    zone = questionnaire.program.timezone
    try:
        closes_at = to_utc(form.closes_at.data, zone) if form.closes_at.data else None
    except (LocalTimeError, OverflowError):
        form.closes_at.errors.append(_("This time does not exist in %(zone)s (the clocks skip it).", zone=zone))
        return False
    try:
        open_now(questionnaire, actor_id(), closes_at)
    except ServiceError as error:
        form.closes_at.errors.append(_reopen_problem(error.message, questionnaire))
        return False
    return True


def _reopen_problem(code, questionnaire):
    if code == "past":
        return _("The closing time must be in the future.")
    zone = questionnaire.program.timezone
    return _("Give the time it closes again: it closed on %(when)s.",
             when=when(questionnaire.closes_at, zone, current_language()))


@bp.route("/questionnaires/<int:questionnaire_id>/close", methods=["POST"])
@permission_required("questionnaires.build")
@writes
def close_questionnaire(questionnaire_id):
    questionnaire = questionnaire_or_404(questionnaire_id)
    close_window(questionnaire, actor_id())
    count = finalize_overdue(questionnaire)
    flash(_("The questionnaire is closed.") + " " + _("Attempts submitted from their saved answers: %(count)s.",
                                                     count=count), "success")
    return redirect(url_for("assessments.questionnaire", questionnaire_id=questionnaire.id))


@bp.route("/questionnaires/<int:questionnaire_id>/sections", methods=["POST"])
@permission_required("questionnaires.build")
@writes
def new_section(questionnaire_id):
    questionnaire = questionnaire_or_404(questionnaire_id)
    form = SectionForm.for_languages(questionnaire.program.languages)()
    if form.validate_on_submit():
        _unless_locked(lambda: create_section(questionnaire, actor_id(), form.localized("title")))
    return _back(questionnaire)


@bp.route("/sections/<int:section_id>/edit", methods=["GET", "POST"])
@permission_required("questionnaires.build")
@writes
def edit_section(section_id):
    section = section_or_404(section_id)
    form = SectionForm.for_languages(section.questionnaire.program.languages)()
    if request.method == "GET":
        form.fill("title", section.title)
    if form.validate_on_submit():
        rename_section(section, actor_id(), form.localized("title", section.title))
        return _back(section.questionnaire, f"section-{section.id}")
    return render_template("assessments/section_form.html", section=section, form=form,
                           questionnaire=section.questionnaire)


@bp.route("/sections/<int:section_id>/delete", methods=["POST"])
@permission_required("questionnaires.build")
@writes
def remove_section(section_id):
    section = section_or_404(section_id)
    questionnaire = section.questionnaire
    if _unless_locked(lambda: delete_section(section, actor_id()))[0]:
        flash(_("Section deleted."), "success")
    return _back(questionnaire)


@bp.route("/sections/<int:section_id>/move", methods=["POST"])
@permission_required("questionnaires.build")
@writes
def move_section(section_id):
    section = section_or_404(section_id)
    move(section, section.questionnaire.sections, _offset(), actor_id())
    return _back(section.questionnaire, f"section-{section.id}")


@bp.route("/sections/<int:section_id>/questions/new", methods=["GET", "POST"])
@permission_required("questionnaires.build")
@writes
def new_question(section_id):
    section = section_or_404(section_id)
    questionnaire = section.questionnaire
    if has_attempts(questionnaire):
        return _refused(questionnaire)
    form = QuestionForm.for_languages(questionnaire.program.languages)()
    if form.validate_on_submit() and _item_key_free(form, questionnaire, None):
        try:
            question = create_question(section, actor_id(), form.values())
        except Locked:  # someone started answering since the form was shown
            return _refused(questionnaire)
        flash(_("Question added."), "success")
        return _back(questionnaire, f"question-{question.id}")
    return render_template("assessments/question_form.html", form=form, section=section, question=None,
                           questionnaire=questionnaire, locked=False), 400 if form.errors else 200


@bp.route("/questions/<int:question_id>/edit", methods=["GET", "POST"])
@permission_required("questionnaires.build")
@writes
def edit_question(question_id):
    question = question_or_404(question_id)
    questionnaire = question.section.questionnaire
    locked = has_attempts(questionnaire)
    form = QuestionForm.for_languages(questionnaire.program.languages)() if request.method == "POST" \
        else _question_form(question, questionnaire.program.languages)
    if form.validate_on_submit() and _item_key_free(form, questionnaire, question):
        try:
            update_question(question, actor_id(), form.values(question))
        except Locked:
            form.type.errors.append(_("People have already answered: only the wording can change now (not the "
                                      "type, options' keys, right answer, points, dimension or item key)."))
        else:
            flash(_("Question saved."), "success")
            return _back(questionnaire, f"question-{question.id}")
    return render_template("assessments/question_form.html", form=form, section=question.section,
                           question=question, questionnaire=questionnaire, locked=locked), \
        400 if form.errors else 200


def _question_form(question, languages):
    form = QuestionForm.for_languages(languages)(formdata=None, data={
        "type": question.type, "dimension": question.dimension, "item_key": question.item_key or "",
        "correct": ", ".join(question.correct), "points": question.points, "required": question.required})
    form.fill_question(question)
    return form


def _item_key_free(form, questionnaire, question):
    key = form.item_key.data
    clash = key and any(other.item_key == key and other is not question
                        for section in questionnaire.sections for other in section.questions)
    if clash:
        form.item_key.errors.append(_("Another question of this questionnaire has this key."))
    return not clash


@bp.route("/questions/<int:question_id>/delete", methods=["POST"])
@permission_required("questionnaires.build")
@writes
def remove_question(question_id):
    question = question_or_404(question_id)
    questionnaire = question.section.questionnaire
    if _unless_locked(lambda: delete_question(question, actor_id()))[0]:
        flash(_("Question deleted."), "success")
    return _back(questionnaire)


@bp.route("/questions/<int:question_id>/move", methods=["POST"])
@permission_required("questionnaires.build")
@writes
def move_question(question_id):
    question = question_or_404(question_id)
    move(question, question.section.questions, _offset(), actor_id())
    return _back(question.section.questionnaire, f"question-{question.id}")


@bp.route("/questionnaires/<int:questionnaire_id>/copy-knowledge", methods=["POST"])
@permission_required("questionnaires.build")
@writes
def copy_knowledge(questionnaire_id):
    target = questionnaire_or_404(questionnaire_id)
    source = program_questionnaires(target.program).get("pre")
    if source is None or source.id == target.id:
        abort(404)
    done, count = _unless_locked(lambda: copy_knowledge_items(source, target, actor_id()))
    if done:
        flash(_("Knowledge questions copied from the pre-test: %(count)s.", count=count), "success")
    return _back(target)


@bp.route("/questionnaires/<int:questionnaire_id>/export.json")
@permission_required("questionnaires.build")
def export_questionnaire(questionnaire_id):
    questionnaire = questionnaire_or_404(questionnaire_id)
    response = make_response(dump(plain_of(questionnaire)))
    response.headers["Content-Type"] = "application/json; charset=utf-8"
    name = f"{questionnaire.program.code}-{questionnaire.kind}.json"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@bp.route("/questionnaires/<int:questionnaire_id>/preview")
@permission_required("questionnaires.build")
def preview_questionnaire(questionnaire_id):
    questionnaire = questionnaire_or_404(questionnaire_id)
    offered = questionnaire.program.languages or [questionnaire.program.default_language]
    language = request.args.get("lang") if request.args.get("lang") in offered else current_language()
    return render_template("assessments/preview.html", questionnaire=questionnaire, language=language,
                           languages=offered,
                           sections=sections_with_questions(questionnaire))


@bp.route("/questionnaires/<int:questionnaire_id>/delete", methods=["POST"])
@permission_required("questionnaires.build")
@writes
def delete_questionnaire(questionnaire_id):
    questionnaire = questionnaire_or_404(questionnaire_id)
    program_id = questionnaire.program_id
    if not _unless_locked(lambda: discard_questionnaire(questionnaire, actor_id()))[0]:
        return _back(questionnaire)
    flash(_("Questionnaire deleted."), "success")
    return redirect(url_for("assessments.questionnaires", program_id=program_id))


def _unless_locked(change):
    """Run a change of structure: (True, its result), or (False, None) and a message when people have answered
    (checked by the service under a lock, so a participant starting meanwhile is seen)."""
    try:
        return True, change()
    except Locked:
        db.session.rollback()
        _say_locked()
        return False, None


def _refused(questionnaire):
    _say_locked()
    return _back(questionnaire)


def _say_locked():
    flash(_("People have already answered this questionnaire: questions cannot be added or deleted now."), "error")


def _offset():
    return -1 if request.form.get("direction") == "up" else 1


def _back(questionnaire, anchor=None):
    return redirect(url_for("assessments.questionnaire", questionnaire_id=questionnaire.id, _anchor=anchor))
