"""The factories build records the app accepts on their own, without `world`: a test makes only what it uses."""
from extensions import db
from tests.conftest import login
from tests.factories import make_certificate, make_delegation, make_participant, make_program, make_staff
from tests.helpers import enter, link_for


def test_a_participant_made_alone_opens_their_personal_link(app, client):
    with app.app_context():
        person = make_participant(make_delegation(make_program(), "MX"), "Ana", "Ríos", "ana.rios@example.mx")
        db.session.commit()
        person_id = person.id
    assert enter(client, link_for(app, person_id)).status_code == 302
    assert "Ana Ríos" in client.get("/me").get_data(as_text=True)


def test_a_staff_member_made_alone_logs_in_with_the_shared_password(app, client):
    with app.app_context():
        make_staff("organizer", "ana@example.org", "Ana")
        db.session.commit()
    login(client, "ana@example.org")  # asserts the redirect of a good password
    assert client.get("/programs").status_code == 200


def test_a_certificate_made_alone_is_verified_publicly(app, client):
    with app.app_context():
        person = make_participant(make_delegation(make_program(), "GT"), "Ixchel", "Tzul", "ixchel@example.gt")
        make_certificate(person, 7, "c" * 32)
        db.session.commit()
    page = client.get("/verify/" + "c" * 32)
    assert page.status_code == 200
    assert "Ixchel Tzul" in page.get_data(as_text=True) and "TEST-2026-0007" in page.get_data(as_text=True)
