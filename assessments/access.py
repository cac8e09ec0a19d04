"""Loading questionnaires and their parts for staff, with the program's access rules (country scoping)."""
from flask import abort

from extensions import db
from training.access import program_or_404

from .models import Question, Questionnaire, Section


def questionnaire_or_404(questionnaire_id):
    questionnaire = db.session.get(Questionnaire, questionnaire_id)
    if questionnaire is None:
        abort(404)
    program_or_404(questionnaire.program_id)  # a focal point of a country not in the program gets a 404 too
    return questionnaire


def section_or_404(section_id):
    section = db.session.get(Section, section_id)
    if section is None:
        abort(404)
    questionnaire_or_404(section.questionnaire_id)
    return section


def question_or_404(question_id):
    question = db.session.get(Question, question_id)
    if question is None:
        abort(404)
    questionnaire_or_404(question.questionnaire_id)
    return question
