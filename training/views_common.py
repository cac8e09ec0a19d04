"""Shared view steps: call one service, or show its error by the field; page through a list;
read an upload within the import size limit; discard a stored upload."""
import io

from flask import abort, current_app, flash, redirect, request, send_file
from flask_babel import gettext as _
from sqlalchemy import select

from extensions import db

from .access import actor_id
from .exporting import MIMETYPES
from .services import ServiceError
from .services_uploads import discard_upload, is_discarded


def call_or_show_error(form, action, success_message=None):
    """Run `action` (one service call, in a route that declares @writes). On success flash and return
    (True, result); on a ServiceError roll back, put the message next to its field and return (False, None)."""
    try:
        result = action()
    except ServiceError as error:
        db.session.rollback()
        getattr(form, error.field).errors.append(error.message)
        return False, None
    if success_message is not None:
        flash(success_message(result) if callable(success_message) else success_message, "success")
    return True, result


def page_window(total, page_size):
    """(page, pages) for a list of `total` rows: ?page= clamped to the pages that exist, whatever was typed."""
    pages = max((total + page_size - 1) // page_size, 1)
    return min(max(request.args.get("page", 1, type=int), 1), pages), pages


def max_upload_megabytes():
    return round(current_app.config["IMPORT_MAX_BYTES"] / 1024 / 1024, 1)


def read_limited_upload(file_storage):
    """The uploaded bytes, or None when the file is larger than IMPORT_MAX_BYTES (read no further than that)."""
    content = file_storage.read(current_app.config["IMPORT_MAX_BYTES"] + 1)
    return None if len(content) > current_app.config["IMPORT_MAX_BYTES"] else content


def send_table(content, file_format, download_name):
    """A CSV or XLSX file as a download."""
    return send_file(io.BytesIO(content), mimetype=MIMETYPES[file_format], as_attachment=True,
                     download_name=download_name)


def stored_upload_or_404(model, upload_id, *conditions):
    """A stored upload of `model` by id that meets `conditions` (whose it is; the caller checks the rest of the
    access); a discarded one is gone, like its file."""
    upload = db.session.scalar(select(model).where(model.id == upload_id, *conditions))
    if upload is None or is_discarded(upload):
        abort(404)
    return upload


def discard_stored_upload(upload, action, review_url, upload_url):
    """Discard a stored upload (the caller checked access) and go back to where its kind is uploaded; an imported
    one stays, and its review page says why."""
    filename = upload.filename
    if not discard_upload(upload, actor_id(), action):
        db.session.rollback()
        flash(_("%(filename)s was imported: its file stays as the record of that import.", filename=filename),
              "error")
        return redirect(review_url)
    flash(_("%(filename)s was discarded: nothing was imported from it, and its file is deleted.",
            filename=filename), "success")
    return redirect(upload_url)
