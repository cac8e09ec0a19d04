"""Time zones, daylight saving, agenda checks and calendar files, tested without an app."""
from datetime import datetime, timezone

import pytest
from icalendar import Calendar

from training.calendar_files import CalendarEvent, calendar_bytes
from training.schedule import LocalTimeError, Slot, agenda_problems, clock, day_shift, to_local, to_utc, zone_label

UTC = timezone.utc


def test_mexico_city_afternoon_is_seen_an_hour_later_in_panama():
    start = to_utc(datetime(2021, 10, 26, 14, 0), "America/Mexico_City")
    assert start == datetime(2021, 10, 26, 19, 0, tzinfo=UTC)  # CDT, UTC-5, in October 2021
    assert clock(start, "America/Panama", "es") == "14:00"  # Panama is UTC-5 all year
    assert clock(start, "America/Santo_Domingo", "es") == "15:00"
    assert zone_label("America/Mexico_City", "es") == "Ciudad de México"
    assert zone_label("America/Mexico_City", "en") == "Mexico City"


def test_zone_names_are_kept_per_zone_and_language(monkeypatch):
    """A participant's page names their zone on every request: the name is looked up (and the zone's file read)
    once per zone and language."""
    from training import schedule

    calls = []
    real = schedule.get_timezone_location
    monkeypatch.setattr(schedule, "get_timezone_location", lambda *a, **k: calls.append(a) or real(*a, **k))
    schedule.zone_label.cache_clear()
    names = [zone_label("America/Mexico_City", language) for language in ("es", "en", "es", "en", "es")]
    assert names == ["Ciudad de México", "Mexico City"] * 2 + ["Ciudad de México"] and len(calls) == 2
    assert zone_label("Not/A_Zone", "es") == "A Zone"  # an unknown zone still gets its last part


def test_daylight_saving_edges():
    # Clocks in Toronto jump from 02:00 to 03:00 on 13 March 2022: 02:30 never happens.
    with pytest.raises(LocalTimeError):
        to_utc(datetime(2022, 3, 13, 2, 30), "America/Toronto")
    # 01:30 on 6 November 2022 happens twice; the first (daylight) one is taken.
    assert to_utc(datetime(2022, 11, 6, 1, 30), "America/Toronto") == datetime(2022, 11, 6, 5, 30, tzinfo=UTC)
    # Same wall-clock time, a different offset once daylight saving ends.
    assert to_utc(datetime(2022, 11, 7, 14, 0), "America/Toronto").hour == 19
    assert to_local(datetime(2022, 11, 7, 19, 0, tzinfo=UTC), "America/Toronto") == datetime(2022, 11, 7, 14, 0)


def test_a_session_can_cross_midnight_in_another_zone():
    start = to_utc(datetime(2021, 10, 26, 15, 0), "America/Mexico_City")  # 20:00 UTC
    assert day_shift(start, "Asia/Manila", "America/Mexico_City") == 1
    assert day_shift(start, "America/Panama", "America/Mexico_City") == 0


def test_agenda_items_outside_the_session_or_overlapping_are_found():
    t = lambda h, m: datetime(2021, 10, 26, h, m, tzinfo=UTC)  # noqa: E731
    slots = [Slot("a", t(19, 0), t(19, 10)), Slot("b", t(19, 5), t(19, 20)), Slot("c", t(19, 20), t(19, 30), True),
             Slot("d", t(19, 25), t(19, 40)), Slot("e", t(20, 50), t(21, 10))]
    assert agenda_problems(slots, t(19, 0), t(21, 0)) == [("e", "outside"), ("b", "overlap")]


def test_calendar_files_carry_utc_instants_calendar_apps_import():
    event = CalendarEvent(uid="S1@capacita", starts_at=datetime(2021, 10, 26, 19, 0, tzinfo=UTC),
                          ends_at=datetime(2021, 10, 26, 21, 0, tzinfo=UTC), summary="Sesión virtual 1: Migración",
                          url="https://zoom.example/j/1")
    parsed = Calendar.from_ical(calendar_bytes([event], "CRM-CE-2021"))
    (vevent,) = parsed.walk("VEVENT")
    assert vevent.decoded("dtstart") == datetime(2021, 10, 26, 19, 0, tzinfo=UTC)
    assert str(vevent["summary"]) == "Sesión virtual 1: Migración" and str(vevent["uid"]) == "S1@capacita"
    assert b"DTSTART:20211026T190000Z" in calendar_bytes([event], "x")


def test_an_item_inside_a_long_earlier_item_overlaps_it_too():
    t = lambda h, m: datetime(2021, 10, 26, h, m, tzinfo=UTC)  # noqa: E731
    slots = [Slot("long", t(19, 0), t(20, 0)), Slot("b", t(19, 10), t(19, 20)), Slot("c", t(19, 30), t(19, 40))]
    assert agenda_problems(slots, None, None) == [("b", "overlap"), ("c", "overlap")]
