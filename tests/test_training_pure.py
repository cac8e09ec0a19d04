"""Pure helpers of the training blueprint, tested without an app: countries, zones, localized text, demo data."""
from datetime import date

from training.countries import country_choices, country_name, country_timezones, default_timezone, normalize_code
from training.demo_data import MEMBER_COUNTRIES, ascii_slug, delegation_people, demo_dates
from training.localized import compact, pick
from training.timezones import is_timezone, timezone_names


def test_country_names_come_localized_from_cldr():
    assert country_name("DO", "es") == "República Dominicana"
    assert country_name("DO", "en") == "Dominican Republic"
    assert country_name("US", "es") == "Estados Unidos"
    assert country_name("BZ", "es") == "Belice"


def test_country_codes_are_validated_against_iso_3166():
    assert normalize_code(" mx ") == "MX"
    assert normalize_code("XX") is None
    assert normalize_code("") is None
    assert normalize_code("MEX") is None


def test_country_choices_sort_by_localized_name_ignoring_accents():
    names = [name for _code, name in country_choices("es")]
    assert names.index("Bélgica") < names.index("Belice")
    assert names.index("Ecuador") < names.index("Egipto") < names.index("El Salvador")
    assert len(names) >= 249


def test_default_time_zone_prefers_the_program_zone_when_it_belongs_to_the_country():
    assert default_timezone("MX", "America/Mexico_City") == "America/Mexico_City"
    assert default_timezone("GT", "America/Mexico_City") == "America/Guatemala"
    assert default_timezone("PA") == "America/Panama"
    assert "America/Toronto" in country_timezones("CA")
    assert default_timezone(None, "America/Mexico_City") == "America/Mexico_City"


def test_time_zone_names_exclude_legacy_aliases():
    names = timezone_names()
    assert is_timezone("America/Tegucigalpa")
    assert not is_timezone("US/Eastern")
    assert not is_timezone("Mars/Olympus_Mons")
    assert list(names[:-1]) == sorted(names[:-1])


def test_localized_text_falls_back_in_order():
    texts = {"es": "Hola", "en": ""}
    assert pick(texts, "en") == "Hola"
    assert pick({"en": "Hello", "es": "Hola"}, "en") == "Hello"
    assert pick({"fr": "Salut"}, "en") == "Salut"
    assert pick({}, "es") == ""
    assert compact({"es": "  Título ", "en": "   "}) == {"es": "Título"}


def test_demo_people_are_stable_unique_and_accented():
    first, again = delegation_people("MX"), delegation_people("MX")
    assert first == again
    emails = [p.email for c in MEMBER_COUNTRIES for p in delegation_people(c)]
    assert len(emails) == len(set(emails)) == 110
    assert any(ch in "áéíóúñÁÉÍÓÚÑ" for p in first for ch in p.given_names + p.family_names)
    assert [p.language for p in delegation_people("CA")].count("fr") == 3  # the rest of Canada's in English
    assert {p.language for p in delegation_people("CA")} == {"en", "fr"}
    assert ascii_slug("José Ángel") == "jose.angel"


def test_demo_dates_keep_the_concept_notes_weekdays_and_recent_past():
    start, end = demo_dates(date(2026, 11, 22))
    assert start.weekday() == 1 and (end - start).days == 10  # Tuesday, like 26 October 2021
    assert date(2026, 10, 18) <= start <= date(2026, 10, 25) and end < date(2026, 11, 22)
