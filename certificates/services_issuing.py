"""Issuing in two short transactions: claim the certificates (serials, codes), commit, then draw the PDFs with no
transaction open and store them. Shared by the web pages, the command line and the demo."""
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import undefer

from extensions import db
from training.labels import delegation_label
from training.models import utcnow
from training.services import ServiceError, record
from training.services_activities import program_activities
from transactions import begin_writes, commit_step

from .bundle import pdf_name
from .models import Certificate, CertificateLogo, CertificateSignatory
from .services import (
    claim_certificates,
    count_waiting,
    issuing_opens,
    link_replacement,
    revoke,
    settings_for,
    store_pdfs,
    waiting_for_pdf,
)
from .texts import document_for, facts_for, languages_for, verify_url


class TooEarly(ServiceError):
    """Issuing before the last counted activity has ended, without an override and its reason."""

    def __init__(self, activity, ends_at):
        super().__init__("override_reason", "too_early")
        self.activity, self.ends_at = activity, ends_at


def issue(program, participants, actor_id, draw_limit=None, override_reason="", now=None):
    """Issue certificates to the eligible ones among `participants` (a work queue: commits the claim, then the
    PDFs). Returns the Claim. At most `draw_limit` PDFs are drawn now (a web request must end in time);
    `draw_waiting` draws the rest. Before the last counted activity has ended nothing is issued (TooEarly) unless
    `override_reason` says why; the audit log keeps it."""
    activities = program_activities(program)
    reason = (override_reason or "").strip()[:500]
    early = _too_early(program, activities, reason, now or utcnow())
    result = claim(program, participants, actor_id, override_reason=reason if early else "", activities=activities)
    if early and result.created:
        activity, ends_at = early
        record(actor_id, "certificates.issued_early", program, reason=reason, activity=activity.code,
               ends_at=ends_at.isoformat(), count=len(result.created))
    commit_step()
    draw_waiting(program, draw_limit)
    return result


def _too_early(program, activities, reason, now):
    """(activity, end) when the last counted activity has not ended yet (TooEarly without a reason), else None."""
    opens = issuing_opens(program, activities)
    if opens is None or now >= opens[1]:
        return None
    if not reason:
        raise TooEarly(*opens)
    return opens


def draw_waiting(program, limit=None):
    """Draw and store up to `limit` (None: all) PDFs of valid certificates that have none yet (a work queue:
    commits). Returns how many are still waiting."""
    waiting = waiting_for_pdf(program, limit)
    draw_and_store(program, waiting)
    commit_step()
    return count_waiting(program)


def reissue(certificate, actor_id, reason):
    """Issue the holder a new certificate (new serial and code) in place of `certificate`, revoking it first if it
    is still valid (a work queue: commits the new certificate, then its PDF). Returns the new one, or None when
    nothing was issued: the holder no longer qualifies or already holds a valid certificate (nothing is revoked)."""
    program = certificate.program
    result = claim(program, [certificate.participant], actor_id, replacing=certificate, reason=reason)
    if not result.created:
        db.session.rollback()
        return None
    new = result.created[0]
    link_replacement(certificate, new, actor_id, reason)
    commit_step()
    draw_and_store(program, [new])
    commit_step()
    return new


def claim(program, participants, actor_id, replacing=None, reason="", override_reason="", activities=None):
    """Claim certificates (flushes). With `replacing`, a revoked certificate's holder may get a new one; a valid
    `replacing` is revoked first, with `reason`. `override_reason`: why they are issued before the program's end
    (kept with each certificate's audit event)."""
    activities = program_activities(program) if activities is None else activities
    if replacing is not None and replacing.valid:
        revoke(replacing, actor_id, reason)

    def describe(settings, person):
        return facts_for(program, settings, activities, person), languages_for(program, settings, person)

    return claim_certificates(program, settings_for(program), participants, actor_id, describe, replacing=replacing,
                              override_reason=override_reason)


def draw_and_store(program, certificates, release=commit_step):
    """Draw the PDFs of `certificates` and store them with their hash. `release` ends the transaction before
    drawing, so nothing is held while reportlab works (the demo, loading everything in one transaction, passes a
    function that does nothing)."""
    documents = certificate_documents(program, certificates)
    release()
    drawn = draw(documents)
    store_pdfs(drawn)
    return drawn


def certificate_documents(program, certificates):
    """(certificate id, what its PDF shows) for each of `certificates` (reads only)."""
    if not certificates:
        return []
    signatories, logos = artwork(program)
    zone, public_url = program.timezone, current_app.config["PUBLIC_URL"]
    return [(c.id, document_for(c, zone, signatories, logos, public_url)) for c in certificates]


def draw(documents):
    from .pdf import certificate_pdf  # reportlab, Pillow, zxing-cpp: loaded by what draws, not by the app

    return {certificate_id: certificate_pdf(document) for certificate_id, document in documents}


def artwork(program):
    """The program's signatories and logos, in order, with their images loaded."""
    signatories = db.session.scalars(select(CertificateSignatory).where(CertificateSignatory.program_id == program.id)
                                     .options(undefer(CertificateSignatory.image))
                                     .order_by(CertificateSignatory.position)).all()
    logos = db.session.scalars(select(CertificateLogo).where(CertificateLogo.program_id == program.id)
                               .options(undefer(CertificateLogo.image)).order_by(CertificateLogo.position)).all()
    return signatories, logos


def pdf_of(certificate):
    """The stored PDF; drawn and stored now if an earlier issue was interrupted before it drew it."""
    pdf = db.session.scalar(select(Certificate.pdf).where(Certificate.id == certificate.id))
    if pdf is None:  # drawn while only reading; the write (in a GET: after `begin_writes`) is one short UPDATE
        drawn = draw(certificate_documents(certificate.program, [certificate]))
        begin_writes()
        store_pdfs(drawn)
        pdf = db.session.scalar(select(Certificate.pdf).where(Certificate.id == certificate.id))
    return pdf


def certificate_files(certificates, language, public_url):
    """(files, register headers, register rows) for the bulk download and the command line: each PDF named by
    country and surname, and one register row per certificate with its file name, serial and verification code."""
    files, rows = [], []
    for certificate in certificates:
        person = certificate.participant
        where = person.delegation.country_code or person.delegation.organization
        name = pdf_name(where, person.family_names, person.given_names, certificate.serial)
        files.append((name, certificate.pdf or pdf_of(certificate)))
        rows.append([certificate.serial, person.family_names, person.given_names,
                     delegation_label(person.delegation, language), certificate.issued_at.isoformat(),
                     certificate.code, verify_url(public_url, certificate.code), certificate.sha256, name])
    headers = [_("Serial"), _("Family names"), _("Given names"), _("Delegation"), _("Issued"),
               _("Verification code"), _("Verification address"), "SHA-256", _("File")]
    return files, headers, rows
