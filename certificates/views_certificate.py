"""One certificate for staff: its facts and history, its PDF, revoking and reissuing with a reason."""
from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import or_, select

from extensions import db
from training.access import actor_id, participant_or_404, permission_required, program_or_404
from training.models import AuditEvent, User
from training.services import ServiceError
from training.web import send_pdf
from transactions import catches_up, work_queue, writes

from . import bp
from .forms import ReasonForm
from .models import Certificate
from .services import revoke
from .services_issuing import pdf_of, reissue
from .texts import HISTORY_LABELS, verify_url


def certificate_or_404(certificate_id):
    certificate = db.session.get(Certificate, certificate_id)
    if certificate is None:
        abort(404)
    program_or_404(certificate.program_id)
    participant_or_404(certificate.participant_id)  # focal points: their country only
    return certificate


@bp.route("/certificates/<int:certificate_id>")
@permission_required("certificates.follow")
def certificate_page(certificate_id):
    return _page(certificate_or_404(certificate_id))


def _page(certificate, revoke_form=None, reissue_form=None, status=200):
    history = db.session.execute(
        select(AuditEvent, User.name).outerjoin(User, AuditEvent.user_id == User.id)
        .where(AuditEvent.object_type == "Certificate",
               or_(AuditEvent.object_id == certificate.id, AuditEvent.object_id == certificate.replaced_by_id))
        .order_by(AuditEvent.at, AuditEvent.id)).all()
    others = db.session.scalars(select(Certificate).where(
        Certificate.participant_id == certificate.participant_id, Certificate.id != certificate.id)
        .order_by(Certificate.issued_at)).all()
    return render_template("certificates/certificate.html", certificate=certificate, program=certificate.program,
                           history=history, history_labels=HISTORY_LABELS, others=others,
                           revoke_form=revoke_form or ReasonForm(prefix="revoke", formdata=None),
                           reissue_form=reissue_form or ReasonForm(prefix="reissue", formdata=None),
                           address=verify_url(current_app.config["PUBLIC_URL"], certificate.code)), status


@bp.route("/certificates/<int:certificate_id>.pdf")
@permission_required("certificates.follow")
@catches_up  # an interrupted issue's PDF is drawn here, then stored
def certificate_pdf_download(certificate_id):
    certificate = certificate_or_404(certificate_id)
    return send_pdf(pdf_of(certificate), f"{certificate.serial}.pdf")


@bp.route("/certificates/<int:certificate_id>/revoke", methods=["POST"])
@permission_required("certificates.issue")
@writes
def certificate_revoke(certificate_id):
    certificate = certificate_or_404(certificate_id)
    form = ReasonForm(prefix="revoke")
    if form.validate_on_submit():
        try:
            revoke(certificate, actor_id(), form.reason.data)
        except ServiceError:
            db.session.rollback()
            flash(_("This certificate was already revoked."), "info")
        else:
            flash(_("Certificate %(serial)s revoked. Its verification page now says so.", serial=certificate.serial),
                  "success")
        return redirect(url_for("certificates.certificate_page", certificate_id=certificate.id))
    return _page(certificate, revoke_form=form, status=400)


@bp.route("/certificates/<int:certificate_id>/reissue", methods=["POST"])
@permission_required("certificates.issue")
@work_queue
def certificate_reissue(certificate_id):
    """Issue a new certificate (new serial and code) in place of this one: after a name was corrected (this one is
    revoked), or to issue again a certificate revoked by mistake."""
    certificate = certificate_or_404(certificate_id)
    form = ReasonForm(prefix="reissue")
    if not form.validate_on_submit():
        return _page(certificate, reissue_form=form, status=400)
    back = redirect(url_for("certificates.certificate_page", certificate_id=certificate.id))
    if certificate.replaced_by_id is not None:
        flash(_("This certificate was already replaced."), "error")
        return back
    try:
        new = reissue(certificate, actor_id(), form.reason.data)
    except ServiceError:  # revoked or reissued by someone else at the same moment
        db.session.rollback()
        flash(_("Someone changed this certificate at the same moment. Look at it again."), "error")
        return back
    if new is None:
        flash(_("Nothing was issued: the participant no longer meets the rules, or already holds a valid "
                "certificate. Revoke this one if it should not stand."), "error")
        return back
    flash(_("Certificate %(old)s replaced by %(new)s.", old=certificate.serial, new=new.serial), "success")
    return redirect(url_for("certificates.certificate_page", certificate_id=new.id))
