"""A participant's personal data for the executive secretariat: what is held, a download of all of it, erasure."""
import io

from flask import flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _

from extensions import db
from transactions import begin_writes, reads_then_writes

from . import bp
from .access import actor_id, participant_or_404, permission_required
from .forms_privacy import EraseForm, ExportForm
from .models import User
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


@bp.route("/participants/<int:participant_id>/personal-data")
@permission_required("privacy.manage")
def personal_data(participant_id):
    return _page(participant_or_404(participant_id), EraseForm(formdata=None))


def _page(participant, form, status=200):
    event = erasure_event(participant)
    erased_by = db.session.get(User, event.user_id) if event is not None and event.user_id else None
    return render_template("training/personal_data.html", participant=participant, program=participant.program,
                           counts=summary_counts(participant), form=form, export_form=ExportForm(),
                           erasure=event, erased_by=erased_by,
                           placeholder=" ".join(placeholder_names(participant))), status


@bp.route("/participants/<int:participant_id>/personal-data.zip", methods=["POST"])
@permission_required("privacy.manage")
@reads_then_writes  # the files are read and zipped before the short write that logs the download
def personal_data_export(participant_id):
    participant = participant_or_404(participant_id)
    content = personal_data_zip(participant)
    begin_writes()
    record_export(participant, actor_id())
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
    uploads = search_uploads(participant) if participant.erased_at is None else UploadSearch()
    # Read before begin_writes() ends the read transaction and expires the uploads (each would be loaded again).
    unreadable = ", ".join(upload.filename for _kind, upload, _error in uploads.unreadable)
    begin_writes()
    erased = erase_participant(participant, actor_id(), form.reason.data, uploads)
    if erased:
        flash(_("The personal data of participant %(id)s was erased.", id=participant.id), "success")
        if unreadable:
            flash(_("These stored files could not be read to look for the person, so they were deleted with their "
                    "data: %(files)s.", files=unreadable), "notice")
    else:
        flash(_("This participant's personal data was already erased."), "info")
    return redirect(url_for("training.personal_data", participant_id=participant.id))
