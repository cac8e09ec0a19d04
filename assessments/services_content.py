"""A questionnaire's content (sections and questions) as the participant's pages read it, cached per process and
checked against the database on every use.

Each use reads the content's rows in one plain query (the JSON columns as their stored text): when they equal the
rows the cache holds, the parsed sections and questions and the form's rendered HTML per language are reused; any
edit (a text, an option, a section, a question added, moved or deleted, in any worker or by any tool) changes the
rows and so misses the cache. Nothing is invalidated in process only, so several workers never serve stale
HTML.

The form's HTML is rendered by the same templates (autoescaped), with a marker where a participant's answer goes;
the markers are split out once, and each page fills the participant's own answers in, escaped."""
import json
import re
import secrets
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import cache

from flask import current_app, render_template
from flask_babel import gettext
from markupsafe import Markup, escape
from sqlalchemy import Text, bindparam, cast, select

from extensions import db

from .models import Question, Section
from .question_types import QuestionSpec, question_type, registry_generation

QUESTIONNAIRES_KEPT = 64  # questionnaires whose content a worker keeps (each with its HTML per language)
FORMS_KEPT = 16  # rendered fragments per questionnaire (form and review, language, fallback language)
FORM_TEMPLATE = "assessments/_test_questions.html"
REVIEW_TEMPLATE = "assessments/_review_answers.html"


@dataclass(frozen=True)
class QuestionView:
    """A question as the participant's pages read it (the ORM's Question has the same attributes they use)."""
    id: int
    section_id: int
    position: int
    type: str
    dimension: str
    item_key: str | None
    text: dict
    options: list
    correct: list
    points: float
    required: bool
    scale_labels: dict
    questionnaire_id: int

    def spec(self):
        return QuestionSpec(self.type, tuple(o["key"] for o in self.options), tuple(self.correct),
                            float(self.points), self.required)


@dataclass(frozen=True)
class SectionView:
    id: int
    position: int
    title: dict
    questions: tuple


@dataclass
class Content:
    rows: tuple
    sections: tuple
    forms: OrderedDict = field(default_factory=OrderedDict)

    @property
    def questions(self):
        return [question for section in self.sections for question in section.questions]

    def specs(self):
        return [(question.id, question.spec()) for question in self.questions]


class _Cache:
    def __init__(self):
        self.lock = threading.Lock()
        self.entries = OrderedDict()  # questionnaire id → Content

    def get(self, questionnaire_id, rows):
        with self.lock:
            content = self.entries.get(questionnaire_id)
            if content is not None and content.rows == rows:
                self.entries.move_to_end(questionnaire_id)
                return content
        content = Content(rows, _parse(rows, questionnaire_id))
        with self.lock:
            self.entries[questionnaire_id] = content
            self.entries.move_to_end(questionnaire_id)
            while len(self.entries) > QUESTIONNAIRES_KEPT:
                self.entries.popitem(last=False)
        return content


def _cache():
    cache_ = current_app.extensions.get("assessments.content")
    if cache_ is None:
        cache_ = current_app.extensions.setdefault("assessments.content", _Cache())
    return cache_


def content_of(questionnaire_id):
    """The questionnaire's sections in order, their questions in order (plain, shared: do not change them)."""
    rows = tuple(tuple(row) for row in db.session.execute(_content_query(), {"questionnaire_id": questionnaire_id}))
    return _cache().get(questionnaire_id, rows)


@cache
def _content_query():
    """Built once. JSON columns are read as their text: comparing the rows is then exact and costs no decoding."""
    sections, questions = Section.__table__.c, Question.__table__.c
    return (select(sections.id, sections.position, cast(sections.title, Text), questions.id, questions.position,
                   questions.type, questions.dimension, questions.item_key, cast(questions.text, Text),
                   cast(questions.options, Text), cast(questions.correct, Text), questions.points,
                   questions.required, cast(questions.scale_labels, Text))
            .select_from(Section.__table__.outerjoin(Question.__table__, questions.section_id == sections.id))
            .where(sections.questionnaire_id == bindparam("questionnaire_id"))
            .order_by(sections.position, sections.id, questions.position, questions.id))


def _json(value, empty):
    return empty if value is None else json.loads(value)


