"""Reopening a closed questionnaire asks for its new closing time, in the program's zone and in the future: a
window is never left open forever by accident."""
from datetime import datetime, timedelta

from sqlalchemy import select

from assessments.models import Questionnaire
from assessments.services_builder import import_plain
from extensions import db
from tests.conftest import login, post_form
from tests.helpers import PLAIN
from training.models import AuditEvent, Program, utcnow
from training.schedule import to_local, to_utc

FORM = "%Y-%m-%dT%H:%M"


def open_questionnaire(app, world, closes_in=timedelta(days=2)):
    """The PLAIN pre-test in world's program, open since an hour ago and closing `closes_in` from now."""
    with app.app_context():
        questionnaire = import_plain(db.session.get(Program, world["ids"]["program"]), None, PLAIN)
        questionnaire.opens_at = utcnow() - timedelta(hours=1)
        questionnaire.closes_at = utcnow() + closes_in if closes_in else None
        db.session.commit()
        return questionnaire.id


def window(app, questionnaire_id):
    with app.app_context():
        questionnaire = db.session.get(Questionnaire, questionnaire_id)
        return questionnaire.opens_at, questionnaire.closes_at


def local_text(moment):
    return to_local(moment, "America/Mexico_City").strftime(FORM)


def test_reopening_a_closed_questionnaire_needs_a_closing_time_in_the_future(app, client, world):
    questionnaire_id = open_questionnaire(app, world)
    login(client, world["emails"]["organizer"])
    page = f"/questionnaires/{questionnaire_id}"
    post_form(client, f"{page}/close", {}, page=page)
    _opens, closed_at = window(app, questionnaire_id)
    assert closed_at <= utcnow()
    html = client.get(page).get_data(as_text=True)
    assert 'name="reopen-closes_at"' in html and "Nuevo cierre" in html
    # Without a closing time, nothing changes: it stays closed.
    missing = post_form(client, f"{page}/open", {}, page=page)
    assert missing.status_code == 400 and "Indique cuándo vuelve a cerrar" in missing.get_data(as_text=True)
    assert window(app, questionnaire_id)[1] == closed_at
    # A closing time already past is refused, and the page keeps what was typed.
    past = local_text(utcnow() - timedelta(hours=2))
    refused = post_form(client, f"{page}/open", {"reopen-closes_at": past}, page=page)
    assert refused.status_code == 400 and "debe estar en el futuro" in refused.get_data(as_text=True)
    assert f'value="{past}"' in refused.get_data(as_text=True)
    assert window(app, questionnaire_id)[1] == closed_at
    # A closing time in the future, read in the program's zone.
    new_close = local_text(utcnow() + timedelta(days=3))
    assert post_form(client, f"{page}/open", {"reopen-closes_at": new_close}, page=page).status_code == 302
    opens_at, closes_at = window(app, questionnaire_id)
    assert closes_at == to_utc(datetime.strptime(new_close, FORM), "America/Mexico_City")
    assert opens_at <= utcnow() < closes_at
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "questionnaire.opened"))
        assert event.details["closes_at"] == closes_at.isoformat()
        closed = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "questionnaire.closed"))
        assert closed.details["previous_closes_at"] is not None  # the closing time "Close now" replaced


def test_opening_a_questionnaire_that_was_never_open_keeps_its_closing_time(app, client, world):
    questionnaire_id = open_questionnaire(app, world, closes_in=timedelta(days=5))
    with app.app_context():
        db.session.get(Questionnaire, questionnaire_id).opens_at = utcnow() + timedelta(days=1)
        db.session.commit()
    planned = window(app, questionnaire_id)[1]
    login(client, world["emails"]["organizer"])
    page = f"/questionnaires/{questionnaire_id}"
    assert f'value="{local_text(planned)}"' in client.get(page).get_data(as_text=True)  # offered as it is
    assert post_form(client, f"{page}/open", {}, page=page).status_code == 302
    opens_at, closes_at = window(app, questionnaire_id)
    assert opens_at <= utcnow() and closes_at == planned
