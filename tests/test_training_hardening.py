"""What hostile or careless input must not break: odd query strings, NUL bytes, bad filters, failed saves."""
import pytest
from sqlalchemy import select

from extensions import db
from tests.conftest import login, post_form
from training.models import Participant


@pytest.fixture
def demo(app):
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    with app.app_context():
        return db.session.scalar(select(Participant.program_id).limit(1))


def test_pages_beyond_the_last_or_absurd_are_clamped(client, demo):
    login(client, "admin@capacita.example", "capacita-demo")
    base = f"/programs/{demo}/participants"
    for page in ("99999999999999999999999", "9999999999999999999", "-5", "abc"):
        response = client.get(base, query_string={"page": page})
        assert response.status_code == 200
    last = client.get(base, query_string={"page": "99999999999999999999999"}).get_data(as_text=True)
    assert "Página 3 de 3" in last


def test_unexpected_query_parameters_do_not_reach_the_pager(client, demo):
    login(client, "admin@capacita.example", "capacita-demo")
    response = client.get(f"/programs/{demo}/participants",
                          query_string={"page": "2", "program_id": "5", "_external": "1", "q": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    pager = html[html.index('class="pager"'):]
    assert "program_id=5" not in pager and "_external" not in pager
    assert f'href="/programs/{demo}/participants?page=3"' in pager


def test_nul_bytes_are_refused_before_they_reach_the_database(client, world):
    login(client, world["emails"]["admin"])
    program = world["ids"]["program"]
    assert client.get(f"/programs/{program}/participants", query_string={"q": "a\x00b"}).status_code == 400
    response = post_form(client, f"/participants/{world['ids']['mx1']}/edit", {
        "given_names": "Jo\x00sé", "family_names": "Núñez", "email": "jose.nunez@example.mx",
        "delegation_id": str(world["ids"]["mx"]), "gender": "male", "profile": "other", "language": "es",
    })
    assert response.status_code == 400
    assert "No se pudo entender la solicitud." in response.get_data(as_text=True)


def test_search_ignores_accents_and_case_and_sorts_like_people_read(client, world):
    login(client, world["emails"]["admin"])
    base = f"/programs/{world['ids']['program']}/participants"
    found = client.get(base, query_string={"q": "jose angel NUNEZ"}).get_data(as_text=True)
    assert "Núñez Peña" in found and "1 participante" in found
    html = client.get(base).get_data(as_text=True)
    order = [html.index(name) for name in ("Cojtí", "Gómez Díaz", "Núñez Peña", "Ruiz", "Tzul Batz")]
    assert order == sorted(order)


def test_a_bad_filter_value_drops_only_that_filter(app, client, world):
    login(client, world["emails"]["admin"])
    mx1 = world["ids"]["mx1"]
    post_form(client, f"/participants/{mx1}/withdraw", {}, page=f"/participants/{mx1}/edit")
    client.get(f"/participants/{mx1}/edit")  # read the flash
    base = f"/programs/{world['ids']['program']}/participants"
    html = client.get(base, query_string={"delegation": "abc", "q": "gómez"}).get_data(as_text=True)
    assert 'id="delegation-error"' in html
    assert "Gómez Díaz" in html and "1 participante" in html
    html = client.get(base, query_string={"q": "x" * 500}).get_data(as_text=True)
    assert 'id="q-error"' in html and "Núñez Peña" not in html and "4 participantes" in html


def test_a_refused_edit_stays_on_the_person(client, world):
    login(client, world["emails"]["admin"])
    response = post_form(client, f"/participants/{world['ids']['mx1']}/edit", {
        "given_names": "José Ángel", "family_names": "Núñez Peña", "email": "FATIMA.gomez@example.mx",
        "delegation_id": str(world["ids"]["mx"]), "gender": "male", "profile": "other", "language": "es",
        "timezone": "",
    })
    html = response.get_data(as_text=True)
    assert 'id="email-error">Este correo electrónico ya está registrado en el programa.' in html
    assert "<h1>José Ángel Núñez Peña</h1>" in html and "Dar de baja del programa" in html


def test_valid_fields_are_not_announced_as_invalid(client, world):
    login(client, world["emails"]["admin"])
    html = post_form(client, f"/programs/{world['ids']['program']}/participants/new", {
        "given_names": "", "family_names": "Prueba", "email": "p@example.org",
        "delegation_id": str(world["ids"]["gt"]), "gender": "male", "profile": "other", "language": "es",
    }).get_data(as_text=True)
    assert 'aria-invalid="None"' not in html and 'aria-describedby="None"' not in html
    assert html.count('aria-invalid="true"') == 1
    assert 'aria-describedby="given_names-error"' in html


def test_focal_points_get_404_for_programs_without_their_country(app, client, world):
    """Even a focal point's role in the program reaches nothing where their country has no delegation; and their
    country's delegation there opens nothing without a role in that program."""
    from tests.factories import make_grant
    from training.models import Delegation, Program, User

    with app.app_context():
        other = Program(code="SIN-GT", title={"es": "Sin Guatemala"}, timezone="UTC")
        db.session.add(other)
        db.session.flush()
        db.session.add(Delegation(program_id=other.id, kind="member", country_code="MX"))
        make_grant(db.session.get(User, world["ids"]["focal_gt"]), "focal_point", other, "GT")
        db.session.commit()
        other_id = other.id
    login(client, world["emails"]["focal_gt"])
    for url in (f"/programs/{other_id}", f"/programs/{other_id}/participants",
                f"/programs/{other_id}/participants/new"):
        assert client.get(url).status_code == 404, url
    login(client, world["emails"]["focal_mx"])
    assert client.get(f"/programs/{other_id}").status_code == 404  # Mexico is in it, but they are not
    with app.app_context():
        make_grant(db.session.get(User, world["ids"]["focal_mx"]), "focal_point", db.session.get(Program, other_id),
                   "MX")
        db.session.commit()
    assert client.get(f"/programs/{other_id}").status_code == 200
