"""Training blueprint: programs, delegations, participants, staff accounts (and later activities and attendance)."""
from flask import Blueprint

bp = Blueprint("training", __name__)

from . import (  # noqa: E402,F401  (routes register on bp)
    views_activities,
    views_audit,
    views_auth,
    views_groups,
    views_imports,
    views_jobs,
    views_messages,
    views_oidc,
    views_participants,
    views_password,
    views_portal,
    views_privacy,
    views_programs,
    views_registration,
    views_users,
)
from .attendance import views as attendance_views  # noqa: E402,F401
from .attendance import views_imports as attendance_import_views  # noqa: E402,F401


def init_app(app):
    """Register the blueprint, its commands and the hooks later blueprints fill (create_app calls it first)."""
    from . import hooks, services_oidc, tasks
    from .cli import register_cli
    from .services_audit import register_training_objects

    hooks.init_app(app)
    app.register_blueprint(bp)
    register_cli(app)
    register_training_objects(app)
    tasks.init_app(app)
    services_oidc.init_app(app)
