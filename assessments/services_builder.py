"""Building questionnaires: create, import/export as plain values, sections and questions, order, windows.

Every change a builder makes is recorded in the audit log, on the questionnaire. A change of structure (adding or
deleting a question or a section, deleting the questionnaire) is refused with `Locked` once anybody has an attempt,
and the check holds under concurrency: the questionnaire's row is locked first (PostgreSQL; SQLite's write
transaction serializes already), which a participant's starting attempt must wait for through its foreign key,
and the delete itself is conditional on there being no attempt."""
from copy import deepcopy
from datetime import date, timedelta, timezone

from sqlalchemy import delete, exists, func, select
from sqlalchemy.orm import contains_eager

from extensions import db
from training.models import Activity, AgendaItem, utcnow
from training.services import ServiceError, record

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


def lock_unanswered(questionnaire):
    """Lock the questionnaire's row, then refuse (Locked) if anybody has an attempt: a participant starting at
    the same moment either committed first (seen here) or waits for this transaction (its attempt's foreign key
    needs the row)."""
    _lock(questionnaire)
    if has_attempts(questionnaire):
        raise Locked()


def _lock(questionnaire):
    db.session.execute(select(Questionnaire.id).where(Questionnaire.id == questionnaire.id).with_for_update())


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


def create_section(questionnaire, actor_id, title):
    """A new section at the end (refused with Locked once anybody answered)."""
    lock_unanswered(questionnaire)
    section = add_section(questionnaire, title)
    record(actor_id, "questionnaire.section_added", questionnaire, section=section.id, title=title)
    return section


def rename_section(section, actor_id, title):
    before, section.title = section.title, title
    db.session.flush()
    if before != title:
        record(actor_id, "questionnaire.section_renamed", section.questionnaire, section=section.id, title=title)


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


def create_question(section, actor_id, values):
    """A new question at the end of `section` (refused with Locked once anybody answered)."""
    lock_unanswered(section.questionnaire)
    question = add_question(section, values)
    record(actor_id, "questionnaire.question_added", section.questionnaire, question=question.id,
           type=question.type, item_key=question.item_key)
    return question


def update_question(question, actor_id, values):
    """Change a question; once the questionnaire has attempts only its wording may change (Locked)."""
    questionnaire = question.section.questionnaire
    _lock(questionnaire)
    if has_attempts(questionnaire) and _structure(question) != _structure_of(values):
        raise Locked()
    _apply(question, values)
    db.session.flush()
    record(actor_id, "questionnaire.question_changed", questionnaire, question=question.id, type=question.type,
           item_key=question.item_key)


def delete_question(question, actor_id):
    """Delete a question (refused with Locked once anybody answered: its answers would go with it)."""
    questionnaire = question.section.questionnaire
    lock_unanswered(questionnaire)
    record(actor_id, "questionnaire.question_deleted", questionnaire, question=question.id,
           item_key=question.item_key)
    db.session.delete(question)
    db.session.flush()


def delete_section(section, actor_id):
    """Delete a section and its questions (refused with Locked once anybody answered)."""
    questionnaire = section.questionnaire
    lock_unanswered(questionnaire)
    record(actor_id, "questionnaire.section_deleted", questionnaire, section=section.id,
           questions=len(section.questions))
    db.session.delete(section)
    db.session.flush()


def delete_questionnaire(questionnaire, actor_id):
    """Delete a questionnaire nobody has answered (Locked otherwise). The DELETE is itself conditional: its
    attempts would go with it (ON DELETE CASCADE), so the database, not an earlier look, decides."""
    lock_unanswered(questionnaire)
    record(actor_id, "questionnaire.deleted", questionnaire, kind=questionnaire.kind)
    db.session.flush()
    deleted = db.session.execute(delete(Questionnaire).where(
        Questionnaire.id == questionnaire.id,
        ~exists().where(Attempt.questionnaire_id == questionnaire.id))).rowcount
    if not deleted:
        raise Locked()
    if questionnaire.kind == "follow_up":  # its window no longer keeps the links alive
        questionnaire.program.follow_up_until = None
    db.session.expunge(questionnaire)


def move(item, siblings, offset, actor_id):
    """Swap `item` (a section or a question) with its neighbour `offset` (−1 up, +1 down) among `siblings`
    (ordered by position)."""
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
    questionnaire = item.questionnaire if isinstance(item, Section) else item.section.questionnaire
    record(actor_id, "questionnaire.reordered", questionnaire, **{type(item).__name__.lower(): item.id},
           direction="up" if offset < 0 else "down")
    return True


def copy_knowledge_items(source, target, actor_id):
    """The source's knowledge questions appended to `target` as one new section, keeping their item keys so
    the pre- and post-test answers pair up. Questions whose key `target` already has are skipped (Locked once
    anybody answered `target`)."""
    questions = _copied(source, target, lambda question: question.dimension == "knowledge")
    if questions:
        record(actor_id, "questionnaire.knowledge_copied", target, source=source.id, questions=len(questions))
    return len(questions)


def copy_intended_use_items(source, target, actor_id):
    """The post-test's "application" questions (the use at work people intend) appended to the follow-up, with
    their item keys, texts in every language, options and scale labels, so the report pairs intended with reported
    use. Only keyed ones (a question without a key pairs with nothing), and only those `target` lacks: a second
    click adds nothing."""
    questions = _copied(source, target, lambda question: question.dimension == "application" and question.item_key)
    if questions:
        record(actor_id, "questionnaire.application_copied", target, source=source.id, questions=len(questions))
    return len(questions)


