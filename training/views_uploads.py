"""The steps every kind of staged upload's pages share (participant lists, attendance reports, answer files):
upload within the size limit, load it or 404, answer a confirmation that came second, discard."""
from dataclasses import dataclass
from typing import Any, Callable

from flask import flash, redirect

from .labels import TABLE_PROBLEMS, problem_text
from .services import ServiceError
from .services_uploads import WAITING
from .views_common import discard_stored_upload, max_upload_megabytes, read_limited_upload, stored_upload_or_404


def table_message(error):
    """Why a stored file cannot be read as a table (its TableError), as every review page says it."""
    return problem_text(TABLE_PROBLEMS, error.code, error.details)


@dataclass(frozen=True)
class UploadPages:
    """One kind of staged upload, as its pages see it: its specifics are given once, the steps are the same for
    every kind. The callables take the upload, except `scope` and `applied_message`. Commits stay in the views."""

    model: type  # a StagedUpload model
    owner_or_404: Callable  # 404 (or 403) unless the user may work with what the upload belongs to
    review_url: Callable  # its review page
    upload_url: Callable  # where its kind is uploaded and those waiting are listed
    applied_url: Callable  # where a confirmation leads
    applied_message: Callable  # summary → what a confirmation says it did
    already_message: Any  # what a confirmation says when another came first; None: the first one's message again
    discarded_action: str  # the audit log's action for a discard
    default_filename: str  # for a file sent without a name
    scope: Callable = tuple  # () → conditions on which uploads of the kind the user sees at all

    def stage(self, field, store):
        """Read the form's file once, no further than IMPORT_MAX_BYTES, and keep it with `store(filename, content)`
        (the kind's service: it flushes, and a ServiceError it raises is about the file). The staged upload, or None
        with the reason under the field (the caller rolls back)."""
        content = read_limited_upload(field.data)
        if content is None:
            field.errors.append(problem_text(TABLE_PROBLEMS, "too_large", {"limit": max_upload_megabytes()}))
            return None
        try:
            return store(field.data.filename or self.default_filename, content)
        except ServiceError as error:
            field.errors.append(str(error.message))
            return None

    def get_or_404(self, upload_id):
        """The upload, if the user sees it and what it belongs to; a discarded one is gone (404)."""
        upload = stored_upload_or_404(self.model, upload_id, *self.scope())
        self.owner_or_404(upload)
        return upload

    def discard(self, upload_id):
        """Discard a waiting upload and go back to where its kind is uploaded; an imported one stays, and its
        review page says why."""
        upload = self.get_or_404(upload_id)
        return discard_stored_upload(upload, self.discarded_action, self.review_url(upload), self.upload_url(upload))

    def already_applied(self, upload):
        """For a confirmation of an upload another one confirmed first (a double click, a second tab): where it
        leads, saying so, before it changes anything. None while the upload waits."""
        return None if upload.status == WAITING else self.applied(upload, upload.summary, first=False)

    def applied(self, upload, summary, first):
        """Where a committed confirmation leads, saying what it did (or that another one came first)."""
        if first or self.already_message is None:
            flash(self.applied_message(summary), "success")
        else:
            flash(self.already_message, "notice")
        return redirect(self.applied_url(upload))
