"""The assessment tables hold their invariants themselves (both databases)."""
from datetime import datetime, timezone

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from assessments.models import Answer, Attempt, Question, Questionnaire, Section
from assessments.services_builder import UnknownType, add_question
from extensions import db


@pytest.fixture
def pre_test(app, world):
    with app.app_context():
        questionnaire = Questionnaire(program_id=world["ids"]["program"], kind="pre", title={"es": "Prueba"})
        section = Section(position=1, title={"es": "Conocimientos"})
        questionnaire.sections.append(section)
        db.session.add(questionnaire)
        db.session.flush()
        section.questions.append(Question(questionnaire_id=questionnaire.id, position=1, type="single_choice",
                                          item_key="k1", text={"es": "¿?"}, correct=["a"], points=1,
                                          options=[{"key": "a", "es": "A"}, {"key": "b", "es": "B"}]))
        db.session.commit()
        return questionnaire.id, section.id, section.questions[0].id


def refused(app, *objects):
    with app.app_context():
        db.session.add_all(objects)
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


def test_one_pre_test_per_program_and_one_attempt_per_person(app, world, pre_test):
    questionnaire_id, section_id, question_id = pre_test
    refused(app, Questionnaire(program_id=world["ids"]["program"], kind="pre"))
    with app.app_context():
        db.session.add(Attempt(questionnaire_id=questionnaire_id, participant_id=world["ids"]["mx1"]))
        db.session.commit()
    refused(app, Attempt(questionnaire_id=questionnaire_id, participant_id=world["ids"]["mx1"]))


def test_an_item_key_once_per_questionnaire_and_one_answer_per_question(app, world, pre_test):
    questionnaire_id, section_id, question_id = pre_test
    refused(app, Question(questionnaire_id=questionnaire_id, section_id=section_id, position=2,
                          type="true_false", item_key="k1"))
    with app.app_context():  # without a key, as many as wanted
        for position in (3, 4):
            db.session.add(Question(questionnaire_id=questionnaire_id, section_id=section_id, position=position,
                                    type="likert", dimension="expectations"))
        attempt = Attempt(questionnaire_id=questionnaire_id, participant_id=world["ids"]["gt1"])
        db.session.add(attempt)
        db.session.flush()
        db.session.add(Answer(attempt_id=attempt.id, question_id=question_id, value="a", seq=1))
        db.session.commit()
        attempt_id = attempt.id
    refused(app, Answer(attempt_id=attempt_id, question_id=question_id, value="b", seq=2))


def test_a_submitted_attempt_has_its_time(app, world, pre_test):
    questionnaire_id, section_id, _question_id = pre_test
    refused(app, Attempt(questionnaire_id=questionnaire_id, participant_id=world["ids"]["mx2"], status="submitted"))
    with app.app_context():
        db.session.add(Attempt(questionnaire_id=questionnaire_id, participant_id=world["ids"]["mx2"],
                               status="submitted", submitted_at=datetime.now(timezone.utc),
                               finalized_by="participant"))
        db.session.commit()


def test_types_are_checked_against_the_registry_not_by_the_table(app, world, pre_test):
    """A registered type needs no migration: the table takes any name, the service layer only registered ones."""
    _questionnaire_id, section_id, _question_id = pre_test
    with app.app_context():
        section = db.session.get(Section, section_id)
        with pytest.raises(UnknownType):
            add_question(section, {"type": "essay", "text": {"es": "¿?"}})
        db.session.rollback()
        section = db.session.get(Section, section_id)
        db.session.add(Question(questionnaire_id=section.questionnaire_id, section_id=section_id, position=9,
                                type="essay"))
        db.session.commit()
        assert db.session.scalars(select(Question.type).where(Question.section_id == section_id)
                                  .order_by(Question.position)).all() == ["single_choice", "essay"]


def test_a_question_cannot_sit_in_another_questionnaires_section(app, world, pre_test):
    _questionnaire_id, section_id, _question_id = pre_test
    with app.app_context():
        post = Questionnaire(program_id=world["ids"]["program"], kind="post", title={"es": "Final"})
        db.session.add(post)
        db.session.commit()
        post_id = post.id
    refused(app, Question(questionnaire_id=post_id, section_id=section_id, position=1, type="true_false"))
