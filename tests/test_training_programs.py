"""The secretariat creates and edits programs and delegations; the dashboard shows each delegation's gaps."""
from sqlalchemy import select

from extensions import db
from tests.conftest import login, post_form
from training.models import AuditEvent, Delegation, Program

PROGRAM_FORM = {
    "code": "crm-ce-2027",
    "title_es": "Programa de consejerías",
    "title_en": "Counselors program",
    "description_es": "Descripción",
    "general_objective_es": "Fortalecer capacidades",
    "specific_objectives_es": "Uno\nDos",
    "start_date": "2027-03-01",
    "end_date": "2027-03-20",
    "timezone": "America/Guatemala",
    "languages": ["es", "en"],
}


def test_admin_creates_a_program_through_the_form(app, client, world):
    login(client, world["emails"]["admin"])
    response = post_form(client, "/programs/new", PROGRAM_FORM)
    assert response.status_code == 302
    with app.app_context():
        program = db.session.scalar(select(Program).where(Program.code == "CRM-CE-2027"))
        assert program.title == {"es": "Programa de consejerías", "en": "Counselors program"}
        assert program.description == {"es": "Descripción"}
        assert program.specific_objectives == {"es": "Uno\nDos"}
        assert str(program.start_date) == "2027-03-01" and program.timezone == "America/Guatemala"
        assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.object_id == program.id)) == \
            "program.created"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Programa de consejerías" in page and "America/Guatemala".replace("_", " ") in page


def test_program_form_errors_stand_next_to_their_fields(client, world):
    login(client, world["emails"]["admin"])
    data = {**PROGRAM_FORM, "code": "bad code!", "end_date": "2027-02-01", "title_es": "", "languages": []}
    response = post_form(client, "/programs/new", data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="code-error">Use solo letras, dígitos, guiones y guiones bajos.' in html
    assert 'id="end_date-error">La fecha de fin no puede ser anterior a la de inicio.' in html
    assert 'id="title_es-error"' in html
    assert 'id="languages-error">Elija al menos un idioma.' in html
    assert 'value="Counselors program"' in html  # what was typed is kept


def test_program_codes_are_unique_regardless_of_case(client, world):
    login(client, world["emails"]["admin"])
    response = post_form(client, "/programs/new", {**PROGRAM_FORM, "code": "test-2026"})
    assert 'id="code-error">Otro programa ya usa este código.' in response.get_data(as_text=True)


def test_a_malformed_date_is_a_form_error_not_a_crash(client, world):
    login(client, world["emails"]["admin"])
    response = post_form(client, "/programs/new", {**PROGRAM_FORM, "start_date": "32/13/2027"})
    assert response.status_code == 200
    assert 'id="start_date-error"' in response.get_data(as_text=True)


def test_admin_edits_a_program_and_sees_existing_texts(app, client, world):
    login(client, world["emails"]["admin"])
    url = f"/programs/{world['ids']['program']}/edit"
    assert 'value="Programa de prueba"' in client.get(url).get_data(as_text=True)
    response = post_form(client, url, {**PROGRAM_FORM, "code": "TEST-2026", "title_es": "Nuevo título"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Program, world["ids"]["program"]).title["es"] == "Nuevo título"


def test_admin_adds_member_countries_and_observers(app, client, world):
    login(client, world["emails"]["admin"])
    url = f"/programs/{world['ids']['program']}/delegations/new"
    assert post_form(client, url, {"kind": "member", "country_code": "HN", "quota": "10", "status": "invited",
                                   "focal_point_email": "enlace@trabajo.gob.hn"}).status_code == 302
    assert post_form(client, url, {"kind": "observer", "organization": "ACNUR", "quota": "2", "country_code": "",
                                   "status": "confirmed"}).status_code == 302
    duplicate = post_form(client, url, {"kind": "member", "country_code": "HN", "quota": "10", "status": "invited"})
    assert 'id="country_code-error">Este país ya forma parte del programa.' in duplicate.get_data(as_text=True)
    unknown = post_form(client, url, {"kind": "member", "country_code": "XX", "quota": "10", "status": "invited"})
    assert 'id="country_code-error"' in unknown.get_data(as_text=True)
    missing = post_form(client, url, {"kind": "observer", "organization": " ", "quota": "1", "status": "invited",
                                      "country_code": ""})
    assert 'id="organization-error">Indique la organización observadora.' in missing.get_data(as_text=True)
    with app.app_context():
        delegations = db.session.scalars(select(Delegation).where(Delegation.program_id == world["ids"]["program"]))
        assert {(d.kind, d.country_code, d.organization, d.quota) for d in delegations} >= {
            ("member", "HN", None, 10), ("observer", None, "ACNUR", 2)}


def test_quota_cannot_drop_below_who_is_registered(client, world):
    login(client, world["emails"]["admin"])
    url = f"/delegations/{world['ids']['mx']}/edit"
    response = post_form(client, url, {"quota": "1", "status": "confirmed"})
    assert 'id="quota-error">El cupo no puede ser menor que las 2 personas ya registradas.' in \
        response.get_data(as_text=True)
    assert post_form(client, url, {"quota": "2", "status": "confirmed"}).status_code == 302


def test_dashboard_shows_registered_against_quota_and_what_is_missing(client, world):
    login(client, world["emails"]["admin"])
    html = client.get(f"/programs/{world['ids']['program']}").get_data(as_text=True)
    assert "México" in html and "Guatemala" in html and "Red Civil" in html
    assert "2 / 3" in html and "1 / 2" in html
    assert "1 lugar por llenar" in html and "Sin contacto del punto focal" in html
    assert "5 registradas de 8 lugares" in html


def test_focal_point_marks_the_list_sent_and_the_secretariat_confirms(app, client, world):
    login(client, world["emails"]["focal_gt"])
    dashboard = f"/programs/{world['ids']['program']}"
    assert post_form(client, f"/delegations/{world['ids']['mx']}/submit", {}, page=dashboard).status_code == 404
    assert post_form(client, f"/delegations/{world['ids']['gt']}/submit", {}, page=dashboard).status_code == 302
    assert post_form(client, f"/delegations/{world['ids']['gt']}/confirm", {}, page=dashboard).status_code == 403
    with app.app_context():
        assert db.session.get(Delegation, world["ids"]["gt"]).status == "list_received"
    login(client, world["emails"]["admin"])
    assert "Confirmar la lista" in client.get(dashboard).get_data(as_text=True)
    post_form(client, f"/delegations/{world['ids']['gt']}/confirm", {}, page=dashboard)
    with app.app_context():
        assert db.session.get(Delegation, world["ids"]["gt"]).status == "confirmed"