def _copied(source, target, wanted):
    """Copy the questions of `source` that are `wanted` and whose item key `target` does not hold, as one new
    section titled like the first one's; the copies (Locked once anybody answered `target`)."""
    lock_unanswered(target)
    taken = set(db.session.scalars(select(Question.item_key).where(Question.questionnaire_id == target.id,
                                                                   Question.item_key.is_not(None))))
    questions = [question for section in source.sections for question in section.questions
                 if wanted(question) and question.item_key not in taken]
    if not questions:
        return []
    section = add_section(target, dict(questions[0].section.title))
    return [add_question(section, {field: deepcopy(getattr(question, field)) for field in QUESTION_FIELDS})
            for question in questions]


def save_settings(questionnaire, actor_id, title, intro, opens_at, closes_at, time_limit_minutes, show_score,
                  agenda_item=None):
    """The questionnaire's texts, window, time limit and score display, recorded with the window as set. Tied to
    `agenda_item`, the window is the slot's (and follows it); untied, the times given (the current ones, unless
    the person changed them)."""
    if agenda_item is not None:
        opens_at, closes_at = agenda_item.starts_at, agenda_item.ends_at
    questionnaire.title, questionnaire.intro = title, intro
    questionnaire.agenda_item_id = agenda_item.id if agenda_item is not None else None
    set_window(questionnaire, opens_at, closes_at, time_limit_minutes, show_score)
    record(actor_id, "questionnaire.settings_saved", questionnaire, opens_at=_iso(opens_at),
           closes_at=_iso(closes_at), time_limit_minutes=time_limit_minutes, show_score=show_score,
           agenda_item=questionnaire.agenda_item_id)


def set_window(questionnaire, opens_at, closes_at, time_limit_minutes, show_score):
    questionnaire.opens_at, questionnaire.closes_at = opens_at, closes_at
    questionnaire.time_limit_minutes, questionnaire.show_score = time_limit_minutes, show_score
    keep_links_through_follow_up(questionnaire)


def keep_links_through_follow_up(questionnaire):
    """A follow-up's window changed: its program's personal links count their grace days from its last day (UTC),
    so the people surveyed months later can answer (training checks the program's column, on its hot path)."""
    if questionnaire.kind == "follow_up":
        questionnaire.program.follow_up_until = _last_day(questionnaire)
    db.session.flush()


def _last_day(questionnaire):
    if questionnaire.opens_at is None:  # closed until someone opens it: it keeps no link alive
        return None
    if questionnaire.closes_at is None:  # open until someone closes it: links work until then
        return date.max
    return questionnaire.closes_at.astimezone(timezone.utc).date()


def follow_agenda_item(item, actor_id):
    """The questionnaires tied to `item` open and close with its new times (training calls this, through its
    `agenda_item_moved` hook, when the slot's times are saved); each change is recorded. Those that changed."""
    changed = []
    for questionnaire in db.session.scalars(select(Questionnaire).where(Questionnaire.agenda_item_id == item.id)):
        before = (questionnaire.opens_at, questionnaire.closes_at)
        if before == (item.starts_at, item.ends_at):
            continue
        questionnaire.opens_at, questionnaire.closes_at = item.starts_at, item.ends_at
        keep_links_through_follow_up(questionnaire)
        record(actor_id, "questionnaire.window_followed_slot", questionnaire, agenda_item=item.id,
               opens_at=_iso(item.starts_at), closes_at=_iso(item.ends_at), was_opens_at=_iso(before[0]),
               was_closes_at=_iso(before[1]))
        changed.append(questionnaire)
    db.session.flush()
    return changed


def program_agenda_items(program):
    """The program's agenda items in time order, with their sessions (the slots a questionnaire can be tied to)."""
    return db.session.scalars(select(AgendaItem).join(Activity).where(Activity.program_id == program.id)
                              .options(contains_eager(AgendaItem.activity))
                              .order_by(AgendaItem.starts_at, AgendaItem.id)).all()


def _iso(moment):
    return moment.isoformat() if moment is not None else None


def open_now(questionnaire, actor_id, closes_at=None, now=None):
    """Open during the session: from now on, until `closes_at` (which must be in the future). Without one, a
    questionnaire that has not closed keeps its closing time; one that has closed stays closed (ServiceError): its
    new closing time is asked for, so reopening never leaves it open for good by accident. Opening by hand unties
    it from its agenda slot: the slot moving later no longer overrides what was done."""
    now = now or utcnow()
    if closes_at is None:
        if questionnaire.closes_at is not None and questionnaire.closes_at <= now:
            raise ServiceError("closes_at", "needed")
        closes_at = questionnaire.closes_at
    elif closes_at <= now:
        raise ServiceError("closes_at", "past")
    untied = untie(questionnaire)
    questionnaire.opens_at, questionnaire.closes_at = now, closes_at
    keep_links_through_follow_up(questionnaire)
    record(actor_id, "questionnaire.opened", questionnaire, closes_at=_iso(closes_at), **untied)


def close_now(questionnaire, actor_id, now=None):
    """Close now; the audit event keeps the closing time this replaces. Unties it from its agenda slot, as
    opening by hand does."""
    now = now or utcnow()
    previous = questionnaire.closes_at
    untied = untie(questionnaire)
    if questionnaire.opens_at is None or questionnaire.opens_at >= now:
        questionnaire.opens_at = now - timedelta(seconds=1)  # the window check wants closing after opening
    questionnaire.closes_at = now
    keep_links_through_follow_up(questionnaire)
    record(actor_id, "questionnaire.closed", questionnaire, previous_closes_at=_iso(previous), **untied)


def untie(questionnaire):
    """Untie the questionnaire from its slot; the audit details saying so (none when it was not tied)."""
    slot, questionnaire.agenda_item_id = questionnaire.agenda_item_id, None
    return {"untied_from_agenda_item": slot} if slot is not None else {}


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
