"""The impact report's work for the task queue: the PDF summary, chart images and donor pack a page asked for."""
import io
import zipfile
from datetime import date

from flask import url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from extensions import db
from task_queue import queue_of, task_name
from training.access import program_country_scope
from training.hooks import JobKind, add_job_kind
from training.models import Program
from training.services_jobs import progress, run_job, start_job

from .chart_images import image_bytes, images, png_images
from .exports import chart_data_file, pack_readme, standalone_html
from .provenance import provenance
from .services import kept_report
from .services_files import (
    ALL_COUNTRIES,
    FileSpec,
    data_fingerprint,
    file_name,
    folder_for,
    pack_stem,
    ready_file,
    store_file,
    stored_path,
)
from .summary_texts import report_figures, summary_charts, summary_data
from .texts import filters_text, pdf_figures, report_pdf, report_workbook

STEPS = {"summary": ("figures", "charts", "document"), "slide": ("figures", "charts"), "charts": ("figures", "charts"),
         "chart": ("figures", "charts"), "pack": ("figures", "charts", "document", "page", "tables")}


def init_app(app):
    queue_of(app).register(make_impact_file, retries=2, retry_delay=10)
    add_job_kind(app, task_name(make_impact_file), JobKind("impact.view", _making_text, _made_text, _file_url,
                                                           allowed=_in_viewers_scope))


def start_making(program, spec, actor_id):
    """The job making `spec`'s file from the data as it is now (or the one already making it): (job, started).
    Its key names the viewer's scope and the file, so the same request from the same scope joins it."""
    name = file_name(program, spec, data_fingerprint(program))
    job, started = start_job(make_impact_file, program, actor_id, key=job_key(spec.scope, name),
                             total=len(_steps(spec)))
    if started:
        job.result = {"spec": spec.as_dict()}
    return job, started


def job_key(scope, name):
    return f"{scope or ALL_COUNTRIES}/{name}"


def make_impact_file(job_id, final=True):
    """Make the file the job asks for from the data as it is when it runs; a file already made from the same data
    is kept and not made again."""
    return run_job(job_id, _make, final)


def _make(job):
    spec, job_id = FileSpec.from_dict(job.result["spec"]), job.id
    program = db.session.get(Program, job.program_id)
    fingerprint = data_fingerprint(program)  # the data as it is now, which may have changed since the request
    name = file_name(program, spec, fingerprint)
    if ready_file(program, spec, fingerprint):
        return {"spec": spec.as_dict(), "file": name}
    steps = _steps(spec)

    def step(number):
        progress(job_id, number, total=len(steps), result={"spec": spec.as_dict(), "step": steps[number]})

    step(0)
    with force_locale(spec.language):
        content = _content(program, spec, lambda reached: step(steps.index(reached)), fingerprint)
    store_file(program, spec, name, content)
    return {"spec": spec.as_dict(), "file": name}


def _steps(spec):
    return STEPS[spec.what.split("-", 1)[0]]


def _content(program, spec, reach, fingerprint):
    """The file's bytes, in the current (forced) language; `reach(step)` reports each step of STEPS begun. The
    report is the one the page computed from the same data (`fingerprint`), when it is kept."""
    fallback = _fallback(program)
    report = kept_report(program, spec.scope, spec.filters, fingerprint)
    db.session.expunge(program)  # kept as loaded: what the PDF's title needs is read without a new transaction
    db.session.rollback()  # the figures are computed: no transaction stays open while charts and the PDF are drawn
    if spec.what in ("summary", "slide"):
        overview = summary_data(report, program, spec.language, fallback, filters_text(spec.filters, spec.language))
        reach("charts")
        return _summary(program, spec, report, (overview, summary_charts(report, overview, spec.language, fallback)))
    if spec.what == "pack":
        return _pack(program, spec, report, reach, fingerprint)
    figures = report_figures(report, spec.language, fallback)
    reach("charts")
    if spec.what == "charts":
        return _zip({f"{program.code}-{chart}.png": png for chart, png in png_images(figures).items()})
    if spec.chart not in figures:
        raise LookupError(_("this report has no chart named %(name)s", name=spec.chart))
    return image_bytes(figures[spec.chart], spec.ext)


def _fallback(program):
    return program.default_language


def _summary(program, spec, report, overview, drawn=None):
    """The PDF summary or the slide from the summary's data and charts (`overview`), the PDF with its charts drawn
    (without them where this server cannot draw). `drawn` maps a chart's name to (figure, PNG) already drawn: a
    chart the PDF shows as the very same figure is not drawn again."""
    if spec.what == "slide":
        from .summary_layout import slide_png  # reportlab and PDFium: loaded by the worker's drawing only

        return slide_png(*overview)
    fallback = _fallback(program)
    figures = pdf_figures(report, report_figures(report, spec.language, fallback))
    drawn = drawn or {}
    reused = {name: drawn[name][1] for name, figure in figures.items() if name in drawn and drawn[name][0] == figure}
    charts = {**png_images({name: figure for name, figure in figures.items() if name not in reused}), **reused}
    return report_pdf(report, program, spec.language, fallback, spec.filters, charts, provenance(),
                      overview=overview[0], overview_charts=overview[1])


