"""The words of certificates: what a certificate states (its facts), its wording per language, and reason labels."""
import math
from datetime import date
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_interval
from babel.numbers import format_decimal
from flask_babel import force_locale, gettext, ngettext
from flask_babel import lazy_gettext as _l

from training.labels import number
from training.localized import DEFAULT_LANGUAGE, offered, pick, reader_language

from . import eligibility
from .services import planned_minutes

# pdf.py (reportlab, Pillow, zxing-cpp) is imported by the functions that build a document to draw: the app imports
# this module at start-up, and only what draws a certificate should pay for those libraries.

STATUS_LABELS = {
    "eligible": _l("Eligible"),
    "not_yet": _l("Not yet"),
    "issued": _l("Issued"),
    "revoked": _l("Revoked"),
}
LANGUAGE_MODE_LABELS = {
    "participant": _l("In each participant's language"),
    "bilingual": _l("Bilingual (the participant's language and the program's default language)"),
}
SESSION_KINDS = ("virtual_session", "in_person_session")


def facts_for(program, settings, activities, person):
    """What a certificate states, kept with it so the verification page shows what was printed."""
    rules_ids = set(settings.required_activity_ids) if settings.required_activity_ids is not None else None
    counted = [a for a in activities if (a.id in rules_ids if rules_ids is not None else a.required)]
    counts = {}
    for activity in counted:
        counts[activity.kind] = counts.get(activity.kind, 0) + 1
    return {
        "name": person.full_name,
        "default_language": program.default_language,
        "title": offered_texts(program, program.title),
        "start": program.start_date.isoformat() if program.start_date else None,
        "end": (program.end_date or program.start_date).isoformat() if program.start_date else None,
        "hours": settings.hours or _session_hours(counted),
        "place": offered_texts(program, settings.place),
        "virtual": all(a.kind != "in_person_session" for a in counted),
        "issuer": offered_texts(program, settings.issuer),
        "counts": counts,
    }


def offered_texts(program, texts):
    """A text in the program's languages only, its default language first: a translation kept from a language the
    program no longer offers is not printed."""
    return {code: texts[code] for code in offered(program.languages) if (texts or {}).get(code)}


def default_of(facts):
    """The language a certificate's texts fall back to: its program's default (Spanish for certificates issued
    before the facts kept it)."""
    return facts.get("default_language") or DEFAULT_LANGUAGE


def _session_hours(activities):
    minutes = sum(planned_minutes(a) or 0 for a in activities if a.kind in SESSION_KINDS)
    return round(minutes / 60, 1) or None


def languages_for(program, settings, person):
    """The languages printed: the participant's if the program offers it, else the program's default; a bilingual
    certificate adds the program's default language (or, for a participant who reads it, the program's next one)."""
    languages = offered(program.languages)
    primary = reader_language(person.language, languages)
    if settings.language_mode == "bilingual" and len(languages) > 1:
        return [primary, languages[0] if primary != languages[0] else languages[1]]
    return [primary]


def wording(facts, language, serial, issued_on):
    """The certificate's words in one language (gettext under that language, whatever the reader's)."""
    from . import pdf

    with force_locale(language):
        return pdf.Wording(
            language=language,
            heading=gettext("Certificate of completion"),
            lead=gettext("Awarded to"),
            statement=gettext("for successfully completing all the activities of the program"),
            program_title=pick(facts["title"], language, default_of(facts)),
            details=details_line(facts, language),
            issued=gettext("Issued on %(date)s", date=format_date(issued_on, "long", locale=language)),
            serial=gettext("No. %(serial)s", serial=serial),
            verify=gettext("Check that this certificate is genuine at:"),
        )


def details_line(facts, language):
    """'3 virtual sessions and 2 online courses · 20 hours · 19–29 October 2021 · Virtual' (call under force_locale)."""
    parts = [activities_phrase(facts), hours_phrase(facts, language),
             period(facts, language) if facts.get("start") else "", place_phrase(facts, language)]
    return " · ".join(part for part in parts if part)


def activities_phrase(facts):
    return _joined([_count_phrase(kind, count) for kind, count in _ordered(facts.get("counts", {}))])


def hours_phrase(facts, language):
    hours = facts.get("hours")
    if not hours:
        return ""
    return ngettext("%(hours)s hour", "%(hours)s hours", int(hours) if float(hours).is_integer() else 2,
                    hours=format_decimal(hours, locale=language))


def place_phrase(facts, language):
    return pick(facts.get("place") or {}, language, default_of(facts)) or (
        gettext("Virtual") if facts.get("virtual") else "")


def period(facts, language):
    start, end = date.fromisoformat(facts["start"]), date.fromisoformat(facts["end"])
    if start == end:
        return format_date(start, "long", locale=language)
    return format_interval(start, end, "yMMMMd", locale=language)


