"""Scriptable commands of the assessments blueprint (exit 0 on success, 1 with one line per problem)."""
import click
from flask.cli import with_appcontext
from sqlalchemy import select

from extensions import db
from transactions import writes

from .models import Attempt, Questionnaire
from .services_taking import IN_PROGRESS, finalize_overdue


def register_cli(app):
    from .cli_responses import import_responses
    from .impact.cli import impact

    app.cli.add_command(import_responses)
    app.cli.add_command(impact)
    app.cli.add_command(finalize_attempts)


@click.command("finalize-attempts")
@with_appcontext
@writes
def finalize_attempts():
    """Submit, from their saved answers, every attempt whose time limit or window is over (for cron)."""
    questionnaires = db.session.scalars(select(Questionnaire).where(Questionnaire.id.in_(
        select(Attempt.questionnaire_id).where(Attempt.status == IN_PROGRESS)))).all()
    count = sum(finalize_overdue(questionnaire) for questionnaire in questionnaires)
    click.echo(f"Finalized {count} attempts.")
