"""Roles per program, through the whole access matrix (test_security_access.MATRIX) again: world's accounts are
given their roles in another program instead of world's (one with Mexico's and Guatemala's delegations too), and
every route about world's objects answers them 404 (403 where no role of theirs may do the action anywhere); an
account with a focal point's role in one program and an organizer's in world's gets in world's what an organizer
gets. The secretariat keeps every program."""
import re

import pytest
from sqlalchemy import select

from extensions import db
from tests.conftest import csrf_from, login
from tests.factories import make_delegation, make_grant, make_participant, make_program
from tests.test_security_access import ACCOUNT_ROLE, LOGIN, MATRIX, MISSING, Everyone
from training.models import Program, User
from training.permissions import may

FORBIDDEN = 403
NAMES_NO_PROGRAM = re.compile(r"\{(?!organizer\})")  # a user id names no program's object
MOVED = ("organizer", "facilitator", "focal_mx", "focal_gt")
COUNTRY = {"focal_mx": "MX", "focal_gt": "GT"}


@pytest.fixture
def other(app, world):
    """OTRO-2026: Mexico and Guatemala have delegations here too, one Mexican participant."""
    with app.app_context():
        program = make_program("OTRO-2026", {"es": "Otro programa"})
        mexico = make_delegation(program, country_code="MX")
        make_delegation(program, country_code="GT")
        person = make_participant(mexico, "Rocío", "Otra Persona", "rocio.otra@example.mx")
        db.session.commit()
        return {"program": program.id, "person": person.id}


def regrant(app, world, key, grants):
    """Replace the account's roles by `grants`: (program codes, role, country)."""
    with app.app_context():
        user = db.session.get(User, world["ids"][key])
        user.grants.clear()
        db.session.flush()
        for codes, role, country in grants:
            for code in codes:
                make_grant(user, role, db.session.scalar(select(Program).where(Program.code == code)), country)
        db.session.commit()


def answer(client, template, method, world):
    url = template.format(**world["ids"])
    if method == "POST":
        token = csrf_from(client.get("/login").get_data(as_text=True))
        response = client.post(url, data={"csrf_token": token})
    else:
        response = client.get(url)
    if response.status_code == 302 and response.headers["Location"].startswith("/login"):
        return LOGIN
    return response.status_code


def about_a_program(template):
    return NAMES_NO_PROGRAM.search(template) is not None


def elsewhere_status(rule, role):
    """What an account whose roles are all in another program gets from a route about world's objects."""
    if isinstance(rule, Everyone) or not about_a_program(template_of(rule)):
        return rule.status(role)
    return MISSING if may(ACCOUNT_ROLE.get(role, role), rule.action) else FORBIDDEN


def template_of(rule):
    return next(template for template, _method, other_rule in MATRIX if other_rule is rule)


@pytest.mark.parametrize("role", MOVED)
def test_roles_in_another_program_reach_nothing_of_this_one(app, client, world, other, role):
    """Even where world's program has a delegation of the focal point's country: 404, and nothing listed."""
    regrant(app, world, role, [(["OTRO-2026"], ACCOUNT_ROLE.get(role, role), COUNTRY.get(role))])
    login(client, world["emails"][role])
    wrong = [(template, method, status, elsewhere_status(rule, role))
             for template, method, rule in MATRIX
             if (status := answer(client, template, method, world)) != elsewhere_status(rule, role)]
    assert wrong == []
    programs = client.get("/programs").get_data(as_text=True)
    assert "OTRO-2026" in programs and "TEST-2026" not in programs and "TEST-Q-2026" not in programs
    assert client.get(f"/programs/{other['program']}").status_code == 200
    assert client.get(f"/programs/{world['ids']['program']}/participants/export.csv").status_code == MISSING


def test_a_focal_point_of_another_program_sees_only_its_people(app, client, world, other):
    regrant(app, world, "focal_mx", [(["OTRO-2026"], "focal_point", "MX")])
    login(client, world["emails"]["focal_mx"])
    listed = client.get(f"/programs/{other['program']}/participants").get_data(as_text=True)
    assert "Otra Persona" in listed and "Núñez" not in listed and "Gómez" not in listed
    assert client.get(f"/participants/{other['person']}/edit").status_code == 200
    for key in ("mx1", "mx2", "gt1"):  # world's Mexicans too: Mexico is theirs only in OTRO-2026
        assert client.get(f"/participants/{world['ids'][key]}/edit").status_code == MISSING


def test_the_secretariat_reaches_every_program(app, client, world, other):
    login(client, world["emails"]["admin"])
    programs = client.get("/programs").get_data(as_text=True)
    assert "OTRO-2026" in programs and "TEST-2026" in programs
    assert client.get(f"/participants/{other['person']}/edit").status_code == 200


ABOUT_A_PROGRAM = [(template, method, rule) for template, method, rule in MATRIX if about_a_program(template)]


@pytest.mark.parametrize("template, method, rule", ABOUT_A_PROGRAM)
def test_each_program_gets_its_own_role(app, client, world, other, template, method, rule):
    """Mexico's focal point in OTRO-2026 and organizer of world's programs: an organizer's answers in world's (a
    focal point's actions, like sending Mexico's list, are refused there), a focal point's in OTRO-2026."""
    regrant(app, world, "focal_mx", [(["OTRO-2026"], "focal_point", "MX"),
                                     (["TEST-2026", "TEST-Q-2026"], "organizer", None)])
    login(client, world["emails"]["focal_mx"])
    assert answer(client, template, method, world) == rule.status("organizer")


def test_a_role_in_one_program_does_not_open_the_others_actions(app, client, world, other):
    regrant(app, world, "focal_mx", [(["OTRO-2026"], "focal_point", "MX"),
                                     (["TEST-2026", "TEST-Q-2026"], "organizer", None)])
    login(client, world["emails"]["focal_mx"])
    assert client.get(f"/participants/{other['person']}/edit").status_code == 200  # a focal point's, in OTRO-2026
    assert client.get(f"/participants/{world['ids']['mx1']}/edit").status_code == FORBIDDEN  # an organizer's
    assert client.get(f"/programs/{other['program']}/activities/new").status_code == FORBIDDEN
    assert client.get(f"/programs/{world['ids']['program']}/activities/new").status_code == 200
    # The page says which role the account holds in the program on screen.
    assert "FP MX · Organización" in client.get(f"/programs/{world['ids']['program']}").get_data(as_text=True)
    assert "FP MX · Punto focal de país · México" in client.get(f"/programs/{other['program']}") \
        .get_data(as_text=True)
