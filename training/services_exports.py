"""Participant exports in the columns the import understands, so an export can be edited and imported again."""
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from extensions import db

from .exporting import table_bytes
from .labels import GENDER_LABELS, PARTICIPANT_STATUS_LABELS, PROFILE_LABELS, delegation_label
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
