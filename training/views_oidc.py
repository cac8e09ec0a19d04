"""Sign-in with an organization's Microsoft, Google or other OpenID Connect account, for existing staff accounts."""
from flask import abort, current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _

from extensions import configured_limit, limiter

from . import bp
from .services_oidc import SIGN_IN_ERRORS, account_for, claims_options, client_for, redirect_uri, verified_email
from .web_login import safe_next, start_session


@bp.route("/login/oidc/<name>")
@limiter.limit(configured_limit("LOGIN_RATE_LIMIT"))
def oidc_start(name):
    client = client_for(name)
    if client is None:
        abort(404)
    session["oidc_next"] = safe_next(request.args.get("next")) or ""  # where the login page was asked to lead
    try:
        return client.authorize_redirect(redirect_uri(name))  # state, nonce and PKCE kept in this browser's session
    except SIGN_IN_ERRORS as error:
        current_app.logger.warning("sign-in with %s could not start: %s", name, type(error).__name__)
        return _refused(_("Sign-in with your organization's account is not available right now. Log in with your "
                          "password."))


@bp.route("/login/oidc/<name>/callback")
@limiter.limit(configured_limit("LOGIN_RATE_LIMIT"))
def oidc_callback(name):  # it writes nothing: the account is only looked up
    client = client_for(name)
    if client is None:
        abort(404)
    try:
        token = client.authorize_access_token(claims_options=claims_options(name, client))
    except SIGN_IN_ERRORS as error:
        current_app.logger.info("sign-in with %s refused: %s", name, type(error).__name__)
        return _refused(_("Sign-in with your organization's account did not work. Try again, or log in with your "
                          "password."))
    email = verified_email(name, token.get("userinfo") or {})
    if email is None:
        return _refused(_("Your organization's account did not confirm its e-mail address. Log in with your "
                          "password."))
    user = account_for(email)
    if user is None:
        return _refused(_("No active Capacita account uses %(email)s. The secretariat creates staff accounts.",
                          email=email))
    target = safe_next(session.pop("oidc_next", None))  # read before the fresh session clears it
    start_session(user)
    return redirect(target or url_for("training.programs"))


def _refused(message):
    flash(message, "error")
    return redirect(url_for("training.login"))
