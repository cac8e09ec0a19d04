"""iCalendar (.ics) files for sessions, agendas and deadlines, built with the icalendar library (pure)."""
from dataclasses import dataclass
from datetime import date, datetime, timezone


@dataclass(frozen=True)
class CalendarEvent:
    """An event: aware datetimes, or dates for an all-day event (`ends_at` the day after the last); `ends_at`
    None for a moment, such as a closing time."""
    uid: str
    starts_at: datetime | date
    ends_at: datetime | date | None
    summary: str
    description: str = ""
    url: str = ""
    location: str = ""


def calendar_bytes(events, name, stamp=None):
    """An .ics file calendar apps import with the right times: UTC instants, so no zone database is needed."""
    from icalendar import Calendar, Event  # imported here: the app loads icalendar only to write a calendar file

    calendar = Calendar()
    calendar.add("prodid", "-//Capacita//Capacity-building programs//ES")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    stamp = stamp or datetime.now(timezone.utc)
    for item in events:
        event = Event()
        event.add("uid", item.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", _instant(item.starts_at))
        if item.ends_at is not None:
            event.add("dtend", _instant(item.ends_at))
        event.add("summary", item.summary)
        if item.description:
            event.add("description", item.description)
        if item.url:
            event.add("url", item.url)
        if item.location:
            event.add("location", item.location)
        calendar.add_component(event)
    return calendar.to_ical()


def _instant(moment):
    """A datetime in UTC; a date stays a date (an all-day event, VALUE=DATE)."""
    return moment.astimezone(timezone.utc) if isinstance(moment, datetime) else moment
