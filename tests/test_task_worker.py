"""The real worker (`flask worker`, another process) and a slow real SMTP server: the request only queues, the worker
sends every message once, and what a worker killed mid-send leaves is finished without sending anything twice."""
import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app import create_app
from extensions import db
from tests.conftest import post_form
from tests.helpers import DEMO, database_of_its_own, load_demo
from training.demo_data import DEMO_PASSWORD
from training.models import OutboundMessage, Participant, Program
from training.models_jobs import Job

ROOT = Path(__file__).resolve().parent.parent
SECRET = "w" * 48
SMTP_DELAY = 0.02  # seconds the server takes to accept each message


class SlowInbox:
    """An SMTP server that takes its time over each message and counts what it accepted, per recipient; `on_message`
    runs after a message is received and before the server answers."""

    def __init__(self):
        self.received, self.on_message = Counter(), None

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(SMTP_DELAY)
        for recipient in envelope.rcpt_tos:
            self.received[recipient] += 1
        if self.on_message:
            self.on_message(sum(self.received.values()))
        return "250 OK"


@pytest.fixture
def inbox():
    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = SlowInbox()
    inbox.port = port
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox
    controller.stop()


@pytest.fixture
def shared(database_url, tmp_path, inbox):
    """The settings a web app and a worker process share: a database, a queue in a SQLite file, the mail server."""
    with database_of_its_own(database_url, tmp_path, "capacita_worker_test") as url:
        yield {"DATABASE_URL": url, "QUEUE_URL": f"sqlite:///{tmp_path / 'queue.sqlite3'}", "MAIL_SERVER": "127.0.0.1",
               "MAIL_PORT": str(inbox.port), "MAIL_USE_TLS": "false", "MAIL_DEFAULT_SENDER": "secretaria@crm.example",
               "PUBLIC_URL": "http://capacita.example", "SECRET_KEY": SECRET, "CAPACITA_ENV": "test"}


@pytest.fixture
def web(shared):
    from flask_migrate import upgrade

    config = {"TESTING": True, "SQLALCHEMY_DATABASE_URI": shared["DATABASE_URL"], "QUEUE_URL": shared["QUEUE_URL"],
              "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": int(shared["MAIL_PORT"]), "MAIL_USE_TLS": False,
              "MAIL_DEFAULT_SENDER": shared["MAIL_DEFAULT_SENDER"], "PUBLIC_URL": shared["PUBLIC_URL"],
              "SECRET_KEY": SECRET, "CAPACITA_ENV": "test", "SESSION_COOKIE_SECURE": False,
              "RATELIMIT_STORAGE_URI": "memory://"}
    app = create_app(config)
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
    yield app
    with app.app_context():
        db.engine.dispose()


def start_worker(shared, log):
    env = {**os.environ, **shared}
    command = [sys.executable, "-m", "flask", "--app", "app", "worker", "--workers", "2"]
    return subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def stop(process, how=signal.SIGTERM):
    if process.poll() is None:
        os.killpg(process.pid, how)
        process.wait(timeout=30)


def wait_for(condition, seconds=120, what="the worker"):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"{what} did not finish within {seconds} s"
        time.sleep(0.2)


def statuses(app):
    """The invitations' statuses (the demo's follow-up messages went out weeks ago)."""
    with app.app_context():
        return Counter(db.session.scalars(select(OutboundMessage.status).where(OutboundMessage.kind == "invitation")))


def participant_count(app):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Participant).join(Program).where(
            Participant.status != "withdrawn", Program.code == DEMO))


def invite_everyone(web):
    program_id = load_demo(web)
    client = web.test_client()
    post_form(client, "/login", {"email": "admin@capacita.example", "password": DEMO_PASSWORD})
    response = post_form(client, f"/programs/{program_id}/invitations", {"audience": "all"},
                         page=f"/programs/{program_id}/messages")
    assert response.status_code == 302
    return client, program_id


def test_inviting_the_demo_program_only_records_it_and_the_worker_sends_each_message_once(web, shared, inbox,
                                                                                         tmp_path):
    client, program_id = invite_everyone(web)
    people = participant_count(web)
    assert statuses(web) == Counter() and sum(inbox.received.values()) == 0  # the request wrote and sent nothing
    with open(tmp_path / "worker.log", "w") as log:
        worker = start_worker(shared, log)
        try:
            wait_for(lambda: statuses(web) == Counter(sent=people))
        finally:
            stop(worker)
    with web.app_context():
        addresses = set(db.session.scalars(select(OutboundMessage.to_address)
                                           .where(OutboundMessage.kind == "invitation")))
        sending = db.session.scalar(select(Job).where(Job.kind == "training.tasks.send_messages"))
        assert (sending.status, sending.done, sending.total) == ("done", people, people)
    assert len(addresses) == people and set(inbox.received) == addresses
    assert set(inbox.received.values()) == {1}  # each once
    progress = client.get(f"/programs/{program_id}/jobs/{sending.id}").get_json()
    assert progress["text"] == f"Envío terminado: {people} enviados, 0 en la bandeja de salida, 0 fallidos."


def test_a_worker_killed_between_the_servers_answer_and_the_status_update_loses_nothing_and_sends_nothing_twice(
        web, shared, inbox, tmp_path):
    """The worker dies right after the server accepted the 10th message and before it recorded that. A new worker,
    once the scheduler's clock has passed the lease, finishes the job; the 10th is "uncertain" (never sent again
    by itself), every other message arrives once."""
    from training.models import utcnow
    from training.tasks import run_scheduled

    invite_everyone(web)
    total = participant_count(web)
    with open(tmp_path / "worker.log", "w") as log:
        worker = start_worker(shared, log)
        inbox.on_message = lambda count: count == 10 and os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=120)
        inbox.on_message = None
        left = statuses(web)
        assert left["sending"] == 1 and left["sent"] == 9 and left["queued"] == total - 10
        with web.app_context():  # the scheduler's minute, later than the lease and the job's grace
            run_scheduled(web, utcnow() + timedelta(minutes=20))
        worker = start_worker(shared, log)
        try:
            wait_for(lambda: statuses(web)["queued"] == 0 and statuses(web)["sending"] == 0)
        finally:
            stop(worker)
    assert statuses(web) == Counter(sent=total - 1, uncertain=1)
    assert sum(inbox.received.values()) == total and set(inbox.received.values()) == {1}
    with web.app_context():
        uncertain = db.session.scalar(select(OutboundMessage).where(OutboundMessage.status == "uncertain"))
        assert inbox.received[uncertain.to_address] == 1  # it did arrive: sending it again would have doubled it
        assert db.session.scalar(select(Job.status).order_by(Job.id.desc()).limit(1)) == "done"
