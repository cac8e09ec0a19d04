"""The lessons' library: every lesson of the programs a staff member sees, searched and filtered, their workbook,
each lesson's PDF, and a lesson's place on the network's public page."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from training.access import actor_id, permission_required
from training.labels import current_language
from training.web import send_export
from training.web_login import safe_next
from transactions import writes

from .. import bp
from .documents import LABELS, link_tags, send_lesson_pdf, workbook
from .forms_library import ShareForm, filter_form
from .services import lesson_or_404
from .services_library import library_programs, read, set_shared


@bp.route("/lessons")
@permission_required("lessons.view")
def lesson_library():
    language = current_language()
    reading = read(library_programs(current_user), request.args, language)
    return render_template("assessments/lessons_library.html", reading=reading,
                           form=filter_form(reading, language, request.args), lesson_labels=LABELS,
                           links=link_tags, share_form=ShareForm())


@bp.route("/lessons.xlsx")
@permission_required("lessons.view")
def lesson_workbook():
    language = current_language()
    reading = read(library_programs(current_user), request.args, language)
    headers, rows = workbook(reading.lessons, language)
    return send_export("xlsx", headers, rows, "lessons.xlsx", sheet_title=_("Lessons learned"))


@bp.route("/lessons/<int:lesson_id>.pdf")
@permission_required("lessons.view")
def lesson_pdf_file(lesson_id):
    lesson = lesson_or_404(lesson_id)
    return send_lesson_pdf(lesson, request.args.get("lang"))


@bp.route("/lessons/<int:lesson_id>/share", methods=["POST"])
@permission_required("lessons.record")
@writes
def lesson_share(lesson_id):
    lesson = lesson_or_404(lesson_id)
    form = ShareForm()
    if form.validate_on_submit():
        shared = form.shared.data == "1"
        set_shared(lesson, shared, actor_id())
        flash(_("Lesson %(code)s is on the public page.", code=lesson.code) if shared else
              _("Lesson %(code)s is no longer on the public page.", code=lesson.code), "success")
    return redirect(safe_next(form.next.data) or url_for("assessments.lesson_library"))
