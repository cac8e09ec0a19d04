"""Taking a test: what a participant may do now, finalizing attempts whose time is up, what is still unanswered."""
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from extensions import db
from training.models import utcnow

from .models import Attempt, Questionnaire, Section
from .question_types import QUESTIONNAIRE_KINDS, REGISTRY
from .services import submit_attempt
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


def attempt_of(questionnaire, participant):
    return db.session.scalar(select(Attempt).where(Attempt.questionnaire_id == questionnaire.id,
                                                   Attempt.participant_id == participant.id))


def deadline_of(attempt, questionnaire):
    """When the attempt ends by itself, from the questionnaire's current settings (an organizer may close the
    window early by the button, after the attempt started)."""
    return attempt_deadline(attempt.started_at, questionnaire.time_limit_minutes, questionnaire.closes_at)


def finalize_if_overdue(attempt, questionnaire, now=None):
    """Submit an in-progress attempt from its saved answers once its time limit or the window is over."""
    if attempt.status != IN_PROGRESS:
        return False
    now = now or utcnow()
    reason = finalized_reason(deadline_of(attempt, questionnaire), questionnaire.closes_at, now)
    return bool(reason) and submit_attempt(attempt, finalized_by=reason, now=now)


def finalize_overdue(questionnaire, now=None):
    """Finalize every in-progress attempt of the questionnaire whose time is up; how many were."""
    now = now or utcnow()
    attempts = db.session.scalars(select(Attempt).where(Attempt.questionnaire_id == questionnaire.id,
                                                        Attempt.status == IN_PROGRESS)).all()
    return sum(finalize_if_overdue(attempt, questionnaire, now) for attempt in attempts)


def sections_with_questions(questionnaire):
    """The sections in order, their questions loaded (one query each level)."""
    return db.session.scalars(select(Section).where(Section.questionnaire_id == questionnaire.id)
                              .options(selectinload(Section.questions)).order_by(Section.position)).all()


def unanswered(sections, answers):
    """(required, optional) lists of questions without an answer."""
    missing = [question for section in sections for question in section.questions
               if not REGISTRY[question.type].is_answered(answers.get(question.id))]
    return [q for q in missing if q.required], [q for q in missing if not q.required]


def is_open_now(questionnaire, now=None):
    return window_state(questionnaire.opens_at, questionnaire.closes_at, now or utcnow()) == OPEN


def _pre_test_opened(questionnaire, now):
    if questionnaire.kind == "pre":
        return True
    pre = db.session.scalar(select(Questionnaire).where(Questionnaire.program_id == questionnaire.program_id,
                                                        Questionnaire.kind == "pre"))
    # A program without a pre-test does not hold its other questionnaires back.
    return pre is None or (pre.opens_at is not None and pre.opens_at <= now)
