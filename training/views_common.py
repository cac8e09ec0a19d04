"""Shared view steps: call one service then commit or show its error by the field; page through a list."""
from flask import flash, request

from extensions import db

from .services import ServiceError


def commit_or_show_error(form, action, success_message=None):
    """Run `action` (one service call). On success commit, flash and return (True, result);
    on a ServiceError roll back, put the message next to its field and return (False, None)."""
    try:
        result = action()
    except ServiceError as error:
        db.session.rollback()
        getattr(form, error.field).errors.append(error.message)
        return False, None
    db.session.commit()
    if success_message is not None:
        flash(success_message(result) if callable(success_message) else success_message, "success")
    return True, result


def page_window(total, page_size):
    """(page, pages) for a list of `total` rows: ?page= clamped to the pages that exist, whatever was typed."""
    pages = max((total + page_size - 1) // page_size, 1)
    return min(max(request.args.get("page", 1, type=int), 1), pages), pages
