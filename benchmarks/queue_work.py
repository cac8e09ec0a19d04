"""The task queue as deployed on one machine: invitations to many people through a slow SMTP server, and attempts
finalized when a questionnaire's window closes, each done by a real `flask worker` process.

Run: .venv/bin/python benchmarks/queue_work.py [--people 1000] [--smtp-delay 0.3] [--takers 500]
An aiosmtpd server on 127.0.0.1 takes --smtp-delay seconds to accept each message. Figures printed:
- the web request "invite everyone": its time, next to the baseline measured in the same run, which is what a request
  took before issue 23 (it sent MAIL_BATCH_SIZE = 200 messages itself: the time of 10 inline sends × 20);
- how fast the worker drains the queue, against the rate the server allows (1 / delay, one connection);
- the worker's peak resident memory (VmHWM) while it sends, and after it finalized the attempts;
- the time from a questionnaire's closing to every in-progress attempt finalized (the scheduler runs each minute).
Targets (issue 23): the request returns in < 200 ms; the queue drains at ≥ 90% of the server's rate; every message
arrives once; every attempt is finalized within 70 s of the closing.
"""
import argparse
import asyncio
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from targets import verdicts  # noqa: E402

SECRET = secrets.token_urlsafe(48)
PASSWORD = "benchmark-password-1"


class SlowInbox:
    def __init__(self, delay):
        self.delay, self.received, self.lock, self.first = delay, Counter(), threading.Lock(), None

    async def handle_DATA(self, server, session, envelope):
        self.first = self.first or time.perf_counter()  # the worker's first message: its start-up is not draining
        await asyncio.sleep(self.delay)
        with self.lock:
            for recipient in envelope.rcpt_tos:
                self.received[recipient] += 1
        return "250 OK"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def settings(folder, port):
    return {"DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite3'}",
            "QUEUE_URL": f"sqlite:///{folder / 'queue.sqlite3'}",
            "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(port), "MAIL_USE_TLS": "false",
            "MAIL_DEFAULT_SENDER": "secretaria@crm.example", "PUBLIC_URL": "http://capacita.example",
            "SECRET_KEY": SECRET, "CAPACITA_ENV": "test", "LOG_LEVEL": "WARNING"}


def web_app(shared):
    from flask_migrate import upgrade

    from app import create_app

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": shared["DATABASE_URL"],
                      "QUEUE_URL": shared["QUEUE_URL"], "MAIL_SERVER": "127.0.0.1",
                      "MAIL_PORT": int(shared["MAIL_PORT"]), "MAIL_USE_TLS": False,
                      "MAIL_DEFAULT_SENDER": shared["MAIL_DEFAULT_SENDER"], "PUBLIC_URL": shared["PUBLIC_URL"],
                      "SECRET_KEY": SECRET, "CAPACITA_ENV": "test", "SESSION_COOKIE_SECURE": False,
                      "RATELIMIT_STORAGE_URI": "memory://", "WTF_CSRF_ENABLED": False})
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
    return app


def populate(app, people):
    """A program with one delegation of `people` participants, and a secretariat account."""
    from werkzeug.security import generate_password_hash

    from extensions import db
    from training.models import Delegation, Participant, Program, User

    with app.app_context():
        program = Program(code="BENCH-2026", title={"es": "Programa de prueba"}, languages=["es"],
                          timezone="America/Mexico_City")
        db.session.add(program)
        db.session.flush()
        delegation = Delegation(program_id=program.id, kind="member", country_code="MX", quota=people)
        db.session.add(delegation)
        db.session.flush()
        db.session.add_all(Participant(program_id=program.id, delegation_id=delegation.id, given_names=f"Persona {i}",
                                       family_names="Prueba", email=f"p{i}@example.mx", email_key=f"p{i}@example.mx",
                                       search_key=f"persona {i} prueba", timezone="America/Mexico_City")
                           for i in range(people))
        db.session.add(User(email="admin@bench.example", name="Admin", role="admin",
                            password_hash=generate_password_hash(PASSWORD)))
        db.session.commit()
        return program.id


def start_worker(shared, log):
    return subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "worker", "--workers", "2"],
                            env={**os.environ, **shared}, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)


