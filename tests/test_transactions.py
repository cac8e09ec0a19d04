"""One transaction boundary per request: a route that writes declares it once and commits at its end; a write
reached from a route that did not declare it is refused; only the named work queues commit in steps."""
import ast
from pathlib import Path

import pytest
from flask import abort
from flask_login import login_user
from sqlalchemy import func, insert, select, update

from app import create_app
from extensions import db
from training.models import AuditEvent, User
from transactions import (
    UnauditedWrite,
    UndeclaredWrite,
    begin_writes,
    commit_step,
    own_connection,
    reads_then_writes,
    statements_stand_alone,
    work_queue,
    writes,
    writes_own_settings,
)

ROOT = Path(__file__).resolve().parent.parent


def _event(action):
    db.session.add(AuditEvent(action=action, object_type="Probe", object_id=1, details={}))


def _count(action):
    return db.session.scalar(select(func.count()).where(AuditEvent.action == action))


def _sign_in_first_staff_member():
    login_user(db.session.scalar(select(User).limit(1)))


def _probe_routes(probe):
    @probe.route("/probe/undeclared", methods=["POST"])
    def undeclared():
        _event("undeclared")
        db.session.flush()
        return "ok"

    @probe.route("/probe/declared", methods=["POST"])
    @writes
    def declared():
        _event("declared")
        return "ok"

    @probe.route("/probe/refused", methods=["POST"])
    @writes
    def refused():
        _event("refused")
        db.session.flush()
        abort(409)

    @probe.route("/probe/begin-undeclared")
    def begin_undeclared():
        begin_writes()
        return "ok"

    @probe.route("/probe/read-then-write")
    @reads_then_writes
    def read_then_write():
        seen = _count("read-then-write")
        begin_writes()
        _event("read-then-write")
        return str(seen)

    @probe.route("/probe/write-before-begin")
    @reads_then_writes
    def write_before_begin():
        _event("early")
        db.session.flush()
        return "ok"

    @probe.route("/probe/step-outside-queue", methods=["POST"])
    @writes
    def step_outside_queue():
        _event("step")
        commit_step()
        return "ok"

    @probe.route("/probe/staff/<action>", methods=["POST"])
    @writes
    def staff_change(action):
        _sign_in_first_staff_member()
        if action != "unrecorded":
            _event(action)
        if action != "audited":
            db.session.execute(update(User).where(User.id == User.id).values(name=User.name))
        return "ok"

    @probe.route("/probe/staff-refused", methods=["POST"])
    @writes
    def staff_refused():
        _sign_in_first_staff_member()
        db.session.execute(update(User).values(name=User.name))
        db.session.rollback()  # refused: what it changed is gone, so there is nothing to audit
        return "refused"

    @probe.route("/probe/own-settings", methods=["POST"])
    @writes_own_settings
    def own_settings():
        _sign_in_first_staff_member()
        db.session.execute(update(User).values(language="en"))
        return "ok"

    @probe.route("/probe/own-connection", methods=["POST"])
    @statements_stand_alone
    def on_own_connection():
        own_connection().execute(insert(AuditEvent.__table__).values(
            action="own", object_type="Probe", object_id=1, details={}))
        return "ok"

    @probe.route("/probe/own-connection-fails", methods=["POST"])
    @statements_stand_alone
    def own_connection_fails():
        own_connection().execute(select(func.count()).select_from(AuditEvent.__table__)).scalar()
        raise RuntimeError("the view failed")

    @probe.route("/probe/own-connection-in-writes", methods=["POST"])
    @writes
    def own_connection_in_writes():
        own_connection()
        return "ok"

    @probe.route("/probe/queue", methods=["POST"])
    @work_queue
    def queue():
        _event("queued-1")
        commit_step()
        _event("queued-2")
        raise RuntimeError("the mail server went away")


@pytest.fixture
def probe(app):
    """An app of its own (routes can only be added before a first request), on the test database."""
    shared = ("TESTING", "CAPACITA_ENV", "SECRET_KEY", "SQLALCHEMY_DATABASE_URI", "RATELIMIT_STORAGE_URI")
    probe = create_app({**{key: app.config[key] for key in shared}, "WTF_CSRF_ENABLED": False})
    _probe_routes(probe)
    yield probe
    with probe.app_context():
        db.engine.dispose()


def _events(probe, action):
    with probe.app_context():
        return _count(action)


