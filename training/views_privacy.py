"""A participant's personal data for the executive secretariat: what is held, a download of all of it, erasure."""
import io

from flask import flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from extensions import db
from transactions import begin_writes, reads_then_writes

from . import bp
from .access import actor_id, participant_or_404, permission_required
from .forms_privacy import EraseForm, ExportForm
from .models import User
from .services_people import registrations_elsewhere
from .services_privacy import (
    UploadSearch,
    erase_participant,
    erasure_event,
    personal_data_zip,
    placeholder_names,
    record_export,
    search_uploads,
    summary_counts,
)
from .web import program_scopes


@bp.route("/participants/<int:participant_id>/personal-data")
@permission_required("privacy.manage")
def personal_data(participant_id):
    return _page(participant_or_404(participant_id), EraseForm(formdata=None))


def _page(participant, form, status=200):
    event = erasure_event(participant)
    erased_by = db.session.get(User, event.user_id) if event is not None and event.user_id else None
    return render_template("training/personal_data.html", participant=participant, program=participant.program,
                           counts=summary_counts(participant), form=form, export_form=ExportForm(formdata=None),
                           others=_others(participant),
                           erasure=event, erased_by=erased_by,
                           placeholder=" ".join(placeholder_names(participant))), status


@bp.route("/participants/<int:participant_id>/personal-data.zip", methods=["POST"])
@permission_required("privacy.manage")
@reads_then_writes  # the files are read and zipped before the short write that logs the download
def personal_data_export(participant_id):
    participant = participant_or_404(participant_id)
    others = _others(participant) if ExportForm().all_programs.data else []  # the CSRF check is the app's
    content = personal_data_zip(participant, others)
    begin_writes()
    for registration in (participant, *others):
        record_export(registration, actor_id())
    return send_file(io.BytesIO(content), mimetype="application/zip", as_attachment=True,
                     download_name=f"{participant.program.code}-participant-{participant.id}.zip")


@bp.route("/participants/<int:participant_id>/erase", methods=["POST"])
@permission_required("privacy.manage")
@reads_then_writes  # uploaded files are searched for the person before the write transaction begins
def participant_erase(participant_id):
    participant = participant_or_404(participant_id)
    form = EraseForm()
    if not form.validate_on_submit():
        return _page(participant, form, 400)
    everyone = [participant, *(_others(participant) if form.all_programs.data else [])]
    found = [search_uploads(person) if person.erased_at is None else UploadSearch() for person in everyone]
    # Read before begin_writes() ends the read transaction and expires the uploads (each would be loaded again).
    unreadable = ", ".join(upload.filename for uploads in found for _kind, upload, _error in uploads.unreadable)
    ids = [person.id for person in everyone]
    begin_writes()
    everywhere = bool(form.all_programs.data)
    erased = [erase_participant(person, actor_id(), form.reason.data, uploads, requests_everywhere=everywhere)
              for person, uploads in zip(everyone, found, strict=True)]
    if erased[0]:
        flash(_("The personal data of participant %(id)s was erased.", id=participant.id), "success")
    else:
        flash(_("This participant's personal data was already erased."), "info")
    if len(everyone) > 1:
        flash(ngettext("Also erased in %(num)s other program (participant %(ids)s).",
                       "Also erased in %(num)s other programs (participants %(ids)s).", sum(erased[1:]),
                       ids=", ".join(str(i) for i, done in zip(ids[1:], erased[1:], strict=True) if done)), "success")
    if unreadable and any(erased):
        flash(_("These stored files could not be read to look for the person, so they were deleted with their "
                "data: %(files)s.", files=unreadable), "notice")
    return redirect(url_for("training.personal_data", participant_id=participant.id))


def _others(participant):
    """The same person's registrations (same e-mail) in the other programs this user may see."""
    return registrations_elsewhere([participant.email_key], participant.program_id, program_scopes()).get(
        participant.email_key, []) if participant.erased_at is None else []
