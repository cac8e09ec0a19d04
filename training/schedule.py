"""Times of sessions and agenda items: local ↔ UTC with daylight-saving edges, labels, agenda checks (pure)."""
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time, get_timezone_location


class LocalTimeError(ValueError):
    """A wall-clock time that does not exist in the zone (the hour skipped when clocks go forward)."""


def to_utc(local, zone):
    """A naive local datetime in `zone` → aware UTC. Skipped times are refused; repeated ones take the first."""
    tz = ZoneInfo(zone)
    aware = local.replace(tzinfo=tz, fold=0)
    back = aware.astimezone(timezone.utc).astimezone(tz).replace(tzinfo=None)
    if back != local:
        raise LocalTimeError(f"{local:%Y-%m-%d %H:%M} does not exist in {zone}")
    return aware.astimezone(timezone.utc)


def to_local(moment, zone):
    """An aware datetime shown in `zone` (naive result, for forms)."""
    return moment.astimezone(ZoneInfo(zone)).replace(tzinfo=None)


@lru_cache(maxsize=1024)
def zone_label(zone, language):
    """'Ciudad de México' / 'Mexico City': the zone as people name it. Kept per (zone, language): Babel's names
    do not change while the app runs, and a participant's page would otherwise load the zone's file again
    whenever zoneinfo's own small cache has let it go."""
    try:
        return get_timezone_location(ZoneInfo(zone), locale=language, return_city=True)
    except (LookupError, ValueError):
        return zone.rsplit("/", 1)[-1].replace("_", " ")


def clock(moment, zone, language):
    return format_time(moment, "HH:mm", tzinfo=ZoneInfo(zone), locale=language)


def day(moment, zone, language):
    """The local date, written out ('martes, 26 de octubre de 2021'); it can differ between zones."""
    return format_date(moment.astimezone(ZoneInfo(zone)).date(), "full", locale=language)


def when(moment, zone, language):
    """'sábado, 5 de diciembre de 2026, 17:00 (Ciudad de México)': a moment as pages and messages name it."""
    return f"{day(moment, zone, language)}, {clock(moment, zone, language)} ({zone_label(zone, language)})"


def day_shift(moment, zone, reference_zone):
    """+1 when the moment falls on the next calendar day in `zone` than in `reference_zone`, -1 the day before."""
    local = moment.astimezone(ZoneInfo(zone)).date()
    reference = moment.astimezone(ZoneInfo(reference_zone)).date()
    return (local - reference).days


@dataclass(frozen=True)
class Slot:
    key: object
    starts_at: datetime
    ends_at: datetime
    parallel: bool = False


def agenda_problems(slots, session_start, session_end):
    """(key, code) pairs: 'outside' the session, 'overlap' with another item not marked parallel."""
    problems = []
    for slot in slots:
        if session_start and session_end and (slot.starts_at < session_start or slot.ends_at > session_end):
            problems.append((slot.key, "outside"))
    # Any earlier item still running, not just the one just before, counts: keep the latest end seen.
    busy_until = None
    for slot in sorted(slots, key=lambda s: (s.starts_at, s.ends_at)):
        if slot.parallel:
            continue
        if busy_until is not None and slot.starts_at < busy_until:
            problems.append((slot.key, "overlap"))
        busy_until = max(busy_until, slot.ends_at) if busy_until else slot.ends_at
    return problems



def notice_due(ends_at, hours, now, too_late):
    """Whether a notice set for `hours` after a session ending at `ends_at` goes out at `now`: its time has come
    and is not older than `too_late` (a worker started days later sends nothing stale)."""
    if ends_at is None or hours is None:
        return False
    due = ends_at + timedelta(hours=hours)
    return due <= now < due + too_late
