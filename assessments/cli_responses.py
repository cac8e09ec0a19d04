"""import-responses: answers collected in Google Forms, KoboToolbox or Moodle, into a questionnaire."""
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from command_line import fail
from extensions import db
from training.cli_registration import read_upload
from training.services import ServiceError
from training.services_uploads import read_staged
from training.textkeys import MAX_ID
from transactions import writes

from .models import Questionnaire
from .services_responses import (
    ResponsesNotClean,
    apply_import,
    plan_import,
    problem_message,
    store_upload,
)


@click.command("import-responses")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--questionnaire", "questionnaire_id", type=int, required=True, help="Questionnaire id.")
@click.option("--dry-run", is_flag=True, help="Read, match and report; write nothing.")
@with_appcontext
@writes
def import_responses(file, questionnaire_id, dry_run):
    """Import a CSV/XLSX export (one row per respondent): columns are matched to questions by their title, rows
    to participants by e-mail. All or nothing: one line per problem and nothing imported while one remains."""
    questionnaire = db.session.get(Questionnaire, questionnaire_id) if 0 <= questionnaire_id <= MAX_ID else None
    if questionnaire is None:
        fail([f"--questionnaire: no questionnaire with id {questionnaire_id}"])
    content = read_upload(file)
    try:
        upload = store_upload(questionnaire, None, file.name, content, current_app.config["IMPORT_MAX_ROWS"])
    except ServiceError as error:
        fail([str(error.message)])
    table = read_staged(upload, current_app.config["IMPORT_MAX_ROWS"])
    plan = plan_import(upload, table)
    if not plan.clean:
        fail([_problem_line(problem) for problem in plan.problems])
    if dry_run:
        db.session.rollback()
        summary = plan.summary()
        summary["imported"] = summary["to_import"]
    else:
        try:
            summary, _first = apply_import(upload, None, table)
        except ResponsesNotClean as error:  # the questionnaire changed between the check and the import
            fail([_problem_line(problem) for problem in error.plan.problems])
    _print(summary, plan, questionnaire, dry_run)


def _problem_line(problem):
    where = f"row {problem.row}" if problem.row else ""
    if problem.column:
        where = f"{where}, column “{problem.column}”" if where else f"column “{problem.column}”"
    return f"{where}: {problem_message(problem)}" if where else problem_message(problem)


def _print(summary, plan, questionnaire, dry_run):
    verb = "would import" if dry_run else "imported"
    click.echo(f"{verb} {summary['imported']} into questionnaire {questionnaire.id} ({questionnaire.kind}): "
               f"{summary['answered']} already answered (skipped), {summary['unmatched']} unmatched, "
               f"{summary['withdrawn']} withdrawn, {summary['empty']} without answers")
    for outcome, label in (("unmatched", "unmatched"), ("withdrawn", "withdrawn"), ("answered", "already answered")):
        for row in plan.with_outcome(outcome):
            click.echo(f"{label}: row {row.number}: {row.email}")
