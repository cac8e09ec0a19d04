"""iCalendar (.ics) files for sessions and agendas, built with the icalendar library (pure)."""
from dataclasses import dataclass
from datetime import datetime, timezone


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    starts_at: datetime  # aware
    ends_at: datetime
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
        event.add("dtstart", item.starts_at.astimezone(timezone.utc))
        event.add("dtend", item.ends_at.astimezone(timezone.utc))
        event.add("summary", item.summary)
        if item.description:
            event.add("description", item.description)
        if item.url:
            event.add("url", item.url)
        if item.location:
            event.add("location", item.location)
        calendar.add_component(event)
    return calendar.to_ical()
