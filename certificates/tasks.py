"""Certificates' work for the task queue: drawing every PDF still waiting, and the scheduler's look for PDFs left."""
from datetime import timedelta

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from extensions import db
from task_queue import queue_of, task_name
from training.hooks import JobKind, add_job_kind
from training.models import Program
from training.services_jobs import latest_job, progress, run_job, start_job
from training.tasks import add_scheduled_work

from .models import Certificate
from .services import count_waiting
from .services_issuing import draw_waiting

# A drawing that failed for good (a broken logo, say) is not started again by the scheduler for this long: someone
# who fixed the cause presses "Draw the waiting PDFs" instead of the worker failing every minute.
RETRY_FAILED_AFTER = timedelta(hours=1)


def init_app(app):
    queue_of(app).register(draw_certificates, retries=3, retry_delay=30)
    add_job_kind(app, task_name(draw_certificates), JobKind("certificates.issue", _drawing_text, _drawn_text))
    add_scheduled_work(app, "certificates", start_drawing_waiting)


def start_drawing(program, actor_id):
    """The program's drawing job, started now (queued when this transaction commits) or the one already running:
    (job, started)."""
    return start_job(draw_certificates, program, actor_id, total=count_waiting(program))


def draw_certificates(job_id, final=True):
    """Draw every PDF the job's program still waits for, reporting progress; a second run draws what is left
    (nothing, when the first one finished)."""
    return run_job(job_id, _draw_all, final)


def _draw_all(job):
    program = db.session.get(Program, job.program_id)
    progress(job.id, 0, total=count_waiting(program), result={"drawn": 0})
    drawn = draw_waiting(program, lambda done, left: progress(job.id, done, total=done + left,
                                                               result={"drawn": done}))
    return {"drawn": drawn}


def _drawing_text(job):
    return _("Drawing the certificates' PDFs: %(done)s of %(total)s.", done=job.done, total=job.total or "…")


def _drawn_text(job):
    drawn = (job.result or {}).get("drawn", 0)
    return ngettext("Every issued certificate has its PDF (%(num)s drawn now).",
                    "Every issued certificate has its PDF (%(num)s drawn now).", drawn)


def start_drawing_waiting(now):
    """PDFs waiting without a job (a job that gave up, a queue that lost its task) get one; a program whose drawing
    failed recently is left to a person (see RETRY_FAILED_AFTER)."""
    program_ids = db.session.scalars(select(Certificate.program_id).where(
        Certificate.revoked_at.is_(None), Certificate.pdf.is_(None)).distinct()).all()
    for program_id in program_ids:
        program = db.session.get(Program, program_id)
        last = latest_job([task_name(draw_certificates)], program)
        if last is not None and last.status == "failed" and now - (last.finished_at or last.updated_at) \
                < RETRY_FAILED_AFTER:
            continue
        start_drawing(program, None)
