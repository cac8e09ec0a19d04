"""Date arithmetic of a program copied to new dates: whole days, kept at the same wall-clock time in its zone."""
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo


def day_shift(source_start, new_start):
    """Days from the source's start to the copy's (0 when the source has no start date to measure from)."""
    if source_start is None or new_start is None:
        return 0
    return (new_start - source_start).days


def first_day(moments, zone):
    """The local date of the earliest of `moments` (None ones skipped) in `zone`: what a program without a start date
    is measured from."""
    known = [m for m in moments if m is not None]
    return min(known).astimezone(ZoneInfo(zone)).date() if known else None


def shift_date(day: date | None, days: int) -> date | None:
    return None if day is None else day + timedelta(days=days)


def shift_moment(moment: datetime | None, days: int, zone: str) -> datetime | None:
    """`moment` (aware) moved by `days` calendar days in `zone`: a 09:00 local session stays 09:00 local even when
    a change of clocks lies in between (so the UTC difference is not always 24 h a day). A wall time that does not
    exist on the new day (the hour skipped when clocks go forward) becomes the same instant plus that hour, as
    clocks read it; a repeated one takes its first occurrence."""
    if moment is None:
        return None
    tz = ZoneInfo(zone)
    local = moment.astimezone(tz).replace(tzinfo=None) + timedelta(days=days)
    return local.replace(tzinfo=tz, fold=0).astimezone(timezone.utc)
