"""The scheduler's minute, with a clock the tests set: reminders at the organizer's times (each person once per
reminder, in their language) and attempts finalized as soon as their window closes."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from assessments.models import Attempt, Questionnaire
from assessments.models_reminders import ReminderRule
from extensions import db
from tests.conftest import login, post_form
from tests.helpers import queued_of_kind, tick
from training.models import OutboundMessage, Participant, utcnow


@pytest.fixture
def open_pre_test(app, world):
    """The test program's pre-test, open since an hour, closing in 30 hours; Óscar reads English, Ixchel submitted
    and José Ángel is answering."""
    ids = world["ids"]
    with app.app_context():
        now = utcnow()
        pre = Questionnaire(program_id=ids["program"], kind="pre", title={"es": "Prueba previa", "en": "Pre-test"},
                            opens_at=now - timedelta(hours=1), closes_at=now + timedelta(hours=30))
        db.session.add(pre)
        db.session.flush()
        db.session.get(Participant, ids["gt2"]).language = "en"
        db.session.add(Attempt(questionnaire_id=pre.id, participant_id=ids["gt1"], status="submitted",
                               submitted_at=now, finalized_by="participant"))
        db.session.add(Attempt(questionnaire_id=pre.id, participant_id=ids["mx1"], status="in_progress"))
        db.session.commit()
        return pre.id, pre.closes_at


def schedule(client, questionnaire_id, hours, audience="unfinished"):
    return post_form(client, f"/questionnaires/{questionnaire_id}/reminder-schedule",
                     {"hours": hours, "audience": audience}, page=f"/questionnaires/{questionnaire_id}/progress")


def reminders(app):
    return queued_of_kind(app, "reminder")


def test_reminders_go_out_at_their_times_to_those_who_have_not_submitted_each_once(app, client, world,
                                                                                  open_pre_test, run_tasks):
    questionnaire_id, closes = open_pre_test
    login(client, world["emails"]["organizer"])
    assert schedule(client, questionnaire_id, "24, 2").status_code == 302
    page = client.get(f"/questionnaires/{questionnaire_id}/progress").get_data(as_text=True)
    assert "24 horas antes del cierre" in page and "2 horas antes del cierre" in page
    tick(app, closes - timedelta(hours=25))  # not yet
    assert reminders(app) == []
    tick(app, closes - timedelta(hours=23, minutes=59))
    unfinished = [("fatima.gomez@example.mx", "es", "Recordatorio: Prueba previa"),
                  ("jose.nunez@example.mx", "es", "Recordatorio: Prueba previa"),
                  ("marta.ruiz@example.org", "es", "Recordatorio: Prueba previa"),
                  ("oscar.cojti@example.gt", "en", "Reminder: Pre-test")]
    assert reminders(app) == unfinished  # Ixchel submitted
    run_tasks()  # the send job the scheduler started
    with app.app_context():
        assert set(db.session.scalars(select(OutboundMessage.status))) == {"outbox"}
    tick(app, closes - timedelta(hours=23))  # the same reminder, a minute later: nobody again
    schedule(client, questionnaire_id, "24, 2")  # the schedule saved again, unchanged: nobody again either
    tick(app, closes - timedelta(hours=22))
    assert reminders(app) == unfinished
    tick(app, closes - timedelta(hours=1, minutes=59))  # the second reminder: a second message each
    assert reminders(app) == sorted(unfinished * 2)
    tick(app, closes + timedelta(minutes=1))  # closed: no reminder after the end
    assert len(reminders(app)) == 8
    page = client.get(f"/questionnaires/{questionnaire_id}/progress").get_data(as_text=True)
    assert page.count("4 personas recordadas") == 2


def test_a_reminder_whose_moment_had_passed_when_it_was_set_is_not_sent(app, client, world, open_pre_test):
    questionnaire_id, closes = open_pre_test
    with app.app_context():  # the questionnaire closes in an hour: a "24 hours before" is already late
        db.session.get(Questionnaire, questionnaire_id).closes_at = utcnow() + timedelta(hours=1)
        db.session.commit()
    login(client, world["emails"]["organizer"])
    schedule(client, questionnaire_id, "24")
    tick(app, utcnow() + timedelta(minutes=1))
    assert reminders(app) == []


def test_not_started_reaches_only_those_without_an_attempt(app, client, world, open_pre_test):
    questionnaire_id, closes = open_pre_test
    login(client, world["emails"]["organizer"])
    schedule(client, questionnaire_id, "3", audience="not_started")
    tick(app, closes - timedelta(hours=2))
    assert [address for address, _language, _subject in reminders(app)] == [
        "fatima.gomez@example.mx", "marta.ruiz@example.org", "oscar.cojti@example.gt"]


def test_a_bad_schedule_is_refused_with_a_message(app, client, world, open_pre_test):
    questionnaire_id, _closes = open_pre_test
    login(client, world["emails"]["organizer"])
    for hours, message in (("mañana", "Escriba números enteros de horas"), ("0", "entre 1 y 720 horas")):
        response = schedule(client, questionnaire_id, hours)
        assert message in client.get(response.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        db.session.get(Questionnaire, questionnaire_id).closes_at = None
        db.session.commit()
    response = schedule(client, questionnaire_id, "24")  # no closing time to count back from
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert page.count("Indique primero cuándo cierra el cuestionario") == 2  # the refusal, and the card's hint
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ReminderRule)) == 0


def test_attempts_are_finalized_by_the_minute_their_window_closes(app, world, open_pre_test):
    questionnaire_id, closes = open_pre_test
    tick(app, closes - timedelta(seconds=30))
    with app.app_context():
        attempt = db.session.scalar(select(Attempt).where(Attempt.participant_id == world["ids"]["mx1"]))
        assert attempt.status == "in_progress"
    tick(app, closes + timedelta(seconds=30))
    with app.app_context():
        attempt = db.session.scalar(select(Attempt).where(Attempt.participant_id == world["ids"]["mx1"]))
        assert (attempt.status, attempt.finalized_by) == ("submitted", "window_closed")
