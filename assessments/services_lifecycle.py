"""What assessments adds to the program's lifecycle: its questionnaires, their windows and answers (training's hook)."""
from sqlalchemy import func, select

from extensions import db
from training.lifecycle_facts import EvaluationFacts, QuestionnaireFacts
from training.models import Participant
from training.services_lifecycle import active_participants_of

from .models import Attempt, Question
from .models_lessons import Lesson
from .models_reminders import FollowUpSent
from .services_builder import program_questionnaires


def lifecycle_facts(program, country_code):
    """lifecycle.EvaluationFacts: each questionnaire with its questions and the attempts of the active participants
    of `country_code` (every country when None), how many of them submitted both tests, and the program's lessons
    learned."""
    tests = program_questionnaires(program)
    test_ids = [test.id for test in tests.values()] or [-1]
    ids = active_participants_of(program, country_code).with_only_columns(Participant.id)
    questions = dict(db.session.execute(select(Question.questionnaire_id, func.count())
                                        .where(Question.questionnaire_id.in_(test_ids))
                                        .group_by(Question.questionnaire_id)).all())
    attempts = {(test_id, status): count for test_id, status, count in db.session.execute(
        select(Attempt.questionnaire_id, Attempt.status, func.count())
        .where(Attempt.questionnaire_id.in_(test_ids), Attempt.participant_id.in_(ids))
        .group_by(Attempt.questionnaire_id, Attempt.status))}
    facts = {kind: QuestionnaireFacts(test.id, kind, questions.get(test.id, 0), test.opens_at, test.closes_at,
                                      submitted=attempts.get((test.id, "submitted"), 0),
                                      in_progress=attempts.get((test.id, "in_progress"), 0),
                                      sent=_sent(test, ids) if kind == "follow_up" else None)
             for kind, test in tests.items()}
    lessons = db.session.scalar(select(func.count()).select_from(Lesson).where(Lesson.program_id == program.id))
    return EvaluationFacts(facts, _pairs(tests, ids), lessons)


def _sent(follow_up, participant_ids):
    """How many of the participants the follow-up survey was sent to."""
    return db.session.scalar(select(func.count()).where(FollowUpSent.questionnaire_id == follow_up.id,
                                                        FollowUpSent.participant_id.in_(participant_ids)))


def _pairs(tests, participant_ids):
    """How many of the participants submitted both the pre-test and the post-test."""
    if "pre" not in tests or "post" not in tests:
        return 0
    both = (select(Attempt.participant_id)
            .where(Attempt.questionnaire_id.in_([tests["pre"].id, tests["post"].id]), Attempt.status == "submitted",
                   Attempt.participant_id.in_(participant_ids))
            .group_by(Attempt.participant_id).having(func.count() == 2))
    return db.session.scalar(select(func.count()).select_from(both.subquery()))
