"""The task queue (Huey): work that outlasts a request runs in `flask worker`, and so does the scheduled work.

Why Huey: one small dependency whose queue lives in a SQLite file beside the app's database (`make run` needs no
other service) or in Redis (production), with retries, delays and periodic tasks built in.

Tasks are registered per app by each blueprint's `init_app` (`register_task`, `register_periodic`), under their
module's name, so the web process that queues a task and the worker that runs it agree on its name. A task runs in
its own app context and its own database session; a task queued during a request leaves only when that request's
transaction commits (`enqueue`), so the worker never looks for rows it cannot see yet, and a request that rolls
back queues nothing.
"""
import logging
import os
from functools import wraps

import click
from flask import current_app
from flask.cli import with_appcontext
from huey import MemoryHuey, RedisHuey, SqliteHuey, crontab
from sqlalchemy import event
from sqlalchemy.orm import Session

from extensions import db
from private_files import create_private, private_folder

KEY = "task_queue"
PENDING = "pending_tasks"
log = logging.getLogger("capacita.tasks")


def build_huey(url, connect_timeout=None):
    """A Huey for `url`: redis://…, sqlite:///path or memory:// (the tests: nothing runs until they say)."""
    if url.startswith(("redis://", "rediss://", "unix://")):
        from redis import ConnectionPool

        timeouts = {"socket_connect_timeout": connect_timeout} if connect_timeout else {}
        return RedisHuey("capacita", connection_pool=ConnectionPool.from_url(url, **timeouts))
    if url.startswith("memory://"):
        return MemoryHuey("capacita", immediate=False)
    path = url.removeprefix("sqlite:///")
    private_folder(os.path.dirname(path) or ".")
    create_private(path)  # its tasks name jobs, not people; still, nobody else's business
    return SqliteHuey("capacita", filename=path, timeout=30)


class TaskQueue:
    """One app's Huey and the tasks registered on it by name."""

    def __init__(self, app):
        self.app, self.huey, self.tasks = app, build_huey(app.config["QUEUE_URL"]), {}

    def register(self, function, retries=3, retry_delay=30):
        """Make `function(*args)` a task run in an app context; a raised exception is retried `retries` times.
        The function receives `final=True` on its last try (so it can record the failure instead of retrying)."""
        run = in_app_context(self.app, function)

        @wraps(function)
        def with_its_last_try(*args, task=None):
            return run(*args, final=task is None or task.retries == 0)

        name = task_name(function)
        self.tasks[name] = self.huey.task(retries=retries, retry_delay=retry_delay, context=True,
                                          name=name)(with_its_last_try)
        return self.tasks[name]

    def register_periodic(self, function, schedule):
        """Run `function()` on the crontab `schedule` (a dict of crontab's arguments) in an app context."""
        name = task_name(function)
        self.tasks[name] = self.huey.periodic_task(crontab(**schedule), name=name)(in_app_context(self.app, function))
        return self.tasks[name]

    def send(self, name, *args):
        self.tasks[name](*args)


def in_app_context(app, function):
    """`function` run in an app context of its own, its session rolled back on an error and removed after."""

    @wraps(function)
    def run(*args, **kwargs):
        with app.app_context():
            try:
                return function(*args, **kwargs)
            except Exception:
                db.session.rollback()
                raise
            finally:
                db.session.remove()

    return run


def init_app(app):
    app.extensions[KEY] = TaskQueue(app)
    app.cli.add_command(worker_command)


def queue_of(app):
    return app.extensions[KEY]


def task_name(task):
    """A task's name: the module and name of the function registered (or the name itself)."""
    return task if isinstance(task, str) else f"{task.__module__}.{task.__name__}"


def enqueue(app, task, *args):
    """Queue the registered `task(*args)` when the current transaction commits; nothing if it rolls back."""
    db.session.info.setdefault(PENDING, []).append((app, task_name(task), args))


@event.listens_for(Session, "after_commit")
def _send_pending(session):
    for app, name, args in session.info.pop(PENDING, []):
        try:
            queue_of(app).send(name, *args)
        except Exception:  # the queue's storage is down: the job's row stays queued and the sweep sends it again
            log.exception("could not queue %s%r; the scheduled sweep will queue it again", name, args)


@event.listens_for(Session, "after_rollback")
def _drop_pending(session):
    session.info.pop(PENDING, None)


def run_queued(app, limit=10_000):
    """Run what is queued, one task after another in this process, as a worker would (the tests' worker)."""
    huey, ran = queue_of(app).huey, 0
    while ran < limit:
        task = huey.dequeue()
        if task is None:
            return ran
        huey.execute(task)
        ran += 1
    return ran


def consumer(app, workers):
    """A Huey consumer for `flask worker`: `workers` threads and the periodic scheduler."""
    return queue_of(app).huey.create_consumer(workers=workers, worker_type="thread", periodic=True,
                                              check_worker_health=True, initial_delay=0.1, max_delay=1.0)


@click.command("worker")
@click.option("--workers", type=click.IntRange(1), default=None, help="Threads (default: QUEUE_WORKERS, 2).")
@with_appcontext
def worker_command(workers):
    """Run the task queue's worker: queued work (messages, PDFs) and the scheduled work, every minute."""
    app = current_app._get_current_object()
    click.echo(f"Worker: {app.config['QUEUE_URL'].split('@')[-1]}, {workers or app.config['QUEUE_WORKERS']} threads")
    consumer(app, workers or app.config["QUEUE_WORKERS"]).run()
