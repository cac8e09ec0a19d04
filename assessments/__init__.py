"""Pre-tests and post-tests: questionnaires, question types, test-taking, scoring, statistics and reports."""
from flask import Blueprint

bp = Blueprint("assessments", __name__)

from . import (  # noqa: E402,F401  (tables, template helpers, routes and personal-data sections register)
    models,
    services_privacy,
    template_helpers,
    views_builder,
    views_followup,
    views_responses,
    views_taking,
)
from .impact import views as impact_views  # noqa: E402,F401
