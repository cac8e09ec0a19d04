"""The participant takes a test: start, answer (plain form or autosave), review, submit once, thank-you page."""
from dataclasses import replace

from flask import abort, current_app, flash, g, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _

from extensions import db, limiter
from training.access import link_refused, no_store, participant_required, session_link, session_participant
from training.calendar_files import CalendarEvent
from training.hooks import hooks
from training.labels import current_language
from training.models import utcnow
from training.schedule import when
from training.textkeys import MAX_ID
from transactions import begin_writes, own_connection, reads_then_writes, statements_stand_alone, writes

from . import bp
from .question_types import QUESTIONNAIRE_KINDS, REGISTRY, AnswerError, clean_answer, percent
from .services import CLOSED, SAVED, open_attempt, save_answer, saved_answers, store_answer, submit_attempt
from .services_builder import program_questionnaires, questionnaire_of
from .services_content import content_of, form_html, questions_html, review_html
from .services_taking import (
    IN_PROGRESS,
    SUBMITTED,
    attempt_of,
    attempt_to_write,
    autosave_target,
    deadline_of,
    finalize_if_overdue,
    is_overdue,
    participant_statuses,
    participant_tests,
    unanswered,
)
from .texts import answer_error_message


def my_page_card(participant, _activities):
    """The questionnaires card of the participant's own page: each one's status, pre-test first (empty: no card)."""
    return participant_tests(participant)


def calendar_events(program, language, zone):
    """The questionnaires' closing times, as moments in the program's calendar files (times in `zone`)."""
    events = []
    for kind, questionnaire in sorted(program_questionnaires(program).items()):
        if questionnaire.closes_at is None:
            continue
        title = questionnaire.title_in(language)
        events.append(CalendarEvent(
            uid=f"{program.code}-{kind}-{questionnaire.id}-closes@capacita", starts_at=questionnaire.closes_at,
            ends_at=None, summary=_("Closes: %(title)s", title=title),
            description=_("%(title)s can be answered until %(when)s.", title=title,
                          when=when(questionnaire.closes_at, zone, language))))
    return events


def _status_or_404(kind):
    status = participant_statuses(g.participant).get(kind)
    if status is None:  # not a kind, no such questionnaire, or not a single question yet
        abort(404)
    questionnaire = status.questionnaire
    if status.attempt is not None and is_overdue(status.attempt, questionnaire):
        begin_writes()  # only now does this request need SQLite's write lock
        attempt = attempt_to_write(status.attempt)
        finalize_if_overdue(attempt, questionnaire)
        status = replace(status, attempt=attempt)  # the page shows the attempt as it is now
    return status


def _elapsed_ms(attempt):
    """The server's sequence base: milliseconds since the attempt started."""
    return max(0, int((utcnow() - attempt.started_at).total_seconds() * 1000))


@bp.route("/me/tests/<kind>", methods=["GET", "POST"])
@participant_required
@reads_then_writes
def take_test(kind):
    if request.method == "POST":
        begin_writes()  # the plain form saves every answer
    status = _status_or_404(kind)
    questionnaire, attempt = status.questionnaire, status.attempt
    if status.progress == SUBMITTED:
        return redirect(url_for("assessments.test_done", kind=kind))
    if status.refusal or attempt is None:
        notes = [note for load in hooks(current_app).questionnaire_notes for note in load(g.participant, questionnaire)]
        return render_template("assessments/test_intro.html", status=status, questionnaire=questionnaire,
                               question_count=status.question_count, notes=notes)
    errors = {}
    if request.method == "POST":
        attempt = attempt_to_write(attempt)
        errors = _save_form(attempt, questionnaire)
        if not errors and attempt.status == IN_PROGRESS:
            if request.form.get("action") == "review":
                return redirect(url_for("assessments.review_test", kind=kind))
            flash(_("Your answers are saved."), "success")
            return redirect(url_for("assessments.take_test", kind=kind))
        if attempt.status == SUBMITTED:
            return redirect(url_for("assessments.test_done", kind=kind))
    answers = saved_answers(attempt)
    content, language = content_of(questionnaire.id), current_language()
    fallback = questionnaire.program.default_language
    if errors:  # this page alone shows its refused values and their messages
        answers.update({question_id: value for question_id, (value, _message) in errors.items()})
        questions = questions_html(content, answers, errors, language, fallback)
    else:  # the questionnaire's cached HTML, the participant's own answers filled in
        questions = form_html(content, answers, language, fallback)
    return render_template("assessments/test_form.html", questionnaire=questionnaire, attempt=attempt,
                           questions_html=questions, errors=errors, seq_base=_elapsed_ms(attempt),
                           deadline=deadline_of(attempt, questionnaire))


def _save_form(attempt, questionnaire):
    """Save every question of the plain form; question id → (typed value, message) for those refused."""
    seq = _form_seq(attempt)
    errors, saved = {}, saved_answers(attempt)
    for question in content_of(questionnaire.id).questions:
        raw = request.form.getlist(f"q{question.id}")
        raw = raw if REGISTRY[question.type].answer_kind == "many" else (raw[-1] if raw else None)
        try:
            if _same_answer(question, clean_answer(question.spec(), raw), saved.get(question.id)):
                continue  # unchanged: nothing to write (and an empty field is not an answer)
            if save_answer(attempt, question, raw, seq) == CLOSED:
                break  # the time ran out meanwhile: what was saved is what counts
        except AnswerError as error:
            errors[question.id] = (raw, answer_error_message(error))
    db.session.flush()
    db.session.refresh(attempt)
    return errors


def _same_answer(question, new, old):
    answered = REGISTRY[question.type].is_answered
    return new == old or not (answered(new) or answered(old))


