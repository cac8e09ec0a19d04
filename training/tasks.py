"""Training's work for the task queue: sending queued messages, recordings to those absent, the minute's schedule."""
import logging
import os
import socket

from flask import current_app
from flask_babel import gettext as _

from extensions import db
from task_queue import queue_of, task_name
from transactions import commit_step

from .hooks import JobKind, add_job_kind, hooks
from .models import Program, utcnow
from .services_absence import activities_due, queue_absence_notices
from .services_jobs import beat, progress, run_job, start_job, sweep
from .services_messages import count_queued, deliver, programs_with_queued, queued_ids, recover_stalled

SEND_CHUNK = 20  # messages between two progress reports
log = logging.getLogger("capacita.tasks")


def init_app(app):
    queue = queue_of(app)
    queue.register(send_messages, retries=3, retry_delay=60)
    queue.register_periodic(every_minute, {"minute": "*"})
    add_scheduled_work(app, "stalled messages", recover_stalled)  # before sending: what a dead worker left
    add_scheduled_work(app, "absence notices", send_absence_notices)  # before sending: they leave this minute
    add_scheduled_work(app, "messages", start_sending_queued)
    add_job_kind(app, task_name(send_messages), JobKind("messages.send", _sending_text, _sent_text))


def add_scheduled_work(app, name, work):
    """`work(now)` runs every minute in the worker, in its own transaction (the clock is passed in: tests set it)."""
    hooks(app).scheduled_work[name] = work


def send_messages(job_id, final=True):
    """Send every message the job's program has queued, reporting progress; a second run sends what is left."""
    return run_job(job_id, _send_all, final)


def _send_all(job):
    program_id, counts, done, last = job.program_id, {"sent": 0, "outbox": 0, "failed": 0}, 0, 0
    while ids := queued_ids(db.session.get(Program, program_id), limit=SEND_CHUNK, after=last):
        for outcome, count in deliver(ids).items():
            counts[outcome] = counts.get(outcome, 0) + count
        done, last = done + len(ids), ids[-1]
        left = count_queued(db.session.get(Program, program_id))
        progress(job.id, done, total=done + left, result=counts)
    return counts


def _sending_text(job):
    counts = job.result or {}
    return _("Sending: %(done)s of %(total)s done (%(sent)s sent, %(outbox)s in the outbox, %(failed)s failed).",
             done=job.done, total=job.total or "…", sent=counts.get("sent", 0), outbox=counts.get("outbox", 0),
             failed=counts.get("failed", 0))


def _sent_text(job):
    counts = job.result or {}
    return _("Sending finished: %(sent)s sent, %(outbox)s in the outbox, %(failed)s failed.",
             sent=counts.get("sent", 0), outbox=counts.get("outbox", 0), failed=counts.get("failed", 0))


def start_sending_queued(now):
    """Messages queued and not being sent (a request that queued them without a job, a job that gave up) go out."""
    for program_id in programs_with_queued():
        start_job(send_messages, db.session.get(Program, program_id), None)


def send_absence_notices(now):
    """Sessions whose notice time has come: those marked absent are sent the recording (each person once)."""
    for activity in activities_due(now):
        if queue_absence_notices(activity, now):
            start_job(send_messages, activity.program, None)


def every_minute():
    """The scheduler's minute: each blueprint's scheduled work at the current time."""
    run_scheduled(current_app._get_current_object(), utcnow())


def run_scheduled(app, now):
    """Run every scheduled work at `now`, each in its own transaction: one that fails is logged and the others
    still run. Then jobs left behind are queued again and the worker's heartbeat is recorded."""
    for name, work in hooks(app).scheduled_work.items():
        try:
            work(now)
            commit_step()
        except Exception:
            db.session.rollback()
            log.exception("scheduled work %r failed at %s; it runs again next minute", name, now.isoformat())
    sweep(app, now)
    beat(worker_name(), now)
    commit_step()


def worker_name():
    return f"{socket.gethostname()}:{os.getpid()}"[:100]
