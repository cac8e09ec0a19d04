"""IANA time-zone names offered to people, and their validation."""
from functools import lru_cache
from zoneinfo import available_timezones

_REGIONS = ("Africa/", "America/", "Antarctica/", "Asia/", "Atlantic/", "Australia/", "Europe/", "Indian/", "Pacific/")


@lru_cache(maxsize=None)
def timezone_names():
    """Sorted region/city zone names (legacy aliases such as 'US/Eastern' left out), plus UTC."""
    names = sorted(name for name in available_timezones() if name.startswith(_REGIONS))
    return tuple(names + ["UTC"])


def is_timezone(name):
    """True when `name` is one of the offered zones."""
    return name in timezone_names()
