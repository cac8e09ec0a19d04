"""`flask --app app issue-certificates`: issue every eligible participant's certificate, optionally writing the PDFs."""
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import force_locale
from sqlalchemy import select

from command_line import fail
from extensions import db
from private_files import private_folder, write_private
from training.cli_registration import program_or_fail
from training.exporting import csv_bytes, separator_for
from training.models import Participant
from training.schedule import when
from training.services import ServiceError

from .services import issued_certificates
from .services_issuing import TooEarly, certificate_files, issue


def register_cli(app):
    app.cli.add_command(issue_certificates)


@click.command("issue-certificates")
@click.option("--program", "code", required=True, help="Program code, e.g. CRM-CE-2021.")
@click.option("--output-dir", type=click.Path(file_okay=False, writable=True),
              help="Write every valid certificate's PDF here, with register.csv (serials and verification codes).")
@click.option("--override-reason", default="",
              help="Issue before the last counted activity has ended, for this reason (kept in the audit log).")
@with_appcontext
def issue_certificates(code, output_dir, override_reason):
    """Issue a certificate to every eligible participant who has none (issuing again changes nothing); not before
    the program's last counted activity has ended, unless --override-reason says why."""
    program = program_or_fail(code)
    people = db.session.scalars(select(Participant).where(Participant.program_id == program.id,
                                                          Participant.status != "withdrawn")).all()
    try:
        claim = issue(program, people, None, override_reason=override_reason)
    except TooEarly as refusal:
        ends = when(refusal.ends_at, program.timezone, "en")
        fail([f"no certificate was issued: the last activity that counts, {refusal.activity.code}, ends on {ends}; "
              "to issue before then, give --override-reason"])
    except ServiceError:
        fail(["another issuer was issuing this program's certificates at the same moment; run the command again"])
    click.echo(f"Issued {len(claim.created)} certificates; {len(claim.existing)} already issued; "
               f"{len(claim.refused)} participants not eligible or revoked.")
    if output_dir:
        _write(program, Path(output_dir))


def _write(program, folder):
    try:
        private_folder(folder)
    except OSError as error:
        fail([f"--output-dir: {error}"])
    certificates = issued_certificates(program, select(Participant).where(Participant.program_id == program.id))
    with force_locale(program.default_language):
        files, headers, rows = certificate_files(certificates, program.default_language,
                                                 current_app.config["PUBLIC_URL"])
    for name, content in files:
        write_private(folder / name, content)
    write_private(folder / "register.csv",
                  csv_bytes(headers, rows, separator=separator_for(None, program.default_language)))
    click.echo(f"Wrote {len(files)} PDFs and register.csv to {folder}.")