def _pack(program, spec, report, reach, fingerprint):
    """The donor pack: the PDF summary, its first page as a slide, the report as HTML that opens offline, the
    workbook, every chart as PNG and SVG with its values as CSV, and a README; named CODE-impact-YYYY-MM-DD like the
    pack itself. Where this server cannot draw charts the pack goes without their images, and its README says so."""
    language, fallback = spec.language, _fallback(program)
    stem = pack_stem(program, date.today())
    figures = report_figures(report, language, fallback)
    reach("charts")
    drawn = images(figures, ("png", "svg"))
    reach("document")
    names = {"stem": stem, "pdf": f"{stem}.pdf", "slide": f"{stem}-summary.png", "html": f"{stem}.html",
             "xlsx": f"{stem}.xlsx"}
    png = {chart: (figures[chart], image) for chart, image in drawn["png"].items()}
    overview = []  # the summary's data and charts, computed and drawn once for the PDF and the slide

    def summary_file(file_spec):
        if not overview:
            data = summary_data(report, program, language, fallback, filters_text(spec.filters, language))
            overview.append((data, summary_charts(report, data, language, fallback)))
        return _summary(program, file_spec, report, overview[0], png)

    files = {names["pdf"]: _stored_or_made(program, spec, "summary.pdf", fingerprint, summary_file),
             names["slide"]: _stored_or_made(program, spec, "slide.png", fingerprint, summary_file)}
    reach("page")
    files[names["html"]] = standalone_html(program, report, spec.filters, language, fallback,
                                           kept_as=(spec.scope, fingerprint)).encode("utf-8")
    reach("tables")
    files[names["xlsx"]] = report_workbook(report, language, fallback, provenance())
    for chart in figures:
        files.update({f"{stem}-{chart}.{ext}": drawn[ext][chart] for ext in ("png", "svg") if chart in drawn[ext]})
        try:
            files[f"{stem}-{chart}.csv"] = chart_data_file(report, chart, "csv", language, fallback)
        except KeyError:  # a chart without a table of its own: its values are in the workbook
            continue
    missing = any(chart not in drawn[ext] for chart in figures for ext in drawn)
    files["README.txt"] = pack_readme(program, language, spec.filters, names, missing)
    return _zip(files, compress=True)


def _stored_or_made(program, spec, token, fingerprint, make):
    """The page's file `token` (the summary PDF, the slide) for the pack's scope, language and filters: the one
    already made from the same data, else `make(its spec)` now, kept as the page's file too (its link then shows
    at once)."""
    wanted = FileSpec(token, spec.scope, spec.language, spec.filters)
    ready = ready_file(program, wanted, fingerprint)
    if ready:
        return (folder_for(program.id, spec.scope) / ready).read_bytes()
    content = make(wanted)
    store_file(program, wanted, file_name(program, wanted, fingerprint), content)
    return content


def _zip(files, compress=False):
    """A ZIP of name → bytes; `compress` deflates all but PNGs (compressed already)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name, content in files.items():
            method = zipfile.ZIP_DEFLATED if compress and not name.endswith(".png") else zipfile.ZIP_STORED
            archive.writestr(name, content, compress_type=method)
    return buffer.getvalue()


def _in_viewers_scope(job):
    """A job is followed only from the country scope it was made for (its key starts with it)."""
    scope = program_country_scope(db.session.get(Program, job.program_id))
    return job.key.split("/", 1)[0] == (scope or ALL_COUNTRIES)


def _file_url(job):
    scope, name = job.key.split("/", 1)
    done = (job.result or {}).get("file", name)
    if stored_path(job.program_id, None if scope == ALL_COUNTRIES else scope, done) is None:
        return None  # replaced since by a newer file: the page, reloaded, offers that one
    return url_for("assessments.impact_file", program_id=job.program_id, name=done)


def _making_text(job):
    step = (job.result or {}).get("step", "figures")
    words = {"figures": _("computing the figures"), "charts": _("drawing the charts"),
             "document": _("writing the PDF"), "page": _("writing the report as a web page"),
             "tables": _("writing the tables and packing the files")}[step]
    return _("Preparing the file: step %(done)s of %(total)s (%(step)s)…", done=job.done + 1, total=job.total or 1,
             step=words)


def _made_text(job):
    return _("The file is ready.")
