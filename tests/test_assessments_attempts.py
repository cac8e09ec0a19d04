"""Attempts through the service layer: one per person, newest answer wins, exactly one submission."""
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from assessments.models import Answer, Attempt, Question, Questionnaire, Section
from assessments.question_types import AnswerError
from assessments.services import (
    CLOSED,
    SAVED,
    STALE,
    NotThisQuestionnaire,
    save_answer,
    saved_answers,
    start_attempt,
    store_answer,
    submit_attempt,
)
from extensions import db
from training.models import Participant

RACERS = 20


@pytest.fixture
def quiz(app, world):
    """A pre-test with two scored questions (2 + 1 points) and an opinion, and a post-test with one question."""
    with app.app_context():
        tests = {}
        for kind in ("pre", "post"):
            questionnaire = Questionnaire(program_id=world["ids"]["program"], kind=kind, title={"es": kind})
            questionnaire.sections.append(Section(position=1, title={"es": "A"}))
            db.session.add(questionnaire)
            db.session.flush()
            tests[kind] = questionnaire
        section = tests["pre"].sections[0]
        questions = [
            Question(questionnaire_id=tests["pre"].id, position=1, type="single_choice", correct=["b"], points=2,
                     options=[{"key": "a"}, {"key": "b"}]),
            Question(questionnaire_id=tests["pre"].id, position=2, type="true_false", correct=["true"], points=1),
            Question(questionnaire_id=tests["pre"].id, position=3, type="likert", dimension="expectations"),
        ]
        section.questions.extend(questions)
        tests["post"].sections[0].questions.append(
            Question(questionnaire_id=tests["post"].id, position=1, type="short_text"))
        db.session.commit()
        return {"pre": tests["pre"].id, "post": tests["post"].id, "questions": [q.id for q in questions],
                "other_question": tests["post"].sections[0].questions[0].id}


def _attempt(app, quiz, participant_id):
    questionnaire = db.session.get(Questionnaire, quiz["pre"])
    return start_attempt(questionnaire, db.session.get(Participant, participant_id))


def test_newest_answer_wins_and_stale_saves_are_ignored(app, world, quiz):
    with app.app_context():
        attempt = _attempt(app, quiz, world["ids"]["mx1"])
        choice = db.session.get(Question, quiz["questions"][0])
        assert save_answer(attempt, choice, "a", seq=2) == SAVED
        assert save_answer(attempt, choice, "b", seq=1) == STALE  # an old request replayed late
        assert save_answer(attempt, choice, "b", seq=2) == STALE
        assert save_answer(attempt, choice, "b", seq=5) == SAVED
        db.session.commit()
        assert saved_answers(attempt) == {choice.id: "b"}
        assert start_attempt(attempt.questionnaire, attempt.participant).id == attempt.id


def test_tampered_answers_save_nothing(app, world, quiz):
    with app.app_context():
        attempt = _attempt(app, quiz, world["ids"]["mx1"])
        with pytest.raises(NotThisQuestionnaire):
            save_answer(attempt, db.session.get(Question, quiz["other_question"]), "hola", seq=1)
        with pytest.raises(AnswerError):
            save_answer(attempt, db.session.get(Question, quiz["questions"][0]), "z", seq=1)
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(Answer)) == 0


def test_submission_scores_saved_answers_once_and_closes_the_attempt(app, world, quiz):
    with app.app_context():
        attempt = _attempt(app, quiz, world["ids"]["gt1"])
        choice, true_false, opinion = (db.session.get(Question, qid) for qid in quiz["questions"])
        save_answer(attempt, choice, "b", seq=1)
        save_answer(attempt, opinion, "4", seq=2)
        assert submit_attempt(attempt) is True
        assert (attempt.status, attempt.score, attempt.max_score, attempt.finalized_by) == \
            ("submitted", 2.0, 3.0, "participant")
        assert submit_attempt(attempt) is False
        assert save_answer(attempt, true_false, "true", seq=3) == CLOSED
        db.session.commit()
        assert saved_answers(attempt) == {choice.id: "b", opinion.id: 4}


