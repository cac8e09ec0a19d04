"""`flask --app app impact`: the impact report's figures for a program, for scripts and archives."""
import json

import click
from flask.cli import with_appcontext
from flask_babel import force_locale

from training.cli import fail
from training.cli_registration import program_or_fail

from .impact import FILTERS
from .services_impact import impact_report
from .texts_impact import report_workbook


@click.command("impact")
@click.option("--program", "code", required=True, help="Program code, e.g. CRM-CE-2021.")
@click.option("--format", "output_format", type=click.Choice(["json", "xlsx"]), default="json", show_default=True)
@click.option("--language", type=click.Choice(["es", "en"]), default="es", show_default=True,
              help="Language of the workbook's headers and texts.")
@click.option("--output", type=click.Path(dir_okay=False, writable=True), help="File to write (default: stdout).")
@click.option("--country", default="", help="Only this country's delegation (ISO code, e.g. MX).")
@click.option("--gender", default="", help="Only this gender (female, male, other, undisclosed).")
@click.option("--profile", default="", help="Only this profile (e.g. employment_counselor).")
@with_appcontext
def impact(code, output_format, language, output, country, gender, profile):
    """Every figure of the program's impact report (all participants; filters narrow it)."""
    program = program_or_fail(code)
    filters = dict(zip(FILTERS, (country.upper(), gender, profile), strict=True))
    figures = impact_report(program, filters, scoped=False)
    if output_format == "xlsx":
        if not output:
            fail(["--output: a file name is needed for xlsx"])
        with force_locale(language):
            fallback = program.languages[0] if program.languages else "es"
            data = report_workbook(figures, language, fallback)
        with open(output, "wb") as file:
            file.write(data)
        click.echo(f"Wrote {output}.")
        return
    text = json.dumps({"program": program.code, **figures}, ensure_ascii=False, indent=2, allow_nan=False)
    if output:
        with open(output, "w", encoding="utf-8") as file:
            file.write(text + "\n")
        click.echo(f"Wrote {output}.")
    else:
        click.echo(text)
