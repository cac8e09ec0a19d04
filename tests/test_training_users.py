"""Staff accounts: the secretariat creates them and gives each its roles per program (a focal point: of one country
in one program); the secretariat's own grant covers every program and cannot be taken from oneself."""
from sqlalchemy import select

from extensions import db
from tests.conftest import PASSWORD, login, post_form
from training.models import AuditEvent, User


def account(**overrides):
    return {"name": "Enlace Honduras", "email": "Enlace@Trabajo.gob.hn", "language": "es", "active": "y",
            "password": "una-clave-larga", **overrides}


def grants_of(app, email):
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        return [(grant.program_id, grant.role, grant.country_code) for grant in user.grants]


def test_admin_creates_a_focal_point_of_one_program_who_can_then_log_in(app, client, world):
    login(client, world["emails"]["admin"])
    response = post_form(client, "/users/new", account())
    assert response.status_code == 302 and response.headers["Location"].endswith("/edit")  # on to its roles
    assert grants_of(app, "enlace@trabajo.gob.hn") == []
    url = response.headers["Location"]
    role = {"program_id": str(world["ids"]["program"]), "role": "focal_point", "country_code": "HN"}
    assert post_form(client, url.replace("/edit", "/roles"), role, page=url).status_code == 302
    assert grants_of(app, "enlace@trabajo.gob.hn") == [(world["ids"]["program"], "focal_point", "HN")]
    page = client.get(url).get_data(as_text=True)
    assert "TEST-2026" in page and "Punto focal de país · Honduras" in page
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.role_granted"))
        assert event.details == {"program": "TEST-2026", "role": "focal_point", "country_code": "HN"}
    other = app.test_client()
    assert post_form(other, "/login", {"email": "enlace@trabajo.gob.hn", "password": "una-clave-larga"}) \
        .status_code == 302


def test_a_focal_point_needs_a_country_and_a_program_and_an_account_needs_a_password(app, client, world):
    login(client, world["emails"]["admin"])
    html = post_form(client, "/users/new", account(password="")).get_data(as_text=True)
    assert 'id="password-error">Una cuenta nueva necesita contraseña.' in html
    url = f"/users/{world['ids']['facilitator']}/edit"
    html = post_form(client, url.replace("/edit", "/roles"), {"program_id": str(world["ids"]["program"]),
                                                              "role": "focal_point", "country_code": ""},
                     page=url).get_data(as_text=True)
    assert 'id="country_code-error">Un punto focal debe estar vinculado a un país.' in html
    html = post_form(client, url.replace("/edit", "/roles"), {"program_id": "", "role": "focal_point",
                                                              "country_code": "MX"}, page=url).get_data(as_text=True)
    assert 'id="program_id-error">Un punto focal lo es de un país en un programa.' in html
    assert grants_of(app, "fac@example.org") == [(None, "facilitator", None)]
    html = post_form(client, url.replace("/edit", "/roles"), {"program_id": "999999", "role": "organizer"},
                     page=url).get_data(as_text=True)
    assert 'id="program_id-error"' in html  # a program that does not exist is not a choice (no 500)


def test_a_role_in_a_program_replaces_the_one_there_and_can_be_removed(app, client, world):
    login(client, world["emails"]["admin"])
    url = f"/users/{world['ids']['focal_mx']}/edit"
    program = world["ids"]["program"]
    post_form(client, url.replace("/edit", "/roles"), {"program_id": str(program), "role": "organizer"}, page=url)
    assert grants_of(app, "fp.mx@example.org") == [(program, "organizer", None)]
    with app.app_context():
        grant_id = db.session.scalar(select(User).where(User.email == "fp.mx@example.org")).grants[0].id
    assert post_form(client, f"{url.replace('/edit', '/roles')}/{grant_id}/remove", {}, page=url).status_code == 302
    assert grants_of(app, "fp.mx@example.org") == []
    assert "Sin rol todavía" in client.get("/users").get_data(as_text=True)
    # Someone else's grant id, or the secretariat's, is not removed through another account's address.
    with app.app_context():
        admin_grant = db.session.scalar(select(User).where(User.email == "admin@example.org")).grants[0].id
    remove = f"/users/{world['ids']['organizer']}/roles/{admin_grant}/remove"
    assert post_form(client, remove, {}, page=url).status_code == 404
    assert grants_of(app, "admin@example.org") == [(None, "admin", None)]


def test_the_secretariat_is_given_and_taken_on_the_account_form(app, client, world):
    login(client, world["emails"]["admin"])
    url = f"/users/{world['ids']['organizer']}/edit"
    assert post_form(client, url, account(email="org@example.org", secretariat="y", password="")).status_code == 302
    assert grants_of(app, "org@example.org") == [(None, "admin", None)]  # it replaced the every-program organizer
    assert post_form(client, url, account(email="org@example.org", password="")).status_code == 302
    assert grants_of(app, "org@example.org") == []


def test_duplicate_staff_email_is_refused(client, world):
    login(client, world["emails"]["admin"])
    html = post_form(client, "/users/new", account(email="ORG@example.org")).get_data(as_text=True)
    assert 'id="email-error">Otra cuenta ya usa este correo electrónico.' in html


def test_editing_keeps_the_password_when_left_empty(app, client, world):
    login(client, world["emails"]["admin"])
    url = f"/users/{world['ids']['organizer']}/edit"
    assert post_form(client, url, account(email="org@example.org", password="")).status_code == 302
    assert login(app.test_client(), "org@example.org", PASSWORD).status_code == 302


def test_admin_cannot_lock_themself_out(app, client, world):
    login(client, world["emails"]["admin"])
    url = f"/users/{world['ids']['admin']}/edit"
    html = post_form(client, url, account(email="admin@example.org", password="")).get_data(as_text=True)
    assert 'id="secretariat-error">No puede quitarse su propio acceso de administración.' in html
    html = post_form(client, url, account(email="admin@example.org", secretariat="y", active="", password="")) \
        .get_data(as_text=True)
    assert 'id="secretariat-error">No puede quitarse su propio acceso de administración.' in html
    assert grants_of(app, "admin@example.org") == [(None, "admin", None)]
