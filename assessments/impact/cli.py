"""`flask --app app impact`: the impact report's figures for a program, for scripts and archives."""
import json

import click
from flask.cli import with_appcontext
from flask_babel import force_locale

from command_line import fail
from private_files import write_private
from training.cli_registration import program_or_fail
from training.labels import GENDER_LABELS, PROFILE_LABELS
from training.localized import SUPPORTED_LANGUAGES

from .chart_images import png_images
from .provenance import provenance
from .services import impact_report
from .summary_texts import report_figures, summary_charts, summary_data
from .texts import filters_text, pdf_figures, report_pdf, report_workbook


@click.command("impact")
@click.option("--program", "code", required=True, help="Program code, e.g. CRM-CE-2021.")
@click.option("--format", "output_format", type=click.Choice(["json", "xlsx", "pdf"]), default="json",
              show_default=True)
@click.option("--language", type=click.Choice(SUPPORTED_LANGUAGES), default=None,
              help="Language of the workbook and the PDF (es, en, fr or pt). Default: the program's default language.")
@click.option("--output", type=click.Path(dir_okay=False, writable=True), help="File to write (default: stdout).")
@click.option("--country", default="", help="Only this country's delegation (ISO code, e.g. MX).")
@click.option("--gender", default="", help="Only this gender (female, male, other, undisclosed, not_recorded).")
@click.option("--profile", default="", help="Only this profile (e.g. employment_counselor).")
@with_appcontext
def impact(code, output_format, language, output, country, gender, profile):
    """Every figure of the program's impact report (all participants; filters narrow it)."""
    from .report import FILTERS  # scipy loads with the report: not with every other command

    program = program_or_fail(code)
    language = language or program.default_language
    filters = dict(zip(FILTERS, (country.upper(), gender, profile), strict=True))
    fail_on_unknown_filters(program, filters)
    figures = impact_report(program, filters, scoped=False)
    if output_format in ("xlsx", "pdf"):
        if not output:
            fail([f"--output: a file name is needed for {output_format}"])
        with force_locale(language):
            data = _document(output_format, program, figures, filters, language)
        write_private(output, data)
        click.echo(f"Wrote {output}.")
        return
    text = json.dumps({"program": program.code, **figures}, ensure_ascii=False, indent=2, allow_nan=False)
    if output:
        write_private(output, text + "\n")
        click.echo(f"Wrote {output}.")
    else:
        click.echo(text)


def _document(output_format, program, figures, filters, language):
    """The workbook or the PDF summary (with its charts when this machine can draw them)."""
    fallback = program.default_language
    if output_format == "xlsx":
        return report_workbook(figures, language, fallback, provenance())
    chosen = {name: value for name, value in filters.items() if value}
    charts = png_images(pdf_figures(figures, report_figures(figures, language, fallback)))
    overview = summary_data(figures, program, language, fallback, filters_text(chosen, language))
    return report_pdf(figures, program, language, fallback, chosen, charts, provenance(), overview=overview,
                      overview_charts=summary_charts(figures, overview, language, fallback))


def fail_on_unknown_filters(program, filters):
    """One line per filter value that matches nothing (exit 1), rather than an empty report that looks real."""
    known = {"country": {d.country_code for d in program.delegations if d.country_code},
             "gender": set(GENDER_LABELS), "profile": set(PROFILE_LABELS)}
    problems = [f"--{name}: {value!r} is not one of {', '.join(sorted(known[name]))}"
                for name, value in filters.items() if value and value not in known[name]]
    if problems:
        fail(problems)