def peak_mb(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def statuses(app):
    from sqlalchemy import select

    from extensions import db
    from training.models import OutboundMessage

    with app.app_context():
        return Counter(db.session.scalars(select(OutboundMessage.status)))


def inline_baseline(app, program_id):
    """Seconds 10 messages take when a request sends them itself (how it was before issue 23)."""
    from extensions import db
    from training.models import Participant, Program
    from training.services_messages import deliver, queue_invitations

    with app.app_context():
        program = db.session.get(Program, program_id)
        people = db.session.query(Participant).filter_by(program_id=program_id).limit(10).all()
        ids = queue_invitations(program, people, None)
        db.session.commit()
        started = time.perf_counter()
        deliver(ids)
        return time.perf_counter() - started


def forget_messages(app):
    from extensions import db
    from training.models import OutboundMessage

    with app.app_context():
        db.session.query(OutboundMessage).delete()
        db.session.commit()


def invite_everyone(app, program_id):
    client = app.test_client()
    client.post("/login", data={"email": "admin@bench.example", "password": PASSWORD})
    started = time.perf_counter()
    response = client.post(f"/programs/{program_id}/invitations", data={"audience": "all"})
    seconds = time.perf_counter() - started
    assert response.status_code == 302, response.status_code
    return seconds


def close_with_attempts(app, program_id, takers, closes_in):
    """A pre-test that closes in `closes_in` seconds, with `takers` attempts in progress; its closing time."""
    from assessments.models import Attempt, Questionnaire
    from extensions import db
    from training.models import Participant, utcnow

    with app.app_context():
        closes = utcnow() + timedelta(seconds=closes_in)
        test = Questionnaire(program_id=program_id, kind="pre", title={"es": "Prueba"},
                             opens_at=utcnow() - timedelta(hours=1), closes_at=closes)
        db.session.add(test)
        db.session.flush()
        people = db.session.query(Participant.id).filter_by(program_id=program_id).limit(takers).all()
        db.session.add_all(Attempt(questionnaire_id=test.id, participant_id=person, status="in_progress")
                           for (person,) in people)
        db.session.commit()
        return test.id, closes


def in_progress(app, questionnaire_id):
    from sqlalchemy import func, select

    from assessments.models import Attempt
    from extensions import db

    with app.app_context():
        return db.session.scalar(select(func.count()).where(Attempt.questionnaire_id == questionnaire_id,
                                                            Attempt.status == "in_progress"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--smtp-delay", type=float, default=0.3)
    parser.add_argument("--takers", type=int, default=500)
    arguments = parser.parse_args()
    from aiosmtpd.controller import Controller

    from training.models import utcnow

    inbox, port = SlowInbox(arguments.smtp_delay), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    folder = Path(tempfile.mkdtemp(prefix="capacita-queue-"))
    shared = settings(folder, port)
    app = web_app(shared)
    program_id = populate(app, arguments.people)
    baseline = inline_baseline(app, program_id) * 20
    forget_messages(app)
    inbox.received.clear()
    request_seconds = invite_everyone(app, program_id)
    with open(folder / "worker.log", "w") as log:
        worker = start_worker(shared, log)
        try:
            while statuses(app).get("sent", 0) < arguments.people:
                assert worker.poll() is None, f"the worker stopped: see {folder / 'worker.log'}"
                time.sleep(0.2)
            drained = time.perf_counter() - inbox.first
            sending_mb = peak_mb(worker.pid)
            questionnaire_id, closes = close_with_attempts(app, program_id, arguments.takers, closes_in=5)
            while in_progress(app, questionnaire_id):
                time.sleep(0.5)
            finalized_after = (utcnow() - closes).total_seconds()
            final_mb = peak_mb(worker.pid)
        finally:
            if worker.poll() is None:
                os.killpg(worker.pid, signal.SIGTERM)
                worker.wait(timeout=30)
            controller.stop()
    rate, allowed = arguments.people / drained, 1 / arguments.smtp_delay
    once = set(inbox.received.values()) == {1} and len(inbox.received) == arguments.people
    print(f"Invitations to {arguments.people} people, SMTP server taking {arguments.smtp_delay} s a message")
    print(f"  web request 'invite everyone':    {request_seconds * 1000:8.0f} ms")
    print(f"  baseline (a request sending 200): {baseline * 1000:8.0f} ms  (10 inline sends × 20, this run)")
    print(f"  queue drained in {drained:.0f} s from the first message: {rate:.2f} messages/s "
          f"(the server allows {allowed:.2f}/s)")
    print(f"  each message arrived once: {once}")
    print(f"  worker peak memory: {sending_mb:.0f} MB sending, {final_mb:.0f} MB after finalizing")
    print(f"Window closed with {arguments.takers} attempts in progress: all finalized {finalized_after:.1f} s after "
          "the closing (the scheduler runs at each minute)")
    passed = verdicts([("request < 200 ms", request_seconds < 0.2),
                       ("queue drains at ≥ 90% of the server's rate", rate >= 0.9 * allowed),
                       ("every message arrives once", once),
                       ("attempts finalized within 70 s of the closing", finalized_after <= 70)])
    sys.exit(0 if passed else 1)


if __name__ == "__main__":
    main()
