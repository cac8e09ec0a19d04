"""After a session, each participant marked absent gets the recording once, in their language, when it is due."""
import email
import email.policy
import threading
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from extensions import db
from tests.conftest import login, post_form
from tests.helpers import erase_personal_data, mail_server
from training import services_absence, tasks
from training.models import AbsenceNotice, Activity, AuditEvent, OutboundMessage, Participant
from training.schedule import notice_due
from training.tasks import run_scheduled

UTC = timezone.utc
ENDS = datetime(2026, 3, 3, 22, 0, tzinfo=UTC)  # world's session S0: 14:00–16:00 in Mexico City
RECORDING = "https://videos.example.org/s0?t=1"
SESSION_FORM = {"code": "S0", "kind": "virtual_session", "required": "y", "title_es": "Sesión 0",
                "title_en": "Session 0", "day": "2026-03-03", "start": "14:00", "end": "16:00",
                "recording_link": RECORDING, "absent_notice_hours": "2"}


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos[0], email.message_from_bytes(envelope.content,
                                                                              policy=email.policy.default)))
        return "250 OK"


def edit_session(client, world, **changes):
    activity = world["ids"]["activity"]
    return post_form(client, f"/activities/{activity}/edit", {**SESSION_FORM, **changes})


def mark(client, world, **statuses):
    """The facilitator's attendance sheet: participant key → status."""
    data = {f"status-{world['ids'][key]}": status for key, status in statuses.items()}
    response = post_form(client, f"/activities/{world['ids']['activity']}/attendance", data)
    assert response.status_code == 302


def messages(app):
    with app.app_context():
        return db.session.execute(select(OutboundMessage.to_address, OutboundMessage.kind, OutboundMessage.language)
                                  .order_by(OutboundMessage.id)).all()


def queued_events(app):
    with app.app_context():
        return [event.details["count"] for event in db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "absence_notices.queued").order_by(AuditEvent.id))]


def test_the_notice_is_due_from_its_time_until_fourteen_days_later():
    limit = timedelta(days=14)
    assert not notice_due(ENDS, 2, ENDS + timedelta(hours=1, minutes=59), limit)
    assert notice_due(ENDS, 2, ENDS + timedelta(hours=2), limit)
    assert notice_due(ENDS, 0, ENDS + timedelta(days=13, hours=23), limit)
    assert not notice_due(ENDS, 0, ENDS + timedelta(days=14), limit)
    assert not notice_due(ENDS, None, ENDS + timedelta(hours=3), limit)
    assert not notice_due(None, 2, ENDS + timedelta(hours=3), limit)


def test_those_absent_get_the_recording_once_in_their_language_when_it_is_due(app, client, world, run_tasks):
    ids = world["ids"]
    login(client, world["emails"]["organizer"])
    assert edit_session(client, world).status_code == 302
    page = client.get(f"/activities/{ids['activity']}").get_data(as_text=True)
    assert f'Grabación: <a href="{RECORDING.replace("&", "&amp;")}"' in page
    assert "se envía a quienes figuran ausentes 2 horas después del fin" in page
    edit_form = client.get(f"/activities/{ids['activity']}/edit").get_data(as_text=True)
    assert f'value="{RECORDING}"' in edit_form and 'name="absent_notice_hours" type="number" value="2"' in edit_form
    facilitator = app.test_client()
    login(facilitator, world["emails"]["facilitator"])
    mark(facilitator, world, mx1="present", mx2="absent", gt1="absent", gt2="absent", obs1="absent")
    with app.app_context():
        db.session.get(Participant, ids["gt2"]).language = "en"
        db.session.get(Participant, ids["obs1"]).status = "withdrawn"
        db.session.commit()
    admin = app.test_client()
    login(admin, world["emails"]["admin"])
    assert erase_personal_data(admin, ids["mx2"], reason="Pidió por correo", confirm="y").status_code == 302
    due = ENDS + timedelta(hours=2)
    inbox = Inbox()
    with mail_server(app, inbox):
        with app.app_context():
            run_scheduled(app, due - timedelta(minutes=1))
        assert messages(app) == []  # not before its time
        with app.app_context():
            run_scheduled(app, due)
        assert messages(app) == [("ixchel.tzul@example.gt", "absence", "es"),
                                 ("oscar.cojti@example.gt", "absence", "en")]
        run_tasks()  # the send job the scheduler started (the sweep may queue it twice: it runs once)
        # Run again the same minute, the next one, and after the time was edited: nobody gets it twice.
        with app.app_context():
            run_scheduled(app, due)
            run_scheduled(app, due + timedelta(minutes=1))
        assert edit_session(client, world, absent_notice_hours="5").status_code == 302
        with app.app_context():
            run_scheduled(app, ENDS + timedelta(hours=5))
        run_tasks()
    received = dict(inbox.messages)
    assert sorted(received) == ["ixchel.tzul@example.gt", "oscar.cojti@example.gt"]
    spanish, english = received["ixchel.tzul@example.gt"], received["oscar.cojti@example.gt"]
    assert spanish["Subject"] == "Grabación: Sesión 0" and english["Subject"] == "Recording: Session 0"
    assert "Le extrañamos en «Sesión 0» del programa «Programa de prueba»" in spanish.get_content()
    assert "We missed you at “Session 0” of the program “Test program”" in english.get_content()
    assert all(RECORDING in message.get_content() and "/p/" in message.get_content()
               for message in received.values())
    assert queued_events(app) == [2]
    with app.app_context():
        notices = db.session.execute(select(AbsenceNotice.participant_id, OutboundMessage.status).join(
            OutboundMessage, OutboundMessage.id == AbsenceNotice.message_id).order_by(AbsenceNotice.participant_id))
        assert sorted(notices) == sorted([(ids["gt1"], "sent"), (ids["gt2"], "sent")])
    # Someone marked absent later, while the notice is still due, gets it at the next minute; only them.
    mark(facilitator, world, mx1="absent")
    with app.app_context():
        run_scheduled(app, ENDS + timedelta(hours=6))
    assert [to for to, _kind, _language in messages(app)][2:] == ["jose.nunez@example.mx"]
    assert queued_events(app) == [2, 1]


