"""Reading the lessons' library: the lessons of every program a staff member sees (or those shared on the public
page), found by their words and filtered; and sharing a lesson on the public page (they flush, never commit)."""
from dataclasses import dataclass

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from extensions import db
from training.access import program_role, visible_programs
from training.localized import pick
from training.permissions import may
from training.services import record
from training.textkeys import fold

from ..models_lessons import Lesson
from ..portfolio.indicators import choose
from .library import entry, filtered, like_pattern, options, terms

LIBRARY_ACTION = "lessons.view"


def library_programs(user):
    """The programs whose lessons `user` reads in the library: those they see where their role may read lessons
    (a focal point: every lesson of the programs their country takes part in)."""
    return [program for program in visible_programs(user) if may(program_role(program, user), LIBRARY_ACTION)]


@dataclass(frozen=True)
class Reading:
    """One read of the library: the words searched, the filters' values present (`available`: name → values;
    `area_labels`: folded area → as written), the filters chosen and refused, and the lessons kept, newest first."""
    terms: list
    available: dict
    area_labels: dict
    filters: dict
    refused: list
    lessons: list


def read(programs, arguments, language, shared_only=False):
    """The lessons of `programs` (with `shared_only`, only those on the public page) that have every word of
    arguments["q"] and the values of the filters it chooses (library.FILTERS); texts compared in `language`."""
    query = select(Lesson).where(Lesson.program_id.in_([program.id for program in programs]))
    if shared_only:
        query = query.where(Lesson.shared.is_(True))
    scoped = db.session.scalars(query.options(selectinload(Lesson.program))
                                .order_by(Lesson.updated_at.desc(), Lesson.id.desc())).all()
    entries = [_entry(lesson, language) for lesson in scoped]
    available = options(entries)
    filters, refused = choose(arguments, available)
    words = terms(arguments.get("q"))
    kept = {item.id for item in filtered(entries, filters)}
    if words:
        kept &= _with_words(query, words)
    return Reading(words, available, _area_labels(scoped, language), filters, refused,
                   [lesson for lesson in scoped if lesson.id in kept])


def _entry(lesson, language):
    return entry(lesson.id, area=pick(lesson.area, language, lesson.program.default_language), sdgs=lesson.sdgs,
                 objectives=lesson.gcm_objectives, kind=lesson.kind, countries=lesson.countries,
                 program=lesson.program.code)


def _with_words(query, words):
    """The ids of the lessons of `query` whose search text has every word (folded, as it is)."""
    for word in words:
        query = query.where(Lesson.search_text.like(like_pattern(word), escape="\\"))
    return set(db.session.scalars(query.with_only_columns(Lesson.id)))


def _area_labels(lessons, language):
    labels = {}
    for lesson in lessons:
        area = pick(lesson.area, language, lesson.program.default_language)
        labels.setdefault(fold(area), " ".join(area.split()))
    return labels


def shared_lesson_or_404(lesson_id):
    """A lesson on the public page; any other id (unknown or not shared) is a 404, the same answer."""
    lesson = db.session.get(Lesson, lesson_id)
    if lesson is None or not lesson.shared:
        abort(404)
    return lesson


def set_shared(lesson, shared, actor_id):
    """Put the lesson on the network's public page, or take it off; audited when it changes."""
    if bool(lesson.shared) == shared:
        return
    lesson.shared = shared
    db.session.flush()
    record(actor_id, "lesson.shared" if shared else "lesson.unshared", lesson, code=lesson.code)
