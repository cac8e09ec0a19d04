"""Recording a program's lessons learned: saving and deleting them with their search text and audit trail, listing
and loading them with the user's access to their program (they flush, never commit)."""
from flask import abort
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from extensions import db
from training.access import program_or_404
from training.services import ServiceError, record
from training.textkeys import fold

from ..models_lessons import LESSON_KINDS, NARRATIVE_FIELDS, Lesson

LINKS = ("sdgs", "gcm_principles", "gcm_objectives", "countries")
CODE_TAKEN = _l("Another lesson of this program already has this code: choose another one.")


def lessons_of(program):
    """The program's lessons in code order."""
    return db.session.scalars(select(Lesson).where(Lesson.program_id == program.id).order_by(Lesson.code)).all()


def lesson_or_404(lesson_id):
    """The lesson, with the route's permission checked in its program (a user without a role there: 404)."""
    lesson = db.session.get(Lesson, lesson_id)
    if lesson is None:
        abort(404)
    program_or_404(lesson.program_id)
    return lesson


def code_taken(program, code, lesson=None):
    """Whether another lesson of the program already has `code` (compared case-insensitively)."""
    query = select(Lesson.id).where(Lesson.program_id == program.id, db.func.lower(Lesson.code) == code.lower())
    if lesson is not None and lesson.id is not None:
        query = query.where(Lesson.id != lesson.id)
    return db.session.scalar(query) is not None


def search_text(lesson):
    """Every text of the lesson in every language, and its code, folded: what the library's search looks in."""
    texts = [lesson.code or ""]
    for name in NARRATIVE_FIELDS:
        texts.extend(text for _language, text in sorted((getattr(lesson, name) or {}).items()))
    return "\n".join(fold(text) for text in texts if text)


def save_lesson(lesson, program, data, actor_id):
    """Set the lesson's fields from `data` (code, kind, the narrative fields as {language: text}, the SDGs'
    numbers, the Compact's letters and numbers, the countries' codes); a lesson without an id is added to
    `program`. Audited as created or changed. A code another lesson of the program has: ServiceError on "code"
    (the table's unique constraint backs the check when two people save at once)."""
    kind = data.get("kind") or lesson.kind or "positive"
    if kind not in LESSON_KINDS:
        raise ValueError(f"{kind!r} is not a kind of lesson")
    if code_taken(program, data.get("code", lesson.code or "").strip(), lesson):
        raise ServiceError("code", CODE_TAKEN)
    created = lesson.id is None
    if created:
        lesson.program_id, lesson.created_by_id = program.id, actor_id
        db.session.add(lesson)
    lesson.code = data.get("code", lesson.code or "").strip()
    lesson.kind = kind
    for name in NARRATIVE_FIELDS:
        if name in data:
            setattr(lesson, name, dict(data[name] or {}))
    for name in LINKS:
        if name in data:
            setattr(lesson, name, sorted(set(data[name])))
    lesson.search_text = search_text(lesson)
    try:
        db.session.flush()
    except IntegrityError as error:
        raise ServiceError("code", CODE_TAKEN) from error
    record(actor_id, "lesson.created" if created else "lesson.updated", lesson, code=lesson.code)
    return lesson


def delete_lesson(lesson, actor_id):
    record(actor_id, "lesson.deleted", lesson, code=lesson.code)
    db.session.delete(lesson)
    db.session.flush()


def register(app):
    """The audit log names a lesson by its code and links to its record."""
    from training.services_audit import register_audit_object

    register_audit_object(app, Lesson, _l("Lesson learned"), lambda lesson, _language: lesson.code,
                          lambda lesson: ("assessments.lesson", {"lesson_id": lesson.id}))
