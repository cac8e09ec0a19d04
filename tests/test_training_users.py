"""Staff accounts: the admin creates them with a role; focal points are bound to one country."""
from sqlalchemy import select

from extensions import db
from tests.conftest import PASSWORD, login, post_form
from training.models import User


def account(**overrides):
    return {"name": "Enlace Honduras", "email": "Enlace@Trabajo.gob.hn", "role": "focal_point",
            "country_code": "HN", "language": "es", "active": "y", "password": "una-clave-larga", **overrides}


def test_admin_creates_a_focal_point_who_can_then_log_in(app, client, world):
    login(client, world["emails"]["admin"])
    assert post_form(client, "/users/new", account()).status_code == 302
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "enlace@trabajo.gob.hn"))
        assert (user.role, user.country_code) == ("focal_point", "HN")
    other = app.test_client()
    assert post_form(other, "/login", {"email": "enlace@trabajo.gob.hn", "password": "una-clave-larga"}) \
        .status_code == 302


def test_a_focal_point_needs_a_country_and_an_account_needs_a_password(client, world):
    login(client, world["emails"]["admin"])
    html = post_form(client, "/users/new", account(country_code="", password="")).get_data(as_text=True)
    assert 'id="country_code-error">Un punto focal debe estar vinculado a un país.' in html
    html = post_form(client, "/users/new", account(password="")).get_data(as_text=True)
    assert 'id="password-error">Una cuenta nueva necesita contraseña.' in html


def test_duplicate_staff_email_is_refused(client, world):
    login(client, world["emails"]["admin"])
    html = post_form(client, "/users/new", account(email="ORG@example.org")).get_data(as_text=True)
    assert 'id="email-error">Otra cuenta ya usa este correo electrónico.' in html


def test_editing_keeps_the_password_when_left_empty(app, client, world):
    login(client, world["emails"]["admin"])
    url = f"/users/{world['ids']['organizer']}/edit"
    assert post_form(client, url, account(email="org@example.org", role="organizer", country_code="",
                                          password="")).status_code == 302
    assert login(app.test_client(), "org@example.org", PASSWORD).status_code == 302


def test_admin_cannot_lock_themself_out(client, world):
    login(client, world["emails"]["admin"])
    url = f"/users/{world['ids']['admin']}/edit"
    html = post_form(client, url, account(email="admin@example.org", role="organizer", password="")) \
        .get_data(as_text=True)
    assert 'id="role-error">No puede quitarse su propio acceso de administración.' in html
