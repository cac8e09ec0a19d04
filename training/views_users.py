"""Staff accounts: the secretariat lists, creates and edits users and their roles in each program."""
from flask import abort, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import login_user
from sqlalchemy import select

from extensions import db
from transactions import writes

from . import bp
from .access import actor_id, permission_required
from .forms import GrantForm, UserForm
from .models import Program, User
from .models_grants import ProgramRole
from .services import grant_role, remove_grant, save_user
from .services_audit import all_programs
from .web import call_or_show_error


@bp.route("/users")
@permission_required("users.manage")
def users():
    rows = db.session.scalars(select(User).order_by(User.name, User.id)).all()
    return render_template("training/users.html", users=rows, programs={p.id: p for p in all_programs()})


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
    form = UserForm(obj=user, secretariat=user is not None and user.is_admin)
    if form.validate_on_submit():
        if user is not None and user.id == actor_id() and not (form.secretariat.data and form.active.data):
            form.secretariat.errors.append(_("You cannot remove your own administrator access."))
        else:
            saved, result = call_or_show_error(form, lambda: save_user(
                user, actor_id(), email=form.email.data, name=form.name.data, language=form.language.data,
                active=form.active.data, password=form.password.data or None, secretariat=form.secretariat.data,
            ), _("Account saved."))
            if saved:
                if user is not None and user.id == actor_id():
                    login_user(user)  # their own new password ended their other sessions, not this one (as Django)
                # A new account goes on to its roles; the secretariat's needs none.
                return redirect(url_for("training.users") if user is not None or result.is_admin
                                else url_for("training.user_edit", user_id=result.id))
    return _page(user, form, GrantForm(programs=all_programs()) if user is not None else None)


def _page(user, form, grant_form):
    programs = {program.id: program for program in all_programs()}
    return render_template("training/user_form.html", form=form, user=user, grant_form=grant_form, programs=programs)


@bp.route("/users/<int:user_id>/roles", methods=["POST"])
@permission_required("users.manage")
@writes
def user_role_add(user_id):
    """Give the account a role in a program (or every program), replacing the one it had there."""
    user = db.get_or_404(User, user_id)
    grant_form = GrantForm(programs=all_programs())
    if grant_form.validate_on_submit():
        program = db.session.get(Program, grant_form.program_id.data) if grant_form.program_id.data else None
        saved, _grant = call_or_show_error(grant_form, lambda: grant_role(
            user, actor_id(), program=program, role=grant_form.role.data,
            country_code=grant_form.country_code.data or None), _("Role saved."))
        if saved:
            return redirect(url_for("training.user_edit", user_id=user.id))
    return _page(user, UserForm(obj=user, secretariat=user.is_admin, formdata=None), grant_form)


@bp.route("/users/<int:user_id>/roles/<int:grant_id>/remove", methods=["POST"])
@permission_required("users.manage")
@writes
def user_role_remove(user_id, grant_id):
    grant = db.session.get(ProgramRole, grant_id)
    if grant is None or grant.user_id != user_id or grant.role == "admin":  # the secretariat's: the account form
        abort(404)
    remove_grant(grant, actor_id())
    return redirect(url_for("training.user_edit", user_id=user_id))
