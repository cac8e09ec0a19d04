"""import-attendance: a Zoom participant report (sessions) or a course-completion report (courses)."""
import json
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import func, select

from command_line import fail
from extensions import db
from transactions import writes

from ..cli_registration import program_or_fail, read_upload
from ..labels import REPORT_COLUMNS, REPORT_PROBLEMS, TABLE_PROBLEMS, meeting_warning_text, problem_text
from ..models import Activity
from ..services import ServiceError
from ..tabular import TableError
from .services_imports import apply_upload, plan_upload, read_stored_report, report_kind, store_report


@click.command("import-attendance")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--program", "program_code", required=True, help="Program code, e.g. CRM-CE-2021.")
@click.option("--activity", "activity_code", required=True, help="Activity code: a session (S1) or a course (C1).")
@click.option("--min-share", type=click.IntRange(1, 100), default=None,
              help="%% of the session connected to count as present (default ATTENDANCE_MIN_SHARE, 75).")
@click.option("--dry-run", is_flag=True, help="Match and report; write nothing.")
@click.option("--despite-warnings", is_flag=True,
              help="Import a Zoom report whose date, meeting ID or topic does not fit the session (checked).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as a JSON object.")
@with_appcontext
@writes
def import_attendance(file, program_code, activity_code, min_share, dry_run, despite_warnings, as_json):
    """Mark attendance from a report. People the report names but nobody matches are listed, not imported."""
    program = program_or_fail(program_code)
    activity = db.session.scalar(select(Activity).where(Activity.program_id == program.id,
                                                        func.upper(Activity.code) == activity_code.strip().upper()))
    if activity is None:
        fail([f"--activity: no activity {activity_code!r} in {program.code}"])
    content = read_upload(file)
    share = min_share or current_app.config["ATTENDANCE_MIN_SHARE"]
    try:
        upload = store_report(activity, None, file.name, content, share)
        report = read_stored_report(upload, current_app.config["IMPORT_MAX_ROWS"])
        plan = plan_upload(upload, report)
    except ServiceError as error:
        fail([str(error.message)])
    except TableError as error:
        fail([problem_text(TABLE_PROBLEMS, error.code, error.details)])
    if not plan.clean:
        fail(_problem_lines(plan))
    warnings = [meeting_warning_text(code, params, activity.title_in(activity.program.default_language),
                                     program.timezone) for code, params in plan.warnings]
    for line in warnings:
        click.echo(f"warning: {line}", err=True)
    if warnings and not dry_run and not despite_warnings:
        fail(["nothing imported: the report may not be of this session (--despite-warnings imports it)"])
    if dry_run:
        db.session.rollback()
        summary = plan.summary()
    else:
        summary, _first = apply_upload(upload, None, report)
    _print(summary, activity, dry_run, as_json)


def _problem_lines(plan):
    lines = [f"missing column: {REPORT_COLUMNS[name]}" for name in plan.report.missing_columns]
    for row in plan.report.error_rows:
        lines += [f"row {row.number}: {problem_text(REPORT_PROBLEMS, code, params)}" for code, params in row.errors]
    return lines or ["the report lists nobody"]


def _print(summary, activity, dry_run, as_json):
    if as_json:
        keys = ("matched", "present", "partial", "unmatched", "unmatched_names")
        extra = {"absent": summary["absent"]} if report_kind(activity) == "course" else {}
        click.echo(json.dumps({**{key: summary[key] for key in keys}, **extra, "dry_run": dry_run},
                              ensure_ascii=False))
        return
    verb = "would import" if dry_run else "imported"
    attended = "completed" if report_kind(activity) == "course" else "present"
    click.echo(f"{verb} {activity.code}: {summary['matched']} matched ({summary['present']} {attended}, "
               f"{summary['partial']} partial), {summary['unmatched']} unmatched")
    for name in summary["unmatched_names"]:
        click.echo(f"unmatched: {name}")
