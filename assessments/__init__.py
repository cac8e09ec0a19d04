"""Pre-tests and post-tests: questionnaires, question types, test-taking, scoring, statistics and reports."""
from flask import Blueprint

bp = Blueprint("assessments", __name__)

from . import (  # noqa: E402,F401  (tables, template helpers and routes register)
    models,
    models_feed,
    models_lessons,
    models_reminders,
    template_helpers,
    views_builder,
    views_followup,
    views_responses,
    views_survey,
    views_taking,
)
from .impact import views as impact_views  # noqa: E402,F401
from .lessons import views as lessons_views  # noqa: E402,F401
from .lessons import views_library, views_public  # noqa: E402,F401
from .portfolio import views as portfolio_views  # noqa: E402,F401


def init_app(app):
    """Register the blueprint, its commands and what it adds to training's hooks: the demo's tests and answers, its
    follow-up survey and its lessons learned, the tests' section of personal data, the questionnaires card of the
    participant's page, their closing times in calendar files, their scores in a person's history across programs,
    the evaluation's facts of the program's lifecycle, questionnaires following their agenda slot, the
    questionnaires' part of a program's copy, and the scheduled work: finalizing attempts whose time is over,
    sending the follow-up survey, reminders, and the impact report's files made by the worker (create_app calls it
    after training's)."""
    from flask_babel import lazy_gettext as _l

    from training.hooks import (
        add_agenda_item_moved,
        add_calendar_source,
        add_demo_part,
        add_lifecycle_facts,
        add_message_values,
        add_my_page_card,
        add_person_history,
        add_program_copier,
    )
    from training.tasks import add_scheduled_work

    from . import services_history, services_lifecycle, services_privacy, services_taking
    from .cli import register_cli
    from .demo import load_demo_tests
    from .demo_closing import load_demo_follow_up, load_demo_lessons
    from .impact import tasks as impact_tasks
    from .lessons import services as lessons_services
    from .services_copy import copy_questionnaires
    from .services_reminders import finalize_all_overdue, reminder_message_values, send_due_reminders
    from .services_survey import send_due_follow_ups

    app.register_blueprint(bp)
    register_cli(app)
    add_demo_part(app, load_demo_tests)
    add_demo_part(app, load_demo_follow_up)  # after the tests: it goes to those who submitted the post-test
    add_demo_part(app, load_demo_lessons)
    services_privacy.register(app)
    add_my_page_card(app, "tests", views_taking.my_page_card)
    add_person_history(app, "tests", _l("Tests"), services_history.test_scores)
    add_calendar_source(app, "tests", views_taking.calendar_events)
    add_scheduled_work(app, "finalize attempts", finalize_all_overdue)  # first: the reminders then skip them
    add_scheduled_work(app, "follow-up surveys", send_due_follow_ups)  # before reminders, which go to those sent it
    add_scheduled_work(app, "reminders", send_due_reminders)
    add_message_values(app, "reminder", reminder_message_values)
    add_lifecycle_facts(app, "evaluation", services_lifecycle.lifecycle_facts)
    impact_tasks.init_app(app)
    lessons_services.register(app)
    add_agenda_item_moved(app, services_taking.follow_moved_slot)
    add_program_copier(app, "questionnaires", _l("Questionnaires: sections, questions and item keys, windows at the "
                                                 "new dates (never answers)"), copy_questionnaires)