def test_nothing_is_sent_fourteen_days_after_its_time_nor_without_a_link(app, client, world):
    login(client, world["emails"]["organizer"])
    refused = edit_session(client, world, recording_link="").get_data(as_text=True)
    assert "El aviso a quienes faltaron envía este enlace: agréguelo." in refused
    for address in ("javascript://videos.example.org/%0aalert(1)", "ftp://videos.example.org/s0"):
        page = edit_session(client, world, recording_link=address).get_data(as_text=True)
        assert "Use una dirección que empiece con https:// o http://." in page
    assert edit_session(client, world, absent_notice_hours="721").status_code == 200
    assert edit_session(client, world, absent_notice_hours="0").status_code == 302
    facilitator = app.test_client()
    login(facilitator, world["emails"]["facilitator"])
    mark(facilitator, world, gt1="absent")
    with app.app_context():
        run_scheduled(app, ENDS + timedelta(days=14, minutes=1))  # a worker started two weeks late
    assert messages(app) == []
    with app.app_context():
        db.session.get(Activity, world["ids"]["activity"]).recording_link = ""
        db.session.commit()
        run_scheduled(app, ENDS + timedelta(hours=1))
    assert messages(app) == []
    assert edit_session(client, world, absent_notice_hours="").status_code == 302  # empty: never
    with app.app_context():
        run_scheduled(app, ENDS + timedelta(hours=1))
    assert messages(app) == []
    assert edit_session(client, world, absent_notice_hours="0").status_code == 302
    with app.app_context():
        run_scheduled(app, ENDS + timedelta(days=13, hours=23))
    assert messages(app) == [("ixchel.tzul@example.gt", "absence", "es")]


def test_two_schedulers_at_the_same_minute_queue_each_notice_once(app, client, world, monkeypatch):
    ids = world["ids"]
    login(client, world["emails"]["organizer"])
    edit_session(client, world)
    facilitator = app.test_client()
    login(facilitator, world["emails"]["facilitator"])
    mark(facilitator, world, mx1="absent", mx2="absent", gt1="absent", gt2="absent", obs1="absent")
    # Both read who is absent before either claims anyone (PostgreSQL; SQLite lets one writer in at a time, so there
    # the second waits for the first to commit and finds everyone claimed).
    with app.app_context():
        both_read = threading.Barrier(2) if db.engine.dialect.name == "postgresql" else None
    read = services_absence._absent_without_notice

    def read_then_wait(activity):
        people = read(activity)
        if both_read is not None:
            both_read.wait(timeout=10)
        return people

    monkeypatch.setattr(services_absence, "_absent_without_notice", read_then_wait)
    monkeypatch.setattr(tasks, "worker_name", lambda: threading.current_thread().name)  # two workers, two beats
    errors = []

    def scheduler():
        try:
            with app.app_context():
                run_scheduled(app, ENDS + timedelta(hours=2))
                db.session.remove()
        except Exception as error:  # reported below: a thread's exception would otherwise be lost
            errors.append(error)

    threads = [threading.Thread(target=scheduler) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sorted(to for to, _kind, _language in messages(app)) == [
        "fatima.gomez@example.mx", "ixchel.tzul@example.gt", "jose.nunez@example.mx", "marta.ruiz@example.org",
        "oscar.cojti@example.gt"]
    assert queued_events(app) == [5]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AbsenceNotice)) == 5
        assert set(db.session.scalars(select(AbsenceNotice.participant_id))) == {
            ids[key] for key in ("mx1", "mx2", "gt1", "gt2", "obs1")}


def test_the_secretariat_edits_the_notice_like_the_invitation(app, client, world, run_tasks):
    login(client, world["emails"]["admin"])
    program = world["ids"]["program"]
    url = f"/programs/{program}/messages/template/absence"
    page = client.get(url).get_data(as_text=True)
    assert "Grabación: {session}" in page and "{recording}" in page
    texts = {"subject_es": "Grabación de {session}", "body_es": "{first_name}: vea {recording} ({link})",
             "subject_en": "Recording of {session}", "body_en": "{first_name}: watch {recording} ({link})"}
    assert post_form(client, url, texts).status_code == 302
    # The invitation knows no session nor recording: those placeholders are refused there.
    refused = post_form(client, f"/programs/{program}/messages/template", texts).get_data(as_text=True)
    assert "Marcador desconocido: {session}." in refused
    bad = post_form(client, url, {**texts, "body_es": "{frist_name} {recording}"}).get_data(as_text=True)
    assert "Marcador desconocido: {frist_name}." in bad
    assert edit_session(client, world).status_code == 302
    mark(client, world, gt1="absent")
    with app.app_context():
        run_scheduled(app, ENDS + timedelta(hours=2))
        subject, body = db.session.execute(select(OutboundMessage.subject, OutboundMessage.body)).one()
    assert subject == "Grabación de Sesión 0" and body == f"Ixchel: vea {RECORDING} ({{link}})"


@pytest.mark.parametrize("kind", ["online_course", "other"])
def test_only_sessions_send_the_recording_to_those_absent(client, world, kind):
    login(client, world["emails"]["organizer"])
    page = edit_session(client, world, kind=kind, day="", start="", end="").get_data(as_text=True)
    assert "Solo las sesiones tienen personas marcadas como ausentes." in page
