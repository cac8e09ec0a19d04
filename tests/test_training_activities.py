"""Activities and agendas: entered in the program's zone, stored in UTC, shown in two zones, exported as .ics."""
from datetime import datetime, timezone

from icalendar import Calendar
from sqlalchemy import select

from extensions import db
from tests.conftest import csrf_from, login, post_form
from training.models import Activity, AgendaItem, Program

SESSION = {"code": "s1", "kind": "virtual_session", "required": "y", "title_es": "Sesión 1", "title_en": "Session 1",
           "day": "2021-10-26", "start": "14:00", "end": "16:00", "link": "https://zoom.example/j/1"}


def new_session(client, world, **overrides):
    return post_form(client, f"/programs/{world['ids']['program']}/activities/new", {**SESSION, **overrides})


def test_organizer_creates_a_session_stored_in_utc(app, client, world):
    login(client, world["emails"]["organizer"])
    response = new_session(client, world)
    assert response.status_code == 302
    with app.app_context():
        activity = db.session.scalar(select(Activity).where(Activity.code == "S1"))
        assert activity.starts_at == datetime(2021, 10, 26, 19, 0, tzinfo=timezone.utc)  # 14:00 CDT
        assert activity.ends_at == datetime(2021, 10, 26, 21, 0, tzinfo=timezone.utc)
    page = client.get(response.headers["Location"], query_string={"tz": "America/Santo_Domingo"})
    assert "Sesión 1" in page.get_data(as_text=True)


def test_session_form_errors(client, world):
    login(client, world["emails"]["admin"])
    html = new_session(client, world, end="13:00").get_data(as_text=True)
    assert 'id="end-error">El fin debe ser posterior al inicio.' in html
    html = new_session(client, world, start="", code="bad code").get_data(as_text=True)
    assert 'id="start-error">Una sesión necesita su fecha, inicio y fin.' in html and 'id="code-error"' in html
    new_session(client, world)
    assert 'id="code-error">Otra actividad de este programa usa este código.' in \
        new_session(client, world).get_data(as_text=True)


def test_agenda_items_must_fit_and_not_overlap(app, client, world):
    login(client, world["emails"]["admin"])
    url = new_session(client, world).headers["Location"]

    def add(start, end, title, parallel=False):
        data = {"start": start, "end": end, "kind": "presentation", "title_es": title}
        if parallel:
            data["parallel"] = "y"
        return post_form(client, url, data)

    assert add("14:00", "14:10", "Bienvenida").status_code == 302
    assert "El elemento se superpone" in add("14:05", "14:20", "Choque").get_data(as_text=True)
    assert add("14:05", "14:20", "Sala paralela", parallel=True).status_code == 302
    assert "debe quedar dentro de la sesión" in add("15:50", "16:30", "Tarde").get_data(as_text=True)
    assert add("14:20", "14:45", "Presentación").status_code == 302
    with app.app_context():
        titles = [i.title["es"] for i in db.session.scalars(
            select(AgendaItem).join(Activity).where(Activity.code == "S1").order_by(AgendaItem.starts_at))]
        assert titles == ["Bienvenida", "Sala paralela", "Presentación"]
    html = client.get(url, query_string={"tz": "America/Santo_Domingo"}).get_data(as_text=True)
    assert "14:20–14:45" in html and "15:20–15:45" in html  # Mexico City and Santo Domingo side by side
    assert "Ciudad de México" in html and "Santo Domingo" in html


def test_calendar_files_import_with_the_right_times(app, client, world):
    login(client, world["emails"]["facilitator"])
    with app.app_context():
        db.session.add(Activity(program_id=world["ids"]["program"], code="S2", kind="virtual_session",
                                title={"es": "Sesión 2"}, starts_at=datetime(2021, 10, 28, 19, 0, tzinfo=timezone.utc),
                                ends_at=datetime(2021, 10, 28, 21, 0, tzinfo=timezone.utc)))
        db.session.commit()
    response = client.get(f"/programs/{world['ids']['program']}/agenda.ics")
    assert response.mimetype == "text/calendar"
    events = {str(e["summary"]): e for e in Calendar.from_ical(response.data).walk("VEVENT")}
    assert set(events) == {"S0 · Sesión 0", "S2 · Sesión 2"}
    event = events["S2 · Sesión 2"]
    assert event.decoded("dtstart") == datetime(2021, 10, 28, 19, 0, tzinfo=timezone.utc)
    assert str(event["summary"]) == "S2 · Sesión 2"


