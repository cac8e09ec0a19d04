"""Training blueprint: programs, delegations, participants, staff accounts (and later activities and attendance)."""
from flask import Blueprint

bp = Blueprint("training", __name__)

from . import (  # noqa: E402,F401  (routes register on bp)
    views_activities,
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
from .attendance import views as attendance_views  # noqa: E402,F401
from .attendance import views_imports as attendance_import_views  # noqa: E402,F401
