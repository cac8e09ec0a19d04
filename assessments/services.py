"""Attempts: start once, save answers so that a newer one is never overwritten, submit exactly once."""
from datetime import timezone
from functools import cache

from sqlalchemy import bindparam, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm.attributes import set_committed_value

from extensions import db
from training.models import utcnow

from .models import Answer, Attempt
from .question_types import attempt_score, clean_answer
from .services_content import content_of
from .windows import attempt_deadline

SAVED, STALE, CLOSED = "saved", "stale", "closed"


class NotThisQuestionnaire(LookupError):
    """A question that does not belong to the attempt's questionnaire (a tampered request)."""


def start_attempt(questionnaire, participant, now=None):
    """The participant's attempt, created on first use. Two tabs starting at once get the same one."""
    existing = _attempt_of(questionnaire.id, participant.id)
    if existing is not None:
        return existing
    open_attempt(questionnaire, participant, now)
    return _attempt_of(questionnaire.id, participant.id)


def open_attempt(questionnaire, participant, now=None):
    """Create the participant's attempt unless they have one (two tabs starting at once: the first insert wins,
    the other writes nothing), in one statement."""
    now = now or utcnow()
    deadline = attempt_deadline(now, questionnaire.time_limit_minutes, questionnaire.closes_at)
    db.session.execute(_insert_attempt(db.engine.dialect.name), {
        "questionnaire_id": questionnaire.id, "participant_id": participant.id, "started_at": now,
        "deadline_at": deadline})


@cache
def _insert_attempt(dialect):
    insert_ = postgresql_insert if dialect == "postgresql" else sqlite_insert
    return insert_(Attempt.__table__).values(
        questionnaire_id=bindparam("questionnaire_id"), participant_id=bindparam("participant_id"),
        status="in_progress", started_at=bindparam("started_at"), deadline_at=bindparam("deadline_at"),
    ).on_conflict_do_nothing(index_elements=["questionnaire_id", "participant_id"])


def save_answer(attempt, question, raw, seq, now=None):
    """Store `raw` (cleaned by the question's type; AnswerError otherwise) unless the attempt is over (CLOSED)
    or a save with a higher or equal sequence number already landed (STALE)."""
    if question.questionnaire_id != attempt.questionnaire_id:
        raise NotThisQuestionnaire(question.id)
    return store_answer(attempt.id, question.id, clean_answer(question.spec(), raw), seq, now)


def store_answer(attempt_id, question_id, value, seq, now=None, on=None):
    """Write an already cleaned value in one statement, so that SQLite's write lock is held as briefly as possible
    and PostgreSQL answers in one round trip. `on`: the connection to write on (the ORM session's by default)."""
    values = {"attempt_id": attempt_id, "question_id": question_id, "value": value, "seq": seq,
              "saved_at": now or utcnow()}
    connection = connection_for(on)
    # RETURNING says whether the row was written (rowcount is unreliable for upserts across drivers).
    store = driver_statement(_store_if_open(connection.dialect.name), connection.dialect)
    if store.execute(connection, values).first() is not None:
        return SAVED
    # Nothing written: the attempt is over, or a row exists with a sequence number not lower. This very save
    # retried after its reply was lost (same number, same value) is saved; anything else is stale. An attempt
    # never reopens, so a status read now tells what the statement saw (no row: the attempt was just erased).
    row = connection.execute(_attempt_and_stored_answer(), values).one_or_none()
    if row is None or row.status != "in_progress":
        return CLOSED
    return SAVED if (row.seq, row.value) == (seq, value) else STALE


def connection_for(on):
    """`on`, or the ORM session's connection with its pending changes flushed first, as `db.session.execute` would
    (a `DriverStatement` runs on the connection, where nothing flushes them)."""
    if on is not None:
        return on
    db.session.flush()
    return db.session.connection()


class DriverStatement:
    """A Core statement compiled once for a dialect and run as the driver's own SQL (`exec_driver_sql`). On the
    autosave's hot path, what SQLAlchemy does on each execution of even a cached statement (its cache key, the
    parameters' construction, the compiled execution context) cost more than SQLite takes to run it. The values
    are still converted by their types' own bind and result processors for the dialect (a JSON value serialized,
    a timestamp stored in UTC and read back zone-aware), SQLAlchemy still wraps the driver's errors (a busy
    database is a 503), and the engine's cursor events still see each statement (transactions.py's checks)."""

    def __init__(self, statement, dialect):
        compiled = statement.compile(dialect=dialect)
        self.sql, self.positional, self.dialect = compiled.string, compiled.positional, dialect
        binds = {name: bind for bind, name in compiled.bind_names.items()}
        # Positional (SQLite's "?"): in the statement's order, a name as often as it appears; named: each once.
        self.names = tuple(compiled.positiontup) if compiled.positional else tuple(binds)
        self.parameters = []  # (name, processor or None) of a value given to `execute`; (None, value) of a literal
        # What this class handles: plain binds, named as written. An IN list, a value rendered at execution or a
        # value computed then would need SQLAlchemy's own execution: refused here rather than sent wrong.
        if compiled.escaped_bind_names or "POSTCOMPILE" in self.sql or any(
                bind.expanding or bind.literal_execute or bind.callable is not None for bind in binds.values()):
            raise ValueError(f"DriverStatement cannot run this statement as the driver's own SQL: {self.sql}")
        for name in self.names:
            bind = binds[name]
            processor = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if bind.required:
                self.parameters.append((name, processor))
            else:  # a literal of the statement ("in_progress"), converted once
                self.parameters.append((None, bind.value if processor is None else processor(bind.value)))
        self.columns = tuple(statement.exported_columns)  # what it selects or returns
        self._result_processors = None

    def execute(self, connection, values):
        """The CursorResult of the statement with `values` (by parameter name) on `connection`."""
        converted = [given if name is None else values[name] if given is None else given(values[name])
                     for name, given in self.parameters]
        return connection.exec_driver_sql(
            self.sql, tuple(converted) if self.positional else dict(zip(self.names, converted, strict=True)))

    def first_row(self, connection, values):
        """The first row's values (a tuple in the order the statement selects them, each converted by its column's
        type), or None."""
        result = self.execute(connection, values)
        if self._result_processors is None:  # PostgreSQL's numbers convert by the type the driver names
            self._result_processors = tuple(
                column.type.dialect_impl(self.dialect).result_processor(self.dialect, description[1])
                for column, description in zip(self.columns, result.cursor.description, strict=True))
        row = result.first()
        if row is None:
            return None
        return tuple(value if process is None else process(value)
                     for value, process in zip(row, self._result_processors, strict=True))


