"""Following a questionnaire: who has not started, is answering or submitted, by delegation; reminders; exports."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from training.access import actor_id, permission_required, program_or_404
from training.labels import current_language, delegation_label
from training.localized import pick
from training.services_messages import count_queued
from training.textkeys import database_id
from training.web import call_or_show_error, send_export, start_messages
from transactions import begin_writes, catches_up, writes

from . import bp
from .access import questionnaire_or_404
from .forms import ReminderForm, ReminderScheduleForm
from .question_types import QUESTIONNAIRE_KINDS
from .services_builder import program_questionnaires
from .services_followup import STATES, answers_by_attempt, by_delegation, progress, score_percent, totals
from .services_reminders import reminder_moments, reminder_rules, save_reminder_schedule, sent_counts
from .services_taking import IN_PROGRESS, NOT_STARTED, finalize_if_overdue, finalize_overdue, overdue_attempts
from .template_helpers import answer_cell
from .texts import FINALIZED_LABELS, PROGRESS_LABELS


@bp.route("/programs/<int:program_id>/tests")
@permission_required("tests.follow")
def test_progress(program_id):
    """Every questionnaire of the program with its counts, as a starting point."""
    program = program_or_404(program_id)
    questionnaires = sorted(program_questionnaires(program).values(), key=lambda q: QUESTIONNAIRE_KINDS.index(q.kind))
    counts = {q.id: totals(progress(q)) for q in questionnaires}
    return render_template("assessments/tests.html", program=program, questionnaires=questionnaires, counts=counts,
                           states=STATES)


@bp.route("/questionnaires/<int:questionnaire_id>/progress")
@permission_required("tests.follow")
@catches_up  # overdue attempts are finalized before the table is shown
def questionnaire_progress(questionnaire_id):
    questionnaire = questionnaire_or_404(questionnaire_id)
    overdue = overdue_attempts(questionnaire)
    if overdue:  # a live table shows no attempt whose time is over as "in progress"
        begin_writes()  # only now does this page need SQLite's write lock
        for attempt in overdue:
            finalize_if_overdue(attempt, questionnaire)
    rows = progress(questionnaire)
    state = request.args.get("state", "")
    delegation = request.args.get("delegation", type=database_id)
    shown = [row for row in rows if (not state or row[1] == state)
             and (delegation is None or row[0].delegation_id == delegation)]
    return render_template("assessments/progress.html", questionnaire=questionnaire, program=questionnaire.program,
                           table=by_delegation(rows), totals=totals(rows), people=shown, states=STATES,
                           state=state, delegation=delegation,
                           form=ReminderForm(), queued=count_queued(questionnaire.program),
                           schedule_form=_schedule_form(questionnaire), rules=reminder_moments(questionnaire),
                           reminded=sent_counts(questionnaire),
                           finalized_labels=FINALIZED_LABELS, score_percent=score_percent)


@bp.route("/questionnaires/<int:questionnaire_id>/finalize", methods=["POST"])
@permission_required("questionnaires.build")
@writes
def finalize_questionnaire(questionnaire_id):
    """Submit, from their saved answers, the attempts whose time limit or window is over (also done lazily)."""
    questionnaire = questionnaire_or_404(questionnaire_id)
    count = finalize_overdue(questionnaire)
    flash(_("Attempts submitted from their saved answers: %(count)s.", count=count), "success")
    return redirect(url_for("assessments.questionnaire_progress", questionnaire_id=questionnaire.id))


@bp.route("/questionnaires/<int:questionnaire_id>/reminders", methods=["POST"])
@permission_required("tests.remind")
@writes
def send_reminders(questionnaire_id):
    questionnaire = questionnaire_or_404(questionnaire_id)
    form = ReminderForm()
    back = redirect(url_for("assessments.questionnaire_progress", questionnaire_id=questionnaire.id))
    if not form.validate_on_submit():
        flash(_("Choose who receives the reminder."), "error")
        return back
    wanted = {"not_started": {NOT_STARTED}, "in_progress": {IN_PROGRESS},
              "unfinished": {NOT_STARTED, IN_PROGRESS}}[form.audience.data]
    people = [person for person, state, _attempt in progress(questionnaire) if state in wanted]
    if not people:
        flash(_("Nobody matches that choice: no reminder was sent."), "info")
        return back
    start_messages(questionnaire.program, "reminder", people, questionnaire_id=questionnaire.id)
    return back


def _schedule_form(questionnaire, form=None):
    form = form or ReminderScheduleForm()
    rules = reminder_rules(questionnaire)
    if not form.is_submitted() and rules:
        form.hours.data = ", ".join(str(rule.hours_before) for rule in rules)
        form.audience.data = rules[0].audience
    return form


@bp.route("/questionnaires/<int:questionnaire_id>/reminder-schedule", methods=["POST"])
@permission_required("tests.remind")
@writes
def reminder_schedule(questionnaire_id):
    """The automatic reminders before the questionnaire closes, sent by the worker at their time."""
    questionnaire = questionnaire_or_404(questionnaire_id)
    form = ReminderScheduleForm()
    if form.validate_on_submit():
        saved, _result = call_or_show_error(form, lambda: save_reminder_schedule(
            questionnaire, actor_id(), form.hours.hours, form.audience.data), _("Reminder schedule saved."))
        if saved:
            return redirect(url_for("assessments.questionnaire_progress", questionnaire_id=questionnaire.id))
    for error in form.hours.errors:
        flash(str(error), "error")
    return redirect(url_for("assessments.questionnaire_progress", questionnaire_id=questionnaire.id))


@bp.route("/questionnaires/<int:questionnaire_id>/answers.<any(csv, xlsx):file_format>")
@permission_required("answers.export")
def export_answers(questionnaire_id, file_format):
    """Every answer, one row per participant and one column per question, with the scores (CSV or XLSX)."""
    questionnaire = questionnaire_or_404(questionnaire_id)
    language = current_language()
    fallback = questionnaire.program.default_language
    questions, rows = answers_by_attempt(questionnaire)
    headers = [_("E-mail"), _("Name"), _("Delegation"), _("Status"), _("Submitted at (UTC)"), _("Submitted"),
               *(_column(number, q, language, fallback) for number, q in enumerate(questions, start=1)),
               _("Score"), _("Maximum"), _("Percentage")]
    cells = [[person.email, person.full_name, delegation_label(person.delegation, language),
              str(PROGRESS_LABELS[attempt.status]),
              attempt.submitted_at.isoformat(timespec="seconds") if attempt.submitted_at else "",
              str(FINALIZED_LABELS[attempt.finalized_by]) if attempt.finalized_by else "",
              *(answer_cell(q, values.get(q.id), language, fallback) for q in questions),
              _number(attempt.score), _number(attempt.max_score), _number(score_percent(attempt))]
             for person, attempt, values in rows]
    name = f"{questionnaire.program.code}-{questionnaire.kind}-answers.{file_format}"
    return send_export(file_format, headers, cells, name, questionnaire.program, sheet_title=_("Answers"))


def _column(number, question, language, fallback):
    key = f"{question.item_key} · " if question.item_key else ""
    return f"{number}. {key}{pick(question.text, language, fallback)}"[:250]


def _number(value):
    return "" if value is None else round(value, 2)

