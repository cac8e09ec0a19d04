"""A questionnaire tied to its agenda slot opens and closes with it, and follows it when the slot moves."""
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from assessments.models import Questionnaire
from extensions import db
from tests.conftest import login, post_form
from tests.factories import make_activity, make_agenda_item, make_program
from training.models import AgendaItem, AuditEvent, utcnow

UTC = timezone.utc
SETTINGS = {"title_es": "Prueba de entrada", "title_en": "Pre-test"}


@pytest.fixture
def organizer(client, world):
    login(client, world["emails"]["organizer"])
    return client


def add_pre_test_slot(client, world, start="14:10", end="14:30"):
    """A pre-test item in world's session S0 (14:00–16:00 in Mexico City, UTC−6 in March), through its page."""
    activity = world["ids"]["activity"]
    response = post_form(client, f"/activities/{activity}", {"start": start, "end": end, "kind": "pre_test",
                                                             "title_es": "Prueba diagnóstica", "parallel": "y"})
    assert response.status_code == 302
    with client.application.app_context():
        return db.session.scalar(select(AgendaItem.id).where(AgendaItem.kind == "pre_test"))


def new_pre_test(client, program_id):
    response = post_form(client, f"/programs/{program_id}/questionnaires", {"kind": "pre"})
    assert response.status_code == 302
    return int(response.location.rsplit("/", 1)[1])


def window(app, questionnaire_id):
    with app.app_context():
        questionnaire = db.session.get(Questionnaire, questionnaire_id)
        return questionnaire.agenda_item_id, questionnaire.opens_at, questionnaire.closes_at


def move(client, item_id, start, end):
    response = post_form(client, f"/agenda-items/{item_id}/edit", {"start": start, "end": end, "kind": "pre_test",
                                                                   "title_es": "Prueba diagnóstica", "parallel": "y"})
    assert response.status_code == 302


def at(hour, minute):
    return datetime(2026, 3, 3, hour, minute, tzinfo=UTC)


def test_a_questionnaire_tied_to_its_slot_opens_closes_and_moves_with_it(app, organizer, world):
    item = add_pre_test_slot(organizer, world)
    questionnaire = new_pre_test(organizer, world["ids"]["program"])
    url = f"/questionnaires/{questionnaire}"
    page = organizer.get(url).get_data(as_text=True)
    assert "Abrir durante el espacio de la agenda" in page
    assert f'<option value="{item}">S0 · martes, 3 de marzo de 2026, 14:10–14:30 · ' \
           "Evaluación previa (pre-test) · Prueba diagnóstica</option>" in page
    # Tied: the times typed are ignored, even a closing before the opening.
    saved = post_form(organizer, url, {**SETTINGS, "agenda_item_id": str(item), "opens_at": "2026-03-05T10:00",
                                       "closes_at": "2026-03-05T09:00"})
    assert saved.status_code == 302
    assert window(app, questionnaire) == (item, at(20, 10), at(20, 30))
    page = organizer.get(url).get_data(as_text=True)
    assert "Abre el martes, 3 de marzo de 2026 a las 14:10" in page
    assert "cierra el martes, 3 de marzo de 2026 a las 14:30" in page
    assert "Abre y cierra con el espacio de la agenda «Prueba diagnóstica» de S0" in page
    # The slot moves: the window follows, and the audit log says so.
    move(organizer, item, "15:00", "15:20")
    assert window(app, questionnaire) == (item, at(21, 0), at(21, 20))
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "questionnaire.window_followed_slot"))
        assert (event.object_id, event.user_id, event.details["opens_at"]) == (
            questionnaire, world["ids"]["organizer"], "2026-03-03T21:00:00+00:00")
        assert event.details["was_opens_at"] == "2026-03-03T20:10:00+00:00"
    admin = app.test_client()
    login(admin, world["emails"]["admin"])
    log = admin.get("/audit", query_string={"action": "questionnaire.window_followed_slot"}).get_data(as_text=True)
    assert "Ventana del cuestionario movida con su espacio de la agenda" in log
    # Untied: the current times stay (the form shows them), and the slot moving no longer changes them.
    page = organizer.get(url).get_data(as_text=True)
    assert 'value="2026-03-03T15:00"' in page and 'value="2026-03-03T15:20"' in page
    post_form(organizer, url, {**SETTINGS, "agenda_item_id": "", "opens_at": "2026-03-03T15:00",
                               "closes_at": "2026-03-03T15:20"})
    move(organizer, item, "14:40", "15:00")
    assert window(app, questionnaire) == (None, at(21, 0), at(21, 20))


def test_deleting_the_slot_or_opening_by_hand_unties_and_keeps_the_window(app, organizer, world):
    item = add_pre_test_slot(organizer, world)
    questionnaire = new_pre_test(organizer, world["ids"]["program"])
    url = f"/questionnaires/{questionnaire}"
    post_form(organizer, url, {**SETTINGS, "agenda_item_id": str(item)})
    post_form(organizer, f"/agenda-items/{item}/edit", {"action": "delete", "start": "14:10", "end": "14:30",
                                                        "kind": "pre_test", "title_es": "Prueba diagnóstica"})
    assert window(app, questionnaire) == (None, at(20, 10), at(20, 30))  # ON DELETE SET NULL
    item = add_pre_test_slot(organizer, world)
    post_form(organizer, url, {**SETTINGS, "agenda_item_id": str(item)})
    # The slot is over: opening again asks for a closing time ahead (in the program's zone).
    closes = (utcnow() + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M")
    assert post_form(organizer, f"{url}/open", {"reopen-closes_at": closes}, page=url).status_code == 302
    tied, opens_at, _closes_at = window(app, questionnaire)
    assert tied is None and opens_at > at(20, 10)
    move(organizer, item, "15:00", "15:20")
    assert window(app, questionnaire)[1] == opens_at  # opened by hand: the slot no longer moves it


def test_only_the_programs_own_slots_can_be_chosen(app, organizer, world):
    with app.app_context():
        other = make_program("OTHER-2026", {"es": "Otro programa"})
        session = make_activity(other, "S9", {"es": "Otra"}, at(15, 0))
        foreign = make_agenda_item(session, "pre_test", {"es": "Ajena"}).id
        db.session.commit()
    questionnaire = new_pre_test(organizer, world["ids"]["program"])
    url = f"/questionnaires/{questionnaire}"
    assert "Ajena" not in organizer.get(url).get_data(as_text=True)
    refused = post_form(organizer, url, {**SETTINGS, "agenda_item_id": str(foreign)})
    assert refused.status_code == 400
    assert window(app, questionnaire) == (None, None, None)