KIND_ORDER = ("virtual_session", "in_person_session", "online_course", "other")


def _ordered(counts):
    return [(kind, counts[kind]) for kind in KIND_ORDER if counts.get(kind)]


def _count_phrase(kind, count):
    phrases = {
        "virtual_session": lambda n: ngettext("%(num)s virtual session", "%(num)s virtual sessions", n),
        "in_person_session": lambda n: ngettext("%(num)s in-person session", "%(num)s in-person sessions", n),
        "online_course": lambda n: ngettext("%(num)s online course", "%(num)s online courses", n),
        "other": lambda n: ngettext("%(num)s other activity", "%(num)s other activities", n),
    }
    return phrases[kind](count)


def _joined(phrases):
    if len(phrases) <= 1:
        return "".join(phrases)
    return gettext("%(first)s and %(last)s", first=", ".join(phrases[:-1]), last=phrases[-1])


def issued_on(certificate, zone):
    return certificate.issued_at.astimezone(ZoneInfo(zone)).date()


def document_for(certificate, zone, signatories, logos, public_url):
    """The plain document the pure PDF module draws, from a certificate and its program's settings."""
    from . import pdf

    facts = certificate.facts
    languages, fallback = certificate.languages or [default_of(facts)], default_of(facts)
    day = issued_on(certificate, zone)
    wordings = tuple(wording(facts, language, certificate.serial, day) for language in languages)
    people = tuple(pdf.Signatory(name=s.name, position=" / ".join(dict.fromkeys(
        p for p in (pick(s.title, language, fallback) for language in languages) if p)), image=s.image)
        for s in signatories)
    return pdf.CertificateDocument(
        name=facts["name"], wordings=wordings, verify_url=verify_url(public_url, certificate.code),
        issuer=" / ".join(dict.fromkeys(i for i in (pick(facts.get("issuer") or {}, lang, fallback)
                                                    for lang in languages) if i)),
        signatories=people, logos=tuple(logo.image for logo in logos), title=f"{certificate.serial} · {facts['name']}")


def verify_url(public_url, code):
    return f"{public_url.rstrip('/')}/verify/{code}"


def activity_names(activities, language):
    """activity id → 'S2 · Sesión virtual 2', how reasons name activities."""
    return {activity.id: f"{activity.code} · {activity.title_in(language)}" for activity in activities}


def reason_text(missing, activity_names):
    """One reason in words: 'Absent from S2 · Sesión 2', 'Post-test score 55% (needs 60%)'."""
    name = activity_names.get(missing.activity_id, "")
    texts = {
        eligibility.ABSENT: lambda: gettext("Absent from %(activity)s", activity=name),
        eligibility.NOT_COMPLETED: lambda: gettext("%(activity)s not completed", activity=name),
        eligibility.PARTIAL: lambda: gettext("Attended only part of %(activity)s", activity=name),
        eligibility.TOO_SHORT: lambda: gettext("%(activity)s: connected %(reached)s%% of the time (needs %(needed)s%%)",
                                               activity=name, reached=_percent(missing.reached),
                                               needed=_percent(missing.needed)),
        eligibility.EXCUSED: lambda: gettext("Excused from %(activity)s (excused absences do not count)",
                                             activity=name),
        eligibility.PRE_TEST_NOT_SUBMITTED: lambda: gettext("Pre-test not submitted"),
        eligibility.POST_TEST_NOT_SUBMITTED: lambda: gettext("Post-test not submitted"),
        eligibility.POST_TEST_SCORE_LOW: lambda: gettext("Post-test score %(reached)s%% (needs %(needed)s%%)",
                                                         reached=_score(missing.reached),
                                                         needed=_score(missing.needed)),
    }
    return texts[missing.code]()


def _percent(share):
    return _score(100 * (share or 0))


def _score(percent):
    """A percent to one decimal in the reader's language: 59.5 stays "59,5", never rounded up to the 60 it needs."""
    return number(math.floor((percent or 0) * 10 + 1e-9) / 10, 1)  # + 1e-9: 0.29 × 100 is 28.999…


HISTORY_LABELS = {
    "certificate.issued": _l("Issued"),
    "certificate.revoked": _l("Revoked"),
    "certificate.reissued": _l("Issued to replace an earlier certificate"),
}


def shown_facts(certificate, language, zone):
    """The verification page's facts in the reader's language (call in a request: gettext uses its locale)."""
    facts = certificate.facts
    return {
        "program": pick(facts.get("title") or {}, language, default_of(facts)),
        "issuer": pick(facts.get("issuer") or {}, language, default_of(facts)),
        "activities": " · ".join(p for p in (activities_phrase(facts), place_phrase(facts, language)) if p),
        "period": period(facts, language) if facts.get("start") else "",
        "hours": hours_phrase(facts, language),
        "issued": format_date(issued_on(certificate, zone), "long", locale=language),
    }
