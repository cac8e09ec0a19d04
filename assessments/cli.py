"""Scriptable commands of the assessments blueprint (exit 0 on success, 1 with one line per problem)."""
from training.cli import DEMO_EXTENSIONS


def register_cli(app):
    from .cli_responses import import_responses
    from .demo import load_demo_tests

    app.cli.add_command(import_responses)
    if load_demo_tests not in DEMO_EXTENSIONS:
        DEMO_EXTENSIONS.append(load_demo_tests)
