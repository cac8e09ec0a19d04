"""Where a transaction ends: a request (or a CLI command) commits once, at its end, when it declared that it writes.

The one rule, as indico's request handler has it:
- A route that reads only declares nothing. If it reaches a write anyway (an INSERT, UPDATE or DELETE, including an
  autoflush), `UndeclaredWrite` is raised: a write path was reached from a route that did not say it writes.
- A route that writes declares it once, with one of the decorators below; the declaration runs the view and commits
  when it returns normally. An exception (an `abort()` too) leaves the transaction to be rolled back when the
  request ends. Views never call `commit()`; they call `db.session.rollback()` when they refuse what a service did.
- The few places that must commit in steps (work queues around SMTP or PDF drawing: nothing may stay locked while
  a mail server or reportlab works) call `commit_step()`, allowed only under `@work_queue` or outside a request.

The declaration also chooses how an SQLite transaction begins, since SQLite has one writer: `@writes` takes the write
lock up front (BEGIN IMMEDIATE) so that two writers queue instead of one failing to upgrade a read lock; a
`@reads_then_writes` view reads in a deferred transaction and takes the lock at `begin_writes()`; a
`@statements_stand_alone` view runs each statement as its own transaction. PostgreSQL locks rows, so there the
modes differ only in what they allow.
"""
from functools import wraps

from flask import current_app, g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

from extensions import db

WRITES, READS_THEN_WRITES, STAND_ALONE, WORK_QUEUE = "writes", "reads_then_writes", "stand_alone", "work_queue"
_DML = ("INSERT", "UPDATE", "DELETE", "REPLACE")


class UndeclaredWrite(RuntimeError):
    """A route reached a write without declaring that it writes (or before its `begin_writes()`)."""


def _declare(mode):
    def decorator(function):
        @wraps(function)
        def in_one_transaction(*args, **kwargs):
            result = function(*args, **kwargs)
            db.session.commit()
            return result

        in_one_transaction.transaction = mode
        return in_one_transaction

    return decorator


writes = _declare(WRITES)
writes.__doc__ = "The route (or CLI command) writes: one transaction, committed when it returns."
reads_then_writes = _declare(READS_THEN_WRITES)
reads_then_writes.__doc__ = """The route reads first and writes, if at all, after `begin_writes()`: on SQLite the
single write lock is then held only for the writes (a GET that finalizes an overdue attempt, a login's slow password
check that must not hold it)."""
statements_stand_alone = _declare(STAND_ALONE)
statements_stand_alone.__doc__ = """The route's statements each stand alone (the autosave): on SQLite they run
without BEGIN, so a single write statement holds the write lock only while SQLite runs it, not across the Python
between BEGIN IMMEDIATE and COMMIT, where a thread may wait for the GIL with the lock held."""
work_queue = _declare(WORK_QUEUE)
work_queue.__doc__ = """The route works through a queue and commits after each item with `commit_step()` (sending
e-mail, drawing certificates): what is done stays done if the request is cut short."""


def current_mode():
    """The running route's declaration (None: it reads only); outside a request, a command's or test's own code."""
    if not has_request_context():
        return WRITES
    view = current_app.view_functions.get(request.endpoint)
    return getattr(view, "transaction", None)


def begin_writes():
    """In a `@reads_then_writes` route: the reading is over, the next statement begins the write transaction
    (on SQLite, the read transaction ends here; nothing may have been written before)."""
    mode = current_mode()
    if mode not in (READS_THEN_WRITES, STAND_ALONE, WRITES, WORK_QUEUE):
        raise UndeclaredWrite(f"begin_writes() in {request.endpoint}, which does not declare @reads_then_writes")
    if mode in (READS_THEN_WRITES, STAND_ALONE) and not g.get("writes_begun"):
        if db.session.new or db.session.dirty or db.session.deleted:
            raise UndeclaredWrite(f"{request.endpoint} changed objects before begin_writes()")
        if db.session.get_bind().dialect.name == "sqlite":
            db.session.commit()  # ends a read transaction: there is nothing to write yet
        g.writes_begun = True


def commit_step():
    """Commit one item of a work queue (a message sent, a batch of PDFs stored)."""
    if has_request_context() and current_mode() != WORK_QUEUE:
        raise UndeclaredWrite(f"commit_step() in {request.endpoint}, which does not declare @work_queue")
    db.session.commit()


def writes_allowed():
    mode = current_mode()
    return mode in (WRITES, WORK_QUEUE, STAND_ALONE) or (mode == READS_THEN_WRITES and g.get("writes_begun", False))


def sqlite_begin():
    """How the running request's SQLite transaction begins: "BEGIN" (a read, deferred), "BEGIN IMMEDIATE" (the write
    lock up front) or None (no transaction: each statement is its own)."""
    mode = current_mode()
    if mode in (WRITES, WORK_QUEUE) or (mode in (READS_THEN_WRITES, STAND_ALONE) and g.get("writes_begun")):
        return "BEGIN IMMEDIATE"
    return None if mode == STAND_ALONE else "BEGIN"


@event.listens_for(Engine, "begin")
def _sqlite_begin(connection):
    if connection.dialect.name == "sqlite":
        begin = sqlite_begin()
        if begin:
            connection.exec_driver_sql(begin)


@event.listens_for(Engine, "before_cursor_execute")
def _refuse_undeclared_writes(_connection, _cursor, statement, _parameters, _context, _executemany):
    if has_request_context() and statement.lstrip()[:7].upper().startswith(_DML) and not writes_allowed():
        raise UndeclaredWrite(f"{request.endpoint} ({request.method}) wrote without declaring it: "
                              f"{statement.split(None, 3)[:3]}")
