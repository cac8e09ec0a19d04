"""Certificates in a participant's personal data: serials, codes, status and PDFs for the export; on erasure each
is revoked, its PDF deleted and the printed name replaced, so the public verification page names nobody. Also how
the audit log names and links certificates."""
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm import undefer

from extensions import db
from training.services_audit import register_audit_object
from training.services_privacy import register_section

from .models import Certificate
from .services import revoke
from .texts import verify_url


def _certificates(participant, with_pdf=False):
    query = select(Certificate).where(Certificate.participant_id == participant.id).order_by(Certificate.issued_at,
                                                                                           Certificate.id)
    return db.session.scalars(query.options(undefer(Certificate.pdf)) if with_pdf else query).all()


def _iso(moment):
    return moment.isoformat(timespec="seconds") if moment is not None else None


def _file_name(certificate):
    return f"certificates/{certificate.serial}.pdf"


def _export(participant):
    public_url = current_app.config["PUBLIC_URL"]
    return [{"serial": c.serial, "code": c.code, "verification_address": verify_url(public_url, c.code),
             "status": "valid" if c.valid else "revoked", "issued_at": _iso(c.issued_at),
             "revoked_at": _iso(c.revoked_at), "revoked_reason": c.revoked_reason, "facts": c.facts,
             "languages": c.languages, "sha256": c.sha256, "file": _file_name(c) if c.sha256 else None}
            for c in _certificates(participant)]


def _files(participant):
    return [(_file_name(c), c.pdf) for c in _certificates(participant, with_pdf=True) if c.pdf]


def _erase(participant, actor_id):
    """Runs after the participant's names became the placeholder, which the certificates now carry."""
    with force_locale(participant.program.default_language):
        reason = _("Erasure of personal data")
    revoked = 0
    for certificate in _certificates(participant):
        if certificate.valid:
            revoke(certificate, actor_id, reason)
            revoked += 1
        certificate.facts = {**certificate.facts, "name": participant.full_name}
    db.session.execute(update(Certificate).where(Certificate.participant_id == participant.id)
                       .values(pdf=None, sha256=None).execution_options(synchronize_session=False))
    return {"certificates_revoked": revoked}


def _audit_objects(participant):
    return [("Certificate", certificate_id) for certificate_id in db.session.scalars(
        select(Certificate.id).where(Certificate.participant_id == participant.id))]


def register(app):
    """The certificates' section of personal data and the audit log's certificates (certificates' `init_app` calls
    it)."""
    register_section(app, "certificates", export=_export, files=_files, erase=_erase, audit_objects=_audit_objects)
    register_audit_object(app, Certificate, _l("Certificate"), lambda c, _lang: c.serial,
                          lambda c: ("certificates.certificate_page", {"certificate_id": c.id}))