def test_a_save_sees_the_sessions_pending_changes(app, world, quiz):
    """The save's statements run on the session's connection: what the session changed but has not flushed yet (an
    attempt just closed) is flushed first, as any statement through the session would see it."""
    with app.app_context():
        attempt = _attempt(app, quiz, world["ids"]["gt1"])
        question = db.session.get(Question, quiz["questions"][0])
        db.session.commit()
        started_at, _loaded = attempt.started_at, question.questionnaire_id  # both loaded: no autoflush below
        # Closed in the session, pending: not flushed.
        attempt.status, attempt.finalized_by, attempt.submitted_at = "submitted", "participant", started_at
        assert save_answer(attempt, question, "b", seq=1) == CLOSED
        assert db.session.scalar(select(func.count()).select_from(Answer)) == 0


def test_the_driver_statement_refuses_what_it_cannot_run_as_the_drivers_sql(app):
    """An IN list (expanded when it runs) would be sent wrong as compiled once: refused when it is built."""
    from assessments.services import DriverStatement

    with app.app_context():
        with pytest.raises(ValueError):
            DriverStatement(select(Answer.id).where(Answer.question_id.in_([1, 2])), db.engine.dialect)


def test_twenty_concurrent_submissions_make_one(app, world, quiz):
    with app.app_context():
        attempt_id = _attempt(app, quiz, world["ids"]["gt2"]).id
        db.session.commit()

    def submit(_index):
        with app.app_context():
            first = submit_attempt(db.session.get(Attempt, attempt_id))
            db.session.commit()
            return first

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(submit, range(RACERS)))
    assert results.count(True) == 1
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.status == "submitted" and attempt.score == 0.0 and attempt.max_score == 3.0


def test_a_save_during_a_submit_waits_for_it_and_is_refused(app, world, quiz):
    """A submit is scoring (its transaction still open) when an answer arrives: the save waits for the submit
    and is refused, so no acknowledged answer is missing from the score. Without the attempt's row lock in the
    save's statement, PostgreSQL would still see the attempt open and store the answer after the scoring."""
    with app.app_context():
        attempt_id = _attempt(app, quiz, world["ids"]["mx1"]).id
        db.session.commit()
    choice_id = quiz["questions"][0]
    scoring, release = threading.Event(), threading.Event()

    def submit():
        with app.app_context():
            submitted = submit_attempt(db.session.get(Attempt, attempt_id))
            scoring.set()
            release.wait(timeout=30)
            db.session.commit()
            return submitted

    def save():
        with app.app_context():
            outcome = store_answer(attempt_id, choice_id, "b", seq=1)
            db.session.commit()
            return outcome

    with ThreadPoolExecutor(max_workers=2) as pool:
        submitted = pool.submit(submit)
        assert scoring.wait(timeout=30)
        saved = pool.submit(save)
        time.sleep(0.5)
        waited = not saved.done()  # still blocked on the submit's lock
        release.set()
        assert submitted.result() is True and saved.result() == CLOSED and waited
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert saved_answers(attempt) == {} and attempt.score == 0.0


def test_a_save_for_an_attempt_erased_meanwhile_is_refused(app, world, quiz):
    """The participant's data was erased between the autosave's read and its write: refused, nothing stored."""
    with app.app_context():
        attempt_id = _attempt(app, quiz, world["ids"]["gt1"]).id
        db.session.delete(db.session.get(Attempt, attempt_id))
        db.session.flush()
        assert store_answer(attempt_id, quiz["questions"][0], "b", seq=1) == CLOSED
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(Answer)) == 0


def test_concurrent_starts_make_one_attempt(app, world, quiz):
    def start(_index):
        with app.app_context():
            attempt_id = _attempt(app, quiz, world["ids"]["obs1"]).id
            db.session.commit()
            return attempt_id

    with ThreadPoolExecutor(max_workers=8) as pool:
        ids = set(pool.map(start, range(RACERS)))
    assert len(ids) == 1
