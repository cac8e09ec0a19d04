"""Participants: create and edit with inline errors, unique e-mails, quotas held by the server, withdraw, search."""
import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from extensions import db
from tests.conftest import login, post_form
from training.models import Participant


def person(world, **overrides):
    return {
        "given_names": "  Ana   Lucía ", "family_names": "Pérez  Zúñiga", "email": "Ana.Perez@Trabajo.gob.mx ",
        "position": "Consejera de empleo", "institution": "Servicio Nacional de Empleo",
        "delegation_id": str(world["ids"]["mx"]), "gender": "female", "profile": "employment_counselor",
        "language": "es", "timezone": "", **overrides,
    }


def new_url(world):
    return f"/programs/{world['ids']['program']}/participants/new"


def test_admin_registers_a_participant_with_tidy_values(app, client, world):
    login(client, world["emails"]["admin"])
    response = post_form(client, new_url(world), person(world, delegation_id=str(world["ids"]["gt"])))
    assert response.status_code == 302
    with app.app_context():
        saved = db.session.scalar(select(Participant).where(Participant.email_key == "ana.perez@trabajo.gob.mx"))
        assert (saved.given_names, saved.family_names) == ("Ana Lucía", "Pérez Zúñiga")
        assert saved.email == "Ana.Perez@Trabajo.gob.mx"
        assert saved.timezone == "America/Guatemala"  # from the country, not the program
        assert saved.status == "registered"


def test_email_is_unique_per_program_ignoring_case_and_spaces(client, world):
    login(client, world["emails"]["admin"])
    response = post_form(client, new_url(world), person(world, email=" JOSE.NUNEZ@example.MX",
                                                        delegation_id=str(world["ids"]["gt"])))
    assert response.status_code == 200
    assert 'id="email-error">Este correo electrónico ya está registrado en el programa.' in \
        response.get_data(as_text=True)


def test_the_database_itself_refuses_a_duplicate_email(app, world):
    with app.app_context():
        db.session.add(Participant(program_id=world["ids"]["program"], delegation_id=world["ids"]["gt"],
                                   given_names="X", family_names="Y", email="x@example.org",
                                   email_key="jose.nunez@example.mx", timezone="UTC"))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


def test_invalid_input_is_shown_next_to_each_field(client, world):
    login(client, world["emails"]["admin"])
    response = post_form(client, new_url(world), person(world, email="not-an-email", given_names="",
                                                        gender="robot", timezone="Mars/Base"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    for field in ("email", "given_names", "gender", "timezone"):
        assert f'id="{field}-error"' in html
    assert 'value="Pérez  Zúñiga"' in html


def test_quota_is_enforced_on_the_server(app, client, world):
    login(client, world["emails"]["admin"])
    assert post_form(client, new_url(world), person(world)).status_code == 302  # MX: 3 of 3
    response = post_form(client, new_url(world), person(world, email="otra@example.mx"))
    assert 'id="delegation_id-error">El cupo de 3 de esta delegación está lleno.' in response.get_data(as_text=True)
    with app.app_context():
        count = db.session.scalar(select(db.func.count()).where(Participant.delegation_id == world["ids"]["mx"]))
        assert count == 3


def test_withdrawing_frees_a_place_and_reinstating_needs_one(app, client, world):
    login(client, world["emails"]["admin"])
    mx1 = world["ids"]["mx1"]
    post_form(client, new_url(world), person(world))  # MX full: 3 of 3
    assert post_form(client, f"/participants/{mx1}/withdraw", {}, page=f"/participants/{mx1}/edit").status_code == 302
    assert post_form(client, new_url(world), person(world, email="nueva@example.mx")).status_code == 302
    response = post_form(client, f"/participants/{mx1}/reinstate", {}, page=f"/participants/{mx1}/edit")
    assert "El cupo de 3 de esta delegación está lleno." in client.get(response.headers["Location"]).get_data(
        as_text=True)
    with app.app_context():
        assert db.session.get(Participant, mx1).status == "withdrawn"


def test_editing_keeps_the_place_and_moving_needs_room(app, client, world):
    login(client, world["emails"]["admin"])
    url = f"/participants/{world['ids']['mx1']}/edit"
    edited = post_form(client, url, person(world, email="jose.nunez@example.mx", given_names="José"))
    assert edited.status_code == 302
    post_form(client, new_url(world), person(world, email="g1@example.gt", delegation_id=str(world["ids"]["gt"])))
    moved = post_form(client, url, person(world, email="jose.nunez@example.mx", delegation_id=str(world["ids"]["gt"])))
    assert 'id="delegation_id-error"' in moved.get_data(as_text=True)  # GT is full (3 of 3)


def test_list_searches_and_filters(client, world):
    login(client, world["emails"]["admin"])
    base = f"/programs/{world['ids']['program']}/participants"
    everyone = client.get(base).get_data(as_text=True)
    assert "Núñez Peña" in everyone and "Tzul Batz" in everyone and "5 participantes" in everyone
    by_name = client.get(base, query_string={"q": "gómez"}).get_data(as_text=True)
    assert "Gómez Díaz" in by_name and "Tzul" not in by_name
    by_email = client.get(base, query_string={"q": "COJTI@"}).get_data(as_text=True)
    assert "Cojtí" in by_email and "1 participante" in by_email
    by_country = client.get(base, query_string={"delegation": world["ids"]["gt"]}).get_data(as_text=True)
    assert "Tzul Batz" in by_country and "Núñez" not in by_country
    wildcard = client.get(base, query_string={"q": "%"}).get_data(as_text=True)
    assert "0 participantes" in wildcard


def test_withdrawn_people_leave_the_default_list(client, world):
    login(client, world["emails"]["admin"])
    mx1 = world["ids"]["mx1"]
    withdrawn = post_form(client, f"/participants/{mx1}/withdraw", {}, page=f"/participants/{mx1}/edit")
    assert "dado/a de baja" in client.get(withdrawn.headers["Location"]).get_data(as_text=True)
    base = f"/programs/{world['ids']['program']}/participants"
    assert "Núñez Peña" not in client.get(base).get_data(as_text=True)
    assert "Núñez Peña" in client.get(base, query_string={"status": "withdrawn"}).get_data(as_text=True)


def test_hostile_names_are_shown_as_text(client, world):
    login(client, world["emails"]["admin"])
    hostile = '"><img src=x onerror=alert(1)>'
    post_form(client, new_url(world), person(world, given_names=hostile, family_names="{{7*7}}</script>",
                                             delegation_id=str(world["ids"]["gt"])))
    html = client.get(f"/programs/{world['ids']['program']}/participants").get_data(as_text=True)
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "{{7*7}}&lt;/script&gt;" in html and "49&lt;/script&gt;" not in html
