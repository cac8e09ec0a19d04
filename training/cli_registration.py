"""Registration commands: import-participants, export-participants and participant-link."""
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from command_line import fail
from extensions import db
from private_files import write_private
from transactions import commit_step, writes

from .attendance.services import attendance_matrix, matrix_table
from .exporting import SEPARATORS, separator_for, table_bytes
from .labels import IMPORT_PROBLEMS, TABLE_PROBLEMS, problem_text
from .models import Delegation, Participant, utcnow
from .services import email_key, program_by_code
from .services_exports import participant_export
from .services_imports import ImportNotClean, apply_batch, plan_batch, store_upload
from .services_links import ensure_link, issue_link
from .services_messages import deliver, queued_ids, recover_stalled
from .tabular import TableError


def separator_option(command):
    """--separator for a command that writes a CSV: Excel's for the program's default language unless chosen."""
    return click.option("--separator", type=click.Choice(list(SEPARATORS)), default=None,
                        help="CSV column separator (default: semicolon for es/pt/fr programs, comma for en).")(command)


def program_or_fail(code):
    program = program_by_code(code)
    if program is None:
        fail([f"--program: no program with code {code!r}"])
    return program


def read_upload(path):
    """The file's bytes, or exit 1 when it is larger than imports accept (IMPORT_MAX_BYTES)."""
    limit = current_app.config["IMPORT_MAX_BYTES"]
    if path.stat().st_size > limit:
        fail([problem_text(TABLE_PROBLEMS, "too_large", {"limit": round(limit / 1024 / 1024, 1)})])
    return path.read_bytes()


@click.command("import-participants")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--program", "program_code", required=True, help="Program code, e.g. CRM-CE-2021.")
@click.option("--country", default=None, help="ISO code: every row must belong to this country's delegation.")
@click.option("--dry-run", is_flag=True, help="Check the file and report; write nothing.")
@with_appcontext
@writes
def import_participants(file, program_code, country, dry_run):
    """Import a participant list (CSV or XLSX): all rows or none; one line per problem, with its row number."""
    program = program_or_fail(program_code)
    delegation = None
    if country:
        delegation = db.session.scalar(select(Delegation).where(Delegation.program_id == program.id,
                                                                Delegation.country_code == country.strip().upper()))
        if delegation is None:
            fail([f"--country: {country} has no delegation in {program.code}"])
    content = read_upload(file)
    batch = store_upload(program, None, file.name, content, delegation=delegation, locked=delegation is not None)
    max_rows = current_app.config["IMPORT_MAX_ROWS"]
    try:
        if dry_run:
            plan = plan_batch(batch, max_rows)
            if not plan.clean:
                raise ImportNotClean(plan)
            db.session.rollback()
            click.echo(_summary_line("would import", plan.count("new"), plan.count("update"),
                                     plan.count("duplicate")))
            return
        summary, _first = apply_batch(batch, None, max_rows)
    except TableError as error:
        fail([problem_text(TABLE_PROBLEMS, error.code, error.details)])
    except ImportNotClean as error:
        fail(_problem_lines(error.plan))
    click.echo(_summary_line("imported", summary["created"], summary["updated"], summary["unchanged"]))


def _summary_line(verb, created, updated, unchanged):
    return f"{verb}: {created} new, {updated} updated, {unchanged} already registered"


def _problem_lines(plan):
    lines = [f"missing column: {name}" for name in plan.missing_columns]
    for row in plan.error_rows:
        lines += [f"row {row.number}: {problem_text(IMPORT_PROBLEMS, code, params)}" for code, params in row.errors]
    return lines or ["the file has no participant rows"]


@click.command("export-participants")
@click.option("--program", "program_code", required=True)
@click.option("--format", "file_format", type=click.Choice(["csv", "xlsx"]), default="csv", show_default=True)
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="File to write; standard output when omitted.")
@separator_option
@with_appcontext
def export_participants(program_code, file_format, output, separator):
    """Export a program's participants (formula-like cells neutralized)."""
    program = program_or_fail(program_code)
    content = participant_export(program, file_format, language=program.default_language,
                                 separator=separator_for(separator, program.default_language))
    if output is None:
        sys.stdout.buffer.write(content)
    else:
        write_private(output, content)
        click.echo(f"Wrote {output}")


@click.command("send-messages")
@click.option("--program", "program_code", required=True)
@with_appcontext
def send_messages(program_code):
    """Send every queued message of a program (what the web sends in batches); safe to run again. First, messages
    whose sender stopped mid-send (of any program) become "uncertain": never sent again without a person's say."""
    program = program_or_fail(program_code)
    recovered = recover_stalled(utcnow())
    commit_step()
    if recovered:
        click.echo(f"uncertain: {recovered} message(s) whose sender stopped mid-send (see the messages page)")
    counts = deliver(queued_ids(program))
    click.echo(f"sent: {counts['sent']}, outbox: {counts['outbox']}, failed: {counts['failed']}, "
               f"queued again: {counts['queued']}, uncertain: {counts['uncertain']}")
    if counts["failed"] or counts["queued"] or counts["uncertain"]:
        sys.exit(1)


@click.command("export-attendance")
@click.option("--program", "program_code", required=True)
@click.option("--format", "file_format", type=click.Choice(["csv", "xlsx"]), default="csv", show_default=True)
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@separator_option
@with_appcontext
def export_attendance(program_code, file_format, output, separator):
    """Export the attendance matrix (participants × activities, and what each still lacks)."""
    program = program_or_fail(program_code)
    activities, rows = attendance_matrix(program, select(Participant).where(Participant.program_id == program.id))
    headers, table = matrix_table(activities, rows, program.default_language)
    write_private(output, table_bytes(file_format, headers, table, program.code,
                                      separator=separator_for(separator, program.default_language)))
    click.echo(f"Wrote {output} ({len(table)} participants, {len(activities)} activities)")


@click.command("participant-link")
@click.argument("email")
@click.option("--program", "program_code", required=True)
@click.option("--reissue", is_flag=True, help="Replace the current link: the old one stops working.")
@with_appcontext
@writes
def participant_link(email, program_code, reissue):
    """Print a participant's personal link (issuing one when there is none)."""
    program = program_or_fail(program_code)
    participant = db.session.scalar(select(Participant).where(Participant.program_id == program.id,
                                                              Participant.email_key == email_key(email)))
    if participant is None:
        fail([f"{email}: not registered in {program.code}"])
    link = issue_link(participant, None) if reissue else ensure_link(participant, None)
    click.echo(link)
