"""The impact report's work for the task queue: making the PDF summary and the chart images a page asked for."""
import io
import zipfile

from flask import url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from extensions import db
from task_queue import queue_of, task_name
from training.access import country_scope
from training.hooks import JobKind, add_job_kind
from training.models import Program
from training.services_jobs import progress, run_job, start_job

from .chart_images import image_bytes, png_images
from .provenance import provenance
from .services import kept_report
from .services_files import ALL_COUNTRIES, FileSpec, data_fingerprint, file_name, ready_file, store_file, stored_path
from .summary_texts import report_figures, summary_charts, summary_data
from .texts import filters_text, pdf_figures, report_pdf

STEPS = {"summary": ("figures", "charts", "document"), "slide": ("figures", "charts"), "charts": ("figures", "charts"),
         "chart": ("figures", "charts")}


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
        content = _content(program, spec, lambda: step(1), fingerprint)
    store_file(program, spec, name, content)
    return {"spec": spec.as_dict(), "file": name}


def _steps(spec):
    return STEPS[spec.what.split("-", 1)[0]]


def _content(program, spec, drawing, fingerprint):
    """The file's bytes, in the current (forced) language; `drawing()` reports the start of the charts' drawing.
    The report is the one the page computed from the same data (`fingerprint`), when it is kept."""
    fallback = program.languages[0] if program.languages else "es"
    report = kept_report(program, spec.scope, spec.filters, fingerprint)
    db.session.expunge(program)  # kept as loaded: what the PDF's title needs is read without a new transaction
    db.session.rollback()  # the figures are computed: no transaction stays open while charts and the PDF are drawn
    if spec.what in ("summary", "slide"):
        overview = summary_data(report, program, spec.language, fallback, filters_text(spec.filters, spec.language))
        drawing()
        overview_charts = summary_charts(report, overview, spec.language, fallback)
        if spec.what == "slide":
            from .summary_layout import slide_png  # reportlab and PDFium: loaded by the worker's drawing only

            return slide_png(overview, overview_charts)
        charts = png_images(pdf_figures(report, report_figures(report, spec.language, fallback)))
        return report_pdf(report, program, spec.language, fallback, spec.filters, charts, provenance(),
                          overview=overview, overview_charts=overview_charts)
    figures = report_figures(report, spec.language, fallback)
    drawing()
    if spec.what == "charts":
        return _zip({f"{program.code}-{chart}.png": png for chart, png in png_images(figures).items()})
    if spec.chart not in figures:
        raise LookupError(_("this report has no chart named %(name)s", name=spec.chart))
    return image_bytes(figures[spec.chart], spec.ext)


def _zip(files):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:  # PNGs are compressed already
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _in_viewers_scope(job):
    """A job is followed only from the country scope it was made for (its key starts with it)."""
    return job.key.split("/", 1)[0] == (country_scope() or ALL_COUNTRIES)


def _file_url(job):
    scope, name = job.key.split("/", 1)
    done = (job.result or {}).get("file", name)
    if stored_path(job.program_id, None if scope == ALL_COUNTRIES else scope, done) is None:
        return None  # replaced since by a newer file: the page, reloaded, offers that one
    return url_for("assessments.impact_file", program_id=job.program_id, name=done)


def _making_text(job):
    step = (job.result or {}).get("step", "figures")
    words = {"figures": _("computing the figures"), "charts": _("drawing the charts"),
             "document": _("writing the PDF")}[step]
    return _("Preparing the file: step %(done)s of %(total)s (%(step)s)…", done=job.done + 1, total=job.total or 1,
             step=words)


def _made_text(job):
    return _("The file is ready.")
