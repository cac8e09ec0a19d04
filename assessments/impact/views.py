"""The impact report page: participation, knowledge, items, subgroups, Likert answers, with charts and filters."""
import io
import re
from dataclasses import dataclass
from datetime import timedelta

from flask import (
    abort,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    send_from_directory,
    url_for,
)
from flask_babel import gettext as _

from extensions import limiter
from task_queue import task_name
from training.access import actor_id, permission_required, program_country_scope, program_or_404
from training.countries import country_name
from training.labels import current_language
from training.models import utcnow
from training.services_jobs import latest_jobs
from training.web import export_separator, job_text, send_table
from transactions import starts_work

from .. import bp
from ..forms import ImpactFilterForm
from .chart_images import images_available
from .exports import DATA_FORMATS, PLOTLY_FOLDER, chart_data_file, page_context, page_data_links, standalone_html
from .provenance import provenance
from .services import kept_report
from .services_files import (
    CHART_NAME,
    MIMETYPES,
    FileSpec,
    data_fingerprint,
    download_name,
    file_name,
    made_on,
    ready_file,
    stored_path,
    valid_token,
)
from .tasks import job_key, make_impact_file, start_making
from .texts import report_workbook

# Each file asked for may start a browser on the server (the worker's): a limit per person beyond joining a job.
DRAWING_LIMIT = "30 per minute"
SHOW_FINISHED = timedelta(minutes=30)  # a failed job's message stays this long on the page
# The files a server without a chart-drawing browser still makes (they then go without their charts).
DRAWN_WITHOUT_CHARTS = ("summary.pdf", "slide.png", "pack.zip")
CHART = re.compile(rf"^{CHART_NAME}$")


@bp.route("/programs/<int:program_id>/impact")
@permission_required("impact.view")
def impact(program_id):
    program = program_or_404(program_id)
    form, filters, report, language, fallback, fingerprint = _report(program)
    context = page_context(program, report, filters, language, fallback, page_data_links(program, filters),
                           kept_as=(program_country_scope(program), fingerprint))
    chart_files = images_available()
    files = _file_states(program, _tokens(context["figures"], chart_files), filters, language, fingerprint)
    return render_template("assessments/impact.html", form=form, chart_files=chart_files, files=files, **context)


def _tokens(figures, chart_files):
    """The files the page offers: the PDF, the donor pack and, when this server draws charts, every chart at once
    and each one as PNG and SVG."""
    if not chart_files:
        return list(DRAWN_WITHOUT_CHARTS)
    return [*DRAWN_WITHOUT_CHARTS, "charts.zip"] + [f"chart-{name}.{ext}" for name in figures for ext in ("png", "svg")]


@dataclass(frozen=True)
class FileState:
    """What the page offers for one file: its link when made from the data as it is, else the job making it (or
    the one that failed lately) with its text."""

    url: str | None = None
    job: object = None
    text: str = ""


def _file_states(program, tokens, filters, language, fingerprint):
    """token → FileState for the viewer's scope, language and filters (the page's fingerprint, one query for the
    jobs)."""
    scope = program_country_scope(program)
    specs = {token: FileSpec(token, scope, language, filters) for token in tokens}
    names = {token: file_name(program, spec, fingerprint) for token, spec in specs.items()}
    jobs = latest_jobs(task_name(make_impact_file), program, [job_key(scope, name) for name in names.values()])
    states = {}
    for token, name in names.items():
        if ready_file(program, specs[token], fingerprint):
            states[token] = FileState(url=url_for("assessments.impact_file", program_id=program.id, name=name))
            continue
        job = jobs.get(job_key(scope, name))
        shown = job is not None and (job.active or job.status == "failed"
                                     and utcnow() - (job.finished_at or job.updated_at) < SHOW_FINISHED)
        states[token] = FileState(job=job, text=job_text(job)) if shown else FileState()
    return states


@bp.route("/programs/<int:program_id>/impact.xlsx")
@permission_required("impact.view")
def impact_workbook(program_id):
    """Every table of the report (with the same filters) and the paired raw data, one sheet each."""
    program = program_or_404(program_id)
    _form, _filters, report, language, fallback, _fingerprint = _report(program)
    return send_table(report_workbook(report, language, fallback, provenance()), "xlsx",
                      f"{program.code}-impact.xlsx")


