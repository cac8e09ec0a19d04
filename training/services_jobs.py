"""Jobs for the worker: start one (or join the one running), claim it, report progress, finish; the sweep that
queues again what a lost message or a dead worker left, and the worker's heartbeat."""
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError

from extensions import db
from task_queue import enqueue, task_name
from transactions import commit_step

from .models import utcnow
from .models_jobs import ACTIVE, Job, WorkerBeat

# A queued job nobody took for this long was lost on its way to the queue (its storage was down, a restart);
# a running one not heard from for this long lost its worker. Both are queued again: every job is idempotent.
QUEUED_GRACE = timedelta(minutes=2)
RUNNING_GRACE = timedelta(minutes=15)
MAX_TRIES = 5


def start_job(task, program, actor_id, key="", total=None, params=None):
    """The active job of `task` for `program` and `key`, started now (and queued when this transaction commits)
    unless one is already queued or running, which is returned instead: (job, started)."""
    kind = _kind(task)
    existing = active_job(kind, program, key)
    if existing is not None:
        return existing, False
    job = Job(kind=kind, key=key, program_id=program.id if program else None, created_by=actor_id, total=total,
              params=params or {}, result={})
    try:
        with db.session.begin_nested():  # two requests at once: the unique index keeps one, the other joins it
            db.session.add(job)
    except IntegrityError:
        return active_job(kind, program, key), False
    enqueue(current_app._get_current_object(), task, job.id)
    return job, True


def active_job(kind, program, key=""):
    return db.session.scalar(select(Job).where(Job.kind == kind, Job.program_id == (program.id if program else None),
                                               Job.key == key, Job.status.in_(ACTIVE)))


def latest_job(kinds, program):
    """The program's latest job of one of `kinds` (task names)."""
    return db.session.scalar(select(Job).where(Job.kind.in_(kinds), Job.program_id == program.id)
                             .order_by(Job.id.desc()).limit(1))


def _kind(task):
    return task_name(task)


def claim(job_id, now=None):
    """Take the job for this worker (a conditional update: of two workers one wins); False when it is done,
    or running elsewhere and heard from recently."""
    now = now or utcnow()
    taken = db.session.execute(update(Job).where(
        Job.id == job_id,
        or_(Job.status == "queued", (Job.status == "running") & (Job.updated_at < now - RUNNING_GRACE)),
    ).values(status="running", updated_at=now, tries=Job.tries + 1)).rowcount
    commit_step()
    return bool(taken)


def progress(job_id, done, total=None, result=None):
    """What the job has done so far, committed at once so the page polling it sees it."""
    values = {"done": done, "updated_at": utcnow()}
    if total is not None:
        values["total"] = total
    if result is not None:
        values["result"] = result
    db.session.execute(update(Job).where(Job.id == job_id).values(**values))
    commit_step()


def finish(job_id, result):
    db.session.execute(update(Job).where(Job.id == job_id).values(
        status="done", result=result or {}, updated_at=utcnow(), finished_at=utcnow(), error=""))
    commit_step()


def give_up_or_retry(job_id, error, final):
    """After a failed try: the job fails for good (its error shown) on the last try, else waits to be retried."""
    db.session.rollback()
    db.session.execute(update(Job).where(Job.id == job_id, Job.status == "running").values(
        status="failed" if final else "queued", error=str(error)[:500], updated_at=utcnow(),
        finished_at=utcnow() if final else None))
    commit_step()


def run_job(job_id, work, final):
    """The body of every job task: claim, `work(job) -> result` (which reports progress), finish; a failure is
    retried by the queue and recorded on the job when it is the last try."""
    if not claim(job_id):
        return None
    job = db.session.get(Job, job_id)
    try:
        result = work(job)
    except Exception as error:
        give_up_or_retry(job_id, error, final)
        raise
    finish(job_id, result)
    return result


def sweep(app, now):
    """Queue again the jobs a lost message or a dead worker left behind; fail those tried too often."""
    stale = db.session.scalars(select(Job).where(or_(
        (Job.status == "queued") & (Job.updated_at < now - QUEUED_GRACE),
        (Job.status == "running") & (Job.updated_at < now - RUNNING_GRACE)))).all()
    for job in stale:
        if job.tries >= MAX_TRIES:
            job.status, job.finished_at = "failed", now
            job.error = job.error or "the worker stopped too many times while doing this job"
            continue
        job.status, job.updated_at = "queued", now  # its worker is gone: the next one claims it
        enqueue(app, job.kind, job.id)
    return len(stale)


def beat(worker, now):
    """Record that `worker`'s scheduler ran at `now` (one row per worker)."""
    row = db.session.get(WorkerBeat, worker)
    if row is None:
        db.session.add(WorkerBeat(worker=worker, beat_at=now))
    else:
        row.beat_at = now


def last_beat():
    return db.session.scalar(select(func.max(WorkerBeat.beat_at)))


def oldest_waiting_job():
    return db.session.scalar(select(func.min(Job.created_at)).where(Job.status == "queued"))
