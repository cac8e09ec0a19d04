"""Taking a test: what a participant may do now, finalizing attempts whose time is up, what is still unanswered."""
from dataclasses import dataclass
from functools import cache

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import selectinload

from extensions import db
from training.localized import pick
from training.models import Participant, Program, utcnow
from training.services_links import session_expiry, session_holds

from .models import Attempt, Question, Questionnaire, Section
from .models_reminders import sent_follow_up
from .question_types import QUESTIONNAIRE_KINDS, REGISTRY, QuestionSpec
from .services import connection_for, driver_statement, submit_attempt
from .services_builder import follow_agenda_item, questionnaire_of
from .windows import OPEN, attempt_deadline, finalized_reason, refusal, window_state

SUBMITTED, IN_PROGRESS, NOT_STARTED = "submitted", "in_progress", "not_started"
KIND_ORDER = {kind: index for index, kind in enumerate(QUESTIONNAIRE_KINDS)}


@dataclass(frozen=True)
class QuestionnaireView:
    """What a participant's test pages read of a questionnaire, as plain values: building ORM objects for them cost
    more than the query. `program` is the participant's own (loaded with them)."""
    id: int
    program: Program
    kind: str
    title: dict
    intro: dict
    opens_at: object
    closes_at: object
    time_limit_minutes: int | None
    show_score: bool

    @property
    def program_id(self):
        return self.program.id

    def title_in(self, language):
        return pick(self.title, language, self.program.default_language)


@dataclass(frozen=True)
class AttemptView:
    """A participant's attempt as plain values (what the pages read); `attempt_to_write` loads the object."""
    id: int
    questionnaire_id: int
    status: str
    started_at: object
    deadline_at: object
    submitted_at: object
    finalized_by: str | None
    score: float | None
    max_score: float | None


@dataclass
class TestStatus:
    questionnaire: Questionnaire | QuestionnaireView
    attempt: Attempt | AttemptView | None
    refusal: str | None  # why it cannot be started or continued now: "not_open" / "closed", else None
    question_count: int | None = None  # how many questions it has (participant_statuses counts them)

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
    return _status(questionnaire, attempt, _pre_test_opened(questionnaire, now), now)


def participant_statuses(participant, now=None):
    """kind → status, pre-test first, of every questionnaire of the participant's program that has questions (the
    follow-up only once it was sent to them): one query for all, as every page of a test needs them, read as plain
    values (`QuestionnaireView`, `AttemptView`; `attempt_to_write` before writing). Reads only (an overdue attempt
    is not finalized here)."""
    now = now or utcnow()
    program = participant.program
    rows = db.session.execute(_statuses_query(), {"participant_id": participant.id,
                                                  "program_id": participant.program_id}).all()
    pre = next((row for row in rows if row.kind == "pre"), None)
    pre_opened = _opened(pre, now)
    return {row.kind: _status(_questionnaire_view(row, program), _attempt_view(row), pre_opened, now, row.count)
            for row in sorted(rows, key=lambda row: KIND_ORDER[row.kind])
            if row.count and (row.asked or row.attempt_id is not None)}


def _questionnaire_view(row, program):
    return QuestionnaireView(row.id, program, row.kind, row.title, row.intro, row.opens_at, row.closes_at,
                             row.time_limit_minutes, row.show_score)


def _attempt_view(row):
    if row.attempt_id is None:
        return None
    return AttemptView(row.attempt_id, row.id, row.status, row.started_at, row.deadline_at, row.submitted_at,
                       row.finalized_by, row.score, row.max_score)


def attempt_to_write(attempt):
    """The attempt object to write through (a status's attempt may be plain values), in this session."""
    return attempt if isinstance(attempt, Attempt) else db.session.get(Attempt, attempt.id)


@cache
def _statuses_query():
    """Built once (building it cost as much as running it), on the tables: each questionnaire of the program, the
    participant's attempt, how many questions it has and whether it is asked of them at all."""
    participant_id = bindparam("participant_id")
    questionnaires, attempts, questions = Questionnaire.__table__.c, Attempt.__table__.c, Question.__table__.c
    count = (select(func.count(questions.id)).where(questions.questionnaire_id == questionnaires.id)
             .scalar_subquery().label("count"))
    # The follow-up survey is for those it was sent to (who completed the program), not for everyone.
    asked = ((questionnaires.kind != "follow_up") | sent_follow_up(questionnaires.id, participant_id)).label("asked")
    return (select(questionnaires.id, questionnaires.kind, questionnaires.title, questionnaires.intro,
                   questionnaires.opens_at, questionnaires.closes_at, questionnaires.time_limit_minutes,
                   questionnaires.show_score, attempts.id.label("attempt_id"), attempts.status, attempts.started_at,
                   attempts.deadline_at, attempts.submitted_at, attempts.finalized_by, attempts.score,
                   attempts.max_score, count, asked)
            .select_from(Questionnaire.__table__)
            .outerjoin(Attempt.__table__, (attempts.questionnaire_id == questionnaires.id)
                       & (attempts.participant_id == participant_id))
            .where(questionnaires.program_id == bindparam("program_id")))


