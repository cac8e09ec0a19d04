"""What every command shares: the scriptable failure (one line per problem on stderr, exit 1), for the blueprints'
commands and operations' alike."""
import sys

import click

from extensions import db


def fail(problems):
    """Print one line per problem on stderr and exit 1."""
    db.session.rollback()
    for problem in problems:
        click.echo(str(problem), err=True)
    sys.exit(1)
