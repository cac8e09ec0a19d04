"""Scriptable commands of the assessments blueprint (exit 0 on success, 1 with one line per problem)."""
import click
from flask.cli import with_appcontext

from training.models import utcnow
from transactions import writes

from .services_reminders import finalize_all_overdue


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
    """Submit, from their saved answers, every attempt whose time limit or window is over (the worker does it every
    minute; this is for a machine without one)."""
    click.echo(f"Finalized {finalize_all_overdue(utcnow())} attempts.")
