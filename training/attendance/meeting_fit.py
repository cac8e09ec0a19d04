"""Whether a Zoom report fits the session it is imported for: its date, meeting ID and topic (pure). Each misfit
is a warning for the reviewer, never a refusal: a session may move, be restarted under a new ID, or be renamed."""
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from ..textkeys import name_key

# Zoom writes the times of the zone of the account that exports the report, which may not be the program's:
# a neighbouring country's hours, a host who opens the room early, are no misfit; another day is.
TOLERANCE = timedelta(hours=4)
# https://us02web.zoom.us/j/81234567890?pwd=…, …/w/…, …/s/…, …/wc/join/…, zoommtg://zoom.us/join?confno=…
LINK_ID = re.compile(r"zoom[^/]*/(?:j|w|s|wc(?:/join)?|join|my/webinar)/(\d{9,12})\b|[?&]confno=(\d{9,12})\b")


@dataclass(frozen=True)
class SessionFacts:
    starts_at: datetime | None  # aware
    zone: str  # the program's
    link: str
    titles: tuple  # the session's title in each of its languages
    code: str


def meeting_warnings(report, session):
    """[(code, params)] for each way the report does not fit the session: "date" (the report's start, or its
    earliest join when it has no meeting block, is hours away from the session's), "meeting_id" (the session's
    link is for another meeting) and "topic" (the meeting's topic is not the session's title)."""
    meeting = report.meeting
    warnings = []
    started = _report_start(report)
    if started is not None and session.starts_at is not None:
        expected = session.starts_at.astimezone(ZoneInfo(session.zone)).replace(tzinfo=None)
        if abs(started - expected) > TOLERANCE:
            warnings.append(("date", {"report": started, "session": expected}))
    link_id = meeting_id_of(session.link)
    if meeting and meeting.meeting_id and link_id and meeting.meeting_id != link_id:
        warnings.append(("meeting_id", {"report": meeting.meeting_id, "session": link_id}))
    if meeting and meeting.topic and not topic_fits(meeting.topic, session.titles, session.code):
        warnings.append(("topic", {"report": meeting.topic}))
    return warnings


def meeting_id_of(link):
    """The Zoom meeting ID a link carries (digits), or '' (a personal room's name, another platform, no link)."""
    match = LINK_ID.search(link or "")
    return next(group for group in match.groups() if group) if match else ""


def topic_fits(topic, titles, code):
    """A folded comparison of the meeting's topic with the session's titles (each language): it names the session's
    code ('S2'), or holds a title or lies within one, or shares at least half the words of a title's head (before a
    colon or dash: 'Sesión 2' fits 'Sesión virtual 2: Capacidades…'); and when both carry numbers, one is the same
    ('Sesión 1' never fits 'Sesión virtual 2')."""
    key = name_key(topic)
    if not key or f" {name_key(code)} " in f" {key} ":
        return True
    return any(_fits(key, name_key(title), _head(title)) for title in titles if name_key(title))


def _fits(key, title, head):
    numbers, their_numbers = _numbers(key), _numbers(title)
    if numbers and their_numbers and not numbers & their_numbers:
        return False
    if f" {title} " in f" {key} " or f" {key} " in f" {title} ":
        return True
    words = [word for word in head.split() if not word.isdigit()]
    shared = sum(1 for word in words if word in key.split())
    return bool(words) and shared * 2 >= len(words)


def _head(title):
    """The title's part before a colon or a spaced dash, folded ('sesion virtual 2')."""
    return name_key(re.split(r":|\s[-–—]\s", title, maxsplit=1)[0])


def _numbers(key):
    return {word for word in key.split() if word.isdigit()}


def _report_start(report):
    if report.meeting and report.meeting.start:
        return report.meeting.start
    joins = [row.joined for row in report.rows if row.joined and not row.errors]
    return min(joins) if joins else None
