"""What a person's history across programs shows of their certificates: the serial and date, or its revocation."""
from babel.dates import format_date
from flask_babel import gettext as _
from sqlalchemy import select

from extensions import db
from training.labels import current_language

from .models import Certificate


def certificate_texts(participant_ids):
    """participant id → "CRM-CE-2021-0007, 10 December 2021" (the valid certificate), or "Revoked" when every one
    they were issued was revoked."""
    found = {}
    language = current_language()
    for certificate in db.session.scalars(select(Certificate).where(Certificate.participant_id.in_(
            list(participant_ids))).order_by(Certificate.issued_at)):
        if certificate.revoked_at is None:
            found[certificate.participant_id] = _("%(serial)s, %(date)s", serial=certificate.serial,
                                                  date=format_date(certificate.issued_at, "long", locale=language))
        else:
            found.setdefault(certificate.participant_id, _("Revoked"))
    return found
