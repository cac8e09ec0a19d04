"""Pre-tests and post-tests: questionnaires, question types, test-taking, scoring, statistics and reports."""
from flask import Blueprint

bp = Blueprint("assessments", __name__)

from . import (  # noqa: E402,F401  (tables, template helpers and routes register)
    models,
    template_helpers,
    views_builder,
    views_followup,
    views_responses,
    views_taking,
)
from .impact import views as impact_views  # noqa: E402,F401


def init_app(app):
    """Register the blueprint, its commands and what it adds to training's hooks: the demo's tests and answers, the
    tests' section of personal data, the questionnaires card of the participant's page, questionnaires following
    their agenda slot (create_app calls it after training's)."""
    from training.hooks import add_agenda_item_moved, add_demo_part, add_my_page_card

    from . import services_privacy, services_taking
    from .cli import register_cli
    from .demo import load_demo_tests

    app.register_blueprint(bp)
    register_cli(app)
    add_demo_part(app, load_demo_tests)
    services_privacy.register(app)
    add_my_page_card(app, "tests", views_taking.my_page_card)
    add_agenda_item_moved(app, services_taking.follow_moved_slot)