def test_a_write_from_a_route_that_did_not_declare_it_is_refused_and_nothing_is_stored(probe):
    with pytest.raises(UndeclaredWrite, match="undeclared"):
        probe.test_client().post("/probe/undeclared")
    assert _events(probe, "undeclared") == 0


def test_a_declared_route_commits_once_at_its_end(probe):
    assert probe.test_client().post("/probe/declared").status_code == 200
    assert _events(probe, "declared") == 1


def test_a_declared_route_that_aborts_keeps_nothing(probe):
    assert probe.test_client().post("/probe/refused").status_code == 409
    assert _events(probe, "refused") == 0


def test_begin_writes_in_a_route_that_did_not_declare_reads_then_writes_is_refused(probe):
    with pytest.raises(UndeclaredWrite, match="reads_then_writes"):
        probe.test_client().get("/probe/begin-undeclared")


def test_reads_then_writes_writes_after_begin_writes_and_not_before(probe):
    client = probe.test_client()
    assert client.get("/probe/read-then-write").get_data(as_text=True) == "0"
    assert client.get("/probe/read-then-write").get_data(as_text=True) == "1"
    with pytest.raises(UndeclaredWrite):
        client.get("/probe/write-before-begin")
    assert _events(probe, "early") == 0


def test_only_a_work_queue_commits_in_steps_and_keeps_the_steps_it_finished(probe):
    client = probe.test_client()
    with pytest.raises(UndeclaredWrite, match="work_queue"):
        client.post("/probe/step-outside-queue")
    assert _events(probe, "step") == 0
    with pytest.raises(RuntimeError, match="mail server"):
        client.post("/probe/queue")
    assert (_events(probe, "queued-1"), _events(probe, "queued-2")) == (1, 0)


def _commit_calls(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [node.lineno for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "commit"]


def test_no_commit_outside_the_transaction_boundary():
    """Views, services and commands never commit: the request's (or command's) declaration does, and the work
    queues through `commit_step()`."""
    sources = [p for p in ROOT.rglob("*.py")
               if not {".venv", "tests", "migrations", "benchmarks", "node_modules"} & set(p.relative_to(ROOT).parts)]
    offending = {str(p.relative_to(ROOT)): lines for p in sources
                 if p.name != "transactions.py" and (lines := _commit_calls(p))}
    assert offending == {}


def test_a_staff_members_change_must_leave_an_audit_event(probe, world):
    client = probe.test_client()
    assert client.post("/probe/staff/audited").status_code == 200
    assert client.post("/probe/staff/recorded-with-a-change").status_code == 200
    with pytest.raises(UnauditedWrite, match="users"):
        client.post("/probe/staff/unrecorded")
    assert client.post("/probe/staff-refused").get_data(as_text=True) == "refused"
    assert client.post("/probe/own-settings").status_code == 200


# Staff routes whose writes are not a staff member's decision, each with why (every other route that writes is
# checked, on every request the suite makes, for the audit event it must leave: UnauditedWrite).
NOT_AUDITED = {
    "training.logout": "the person's own sessions",
    "training.set_language": "the person's own language",
    "assessments.questionnaire_progress": "catches up: attempts whose time is over are finalized",
    "assessments.impact_make": "starts the worker making a report file from data the person may read already",
    "certificates.certificate_reissue": "a work queue: the reissue is audited (certificate.reissued)",
    "certificates.certificate_pdf_download": "catches up: a PDF an interrupted issue never drew",
    "certificates.my_certificate": "catches up: a PDF an interrupted issue never drew",
    "assessments.feed": "a token's last use, its own bookkeeping; making and revoking it are audited",
}


def test_every_route_that_writes_is_audited_unless_named_here_with_its_reason(app):
    unaudited = {endpoint for endpoint, view in app.view_functions.items()
                 if getattr(view, "transaction", None) and not view.audited}
    assert unaudited == set(NOT_AUDITED)


def test_a_stand_alone_route_writes_on_its_own_connection_committed_and_returned_by_the_declaration(probe):
    client = probe.test_client()
    assert client.post("/probe/own-connection").status_code == 200
    assert _events(probe, "own") == 1
    with pytest.raises(RuntimeError, match="view failed"):
        client.post("/probe/own-connection-fails")
    with probe.app_context():
        assert db.engine.pool.checkedout() == 0  # closed whatever happened: no connection leaks from the pool
    with pytest.raises(UndeclaredWrite, match="statements_stand_alone"):
        client.post("/probe/own-connection-in-writes")
