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
import re
from functools import wraps

from flask import current_app, g, has_request_context, request, session
from flask_login import current_user
from sqlalchemy import event
from sqlalchemy.engine import Engine

from extensions import db

WRITES, READS_THEN_WRITES, STAND_ALONE, WORK_QUEUE = "writes", "reads_then_writes", "stand_alone", "work_queue"
_DML = ("INSERT", "UPDATE", "DELETE", "REPLACE")
_WRITTEN_TABLE = re.compile(r"^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+\"?(\w+)", re.IGNORECASE)
AUDIT_TABLE = "audit_events"
OWN_CONNECTION = "own_connection"


class UndeclaredWrite(RuntimeError):
    """A route reached a write without declaring that it writes (or before its `begin_writes()`)."""


class UnauditedWrite(RuntimeError):
    """A staff member's request changed stored data and left no audit event."""


def _declare(mode, audited=True):
    def decorator(function):
        @wraps(function)
        def in_one_transaction(*args, **kwargs):
            try:
                result = function(*args, **kwargs)
                if audited:
                    _check_audited()
                own = g.get(OWN_CONNECTION) if mode == STAND_ALONE else None
                if own is not None:
                    own.commit()
                # A request that never opened the ORM session (an autosave on its own connection) has nothing in
                # it to commit: opening one to commit nothing would cost a Session and its bookkeeping.
                if db.session.registry.has():
                    db.session.commit()
                return result
            finally:
                own = g.pop(OWN_CONNECTION, None) if mode == STAND_ALONE else None
                if own is not None:
                    own.close()  # after an exception: rolled back

        in_one_transaction.transaction, in_one_transaction.audited = mode, audited
        return in_one_transaction

    return decorator


writes = _declare(WRITES)
writes.__doc__ = """The route (or CLI command) writes: one transaction, committed when it returns. What a staff member
changes is audited: the request must leave an audit event (checked while testing, logged otherwise)."""
writes_own_settings = _declare(WRITES, audited=False)
writes_own_settings.__doc__ = """The route writes only the signed-in person's own session state or preferences (their
language, the end of their sessions): nothing an audit log is for."""
reads_then_writes = _declare(READS_THEN_WRITES)
reads_then_writes.__doc__ = """The route reads first and writes, if at all, after `begin_writes()`: on SQLite the
single write lock is then held only for the writes, not while the route zips files or draws a PDF."""
statements_stand_alone = _declare(STAND_ALONE)
statements_stand_alone.__doc__ = """The route's statements each stand alone (the autosave): on SQLite they run
without BEGIN, so a single write statement holds the write lock only while SQLite runs it, not across the Python
between BEGIN IMMEDIATE and COMMIT, where a thread may wait for the GIL with the lock held."""
work_queue = _declare(WORK_QUEUE, audited=False)
work_queue.__doc__ = """The route works through a queue and commits after each item with `commit_step()` (a
reissued certificate, then its PDF): what is done stays done if the request is cut short. The decision that queued
the work was audited; each item's progress is recorded in its own row (a certificate's PDF)."""
starts_work = _declare(WRITES, audited=False)
starts_work.__doc__ = """The route writes only a job for the worker that changes nobody's data (a report file to
download, made from what the person may already read): the job's row is its record, not an audit event."""
catches_up = _declare(READS_THEN_WRITES, audited=False)
catches_up.__doc__ = """A `reads_then_writes` route whose writes only finish what the clock or an interrupted queue
left undone (attempts whose time is over, a certificate PDF never drawn): what the system does on its own, not a
decision of the person who looked, so not audited."""


def current_mode():
    """The running route's declaration (None: it reads only); outside a request, a command's or test's own code."""
    if not has_request_context():
        return WRITES
    view = current_app.view_functions.get(request.endpoint)
    return getattr(view, "transaction", None)


def own_connection():
    """In a `@statements_stand_alone` route: a connection of the engine's own, outside the ORM session, committed
    by the declaration when the route returns normally (closed, so rolled back, otherwise). For a hot path of a few
    Core statements (the autosave): the session's bookkeeping (a Session, its transaction's begin, commit and
    close, each a state machine) cost as much as the statements. The same engine listeners see its statements, and
    it begins as the declaration says (on SQLite each statement stands alone)."""
    if current_mode() != STAND_ALONE:
        raise UndeclaredWrite(f"own_connection() in {request.endpoint}, which does not declare @statements_stand_alone")
    connection = g.get(OWN_CONNECTION)
    if connection is None:
        connection = g.own_connection = db.engine.connect()
    return connection


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


def _check_audited():
    """A staff member's request that changed stored data must have recorded it (AuditEvent)."""
    # Only a staff member's session carries a user id (see app.py's add_headers): checking the key first spares
    # loading the user, with its session-protection hash, on every participant's autosave.
    if not has_request_context() or "_user_id" not in session or not current_user.is_authenticated:
        return
    db.session.flush()
    written = g.get("written_tables", set())
    if written and AUDIT_TABLE not in written:
        message = f"{request.endpoint} ({request.method}) changed {sorted(written)} and recorded no audit event"
        if current_app.testing:
            raise UnauditedWrite(message)
        current_app.logger.error(message)


@event.listens_for(Engine, "before_cursor_execute")
def _refuse_undeclared_writes(_connection, _cursor, statement, _parameters, _context, _executemany):
    if has_request_context() and statement.lstrip()[:7].upper().startswith(_DML) and not writes_allowed():
        raise UndeclaredWrite(f"{request.endpoint} ({request.method}) wrote without declaring it: "
                              f"{statement.split(None, 3)[:3]}")


@event.listens_for(Engine, "rollback")
def _forget_rolled_back_changes(_connection):
    if has_request_context():
        g.pop("written_tables", None)


@event.listens_for(Engine, "after_cursor_execute")
def _note_changed_tables(_connection, cursor, statement, _parameters, _context, _executemany):
    # A conditional UPDATE or DELETE that matched no row changed nothing (a second confirmation, a lost claim).
    # An INSERT always adds (its rowcount is not reliable with RETURNING and executemany).
    table = _WRITTEN_TABLE.match(statement) if has_request_context() else None
    if table and (cursor.rowcount != 0 or statement.lstrip()[:6].upper() == "INSERT"):
        g.setdefault("written_tables", set()).add(table.group(1).lower())
