"""The impact report page: participation, knowledge, items, subgroups, Likert answers, with charts and filters."""
import io
from datetime import date
from functools import cache
from importlib.util import find_spec
from pathlib import Path

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    send_from_directory,
    url_for,
)
from flask_babel import format_date
from flask_babel import gettext as _

from extensions import limiter
from training.access import country_scope, permission_required, program_or_404
from training.countries import country_name
from training.labels import current_language
from training.web import send_table

from .. import bp
from ..forms import ImpactFilterForm
from .chart_images import FORMATS, ImagesUnavailable, image_bytes, images_available, png_images
from .provenance import provenance
from .services import impact_report
from .texts import (
    TEMPLATE_HELPERS,
    figures_for,
    filters_text,
    knowledge_sentence,
    pdf_figures,
    report_pdf,
    report_workbook,
)

# plotly's own files, found without importing it: the app loads plotly only to draw a report's charts.
PLOTLY_FOLDER = Path(find_spec("plotly").origin).parent / "package_data"
DRAWING_LIMIT = "30 per minute"  # each chart file or PDF starts a browser on the server


@bp.route("/programs/<int:program_id>/impact")
@permission_required("impact.view")
def impact(program_id):
    program = program_or_404(program_id)
    form, filters, report, language, fallback = _report(program)
    return render_template("assessments/impact.html", form=form, chart_files=images_available(),
                           **_page_context(program, report, filters, language, fallback))


@bp.route("/programs/<int:program_id>/impact/charts/<name>.<any(png, svg):file_format>")
@permission_required("impact.view")
@limiter.limit(DRAWING_LIMIT)
def impact_chart(program_id, name, file_format):
    """One chart of the report, with the same filters, as a file to put in a slide or a document."""
    program = program_or_404(program_id)
    _form, filters, report, language, fallback = _report(program)
    figure = figures_for(report, language, fallback).get(name)
    if figure is None:
        abort(404)
    try:
        data = image_bytes(figure, file_format)
    except ImagesUnavailable:
        flash(_("This server cannot draw chart files; use the camera button above each chart instead."), "error")
        return redirect(url_for("assessments.impact", program_id=program.id, **filters))
    return _download(data, FORMATS[file_format], f"{program.code}-{name}.{file_format}")


@bp.route("/programs/<int:program_id>/impact.xlsx")
@permission_required("impact.view")
def impact_workbook(program_id):
    """Every table of the report (with the same filters) and the paired raw data, one sheet each."""
    program = program_or_404(program_id)
    _form, _filters, report, language, fallback = _report(program)
    return send_table(report_workbook(report, language, fallback, provenance()), "xlsx",
                      f"{program.code}-impact.xlsx")


@bp.route("/programs/<int:program_id>/impact.pdf")
@permission_required("impact.view")
@limiter.limit(DRAWING_LIMIT)
def impact_pdf(program_id):
    """The findings, main tables and charts as a PDF in the reader's language, with the page's filters."""
    program = program_or_404(program_id)
    _form, filters, report, language, fallback = _report(program)
    charts = png_images(pdf_figures(report, language, fallback))
    data = report_pdf(report, program, language, fallback, filters, charts, provenance())
    return _download(data, "application/pdf", f"{program.code}-impact.pdf")


@bp.route("/programs/<int:program_id>/impact.html")
@permission_required("impact.view")
def impact_standalone(program_id):
    """The report as one HTML file (styles, plotly.js and charts inside) that opens anywhere, offline."""
    program = program_or_404(program_id)
    _form, filters, report, language, fallback = _report(program)
    html = render_template("assessments/impact_standalone.html", chart_files=False,
                           filters_text=filters_text(filters, language), generated=format_date(date.today()),
                           **standalone_sources(), **_page_context(program, report, filters, language, fallback))
    return _download(html.encode("utf-8"), "text/html", f"{program.code}-impact.html")


@cache
def standalone_sources():
    """The stylesheet and scripts the standalone file carries inside (read once; they change with a release)."""
    static = Path(current_app.static_folder)
    return {"stylesheet": (static / "css" / "app.css").read_text(encoding="utf-8"),
            "plotly_source": (PLOTLY_FOLDER / "plotly.min.js").read_text(encoding="utf-8"),
            "draw_source": (static / "js" / "impact.js").read_text(encoding="utf-8")}


def _page_context(program, report, filters, language, fallback):
    """What the report's page and its standalone file both show."""
    from .charts import figure_json  # plotly: loaded by the report's pages, not by the app

    figures = {name: figure_json(figure) for name, figure in figures_for(report, language, fallback).items()}
    return {"program": program, "report": report, "filters": filters, "fallback": fallback, "figures": figures,
            "summary": knowledge_sentence(report["knowledge"], report["max_score"]), "provenance": provenance(),
            "plot_configs": _plot_configs(program, figures), **TEMPLATE_HELPERS}


def _download(data, mimetype, name):
    return send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=name)


def _plot_configs(program, figures):
    """plotly's settings per chart: its camera button names the PNG after the program and the chart."""
    from .charts import PLOT_CONFIG

    return {name: {**PLOT_CONFIG, "toImageButtonOptions": {"filename": f"{program.code}-{name}"}} for name in figures}


def _report(program):
    """(filter form, valid filters, report figures, reader's language, program's first language)."""
    language = current_language()
    form = ImpactFilterForm(request.args, countries=_country_choices(program, language))
    filters = form.filters()
    fallback = program.languages[0] if program.languages else "es"
    return form, filters, impact_report(program, filters), language, fallback


def _country_choices(program, language):
    scope = country_scope()
    codes = sorted({d.country_code for d in program.delegations if d.country_code and scope in (None, d.country_code)})
    return sorted(((code, country_name(code, language)) for code in codes), key=lambda choice: choice[1])


@bp.route("/assets/plotly-<plotly_version>.min.js")
def plotly_js(plotly_version):
    """plotly.js from the installed package (never a CDN), cached for a year: its address carries the version."""
    if plotly_version != provenance()["plotly"]:  # plotly's __version__ is this same installed version
        abort(404)
    return send_from_directory(PLOTLY_FOLDER, "plotly.min.js", max_age=365 * 24 * 3600, mimetype="text/javascript")
