"""Participant exports and the list template, in the columns the import understands (an export imports again)."""
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from extensions import db

from .exporting import table_bytes
from .labels import GENDER_LABELS, LANGUAGE_LABELS, PARTICIPANT_STATUS_LABELS, PROFILE_LABELS, delegation_label
from .list_template import ListTemplate, TemplateColumn, template_bytes
from .localized import SUPPORTED_LANGUAGES
from .models import Participant


def participant_rows(query, language):
    for p in db.session.scalars(query.order_by(Participant.search_key, Participant.id)):
        yield [p.given_names, p.family_names, p.position, p.institution, p.email,
               delegation_label(p.delegation, language),
               str(GENDER_LABELS[p.gender]), str(PROFILE_LABELS[p.profile]), p.language, p.timezone,
               str(PARTICIPANT_STATUS_LABELS[p.status])]


def participant_export(program, file_format, language, query=None, separator=","):
    """Bytes of a CSV (split by `separator`) or XLSX file with the participants `query` selects (default: the whole
    program)."""
    query = query if query is not None else select(Participant).where(Participant.program_id == program.id)
    with force_locale(language):
        headers = [_("Given names"), _("Family names"), _("Position"), _("Institution"), _("E-mail"), _("Country"),
                   _("Gender"), _("Profile"), _("Language"), _("Time zone"), _("Status")]
        rows = list(participant_rows(query, language))
    return table_bytes(file_format, headers, rows, sheet_title=program.code, separator=separator)


# The languages a template is written in: the importer reads its headers and values back in each
# (services_imports.interface_labels).
TEMPLATE_LANGUAGES = SUPPORTED_LANGUAGES
# The template's headers, by the import field each one fills.
TEMPLATE_HEADERS = {"given_names": _l("Given names"), "family_names": _l("Family names"), "email": _l("E-mail"),
                    "position": _l("Position"), "institution": _l("Institution"), "country": _l("Country"),
                    "gender": _l("Gender"), "profile": _l("Profile"), "language": _l("Language")}
# An empty cell is "not recorded": the drop-down lists offer only answers (and the importer reads only these).
TEMPLATE_GENDERS = ("female", "male", "other", "undisclosed")
TEMPLATE_PROFILES = tuple(code for code in PROFILE_LABELS if code != "not_recorded")


def template_languages(program):
    """The program's languages a list template can be written in, its default first."""
    return [language for language in program.offered_languages if language in TEMPLATE_LANGUAGES]


def list_template(program, language, delegations_query):
    """Bytes of the program's participant-list template in `language`, offering the delegations the query selects
    (a focal point's: their own) in its country drop-down list."""
    delegations = db.session.scalars(delegations_query).all()
    countries = tuple(sorted(delegation_label(delegation, language) for delegation in delegations))
    with force_locale(language):
        template = ListTemplate(columns=_template_columns(program, countries), sheet_title=_("Participants"),
                                notes_title=_("Notes"), lists_title=_("Lists"),
                                notes_headers=(_("Column"), _("Required"), _("What to write"), _("Allowed values")),
                                intro=_("List of participants for %(program)s: one person per row on the first "
                                        "sheet, from row 2; keep the headers as they are.", program=program.code),
                                yes=_("Yes"), choose_message=_("Choose a value from the list."))
    return template_bytes(template)


def _template_columns(program, countries):
    languages = tuple(LANGUAGE_LABELS[code] for code in program.languages if code in LANGUAGE_LABELS)
    return (
        TemplateColumn(str(TEMPLATE_HEADERS["given_names"]), _("As the person writes them."), required=True),
        TemplateColumn(str(TEMPLATE_HEADERS["family_names"]), _("Both family names where the person has two."),
                       required=True),
        TemplateColumn(str(TEMPLATE_HEADERS["email"]),
                       _("One address per person: invitations and the personal link go there."), required=True),
        TemplateColumn(str(TEMPLATE_HEADERS["position"]), _("The person's job title.")),
        TemplateColumn(str(TEMPLATE_HEADERS["institution"]),
                       _("The ministry, agency or organization the person works for.")),
        TemplateColumn(str(TEMPLATE_HEADERS["country"]), _("Choose from the list: the program's delegations. It may "
                                                          "stay empty when the list is imported into one "
                                                          "delegation."), choices=countries),
        TemplateColumn(str(TEMPLATE_HEADERS["gender"]),
                       _("Choose from the list; leave it empty when it was not recorded."),
                       choices=tuple(str(GENDER_LABELS[code]) for code in TEMPLATE_GENDERS)),
        TemplateColumn(str(TEMPLATE_HEADERS["profile"]),
                       _("Choose from the list the profile closest to the person's work."),
                       choices=tuple(str(PROFILE_LABELS[code]) for code in TEMPLATE_PROFILES)),
        TemplateColumn(str(TEMPLATE_HEADERS["language"]), _("The language of the person's messages and pages; "
                                                           "empty: the main language of the country among the "
                                                           "program's."), choices=languages),
    )
