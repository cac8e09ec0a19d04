"""The network's practice exchange: the lessons the secretariat shared, searchable and readable with no login (their
texts only: never who recorded them)."""
from flask import render_template, request
from sqlalchemy import select

from extensions import configured_limit, db, limiter
from training.access import no_store
from training.labels import current_language
from training.models import Program

from .. import bp
from ..models_lessons import Lesson
from .documents import LABELS, document_language, lesson_document, link_tags, send_lesson_pdf
from .forms_library import filter_form
from .layout import BLOCKS, JUDGMENTS
from .services_library import read, shared_lesson_or_404


@bp.route("/lessons/shared")
@limiter.limit(configured_limit("SHARED_LESSONS_RATE_LIMIT"))
def shared_lessons():
    language = current_language()
    programs = db.session.scalars(select(Program).where(Program.id.in_(
        select(Lesson.program_id).where(Lesson.shared.is_(True))))).all()
    reading = read(programs, request.args, language, shared_only=True)
    return no_store(render_template("assessments/lessons_shared.html", reading=reading, lesson_labels=LABELS,
                                    form=filter_form(reading, language, request.args), links=link_tags))


@bp.route("/lessons/shared/<int:lesson_id>")
@limiter.limit(configured_limit("SHARED_LESSONS_RATE_LIMIT"))
def shared_lesson(lesson_id):
    lesson = shared_lesson_or_404(lesson_id)
    language = document_language(lesson, request.args.get("lang"))
    return no_store(render_template("assessments/lesson_shared.html", lesson=lesson, language=language,
                                    document=lesson_document(lesson, language), blocks=BLOCKS, judgments=JUDGMENTS))


@bp.route("/lessons/shared/<int:lesson_id>.pdf")
@limiter.limit(configured_limit("SHARED_LESSONS_RATE_LIMIT"))
def shared_lesson_pdf(lesson_id):
    return send_lesson_pdf(shared_lesson_or_404(lesson_id), request.args.get("lang"))