def _parse(rows, questionnaire_id):
    sections = []
    for row in rows:
        section_id, position, title, question_id = row[:4]
        if not sections or sections[-1][0] != section_id:
            sections.append((section_id, position, _json(title, {}), []))
        if question_id is not None:
            (_id, q_position, q_type, dimension, item_key, text, options, correct, points, required,
             scale_labels) = row[3:]
            sections[-1][3].append(QuestionView(
                question_id, section_id, q_position, q_type, dimension, item_key, _json(text, {}),
                _json(options, []), _json(correct, []), float(points or 0), bool(required),
                _json(scale_labels, {}), questionnaire_id))
    return tuple(SectionView(section_id, position, title, tuple(questions))
                 for section_id, position, title, questions in sections)


# The form: rendered once per language with markers where answers go, then filled per participant.

_NONCE = secrets.token_hex(12)  # unknowable to a questionnaire's author: their text cannot forge a marker
_MARKER = re.compile(f"\x00{_NONCE}:(\\d+)\x00")


class _Slots:
    """Given to the question templates while the cached form is rendered: each call records where an answer
    goes and leaves a marker in its place."""

    def __init__(self):
        self.slots = []

    def _mark(self, slot):
        self.slots.append(slot)
        return Markup(f"\x00{_NONCE}:{len(self.slots) - 1}\x00")

    def checked(self, question_id, key, mode):
        """' checked' when the answer to `question_id` chooses `key` (mode: "eq" one option, "in" several,
        "str" a scale's point stored as a number)."""
        return self._mark(("checked", question_id, key, mode))

    def value(self, question_id):
        """The typed answer, escaped."""
        return self._mark(("value", question_id))

    def answer(self, question, labels):
        """The answer as the participant reads it (its options' `labels` in the page's language), escaped; "—"
        when unanswered."""
        return self._mark(("answer", question.id, question.type, dict(labels)))

    def __bool__(self):
        return True


def _split(html, slots):
    parts = _MARKER.split(html)
    segments, expected = [], 0
    for index, part in enumerate(parts):
        if index % 2 == 0:
            segments.append(part)
        else:
            if int(part) != expected:
                return None
            segments.append(slots[expected])
            expected += 1
    return segments if expected == len(slots) else None


def _chosen(value, key, mode):
    if mode == "eq":
        return value == key
    if mode == "in":
        return bool(value) and key in value
    return value is not None and str(value) == key


def _fill(segments, answers):
    out = []
    for segment in segments:
        if segment.__class__ is str:
            out.append(segment)
        elif segment[0] == "checked":
            if _chosen(answers.get(segment[1]), segment[2], segment[3]):
                out.append("checked")
        elif segment[0] == "answer":
            value, kind = answers.get(segment[1]), question_type(segment[2])
            out.append(escape((kind.display(value, segment[3], gettext) if kind.is_answered(value) else "") or "—"))
        else:
            value = answers.get(segment[1])
            if value is not None:
                out.append(escape(value))
    return Markup("".join(out))


def form_html(content, answers, language, fallback):
    """The questions of the form with the participant's `answers` (question id → value) filled in."""
    return _cached(FORM_TEMPLATE, content, answers, language, fallback) \
        or questions_html(content, answers, {}, language, fallback)


def questions_html(content, answers, errors, language, fallback):
    """The questions of the form rendered for this page alone (with its errors)."""
    return Markup(render_template(FORM_TEMPLATE, sections=content.sections, answers=answers, errors=errors,
                                  language=language, fallback=fallback, slots=None))


def review_html(content, answers, language, fallback):
    """The review's list of questions with the participant's answers."""
    return _cached(REVIEW_TEMPLATE, content, answers, language, fallback) \
        or Markup(render_template(REVIEW_TEMPLATE, sections=content.sections, answers=answers, language=language,
                                  fallback=fallback, slots=None))


def _cached(name, content, answers, language, fallback):
    """The template `name` rendered once for the content in this language, `answers` filled in; None when it
    cannot be cached."""
    template = current_app.jinja_env.get_template(name)
    key = (language, fallback, template, registry_generation())
    with _cache().lock:
        segments = content.forms.get(key)
    if segments is None:
        slots = _Slots()
        html = render_template(name, sections=content.sections, answers={}, errors={}, language=language,
                               fallback=fallback, slots=slots)
        segments = _split(html, slots.slots)
        if segments is None:  # a marker's text turned up where none was put: render this page without the cache
            return None
        with _cache().lock:
            content.forms[key] = segments
            while len(content.forms) > FORMS_KEPT:
                content.forms.popitem(last=False)
    return _fill(segments, answers)