def participant_tests(participant, now=None):
    """The statuses of every questionnaire of the participant's program that has questions, pre-test first."""
    return list(participant_statuses(participant, now).values())


def _status(questionnaire, attempt, pre_opened, now, count=None):
    state = window_state(questionnaire.opens_at, questionnaire.closes_at, now)
    return TestStatus(questionnaire, attempt, refusal(questionnaire.kind, state,
                                                      pre_opened or questionnaire.kind == "pre"), count)


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


def autosave_target(participant_id, link, version, kind, question_id, now, on=None):
    """The attempt of the participant whose session (`session_link`) still holds at `now` at their program's `kind`
    questionnaire, and the question if it is part of it; None otherwise (no attempt, another questionnaire's
    question, a re-issued, revoked or expired link, a withdrawal, a session left). The participant is checked here
    rather than loaded: on the hot path the ORM load would cost as much as the rest of the request. `on`: the
    connection to read on (the ORM session's by default)."""
    connection = connection_for(on)
    row = driver_statement(_autosave_query(), connection.dialect).first_row(connection, {
        "participant_id": participant_id, "link": link, "version": version, "earliest_end": session_expiry(now),
        "kind": kind, "question_id": question_id})
    if row is None:
        return None
    attempt_id, status, started_at, opens_at, closes_at, time_limit_minutes, type_, options, correct, points, \
        required = row
    spec = QuestionSpec(type_, tuple(o["key"] for o in options), tuple(correct), float(points), required)
    return AutosaveTarget(attempt_id, status, started_at, opens_at, closes_at, time_limit_minutes, spec)


@cache
def _autosave_query():
    """Built once, on the tables rather than the ORM classes: on the hot path, building the statement or the ORM's
    handling of it would cost more than running it. `autosave_target` unpacks its columns in this order."""
    participants, programs = Participant.__table__.c, Program.__table__.c
    questionnaires, attempts, questions = Questionnaire.__table__.c, Attempt.__table__.c, Question.__table__.c
    return (select(attempts.id, attempts.status, attempts.started_at, questionnaires.opens_at,
                   questionnaires.closes_at, questionnaires.time_limit_minutes, questions.type, questions.options,
                   questions.correct, questions.points, questions.required)
            .select_from(Participant.__table__)
            .join(Program.__table__, programs.id == participants.program_id)
            .join(Questionnaire.__table__, (questionnaires.program_id == participants.program_id)
                  & (questionnaires.kind == bindparam("kind")))
            .join(Attempt.__table__, (attempts.questionnaire_id == questionnaires.id)
                  & (attempts.participant_id == participants.id))
            .join(Question.__table__, (questions.id == bindparam("question_id"))
                  & (questions.questionnaire_id == questionnaires.id))
            .where(*session_holds(participants, programs, bindparam("participant_id"), bindparam("link"),
                                  bindparam("version"), bindparam("earliest_end"))))


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


def follow_moved_slot(item, actor_id):
    """An agenda slot's times were saved: its questionnaires take them, and one that now closes earlier ends the
    attempts whose time is over (as saving an earlier closing in the settings does)."""
    for questionnaire in follow_agenda_item(item, actor_id):
        finalize_overdue(questionnaire)


def sections_with_questions(questionnaire):
    """The sections in order, their questions loaded (one query each level)."""
    return db.session.scalars(select(Section).where(Section.questionnaire_id == questionnaire.id)
                              .options(selectinload(Section.questions)).order_by(Section.position)).all()


def question_count(questionnaire):
    return db.session.scalar(select(func.count()).where(Question.questionnaire_id == questionnaire.id))


def unanswered(sections, answers):
    """(required, optional) lists of questions without an answer."""
    missing = [question for section in sections for question in section.questions
               if not REGISTRY[question.type].is_answered(answers.get(question.id))]
    return [q for q in missing if q.required], [q for q in missing if not q.required]


def _pre_test_opened(questionnaire, now):
    return questionnaire.kind == "pre" or _opened(questionnaire_of(questionnaire.program, "pre"), now)


def _opened(pre, now):
    # A program without a pre-test does not hold its other questionnaires back.
    return pre is None or (pre.opens_at is not None and pre.opens_at <= now)