@cache
def driver_statement(statement, dialect):
    """The (cached) `statement` as a `DriverStatement` for `dialect`: one per statement and engine."""
    return DriverStatement(statement, dialect)


# The autosave statements are built once: constructing them costs more than running them on SQLite.
@cache
def _store_if_open(dialect):
    """Upsert the answer if its attempt is still in progress, RETURNING its seq when written. On PostgreSQL
    the attempt row is touched in the same statement: a concurrent submit waits for this save to commit (and
    then scores it), or this save waits for the submit and writes nothing. SQLite's write transaction holds the
    whole database, so reading the status inside it is enough."""
    attempts, answers = Attempt.__table__, Answer.__table__
    if dialect == "postgresql":
        open_attempt = (attempts.update()
                        .where(attempts.c.id == bindparam("attempt_id"), attempts.c.status == "in_progress")
                        .values(status="in_progress").returning(attempts.c.id).cte("open_attempt"))
        source, statement = select(open_attempt.c.id), postgresql_insert(answers)
    else:
        source = select(attempts.c.id).where(attempts.c.id == bindparam("attempt_id"),
                                             attempts.c.status == "in_progress")
        statement = sqlite_insert(answers)
    source = source.add_columns(bindparam("question_id", type_=answers.c.question_id.type),
                                bindparam("value", type_=answers.c.value.type),
                                bindparam("seq", type_=answers.c.seq.type),
                                bindparam("saved_at", type_=answers.c.saved_at.type))
    statement = statement.from_select(["attempt_id", "question_id", "value", "seq", "saved_at"], source)
    return statement.on_conflict_do_update(
        index_elements=[answers.c.attempt_id, answers.c.question_id],
        set_={"value": statement.excluded.value, "seq": statement.excluded.seq,
              "saved_at": statement.excluded.saved_at},
        where=answers.c.seq < statement.excluded.seq).returning(answers.c.seq)


@cache
def _attempt_and_stored_answer():
    attempts, answers = Attempt.__table__, Answer.__table__
    stored = (answers.c.attempt_id == attempts.c.id) & (answers.c.question_id == bindparam("question_id"))
    return (select(attempts.c.status, answers.c.seq, answers.c.value)
            .select_from(attempts.outerjoin(answers, stored)).where(attempts.c.id == bindparam("attempt_id")))


def submit_attempt(attempt, finalized_by="participant", now=None, content=None):
    """Submit once: the first call scores the saved answers and returns True; any later or concurrent call
    returns False and changes nothing. `content`: the questionnaire's (services_content), when the caller has it."""
    submitted_at = now or utcnow()
    if submitted_at.tzinfo is not None:
        submitted_at = submitted_at.astimezone(timezone.utc)  # as the database gives it back
    db.session.flush()  # the statements below are plain (no autoflush): what the session holds is written first
    claimed = db.session.execute(_claim_attempt(), {"attempt_id": attempt.id, "submitted_at": submitted_at,
                                                    "finalized_by": finalized_by}).rowcount
    if not claimed:
        db.session.refresh(attempt)
        return False
    # The answers are read after the claim: on PostgreSQL a save that touched the attempt first is in them.
    answers = saved_answers(attempt)
    content = content or content_of(attempt.questionnaire_id)
    earned, possible = attempt_score((spec, answers.get(question_id)) for question_id, spec in content.specs())
    db.session.execute(_score_attempt(), {"attempt_id": attempt.id, "score": earned, "max_score": possible})
    # The object takes what was written (no reload: the row is this transaction's own now).
    for name, value in (("status", "submitted"), ("submitted_at", submitted_at), ("finalized_by", finalized_by),
                        ("score", earned), ("max_score", possible)):
        set_committed_value(attempt, name, value)
    return True


@cache
def _claim_attempt():
    attempts = Attempt.__table__
    return (attempts.update().where(attempts.c.id == bindparam("attempt_id"), attempts.c.status == "in_progress")
            .values(status="submitted", submitted_at=bindparam("submitted_at"),
                    finalized_by=bindparam("finalized_by")))


@cache
def _score_attempt():
    attempts = Attempt.__table__
    return (attempts.update().where(attempts.c.id == bindparam("attempt_id"))
            .values(score=bindparam("score"), max_score=bindparam("max_score")))


def saved_answers(attempt):
    """question id → value, for resuming on any device."""
    return dict(db.session.execute(_saved_answers_query(), {"attempt_id": attempt.id}).all())


@cache
def _saved_answers_query():
    answers = Answer.__table__.c
    return select(answers.question_id, answers.value).where(answers.attempt_id == bindparam("attempt_id"))


def _attempt_of(questionnaire_id, participant_id):
    return db.session.scalar(select(Attempt).where(Attempt.questionnaire_id == questionnaire_id,
                                                   Attempt.participant_id == participant_id))