def _form_seq(attempt):
    """The page's own sequence base: what the participant saw when the page was built. A later autosave from
    this or another tab carries a larger number and is never overwritten by this older snapshot."""
    try:
        seq = int(request.form.get("seq", ""))
    except ValueError:
        seq = 0
    return min(max(seq, 0), _elapsed_ms(attempt))


@bp.route("/me/tests/<kind>/start", methods=["POST"])
@participant_required
@writes
def start_test(kind):
    status = _status_or_404(kind)
    if status.can_answer and status.attempt is None:
        open_attempt(status.questionnaire, g.participant)
    return redirect(url_for("assessments.take_test", kind=kind))


@bp.route("/me/tests/<kind>/answers", methods=["POST"])
@limiter.exempt  # no limit applies here: exempt, the limiter skips its bookkeeping on the busiest route
@statements_stand_alone
def autosave(kind):
    """One answer as JSON {question, value, seq} → {status: saved | stale | closed | invalid}. The hot path of
    a test: one query checks the session's participant and reads everything, then one write statement (on
    SQLite each is its own transaction, so the write lock is held only while SQLite runs the write). Anything
    unusual takes the slow path, which loads the participant."""
    data = request.get_json(silent=True)
    readable = isinstance(data, dict) and _whole_number(data.get("question"), MAX_ID + 1) \
        and _whole_number(data.get("seq"), 2**62)
    now = utcnow()
    # Both statements on a connection of the request's own, not through the ORM session (transactions.py's
    # own_connection: the session's bookkeeping cost as much as the statements); the slow path uses the session.
    connection = own_connection() if readable and kind in QUESTIONNAIRE_KINDS else None
    target = None if connection is None else autosave_target(*session_link(), kind, data["question"], now,
                                                             on=connection)
    if target is None or not target.may_save(now):
        if session_participant() is None:
            return link_refused()
        if not readable:
            return no_store(jsonify(status="invalid", message=_("The answer could not be read.")), 400)
        return no_store(_refuse_autosave(kind, target))
    try:
        value = clean_answer(target.spec, data.get("value"))
    except AnswerError as error:
        return no_store(jsonify(status="invalid", message=answer_error_message(error)), 422)
    seq_base = int((now - target.started_at).total_seconds() * 1000)
    outcome = store_answer(target.attempt_id, data["question"], value, data["seq"], now, on=connection)
    if outcome == CLOSED:
        return no_store(jsonify(status=CLOSED, message=_("This questionnaire is no longer taking answers.")), 409)
    # The server's clock for the next sequence numbers: a phone that slept has a monotonic clock behind.
    return no_store(jsonify(status=outcome, saved=outcome == SAVED, seq_base=seq_base))


def _refuse_autosave(kind, target):
    """Why an answer cannot be saved: not this questionnaire's question (400), or the attempt is over (409,
    after finalizing it from its saved answers when its time is up)."""
    questionnaire = questionnaire_of(g.participant.program, kind) if kind in QUESTIONNAIRE_KINDS else None
    attempt = attempt_of(questionnaire, g.participant) if questionnaire is not None else None
    if attempt is not None and attempt.status == IN_PROGRESS:
        if target is None:
            db.session.rollback()
            return jsonify(status="invalid", message=_("This question is not part of your questionnaire.")), 400
        begin_writes()
        finalize_if_overdue(attempt, questionnaire)
    return jsonify(status=CLOSED, message=_("This questionnaire is no longer taking answers.")), 409


def _whole_number(value, limit):
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < limit


@bp.route("/me/tests/<kind>/review")
@participant_required
@reads_then_writes
def review_test(kind):
    status = _status_or_404(kind)
    if status.progress != IN_PROGRESS:
        return redirect(url_for("assessments.take_test", kind=kind))
    content, questionnaire = content_of(status.questionnaire.id), status.questionnaire
    answers = saved_answers(status.attempt)
    required, optional = unanswered(content.sections, answers)
    answers_html = review_html(content, answers, current_language(), questionnaire.program.default_language)
    return render_template("assessments/test_review.html", questionnaire=questionnaire, answers_html=answers_html,
                           missing_required=required, missing_optional=optional,
                           deadline=deadline_of(status.attempt, status.questionnaire))


@bp.route("/me/tests/<kind>/submit", methods=["POST"])
@participant_required
@writes
def submit_test(kind):
    status = _status_or_404(kind)
    attempt = None if status.attempt is None else attempt_to_write(status.attempt)  # it writes through it
    if attempt is None:
        return redirect(url_for("assessments.take_test", kind=kind))
    if attempt.status == IN_PROGRESS:
        content = content_of(status.questionnaire.id)
        required, _optional = unanswered(content.sections, saved_answers(attempt))
        if required:
            flash(_("Some required questions are still unanswered."), "error")
            return redirect(url_for("assessments.review_test", kind=kind))
        if submit_attempt(attempt, content=content):
            return redirect(url_for("assessments.test_done", kind=kind))
    flash(_("This questionnaire was already submitted; your answers were kept."), "info")
    return redirect(url_for("assessments.test_done", kind=kind))


@bp.route("/me/tests/<kind>/done")
@participant_required
@reads_then_writes
def test_done(kind):
    status = _status_or_404(kind)
    if status.progress != SUBMITTED:
        return redirect(url_for("assessments.take_test", kind=kind))
    attempt, questionnaire = status.attempt, status.questionnaire
    score = percent(attempt.score, attempt.max_score) if questionnaire.show_score else None
    return render_template("assessments/test_done.html", questionnaire=questionnaire, attempt=attempt, score=score,
                           language=current_language())