@bp.route("/programs/<int:program_id>/impact/data/<chart>.<any(csv, xlsx):file_format>")
@permission_required("impact.view")
def impact_chart_data(program_id, chart, file_format):
    """The values one chart shows (with the page's filters, the viewer's country only), headed in the reader's
    language."""
    program = program_or_404(program_id)
    if not CHART.match(chart) or file_format not in DATA_FORMATS:
        abort(404)
    _form, _filters, report, language, fallback, _fingerprint = _report(program)
    try:
        content = chart_data_file(report, chart, file_format, language, fallback, export_separator(program))
    except KeyError:
        abort(404)
    return send_table(content, file_format, f"{program.code}-{chart}.{file_format}")


@bp.route("/programs/<int:program_id>/impact/<token>/make", methods=["POST"])
@permission_required("impact.view")
@limiter.limit(DRAWING_LIMIT)
@starts_work
def impact_make(program_id, token):
    """The PDF summary or a chart's image, with the page's filters, in the reader's language: the file already made
    from the same data at once, else the worker makes it and the page follows it until its link shows."""
    program = program_or_404(program_id)
    if not valid_token(token):
        abort(404)
    filters = _filters(program)
    spec = FileSpec(token, program_country_scope(program), current_language(), filters)
    back = url_for("assessments.impact", program_id=program.id, **filters,
                   _anchor=f"figure-{spec.chart}" if spec.chart else "files")
    if token not in DRAWN_WITHOUT_CHARTS and not images_available():
        flash(_("This server cannot draw chart files; use the camera button above each chart instead."), "error")
        return redirect(back)
    ready = ready_file(program, spec, data_fingerprint(program))
    if ready:
        return redirect(url_for("assessments.impact_file", program_id=program.id, name=ready))
    start_making(program, spec, actor_id())
    flash(_("The file is being prepared; its link shows here when it is ready."), "info")
    return redirect(back)


@bp.route("/programs/<int:program_id>/impact/files/<name>")
@permission_required("impact.view")
def impact_file(program_id, name):
    """A file the worker made, from the viewer's own country scope's folder only (another scope's is a 404)."""
    program = program_or_404(program_id)
    path = stored_path(program.id, program_country_scope(program), name)
    if path is None:
        abort(404)
    response = send_file(path, mimetype=MIMETYPES[name.rsplit(".", 1)[1]], as_attachment=True,
                         download_name=download_name(program, name, made_on(path)), max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/programs/<int:program_id>/impact.html")
@permission_required("impact.view")
def impact_standalone(program_id):
    """The report as one HTML file (styles, plotly.js and charts inside) that opens anywhere, offline."""
    program = program_or_404(program_id)
    _form, filters, report, language, fallback, fingerprint = _report(program)
    scope = program_country_scope(program)
    html = standalone_html(program, report, filters, language, fallback, kept_as=(scope, fingerprint))
    return _download(html.encode("utf-8"), "text/html", f"{program.code}-impact.html")


def _download(data, mimetype, name):
    return send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=name)


def _report(program):
    """(filter form, valid filters, report figures, reader's language, program's first language, fingerprint of
    the data): the report computed once per state of the data (services_cache)."""
    language = current_language()
    form, filters = _filter_form(program, language)
    fallback = program.default_language
    fingerprint = data_fingerprint(program)
    report = kept_report(program, program_country_scope(program), filters, fingerprint)
    return form, filters, report, language, fallback, fingerprint


def _filters(program):
    """The valid filters in the address (a file's request carries the page's)."""
    return _filter_form(program, current_language())[1]


def _filter_form(program, language):
    """(the filter form, the valid filters): a focal point's report covers their country, and its filters say so
    (every title, subtitle and sheet built from them then names that country)."""
    scope = program_country_scope(program)
    form = ImpactFilterForm(request.args, countries=_country_choices(program, language, scope), everyone=scope is None)
    filters = form.filters()
    return form, filters if scope is None else {"country": scope, **filters}


def _country_choices(program, language, scope):
    if scope is not None:  # a focal point: their country, whether or not it has a delegation yet
        return [(scope, country_name(scope, language))]
    codes = sorted({d.country_code for d in program.delegations if d.country_code})
    return sorted(((code, country_name(code, language)) for code in codes), key=lambda choice: choice[1])


@bp.route("/assets/plotly-<plotly_version>.min.js")
def plotly_js(plotly_version):
    """plotly.js from the installed package (never a CDN), cached for a year: its address carries the version."""
    if plotly_version != provenance()["plotly"]:  # plotly's __version__ is this same installed version
        abort(404)
    return send_from_directory(PLOTLY_FOLDER, "plotly.min.js", max_age=365 * 24 * 3600, mimetype="text/javascript")
