"""The questionnaires part of a program's copy: sections, questions (with their item keys), options and reminder
rules, windows moved to the new dates; never attempts or answers."""
from copy import deepcopy

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from extensions import db

from .models import Question, Questionnaire, Section
from .models_reminders import ReminderRule
from .services_builder import keep_links_through_follow_up


def copy_questionnaires(plan):
    """`plan`: training.services_copy.CopyPlan. A questionnaire tied to an agenda slot follows the slot's copy (none
    when the activities were not copied: its window is then moved on its own)."""
    sources = db.session.scalars(select(Questionnaire).where(Questionnaire.program_id == plan.source.id)
                                 .options(selectinload(Questionnaire.sections).selectinload(Section.questions))
                                 .order_by(Questionnaire.id)).all()
    for source in sources:
        copy = Questionnaire(program_id=plan.target.id, kind=source.kind, title=deepcopy(source.title),
                             intro=deepcopy(source.intro), opens_at=plan.moved(source.opens_at),
                             closes_at=plan.moved(source.closes_at), time_limit_minutes=source.time_limit_minutes,
                             show_score=source.show_score,
                             agenda_item_id=plan.agenda_item_ids.get(source.agenda_item_id))
        db.session.add(copy)
        db.session.flush()
        keep_links_through_follow_up(copy)
        for section in source.sections:
            _copy_section(section, copy)
        for rule in db.session.scalars(select(ReminderRule).where(ReminderRule.questionnaire_id == source.id)):
            db.session.add(ReminderRule(questionnaire_id=copy.id, hours_before=rule.hours_before,
                                        audience=rule.audience))


def _copy_section(section, questionnaire):
    copy = Section(questionnaire_id=questionnaire.id, position=section.position, title=deepcopy(section.title))
    db.session.add(copy)
    db.session.flush()
    for q in section.questions:
        db.session.add(Question(
            questionnaire_id=questionnaire.id, section_id=copy.id, position=q.position, type=q.type,
            dimension=q.dimension, item_key=q.item_key, text=deepcopy(q.text), options=deepcopy(q.options),
            correct=deepcopy(q.correct), points=q.points, required=q.required,
            scale_labels=deepcopy(q.scale_labels)))
