"""Building questionnaires: create, import/export as plain values, sections and questions, order, windows."""
from datetime import timedelta

from sqlalchemy import exists, func, select

from extensions import db
from training.models import utcnow
from training.services import record

from .models import Attempt, Question, Questionnaire, Section
from .question_types import REGISTRY

QUESTION_FIELDS = ("type", "dimension", "item_key", "text", "options", "correct", "points", "required",
                   "scale_labels")


class UnknownType(ValueError):
    """A question's type is not in the registry (the database takes any name: the registry is the list)."""


class Locked(Exception):
    """The questionnaire has attempts: its structure (questions, options, keys, points) cannot change."""


def questionnaire_of(program, kind):
    return db.session.scalar(select(Questionnaire).where(Questionnaire.program_id == program.id,
                                                         Questionnaire.kind == kind))


def program_questionnaires(program):
    """kind → questionnaire (absent kinds missing)."""
    rows = db.session.scalars(select(Questionnaire).where(Questionnaire.program_id == program.id))
    return {questionnaire.kind: questionnaire for questionnaire in rows}


def has_attempts(questionnaire):
    return db.session.scalar(select(exists().where(Attempt.questionnaire_id == questionnaire.id)))


def create_questionnaire(program, actor_id, kind, title, intro=None):
    questionnaire = Questionnaire(program_id=program.id, kind=kind, title=title, intro=intro or {})
    db.session.add(questionnaire)
    db.session.flush()
    record(actor_id, "questionnaire.created", questionnaire, kind=kind)
    return questionnaire


def import_plain(program, actor_id, plain, kind=None):
    """A questionnaire from the plain values of `questionnaire_files.load` (as `kind`, else the file's)."""
    questionnaire = create_questionnaire(program, actor_id, kind or plain["kind"], plain["title"], plain["intro"])
    for section_values in plain["sections"]:
        section = add_section(questionnaire, section_values["title"])
        for question_values in section_values["questions"]:
            add_question(section, question_values)
    record(actor_id, "questionnaire.imported", questionnaire)
    return questionnaire


def plain_of(questionnaire):
    """The questionnaire as plain values (what `questionnaire_files.dump` writes)."""
    return {"kind": questionnaire.kind, "title": questionnaire.title, "intro": questionnaire.intro,
            "sections": [{"title": section.title,
                          "questions": [{field: getattr(question, field) for field in QUESTION_FIELDS}
                                        for question in section.questions]}
                         for section in questionnaire.sections]}


def add_section(questionnaire, title):
    section = Section(questionnaire_id=questionnaire.id, title=title,
                      position=_next_position(Section, Section.questionnaire_id == questionnaire.id))
    db.session.add(section)
    db.session.flush()
    return section


def add_question(section, values):
    """A question at the end of `section`; `values` holds QUESTION_FIELDS (as forms and files give them)."""
    question = Question(questionnaire_id=section.questionnaire_id, section_id=section.id,
                        position=_next_position(Question, Question.section_id == section.id))
    _apply(question, values)
    db.session.add(question)
    db.session.flush()
    return question


def update_question(question, values, locked):
    """Change a question; once the questionnaire has attempts only its wording may change (Locked)."""
    if locked and _structure(question) != _structure_of(values):
        raise Locked()
    _apply(question, values)
    db.session.flush()


def delete_question(question):
    db.session.delete(question)
    db.session.flush()


def delete_section(section):
    db.session.delete(section)
    db.session.flush()


def move(item, siblings, offset):
    """Swap `item` with its neighbour `offset` (−1 up, +1 down) among `siblings` (ordered by position)."""
    items = list(siblings)
    index = items.index(item)
    other = index + offset
    if not 0 <= other < len(items):
        return False
    # Renumber the whole list so equal or gapped positions (imports, deletions) never make a swap a no-op.
    items[index], items[other] = items[other], items[index]
    for position, sibling in enumerate(items, start=1):
        sibling.position = position
    db.session.flush()
    return True


def copy_knowledge_items(source, target):
    """The source's knowledge questions appended to `target` as one new section, keeping their item keys so
    the pre- and post-test answers pair up. Questions whose key `target` already has are skipped."""
    taken = set(db.session.scalars(select(Question.item_key).where(Question.questionnaire_id == target.id,
                                                                   Question.item_key.is_not(None))))
    questions = [question for section in source.sections for question in section.questions
                 if question.dimension == "knowledge" and question.item_key not in taken]
    if not questions:
        return 0
    first = questions[0].section
    section = add_section(target, dict(first.title))
    for question in questions:
        add_question(section, {field: getattr(question, field) for field in QUESTION_FIELDS})
    return len(questions)


def set_window(questionnaire, opens_at, closes_at, time_limit_minutes, show_score):
    questionnaire.opens_at, questionnaire.closes_at = opens_at, closes_at
    questionnaire.time_limit_minutes, questionnaire.show_score = time_limit_minutes, show_score
    db.session.flush()


def open_now(questionnaire, actor_id):
    """Open during the session: from now on, and not closed (a past closing time is cleared)."""
    now = utcnow()
    questionnaire.opens_at = now
    if questionnaire.closes_at is not None and questionnaire.closes_at <= now:
        questionnaire.closes_at = None
    db.session.flush()
    record(actor_id, "questionnaire.opened", questionnaire)


def close_now(questionnaire, actor_id):
    now = utcnow()
    if questionnaire.opens_at is None or questionnaire.opens_at >= now:
        questionnaire.opens_at = now - timedelta(seconds=1)  # the window check wants closing after opening
    questionnaire.closes_at = now
    db.session.flush()
    record(actor_id, "questionnaire.closed", questionnaire)


def _apply(question, values):
    for field in QUESTION_FIELDS:
        setattr(question, field, values.get(field, getattr(question, field)))
    kind = REGISTRY.get(question.type)
    if kind is None:
        raise UnknownType(question.type)
    if not kind.needs_options:
        question.options = []
    if not kind.scorable:
        question.correct = []
    question.points = float(question.points or 0) if question.correct else 0.0
    question.item_key = (question.item_key or "").strip() or None


def _structure(question):
    return _structure_of({field: getattr(question, field) for field in QUESTION_FIELDS})


def _structure_of(values):
    """What answers and scores depend on: changing it under existing answers would change their meaning."""
    return (values.get("type"), tuple(o["key"] for o in values.get("options") or []),
            tuple(sorted(map(str, values.get("correct") or []))), float(values.get("points") or 0)
            if values.get("correct") else 0.0, values.get("dimension"), (values.get("item_key") or None))


def _next_position(model, condition):
    return (db.session.scalar(select(func.max(model.position)).where(condition)) or 0) + 1