def test_facilitators_read_but_do_not_plan(client, world):
    login(client, world["emails"]["facilitator"])
    assert client.get(f"/programs/{world['ids']['program']}/activities").status_code == 200
    assert client.get(f"/programs/{world['ids']['program']}/activities/new").status_code == 403


def test_participants_see_the_agenda_in_their_own_zone(app, world):
    from tests.helpers import enter, link_for
    from training.models import Participant

    with app.app_context():
        db.session.get(Participant, world["ids"]["gt1"]).timezone = "America/Santo_Domingo"
        db.session.add(Activity(program_id=world["ids"]["program"], code="S1", kind="virtual_session",
                                title={"es": "Sesión 1", "en": "Session 1"},
                                starts_at=datetime(2021, 10, 26, 19, 0, tzinfo=timezone.utc),
                                ends_at=datetime(2021, 10, 26, 21, 0, tzinfo=timezone.utc)))
        db.session.commit()
    participant = app.test_client()
    enter(participant, link_for(app, world["ids"]["gt1"]))
    html = participant.get("/me").get_data(as_text=True)
    assert "15:00–17:00 (Santo Domingo)" in html and "14:00–16:00 (Ciudad de México)" in html
    calendar = Calendar.from_ical(participant.get("/me/agenda.ics").data)
    assert [str(e["summary"]) for e in calendar.walk("VEVENT")] == ["S1 · Sesión 1", "S0 · Sesión 0"]


def test_the_demo_has_the_concept_notes_sessions_and_courses(app):
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    with app.app_context():  # the reference program's (the demo's second program repeats them)
        program_id = db.session.scalar(select(Program.id).where(Program.code == "CRM-CE-2021"))
        activities = {a.code: a for a in db.session.scalars(select(Activity).where(Activity.program_id == program_id))}
        assert sorted(activities) == ["C1", "C2", "C3", "S1", "S2", "S3"]
        assert not activities["C3"].required and activities["C1"].required
        s1 = activities["S1"]
        assert [i.kind for i in s1.items][:2] == ["welcome", "pre_test"] and len(s1.items) == 8
        assert s1.starts_at.astimezone(timezone.utc).hour == 20  # 14:00 in Mexico City (UTC-6)
        assert any(i.kind == "post_test" for i in activities["S3"].items)
        from training.models import Attendance

        marks = db.session.scalars(select(Attendance).join(Activity).where(Activity.program_id == program_id)).all()
        statuses = [m.status for m in marks]
        assert statuses.count("excused") == 1 and "absent" in statuses
        assert statuses.count("present") > len(marks) / 2
        missed_course = [m for m in marks if m.activity_id == activities["C2"].id and m.status == "absent"]
        assert len(missed_course) >= 1


def test_csrf_token_is_required_to_add_items(client, world):
    login(client, world["emails"]["admin"])
    url = new_session(client, world).headers["Location"]
    assert client.post(url, data={"start": "14:00", "end": "14:10", "kind": "welcome", "title_es": "x"}).status_code \
        == 400
    assert csrf_from(client.get(url).get_data(as_text=True))


def test_an_agenda_item_is_edited_and_deleted(app, client, world):
    login(client, world["emails"]["organizer"])
    url = f"/agenda-items/{world['ids']['agenda_item']}/edit"
    page = client.get(url).get_data(as_text=True)
    assert 'value="14:00"' in page and 'value="Bienvenida"' in page  # 20:00 UTC shown in Mexico City time
    edited = post_form(client, url, {"start": "14:00", "end": "14:15", "kind": "welcome", "title_es": "Apertura"})
    assert edited.status_code == 302
    with app.app_context():
        item = db.session.get(AgendaItem, world["ids"]["agenda_item"])
        assert item.title == {"es": "Apertura"} and item.ends_at.minute == 15
    post_form(client, url, {"start": "14:00", "end": "14:15", "kind": "welcome", "title_es": "Apertura",
                            "action": "delete"})
    with app.app_context():
        assert db.session.get(AgendaItem, world["ids"]["agenda_item"]) is None
