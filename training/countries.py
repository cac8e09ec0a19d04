"""Countries by ISO 3166-1 alpha-2 code: validation, localized names and default time zones."""
from functools import lru_cache
from importlib import resources

import pycountry
from babel import Locale
from babel.core import get_global

from .localized import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES
from .textkeys import fold


def is_country(code):
    """True when `code` is an assigned ISO 3166-1 alpha-2 code."""
    return bool(code) and pycountry.countries.get(alpha_2=code.upper()) is not None


def normalize_code(code):
    """Upper-case and strip a code; None when it is not an assigned ISO code."""
    code = (code or "").strip().upper()
    return code if is_country(code) else None


def country_name(code, language=DEFAULT_LANGUAGE):
    """The country's common name in `language` (CLDR, via Babel); the ISO name if CLDR has none."""
    code = (code or "").upper()
    name = Locale.parse(language).territories.get(code)
    if name:
        return name
    country = pycountry.countries.get(alpha_2=code)
    return country.name if country else code


@lru_cache(maxsize=None)
def _all_codes():
    return tuple(sorted(country.alpha_2 for country in pycountry.countries))


def country_choices(language=DEFAULT_LANGUAGE):
    """(code, name) pairs for every country, sorted by name in `language`."""
    pairs = [(code, country_name(code, language)) for code in _all_codes()]
    return sorted(pairs, key=lambda pair: fold(pair[1]))


@lru_cache(maxsize=None)
def _zones_by_country():
    # tzdata's zone.tab lists each country's zones; its first row is the one tzdb lists first.
    table = resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text(encoding="utf-8")
    zones = {}
    for line in table.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        code, _coordinates, zone = line.split("\t")[:3]
        zones.setdefault(code, []).append(zone)
    return zones


def country_timezones(code):
    """The IANA zones tzdb lists for a country, in tzdb's order."""
    return list(_zones_by_country().get((code or "").upper(), []))


def default_timezone(code, preferred=None):
    """A sensible zone for someone in the country: `preferred` when it is one of the country's, else tzdb's first."""
    zones = country_timezones(code)
    if preferred and preferred in zones:
        return preferred
    return zones[0] if zones else preferred


@lru_cache(maxsize=None)
def _codes_by_name():
    index = {}
    for country in pycountry.countries:
        code = country.alpha_2
        names = {code, country.alpha_3, country.name, getattr(country, "official_name", ""),
                 getattr(country, "common_name", "")}
        names |= {Locale.parse(language).territories.get(code, "") for language in SUPPORTED_LANGUAGES}
        for name in names:
            if name:
                index.setdefault(fold(name), code)
    return index


def code_from_name(text):
    """'México', 'Mexique', 'mexico', 'MEX' or 'MX' → 'MX' (names in each supported language); None when nothing
    matches."""
    return _codes_by_name().get(fold(text))


def main_language(code, offered=SUPPORTED_LANGUAGES):
    """Of the `offered` languages (any list), the official one of the country (CLDR) most people there speak,
    else None: Canada → en among (es, en, fr, pt), fr among (es, fr), Brazil → pt."""
    spoken = get_global("territory_languages").get((code or "").upper(), {})
    official = sorted(
        (info.get("population_percent", 0), language)
        for language, info in spoken.items()
        if language in offered and info.get("official_status") in ("official", "de_facto_official")
    )
    return official[-1][1] if official else None
