"""Attendance follows the calendar: a session that has not started takes no marks unless someone overrides, with a
reason the audit log keeps."""
import re
from datetime import timedelta

from sqlalchemy import select

from extensions import db
from tests.conftest import login, post_form
from tests.factories import make_activity
from training.models import Activity, Attendance, AuditEvent, Program, utcnow
from training.schedule import clock, day


def upcoming_session(app, world, hours_ahead=3):
    """A session of world's program that starts `hours_ahead` from now: its id and its start as the page says it."""
    with app.app_context():
        program = db.session.get(Program, world["ids"]["program"])
        session = make_activity(program, "S9", {"es": "Sesión 9"}, utcnow() + timedelta(hours=hours_ahead))
        db.session.commit()
        start = session.starts_at
        return session.id, f"{day(start, program.timezone, 'es')}, {clock(start, program.timezone, 'es')}"


def marks(app):
    with app.app_context():
        return {row.participant_id: (row.status, row.comment) for row in db.session.scalars(select(Attendance))}


def test_a_session_that_has_not_started_refuses_marks_and_keeps_what_was_typed(app, client, world):
    session_id, starts = upcoming_session(app, world)
    login(client, world["emails"]["facilitator"])
    url = f"/activities/{session_id}/attendance"
    page = client.get(url).get_data(as_text=True)
    assert "todavía no ha comenzado" in page and starts in page and "(Ciudad de México)" in page
    ids = world["ids"]
    typed = {f"status-{ids['mx1']}": "present", f"status-{ids['gt1']}": "excused",
             f"comment-{ids['gt1']}": "Avisó que llegará tarde"}
    refused = post_form(client, url, typed)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "no se guardó ninguna marca" in html and starts in html
    assert "Avisó que llegará tarde" in html  # what was typed is still on the sheet
    assert f'name="status-{ids["gt1"]}" value="excused" checked' in html
    assert f'name="status-{ids["mx1"]}" value="present" checked' in html
    assert marks(app) == {}
    # Ticking the override without saying why is refused too, and keeps the sheet as typed.
    no_reason = post_form(client, url, {**typed, "override": "y"})
    assert no_reason.status_code == 400 and "Explique por qué" in no_reason.get_data(as_text=True)
    assert re.search(r'<input checked[^>]* name="override"', no_reason.get_data(as_text=True))
    assert marks(app) == {}


def test_an_override_with_a_reason_saves_the_marks_and_the_audit_log_keeps_the_reason(app, client, world):
    session_id, _starts = upcoming_session(app, world)
    login(client, world["emails"]["organizer"])
    url = f"/activities/{session_id}/attendance"
    reason = "Sesión adelantada por la sede; la lista se pasó en papel"
    saved = post_form(client, url, {f"status-{world['ids']['mx1']}": "present", "override": "y",
                                    "override_reason": reason})
    assert saved.status_code == 302
    assert marks(app) == {world["ids"]["mx1"]: ("present", "")}
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "attendance.saved"))
        assert event.object_id == session_id and event.details["override_reason"] == reason
        assert event.details["starts_at"] == db.session.get(Activity, session_id).starts_at.isoformat()


def test_a_session_under_way_takes_marks_without_an_override(app, client, world):
    session_id, _starts = upcoming_session(app, world, hours_ahead=-1)  # started an hour ago
    login(client, world["emails"]["facilitator"])
    response = post_form(client, f"/activities/{session_id}/attendance", {f"status-{world['ids']['gt2']}": "late"})
    assert response.status_code == 302 and marks(app) == {world["ids"]["gt2"]: ("late", "")}
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "attendance.saved"))
        assert "override_reason" not in event.details
