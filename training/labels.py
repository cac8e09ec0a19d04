"""Translated labels for the stored codes (roles, statuses, genders, profiles), shared by forms and templates."""
from datetime import datetime

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from .countries import country_name
from .exporting import default_separator
from .localized import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES
from .schedule import zone_label

ROLE_LABELS = {
    "admin": _l("Executive secretariat"),
    "focal_point": _l("Country focal point"),
    "organizer": _l("Organizer"),
    "facilitator": _l("Facilitator"),
}
DELEGATION_KIND_LABELS = {"member": _l("Member country"), "observer": _l("Observer organization")}
DELEGATION_STATUS_LABELS = {
    "invited": _l("Invited"),
    "list_received": _l("List received"),
    "confirmed": _l("Confirmed"),
}
GENDER_LABELS = {
    "female": _l("Female"),
    "male": _l("Male"),
    "other": _l("Other"),
    "undisclosed": _l("Prefers not to say"),
    "not_recorded": _l("Not recorded"),
}
PROFILE_LABELS = {
    "employment_counselor": _l("Employment counselor"),
    "labor_inspector": _l("Labor inspector"),
    "employer_liaison": _l("Employer liaison / labor intermediary"),
    "tvet_representative": _l("Technical and vocational training institution"),
    "recognition_official": _l("Recognition of qualifications official"),
    "other": _l("Other"),
    "not_recorded": _l("Not recorded"),
}
MESSAGE_STATUS_LABELS = {
    "sent": _l("Sent"), "outbox": _l("Outbox"), "failed": _l("Failed"), "queued": _l("Queued"),
    "sending": _l("Sending"), "uncertain": _l("Uncertain"),
}
PARTICIPANT_STATUS_LABELS = {
    "registered": _l("Registered"),
    "confirmed": _l("Confirmed"),
    "withdrawn": _l("Withdrawn"),
}
# Each language by its own name (CLDR), as a reader looks for it in a language switch or a list of choices.
LANGUAGE_LABELS = {code: Locale.parse(code).get_display_name(code).capitalize() for code in SUPPORTED_LANGUAGES}


def language_name(code, in_language=None):
    """A language's name in the page's language (CLDR): "francés" on a Spanish page, "French" on an English one."""
    names = Locale.parse(in_language or current_language()).languages
    return names.get(code, code)


def language_choices(offered=()):
    """The four languages by their own names, those `offered` first (a program's, its default at the top): a person
    may read the interface in any of them, and content comes in the program's."""
    ordered = [code for code in offered if code in LANGUAGE_LABELS]
    return [(code, LANGUAGE_LABELS[code]) for code in ordered + [c for c in LANGUAGE_LABELS if c not in ordered]]


def choices(labels):
    return [(code, label) for code, label in labels.items()]

FIELD_LABELS = {
    "given_names": _l("Given names"),
    "family_names": _l("Family names"),
    "email": _l("E-mail"),
    "country": _l("Country"),
    "position": _l("Position"),
    "institution": _l("Institution"),
    "names": _l("Names (given and family names, or full name)"),
    "gender": _l("Gender"),
    "profile": _l("Profile"),
    "language": _l("Preferred language"),
}
# How a stored value of a participant's field reads (fields not listed read as stored).
FIELD_VALUE_LABELS = {"gender": GENDER_LABELS, "profile": PROFILE_LABELS, "language": LANGUAGE_LABELS}


def field_value(name, value):
    """A participant field's stored value as people read it ("not_recorded" → "Not recorded"); — when empty."""
    if not value:
        return "—"
    return str(FIELD_VALUE_LABELS.get(name, {}).get(value, value))
IMPORT_PROBLEMS = {
    "missing_field": _l("%(field)s is missing."),
    "invalid_email": _l("“%(value)s” is not a valid e-mail address."),
    "duplicate_in_file": _l("%(value)s appears more than once in the file (first on row %(first)s)."),
    "registered_elsewhere": _l("%(value)s is already registered in another delegation."),
    "unknown_country": _l("“%(value)s” is not a country we know."),
    "country_not_in_program": _l("%(value)s has no delegation in this program."),
    "other_delegation": _l("%(value)s is another delegation; this list is for yours only."),
    "over_quota": _l("The delegation of %(delegation)s has no places left for this person."),
    "unknown_gender": _l("“%(value)s” is not a gender we recognize (use F, M, Otro or leave it empty)."),
    "unknown_language": _l("“%(value)s” is not a language of the program (use es or en)."),
    "too_long": _l("%(field)s is longer than %(limit)s characters."),
    "profile_as_other": _l("Profile “%(value)s” was not recognized; it will be recorded as “Other”."),
}
TABLE_PROBLEMS = {
    "not_a_table": _l("This file is not a CSV or Excel (XLSX) spreadsheet."),
    "broken_xlsx": _l("This Excel file is damaged or not a real XLSX workbook. Save it again from Excel and retry."),
    "malformed_csv": _l("This CSV file could not be read: %(reason)s"),
    "empty": _l("The file has no rows."),
    "too_many_rows": _l("The file has more than %(limit)s rows."),
    "too_large": _l("The file is larger than %(limit)s MB."),
    "undecodable": _l("This file starts like %(encoding)s text, but line %(line)s holds bytes that are not "
                      "%(encoding)s. Save it again (for example as “CSV UTF-8”) and upload it again."),
    "cell_too_long": _l("Cell %(column)s%(row)s holds more than %(limit)s characters, more than a spreadsheet cell "
                        "holds and more than any list, report or answer needs. Check the file and upload it again."),
    "too_much_text": _l("The file holds more text than an import reads (about %(limit)s million characters). "
                        "Split it into smaller files."),
    "too_many_cells": _l("The workbook holds more than an import reads (about %(limit)s million cells, empty ones "
                         "included). Split it into smaller files."),
}
REPORT_PROBLEMS = {
    "no_person": _l("The row has neither a name nor an e-mail."),
    "bad_minutes": _l("“%(value)s” is not a number of minutes."),
    "no_minutes": _l("The row has no duration and no join and leave times."),
    "left_before_joined": _l("The leave time is before the join time."),
    "bad_status": _l("“%(value)s” is not a completion status we recognize (use Completed, In progress or Not "
                     "completed, or give a completion date)."),
}
REPORT_COLUMNS = {
    "name": _l("the participant's name (Zoom: “Name (Original Name)”)"),
    "minutes": _l("the duration in minutes, or the join and leave times"),
    "status": _l("the completion status or the completion date"),
}
ATTENDANCE_SOURCE_LABELS = {"manual": _l("marked by hand"), "zoom": _l("from the Zoom report"),
                            "course_report": _l("from the course report")}
