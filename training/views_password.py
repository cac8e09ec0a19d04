"""Forgot your password?: ask for a reset link, and choose a new password through it."""
from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import logout_user

from extensions import configured_limit, limiter, spend
from task_queue import queue_of, task_name
from transactions import writes

from . import bp
from .forms import ForgotPasswordForm, NewPasswordForm
from .services_login_limits import reset_key
from .services_password import set_new_password, user_for_reset_token
from .tasks import send_password_reset
from .textkeys import email_key
from .web_login import fresh_session


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(configured_limit("PASSWORD_RESET_RATE_LIMIT"), methods=["POST"])
def forgot_password():  # reads and writes nothing: the worker looks the account up, so every e-mail is answered alike
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        # Past the limit per e-mail nothing more is sent, with the same answer (an owner's inbox is not flooded).
        if not spend("PASSWORD_RESET_EMAIL_RATE_LIMIT", *reset_key(form.email.data)):
            queue_of(current_app).send(task_name(send_password_reset), email_key(form.email.data))
        flash(_("If an active account uses %(email)s, a message with a link to choose a new password is on its way. "
                "The link works for an hour, once.", email=form.email.data), "info")
        return redirect(url_for("training.login"))
    return render_template("training/forgot_password.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@limiter.limit(configured_limit("PASSWORD_RESET_RATE_LIMIT"), methods=["POST"])
@writes
def reset_password(token):
    user = user_for_reset_token(token)
    if user is None:
        return render_template("training/reset_password.html", form=None), 404
    form = NewPasswordForm()
    if form.validate_on_submit():
        set_new_password(user, form.password.data)
        logout_user()  # this browser too starts afresh, with the new password
        fresh_session()
        flash(_("Your new password is set, and every session of your account has ended. Log in with it."), "success")
        return redirect(url_for("training.login"))
    return render_template("training/reset_password.html", form=form)
