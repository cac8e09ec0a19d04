"""Training's work for the task queue: sending queued messages, recordings to those absent, the minute's schedule."""
import logging
import os
import socket

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext

from extensions import db
from task_queue import queue_of, task_name
from transactions import commit_step

from .hooks import JobKind, add_job_kind, hooks
from .models import Program, utcnow
from .services_absence import activities_due, queue_absence_notices
from .services_jobs import beat, progress, run_job, start_job, sweep
from .services_messages import (
    count_queued,
    deliver,
    participants_to_message,
    programs_with_queued,
    queue_invitations,
    queued_ids,
    recover_stalled,
)
from .services_password import send_reset_message

SEND_CHUNK = 20  # messages between two progress reports
log = logging.getLogger("capacita.tasks")


def init_app(app):
    queue = queue_of(app)
    queue.register(prepare_messages, retries=3, retry_delay=10)
    queue.register(send_messages, retries=3, retry_delay=60)
    queue.register(send_password_reset, retries=3, retry_delay=120)
    queue.register_periodic(every_minute, {"minute": "*"})
    add_scheduled_work(app, "stalled messages", recover_stalled)  # before sending: what a dead worker left
    add_scheduled_work(app, "absence notices", send_absence_notices)  # before sending: they leave this minute
    add_scheduled_work(app, "messages", start_sending_queued)
    add_job_kind(app, task_name(send_messages), JobKind("messages.send", _sending_text, _sent_text))
    add_job_kind(app, task_name(prepare_messages), JobKind("messages.send", _preparing_text, _prepared_text))


def add_scheduled_work(app, name, work):
    """`work(now)` runs every minute in the worker, in its own transaction (the clock is passed in: tests set it)."""
    hooks(app).scheduled_work[name] = work


def prepare_messages(job_id, final=True):
    """Write the messages a staff member asked for (one per person, in their language), then start sending them:
    done here and not in the request, which only records the decision (a thousand people take a second)."""
    return run_job(job_id, _prepare, final)


def send_password_reset(email, final=True):
    """The reset link "Forgot your password?" asked for, if `email` is an active account's (services_password)."""
    return send_reset_message(email, final)


def _prepare(job):
    params, program = job.params, db.session.get(Program, job.program_id)
    people = participants_to_message(program, params["participant_ids"], params["kind"], params.get("not_invited"))
    values = hooks(current_app).message_values.get(params["kind"])
    ids = queue_invitations(program, people, params.get("actor_id"), kind=params["kind"],
                            extra=(lambda language: values(params, language)) if values else None)
    progress(job.id, len(ids), total=len(ids))
    start_job(send_messages, program, None)
    return {"queued": len(ids)}


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


def _preparing_text(job):
    return _("Preparing the messages…")


def _prepared_text(job):
    return ngettext("%(num)s message prepared.", "%(num)s messages prepared.", (job.result or {}).get("queued", 0))


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