HOW_MATCHED_LABELS = {"email": _l("by e-mail"), "name": _l("by name"), "linked": _l("linked by you"),
                      "remembered": _l("remembered: linked on an earlier import")}
# Where a Zoom report does not fit the session it is imported for (training/attendance/meeting_fit.py).
MEETING_WARNINGS = {
    "date": _l("The report is of a meeting on %(report)s; this session starts on %(session)s (%(zone)s time)."),
    "meeting_id": _l("The report is of Zoom meeting %(report)s; this session's link is for meeting %(session)s."),
    "topic": _l("The report's topic, “%(report)s”, is not this session's title, “%(title)s”."),
}
IMPORT_STATUS_LABELS = {
    "new": _l("New"),
    "update": _l("Update"),
    "duplicate": _l("Already registered"),
    "error": _l("Error"),
}


def problem_text(problems, code, params):
    """A problem code and its parameters as a sentence in the current language (a delegation's country named in
    it: "delegation of Mexico", not the "México" the import was checked with)."""
    params = dict(params)
    if params.get("country_code"):
        params["delegation"] = country_name(params["country_code"], current_language())
    if "field" in params:
        params["field"] = FIELD_LABELS.get(params["field"], params["field"])
    return str(problems[code]) % params

ACTIVITY_KIND_LABELS = {
    "virtual_session": _l("Virtual session"),
    "in_person_session": _l("In-person session"),
    "online_course": _l("Online course"),
    "other": _l("Other activity"),
}
AGENDA_KIND_LABELS = {
    "general_instructions": _l("General instructions"),
    "welcome": _l("Welcome"),
    "presentation": _l("Presentation"),
    "qa": _l("Questions and answers"),
    "panel": _l("Panel"),
    "group_work_explanation": _l("Group work explanation"),
    "group_work": _l("Group work"),
    "plenary": _l("Plenary"),
    "pre_test": _l("Pre-test"),
    "post_test": _l("Post-test"),
    "closing": _l("Closing"),
    "other": _l("Other"),
}

ATTENDANCE_LABELS = {
    "present": _l("Present"),
    "late": _l("Late"),
    "partial": _l("Partial"),
    "excused": _l("Excused"),
    "absent": _l("Absent"),
    "completed": _l("Completed"),
}


def meeting_warning_text(code, params, title, zone):
    """One of `MEETING_WARNINGS` as a sentence; its times are wall-clock times of the program's `zone`."""
    language = current_language()
    values = {**params, "title": title, "zone": zone_label(zone, language)}
    for key, value in params.items():
        if isinstance(value, datetime):
            values[key] = f"{format_date(value.date(), 'full', locale=language)}, {value:%H:%M}"
    return str(MEETING_WARNINGS[code]) % values


CSV_SEPARATOR_LABELS = {"semicolon": _l("CSV for Excel in Spanish (;)"), "comma": _l("CSV with commas (,)")}


def csv_choices(program=None):
    """The CSV download choices [(sep, label)], the one Excel expects in the program's default language first."""
    default = default_separator(program.default_language if program is not None else current_language())
    return sorted(CSV_SEPARATOR_LABELS.items(), key=lambda item: item[0] != default)


def number(value, digits=None):
    """A figure as the page's language writes it in text ("12,5" in es, fr and pt; "12.5" in en; "5 000" in fr), to
    `digits` decimals at most when given; "—" for none. Files people compute with (CSV, JSON) keep their own format."""
    if value is None:
        return "—"
    pattern = None
    if digits is not None:
        value, pattern = round(value, digits) + 0.0, "#,##0." + "#" * digits if digits else "#,##0"  # + 0.0: no "-0"
    # The request's Locale object: a language code would be parsed into a new one at each figure of a page.
    return format_decimal(value, format=pattern, locale=get_locale() or DEFAULT_LANGUAGE)


def current_language():
    """The language of the page being rendered ('es' outside a request)."""
    return str(get_locale() or DEFAULT_LANGUAGE)


def delegation_label(delegation, language):
    """A member delegation's country name in `language`, or the observer organization's name."""
    return country_name(delegation.country_code, language) if delegation.kind == "member" else delegation.organization
