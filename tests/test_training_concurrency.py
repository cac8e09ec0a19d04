"""Invariants that must hold when requests race: a delegation's last place and an e-mail go to one request only."""
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from extensions import db
from tests.conftest import csrf_from, login
from training.models import Participant

RACERS = 6


def _logged_in_clients(app, email):
    clients = []
    for _ in range(RACERS):
        client = app.test_client()
        login(client, email)
        clients.append(client)
    return clients


def _race(app, world, emails):
    """Post RACERS registrations into Mexico's delegation at once; return the status codes."""
    url = f"/programs/{world['ids']['program']}/participants/new"
    clients = _logged_in_clients(app, world["emails"]["admin"])
    tokens = [csrf_from(c.get(url).get_data(as_text=True)) for c in clients]

    def register(index):
        return clients[index].post(url, data={
            "given_names": f"Persona {index}", "family_names": "Concurrente", "email": emails[index],
            "delegation_id": str(world["ids"]["mx"]), "gender": "female", "profile": "other",
            "language": "es", "timezone": "", "csrf_token": tokens[index],
        }).status_code

    with ThreadPoolExecutor(max_workers=RACERS) as pool:
        return list(pool.map(register, range(RACERS)))


def test_only_one_request_gets_the_last_place(app, world):
    statuses = _race(app, world, [f"persona{i}@example.mx" for i in range(RACERS)])  # MX has 1 place left
    assert sorted(statuses) == [200] * (RACERS - 1) + [302]
    with app.app_context():
        active = select(func.count()).where(Participant.delegation_id == world["ids"]["mx"])
        assert db.session.scalar(active) == 3


def test_only_one_request_registers_an_email(app, world):
    from tests.conftest import post_form

    client = app.test_client()
    login(client, world["emails"]["admin"])
    post_form(client, f"/delegations/{world['ids']['mx']}/edit", {"quota": "20", "status": "confirmed"})
    statuses = _race(app, world, ["Misma@Example.mx"] * RACERS)
    assert sorted(statuses) == [200] * (RACERS - 1) + [302]
    with app.app_context():
        same = select(func.count()).where(Participant.email_key == "misma@example.mx")
        assert db.session.scalar(same) == 1
