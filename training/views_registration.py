"""Online registration: a delegation's form and shareable link, the public form, and the secretariat's moderation."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from extensions import configured_limit, db, limit_misses, limiter
from transactions import begin_writes, reads_then_writes, writes

from . import bp
from .access import actor_id, delegation_or_404, no_store, permission_required, program_or_404
from .forms_registration import RegistrationForm, RejectForm
from .labels import current_language, delegation_label
from .links import looks_like_token
from .models_registration import RegistrationRequest
from .services import ServiceError
from .services_registration import (
    Refused,
    accept_request,
    delegation_requests,
    link_for_token,
    link_url,
    open_link,
    pending_requests,
    places_left,
    registration_closed,
    registration_link,
    reject_request,
    revoke_link,
    submit_request,
)
from .web import call_or_show_error


@bp.route("/delegations/<int:delegation_id>/registration", methods=["GET", "POST"])
@permission_required("participants.edit")
@writes
def delegation_registration(delegation_id):
    """A focal point (or the secretariat) registers people one by one; the secretariat accepts or rejects them."""
    delegation = delegation_or_404(delegation_id)
    form = RegistrationForm(languages=delegation.program.languages)
    if form.validate_on_submit():
        sent, _request = call_or_show_error(form, lambda: submit_request(delegation, form.values(), actor_id()),
                                            _("Sent to the secretariat for review."))
        if sent:
            return redirect(url_for("training.delegation_registration", delegation_id=delegation.id))
    link = registration_link(delegation)
    return render_template("training/registration_delegation.html", delegation=delegation, form=form,
                           program=delegation.program, link=link, url=link_url(link) if link else None,
                           requests=delegation_requests(delegation), places=places_left(delegation),
                           closed=registration_closed(delegation.program))


@bp.route("/delegations/<int:delegation_id>/registration/link", methods=["POST"])
@permission_required("participants.edit")
@writes
def delegation_registration_link(delegation_id):
    """Open a new shareable link (the previous one stops working) or close it."""
    delegation = delegation_or_404(delegation_id)
    if request.form.get("action") == "revoke":
        revoke_link(delegation, actor_id())
        flash(_("The registration link no longer works."), "success")
    else:
        try:
            open_link(delegation, actor_id())
        except ServiceError as refusal:
            flash(refusal.message, "error")
        else:
            flash(_("A new registration link is ready; any previous one no longer works."), "success")
    return redirect(url_for("training.delegation_registration", delegation_id=delegation.id))


@bp.route("/register/<token>", methods=["GET", "POST"])
@limiter.limit(configured_limit("LINK_RATE_LIMIT"))
@limiter.limit(configured_limit("REGISTRATION_RATE_LIMIT"), methods=["POST"])
@limit_misses("LINK_MISSES_RATE_LIMIT")
@reads_then_writes  # the public form is read far more often than sent: only sending takes SQLite's write lock
def public_registration(token):
    """Anyone holding the link registers; every accepted submission gets the same answer, known e-mail or not."""
    link = link_for_token(token) if looks_like_token(token) else None
    if link is None:
        return no_store(render_template("training/link_invalid.html"), 404)
    delegation = link.delegation
    form = RegistrationForm(languages=delegation.program.languages, by_staff=False)
    if form.validate_on_submit():
        begin_writes()
        try:
            submit_request(delegation, form.values(), link=link)
        except Refused as refusal:
            db.session.rollback()
            form.email.errors.append(refusal.message)
        else:
            return no_store(render_template("training/registration_thanks.html", program=delegation.program))
    return no_store(render_template("training/registration_public.html", form=form, program=delegation.program,
                                    delegation_name=delegation_label(delegation, current_language())))


@bp.route("/programs/<int:program_id>/registrations")
@permission_required("registrations.moderate")
def registrations(program_id):
    program = program_or_404(program_id)
    return render_template("training/registrations.html", program=program, requests=pending_requests(program))


@bp.route("/registrations/<int:request_id>/accept", methods=["POST"])
@permission_required("registrations.moderate")
@writes
def registration_accept(request_id):
    registration = _request_or_404(request_id)
    back = redirect(url_for("training.registrations", program_id=registration.program_id))
    try:
        participant = accept_request(registration, actor_id())
    except ServiceError as error:
        db.session.rollback()
        flash(_("%(name)s could not be registered: %(reason)s", name=registration.full_name, reason=error.message),
              "error")
        return back
    flash(_("%(name)s is registered.", name=participant.full_name), "success")
    return back


@bp.route("/registrations/<int:request_id>/reject", methods=["POST"])
@permission_required("registrations.moderate")
@writes
def registration_reject(request_id):
    registration = _request_or_404(request_id)
    form = RejectForm()
    if not form.validate_on_submit():
        flash(_("Say why the request is rejected."), "error")
    else:
        saved, _result = call_or_show_error(form, lambda: reject_request(registration, actor_id(), form.reason.data),
                                            _("The request is rejected."))
        if not saved:
            flash(form.reason.errors[-1], "error")
    return redirect(url_for("training.registrations", program_id=registration.program_id))


def _request_or_404(request_id):
    registration = db.session.get(RegistrationRequest, request_id)
    if registration is None:
        abort(404)
    program_or_404(registration.program_id)  # the viewer's programs only
    return registration
