"""What every form view does after validation: call one service, then commit or show its error by the field."""
from flask import flash

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
