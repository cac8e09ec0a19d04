"""Training blueprint: programs, delegations, participants, staff accounts (and later activities and attendance)."""
from flask import Blueprint

bp = Blueprint("training", __name__)

from . import (  # noqa: E402,F401  (routes register on bp)
    views_activities,
    views_attendance,
    views_attendance_imports,
    views_audit,
    views_auth,
    views_groups,
    views_imports,
    views_messages,
    views_participants,
    views_portal,
    views_privacy,
    views_programs,
    views_users,
)


def init_app(app):
    """Register the blueprint, its commands and the hooks later blueprints fill (create_app calls it first)."""
    from . import hooks
    from .cli import register_cli
    from .services_audit import register_training_objects

    hooks.init_app(app)
    app.register_blueprint(bp)
    register_cli(app)
    register_training_objects(app)
