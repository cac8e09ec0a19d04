"""Translated labels for the stored codes (roles, statuses, genders, profiles), shared by forms and templates."""
from flask_babel import lazy_gettext as _l

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
}
PROFILE_LABELS = {
    "employment_counselor": _l("Employment counselor"),
    "labor_inspector": _l("Labor inspector"),
    "employer_liaison": _l("Employer liaison / labor intermediary"),
    "tvet_representative": _l("Technical and vocational training institution"),
    "recognition_official": _l("Recognition of qualifications official"),
    "other": _l("Other"),
}
PARTICIPANT_STATUS_LABELS = {
    "registered": _l("Registered"),
    "confirmed": _l("Confirmed"),
    "withdrawn": _l("Withdrawn"),
}
LANGUAGE_LABELS = {"es": "Español", "en": "English"}


def choices(labels):
    return [(code, label) for code, label in labels.items()]
