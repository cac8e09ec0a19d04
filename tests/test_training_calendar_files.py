"""Calendar files carry what a calendar app shows: where (place or meeting link), the description with the agenda
and the link, the courses' deadlines and the questionnaires' closing times."""
from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar

from extensions import db
from tests.conftest import login
from tests.factories import make_activity, make_questionnaire
from tests.helpers import enter, link_for
from training.calendar_files import CalendarEvent, calendar_bytes
from training.models import Activity, Participant, Program

LINK = "https://zoom.example/j/77"
DUE = datetime(2026, 3, 14, 5, 59, 59, tzinfo=UTC)  # 13 March, 23:59:59 in Mexico City
CLOSES = datetime(2026, 3, 6, 1, 0, tzinfo=UTC)  # 5 March, 19:00 in Mexico City


def furnish(app, world):
    """World's S0 with a link and a description, an in-person session, a course with a deadline, a post-test."""
    with app.app_context():
        program = db.session.get(Program, world["ids"]["program"])
        s0 = db.session.get(Activity, world["ids"]["activity"])
        s0.link, s0.description = LINK, {"es": "Presentación del programa", "en": "The program's opening"}
        make_activity(program, "S1", {"es": "Sesión presencial"}, datetime(2026, 3, 4, 15, 0, tzinfo=UTC),
                      kind="in_person_session", location="Hotel Real, San José")
        db.session.add(Activity(program_id=program.id, code="C1", kind="online_course", due_at=DUE,
                                title={"es": "Curso de migración laboral"}, link="https://campus.example/c1"))
        make_questionnaire(program, "post", {"es": "Prueba de salida"}, closes_at=CLOSES,
                           opens_at=CLOSES - timedelta(days=1))
        db.session.commit()


def events_of(data):
    return {str(event["summary"]): event for event in Calendar.from_ical(data).walk("VEVENT")}


def test_the_program_calendar_carries_place_link_agenda_deadlines_and_closings(app, client, world):
    furnish(app, world)
    login(client, world["emails"]["organizer"])
    events = events_of(client.get(f"/programs/{world['ids']['program']}/agenda.ics").data)
    s0 = events["S0 · Sesión 0"]
    assert str(s0["location"]) == LINK and str(s0["url"]) == LINK
    description = str(s0["description"])
    assert description.startswith("Presentación del programa")
    assert "14:00–16:00 Bienvenida" in description and "15:00–15:30 Trabajo en grupos" in description
    assert "Ciudad de México" in description and LINK in description
    assert str(events["S1 · Sesión presencial"]["location"]) == "Hotel Real, San José"
    deadline = events["Fecha límite: C1 · Curso de migración laboral"]
    assert deadline.decoded("dtstart") == date(2026, 3, 13) and deadline.decoded("dtend") == date(2026, 3, 14)
    assert "23:59" in str(deadline["description"]) and str(deadline["url"]) == "https://campus.example/c1"
    closing = events["Cierra: Prueba de salida"]
    assert closing.decoded("dtstart") == CLOSES and "dtend" not in closing
    assert len({str(event["uid"]) for event in events.values()}) == len(events) == 4


def test_a_participant_gets_the_same_in_their_language_and_zone(app, world):
    furnish(app, world)
    with app.app_context():
        person = db.session.get(Participant, world["ids"]["gt1"])
        person.timezone, person.language = "America/Santo_Domingo", "en"
        db.session.commit()
    participant = app.test_client()
    enter(participant, link_for(app, world["ids"]["gt1"]))
    events = events_of(participant.get("/me/agenda.ics").data)
    description = str(events["S0 · Sesión 0"]["description"])
    assert "The program's opening" in description and "16:00–18:00 Bienvenida" in description  # Santo Domingo
    assert "Deadline: C1 · Curso de migración laboral" in events
    assert "Closes: Prueba de salida" in events


def test_one_session_calendar_holds_that_session_only(app, client, world):
    furnish(app, world)
    login(client, world["emails"]["facilitator"])
    events = events_of(client.get(f"/activities/{world['ids']['activity']}/agenda.ics").data)
    assert list(events) == ["S0 · Sesión 0"]


def test_all_day_events_and_moments_are_written_as_calendar_apps_read_them():
    events = [CalendarEvent(uid="C1-due@capacita", starts_at=date(2026, 3, 13), ends_at=date(2026, 3, 14),
                            summary="Deadline"),
              CalendarEvent(uid="post-closes@capacita", starts_at=CLOSES, ends_at=None, summary="Closes",
                            location="https://x.example")]
    data = calendar_bytes(events, "x", stamp=datetime(2026, 1, 1, tzinfo=UTC))
    assert b"DTSTART;VALUE=DATE:20260313" in data and b"DTEND;VALUE=DATE:20260314" in data
    assert b"DTSTART:20260306T010000Z" in data and data.count(b"DTEND") == 1
