"""Who has answered: progress per person and per delegation, reminder audiences, and the answers table."""
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import exists, select
from sqlalchemy.orm import selectinload

from extensions import db
from training.access import scoped_participants
from training.models import Participant

from .models import Answer, Attempt
from .models_reminders import sent_follow_up
from .question_types import percent
from .services_taking import IN_PROGRESS, NOT_STARTED, SUBMITTED, sections_with_questions

STATES = (NOT_STARTED, IN_PROGRESS, SUBMITTED)


@dataclass
class DelegationRow:
    delegation: object
    counts: Counter = field(default_factory=Counter)

    @property
    def total(self):
        return sum(self.counts.values())


def progress(questionnaire):
    """[(participant, state, attempt)] of the active participants the current user may see, in name order (of a
    follow-up survey, those it was sent to or who answered it: the others are not asked)."""
    people = scoped_participants(questionnaire.program).where(Participant.status != "withdrawn")
    if questionnaire.kind == "follow_up":
        answered = exists().where(Attempt.questionnaire_id == questionnaire.id,
                                  Attempt.participant_id == Participant.id)
        people = people.where(sent_follow_up(questionnaire.id, Participant.id) | answered)
    people = db.session.scalars(people.options(selectinload(Participant.delegation))
                                .order_by(Participant.search_key)).all()
    attempts = {attempt.participant_id: attempt for attempt in db.session.scalars(
        select(Attempt).where(Attempt.questionnaire_id == questionnaire.id))}
    return [(person, attempts[person.id].status if person.id in attempts else NOT_STARTED, attempts.get(person.id))
            for person in people]


def by_delegation(rows):
    """One DelegationRow per delegation (in the order people came), with counts per state."""
    table = {}
    for person, state, _attempt in rows:
        row = table.setdefault(person.delegation_id, DelegationRow(person.delegation))
        row.counts[state] += 1
    return list(table.values())


def totals(rows):
    return Counter(state for _person, state, _attempt in rows)


def answers_by_attempt(questionnaire):
    """(questions in order, [(participant, attempt, {question id: value})]) for every attempt the current user
    may see, in name order."""
    questions = [q for section in sections_with_questions(questionnaire) for q in section.questions]
    people = {person.id: person for person, _state, _attempt in progress(questionnaire)}
    attempts = db.session.scalars(select(Attempt).where(Attempt.questionnaire_id == questionnaire.id,
                                                        Attempt.participant_id.in_(list(people) or [-1]))).all()
    values = {attempt.id: {} for attempt in attempts}
    for attempt_id, question_id, value in db.session.execute(
            select(Answer.attempt_id, Answer.question_id, Answer.value)
            .where(Answer.attempt_id.in_(list(values) or [-1]))):
        values[attempt_id][question_id] = value
    rows = [(people[a.participant_id], a, values[a.id]) for a in attempts]
    return questions, sorted(rows, key=lambda row: row[0].search_key)


def score_percent(attempt):
    return percent(attempt.score, attempt.max_score)
