"""The follow-up survey on its questionnaire's page: its schedule, "send now", the post-test's intended-use items."""
from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from training.access import actor_id, permission_required
from training.web import call_or_show_error
from transactions import writes

from . import bp
from .access import questionnaire_or_404
from .forms import FollowUpScheduleForm
from .services_builder import Locked, copy_intended_use_items, program_questionnaires
from .services_survey import schedule_follow_up, send_follow_up_now


@bp.route("/questionnaires/<int:questionnaire_id>/follow-up-schedule", methods=["POST"])
@permission_required("questionnaires.build")
@writes
def follow_up_schedule(questionnaire_id):
    """Save the schedule (the worker sends it when it opens), or send it now ("send_now")."""
    questionnaire = _follow_up_or_404(questionnaire_id)
    form = FollowUpScheduleForm()
    if form.validate_on_submit():  # a refusal is rolled back and shown beside its field, as elsewhere
        call_or_show_error(form, lambda: _schedule_or_send(questionnaire, form))
    for field in (form.weeks_after, form.weeks_open):
        for error in field.errors:
            flash(_("%(field)s: %(problem)s", field=field.label.text, problem=error), "error")
    return redirect(url_for("assessments.questionnaire", questionnaire_id=questionnaire.id, _anchor="follow-up"))


def _schedule_or_send(questionnaire, form):
    if request.form.get("action") == "send_now":
        count = send_follow_up_now(questionnaire, actor_id(), form.weeks_open.data)
        flash(_("The follow-up is open for %(weeks)s weeks from now.", weeks=form.weeks_open.data) + " " +
              ngettext("Sent to %(num)s person who completed the program.",
                       "Sent to %(num)s people who completed the program.", count), "success")
        return
    schedule_follow_up(questionnaire, actor_id(), form.weeks_after.data, form.weeks_open.data)
    flash(_("Follow-up scheduled: it is sent when it opens to everyone who completed the program."), "success")


@bp.route("/questionnaires/<int:questionnaire_id>/copy-intended-use", methods=["POST"])
@permission_required("questionnaires.build")
@writes
def copy_intended_use(questionnaire_id):
    """The post-test's "application" items, with their keys, added to the follow-up (those it has are skipped)."""
    target = _follow_up_or_404(questionnaire_id)
    source = program_questionnaires(target.program).get("post")
    if source is None:
        abort(404)
    try:
        count = copy_intended_use_items(source, target, actor_id())
    except Locked:
        flash(_("People have already answered this questionnaire: questions cannot be added or deleted now."),
              "error")
    else:
        flash(ngettext("%(num)s intended-use question added from the post-test.",
                       "%(num)s intended-use questions added from the post-test.", count) if count else
              _("The follow-up already has every intended-use question of the post-test."), "success")
    return redirect(url_for("assessments.questionnaire", questionnaire_id=target.id))


def _follow_up_or_404(questionnaire_id):
    questionnaire = questionnaire_or_404(questionnaire_id)
    if questionnaire.kind != "follow_up":
        abort(404)
    return questionnaire
