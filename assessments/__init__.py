"""Pre-tests and post-tests: questionnaires, question types, test-taking, scoring, statistics and reports."""
from flask import Blueprint

bp = Blueprint("assessments", __name__)

from . import models, template_helpers, views_taking  # noqa: E402,F401  (tables, helpers and routes register on bp)
