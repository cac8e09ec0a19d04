"""Taking a test: what a participant may do now, finalizing attempts whose time is up, what is still unanswered."""
from dataclasses import dataclass
from functools import cache

from sqlalchemy import bindparam, select
from sqlalchemy.orm import selectinload

from extensions import db
from training.models import utcnow

from .models import Attempt, Question, Questionnaire, Section
from .question_types import QUESTIONNAIRE_KINDS, REGISTRY, QuestionSpec
from .services import submit_attempt
from .services_builder import questionnaire_of
from .windows import OPEN, attempt_deadline, finalized_reason, refusal, window_state

SUBMITTED, IN_PROGRESS, NOT_STARTED = "submitted", "in_progress", "not_started"


@dataclass
class TestStatus:
    questionnaire: Questionnaire
    attempt: Attempt | None
    refusal: str | None  # why it cannot be started or continued now: "not_open" / "closed", else None

    @property
    def progress(self):
        return self.attempt.status if self.attempt is not None else NOT_STARTED

    @property
    def can_answer(self):
        return self.refusal is None and self.progress != SUBMITTED


def test_status(questionnaire, participant, now=None, finalize=True):
    """The participant's attempt (finalized first when its time is up, unless `finalize` is false: a page that
    only lists tests does not write) and whether they may answer now."""
    now = now or utcnow()
    attempt = attempt_of(questionnaire, participant)
    if attempt is not None and finalize:
        finalize_if_overdue(attempt, questionnaire, now)
    state = window_state(questionnaire.opens_at, questionnaire.closes_at, now)
    return TestStatus(questionnaire, attempt, refusal(questionnaire.kind, state, _pre_test_opened(questionnaire, now)))


def participant_tests(participant, now=None):
    """The statuses of every questionnaire of the participant's program that has questions, pre-test first."""
    questionnaires = db.session.scalars(select(Questionnaire).where(
        Questionnaire.program_id == participant.program_id, Questionnaire.sections.any(Section.questions.any())))
    return [test_status(q, participant, now, finalize=False)
            for q in sorted(questionnaires, key=lambda q: QUESTIONNAIRE_KINDS.index(q.kind))]


@dataclass(frozen=True)
class AutosaveTarget:
    """What one autosave needs, read in one query: the attempt, its window and the question's spec."""
    attempt_id: int
    status: str
    started_at: object
    opens_at: object
    closes_at: object
    time_limit_minutes: int | None
    spec: QuestionSpec

    def may_save(self, now):
        """In progress, window open, time not up: else the slow path finalizes and refuses."""
        deadline = attempt_deadline(self.started_at, self.time_limit_minutes, self.closes_at)
        return self.status == IN_PROGRESS and window_state(self.opens_at, self.closes_at, now) == OPEN \
            and finalized_reason(deadline, self.closes_at, now) is None


def autosave_target(participant_id, program_id, kind, question_id):
    """The participant's attempt at the program's `kind` questionnaire and the question, if the question is
    part of it; None otherwise (no attempt, or a question of another questionnaire)."""
    row = db.session.execute(_autosave_query(), {"participant_id": participant_id, "program_id": program_id,
                                                 "kind": kind, "question_id": question_id}).one_or_none()
    if row is None:
        return None
    spec = QuestionSpec(row.type, tuple(o["key"] for o in row.options), tuple(row.correct), float(row.points),
                        row.required)
    return AutosaveTarget(row.id, row.status, row.started_at, row.opens_at, row.closes_at,
                          row.time_limit_minutes, spec)


@cache
def _autosave_query():
    """Built once: on the hot path its construction would cost more than its execution."""
    return (select(Attempt.id, Attempt.status, Attempt.started_at, Questionnaire.opens_at, Questionnaire.closes_at,
                   Questionnaire.time_limit_minutes, Question.type, Question.options, Question.correct,
                   Question.points, Question.required)
            .select_from(Questionnaire)
            .join(Attempt, (Attempt.questionnaire_id == Questionnaire.id)
                  & (Attempt.participant_id == bindparam("participant_id")))
            .join(Question, (Question.id == bindparam("question_id")) & (Question.questionnaire_id == Questionnaire.id))
            .where(Questionnaire.program_id == bindparam("program_id"), Questionnaire.kind == bindparam("kind")))


def attempt_of(questionnaire, participant):
    return db.session.scalar(select(Attempt).where(Attempt.questionnaire_id == questionnaire.id,
                                                   Attempt.participant_id == participant.id))


def deadline_of(attempt, questionnaire):
    """When the attempt ends by itself, from the questionnaire's current settings (an organizer may close the
    window early by the button, after the attempt started)."""
    return attempt_deadline(attempt.started_at, questionnaire.time_limit_minutes, questionnaire.closes_at)


def is_overdue(attempt, questionnaire, now=None):
    """An attempt still in progress whose time limit or window is over (reads only)."""
    return attempt.status == IN_PROGRESS and finalized_reason(
        deadline_of(attempt, questionnaire), questionnaire.closes_at, now or utcnow()) is not None


def finalize_if_overdue(attempt, questionnaire, now=None):
    """Submit an in-progress attempt from its saved answers once its time limit or the window is over."""
    if attempt.status != IN_PROGRESS:
        return False
    now = now or utcnow()
    reason = finalized_reason(deadline_of(attempt, questionnaire), questionnaire.closes_at, now)
    return bool(reason) and submit_attempt(attempt, finalized_by=reason, now=now)


def overdue_attempts(questionnaire, now=None):
    """The questionnaire's in-progress attempts whose time is up (reads only)."""
    now = now or utcnow()
    attempts = db.session.scalars(select(Attempt).where(Attempt.questionnaire_id == questionnaire.id,
                                                        Attempt.status == IN_PROGRESS)).all()
    return [attempt for attempt in attempts if is_overdue(attempt, questionnaire, now)]


def finalize_overdue(questionnaire, now=None):
    """Finalize every in-progress attempt of the questionnaire whose time is up; how many were."""
    now = now or utcnow()
    return sum(finalize_if_overdue(attempt, questionnaire, now) for attempt in overdue_attempts(questionnaire, now))


def sections_with_questions(questionnaire):
    """The sections in order, their questions loaded (one query each level)."""
    return db.session.scalars(select(Section).where(Section.questionnaire_id == questionnaire.id)
                              .options(selectinload(Section.questions)).order_by(Section.position)).all()


def unanswered(sections, answers):
    """(required, optional) lists of questions without an answer."""
    missing = [question for section in sections for question in section.questions
               if not REGISTRY[question.type].is_answered(answers.get(question.id))]
    return [q for q in missing if q.required], [q for q in missing if not q.required]


def _pre_test_opened(questionnaire, now):
    if questionnaire.kind == "pre":
        return True
    pre = questionnaire_of(questionnaire.program, "pre")
    # A program without a pre-test does not hold its other questionnaires back.
    return pre is None or (pre.opens_at is not None and pre.opens_at <= now)
