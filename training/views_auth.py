"""Log in, log out, language switch and the home redirect."""

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from extensions import configured_limit, db, limiter, login_manager
from transactions import writes_own_settings

from . import bp
from .forms import LanguageForm, LoginForm
from .models import User, parse_session_id
from .services_oidc import providers
from .web_login import (
    count_attempt,
    login_target,
    password_matches,
    remember_device,
    safe_next,
    start_session,
    trusted_browser,
)


@login_manager.user_loader
def load_user(session_id):
    """The active account whose sessions `session_id` (id and version) still belongs to: a logout, a new password or
    a deactivation raised the version, and ends every session started before, wherever its cookie was copied."""
    parsed = parse_session_id(session_id)
    user = db.session.get(User, parsed[0]) if parsed is not None else None
    return user if user is not None and user.active and user.session_version == parsed[1] else None


@bp.route("/")
def home():
    if current_user.is_authenticated:
        return redirect(url_for("training.programs"))
    return redirect(url_for("training.login"))


@bp.route("/login", methods=["GET", "POST"])
# Per address, counted when a request arrives, in one atomic step of the limiter's storage: counting failures
# afterwards let every thread in every worker start a check before any was counted (bursts of ten at once stalled test
# takers). A browser that logged in to the account before is counted on its own instead (web_login); the
# limits per account and on dummy checks are counted next, the same way, before the slow password check.
@limiter.limit(configured_limit("LOGIN_RATE_LIMIT"), methods=["POST"], exempt_when=trusted_browser)
def login():  # it writes nothing (it declares no writes): on SQLite the slow password check holds no write lock
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        user, device = login_target()
        count_attempt(form.email.data, device)
        if password_matches(user, form.password.data, device is not None) and user.active:
            start_session(user)
            return remember_device(redirect(safe_next(form.next.data) or url_for("training.programs")), user, device)
        form.password.errors.append(_("Wrong e-mail or password."))
    return render_template("training/login.html", form=form, providers=providers())


@bp.route("/logout", methods=["POST"])
@login_required
@writes_own_settings
def logout():
    current_user.end_sessions()  # a copy of the cookie, on this device or any other, opens nothing now
    logout_user()
    session.clear()
    flash(_("You have logged out."), "info")
    return redirect(url_for("training.login"))


@bp.route("/language", methods=["POST"])
@writes_own_settings
def set_language():
    form = LanguageForm()
    if form.validate_on_submit():
        session["language"] = form.language.data
        if current_user.is_authenticated:
            current_user.language = form.language.data
    return redirect(safe_next(form.next.data) or url_for("training.home"))
