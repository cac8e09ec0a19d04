"""Staff accounts: the secretariat lists, creates and edits users and their roles."""
from flask import redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import login_user
from sqlalchemy import select

from extensions import db
from transactions import writes

from . import bp
from .access import actor_id, permission_required
from .forms import UserForm
from .models import User
from .services import save_user
from .web import call_or_show_error


@bp.route("/users")
@permission_required("users.manage")
def users():
    rows = db.session.scalars(select(User).order_by(User.role, User.name)).all()
    return render_template("training/users.html", users=rows)


@bp.route("/users/new", methods=["GET", "POST"])
@permission_required("users.manage")
@writes
def user_new():
    return _user_form(None)


@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
@permission_required("users.manage")
@writes
def user_edit(user_id):
    return _user_form(db.get_or_404(User, user_id))


def _user_form(user):
    form = UserForm(obj=user)
    if form.validate_on_submit():
        if user is not None and user.id == actor_id() and (form.role.data != "admin" or not form.active.data):
            form.role.errors.append(_("You cannot remove your own administrator access."))
        else:
            saved, _user = call_or_show_error(form, lambda: save_user(
                user, actor_id(), email=form.email.data, name=form.name.data, role=form.role.data,
                country_code=form.country_code.data or None, language=form.language.data,
                active=form.active.data, password=form.password.data or None,
            ), _("Account saved."))
            if saved:
                if user is not None and user.id == actor_id():
                    login_user(user)  # their own new password ended their other sessions, not this one (as Django)
                return redirect(url_for("training.users"))
    return render_template("training/user_form.html", form=form, user=user)
