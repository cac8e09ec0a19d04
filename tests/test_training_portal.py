"""Personal links: a GET shows a 'continue' page, only the POST starts a session, on a URL without the token."""
import logging
import re

import pytest
from sqlalchemy import select

from extensions import db
from tests.conftest import login, post_form
from tests.helpers import enter, link_for, path_of
from training.links import token_hash
from training.models import Participant


def test_link_is_long_random_stored_hashed_and_stable(app, world):
    link = link_for(app, world["ids"]["mx1"])
    token = link.rsplit("/", 1)[1]
    assert link.startswith("http://127.0.0.1:5000/p/") and len(token) >= 43
    assert link_for(app, world["ids"]["mx1"]) == link  # the current link, printed again
    with app.app_context():
        participant = db.session.get(Participant, world["ids"]["mx1"])
        assert participant.token_hash == token_hash(token)
        assert token not in (participant.link_salt or "")
    assert link_for(app, world["ids"]["mx1"], reissue=True) != link


def test_get_shows_continue_and_starts_no_session(app, client, world):
    link = link_for(app, world["ids"]["mx1"])
    page = client.get(path_of(link))
    html = page.get_data(as_text=True)
    assert "Continuar como José Ángel" in html
    assert page.headers["Cache-Control"] == "no-store" and page.headers["Referrer-Policy"] == "no-referrer"
    assert client.get("/me").status_code == 403


def test_post_starts_the_session_and_drops_the_token_from_the_url(app, client, world):
    link = link_for(app, world["ids"]["mx1"])
    response = enter(client, link)
    assert response.status_code == 302 and response.headers["Location"] == "/me"
    page = client.get("/me")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Hola, José Ángel." in html and "México" in html
    assert link.rsplit("/", 1)[1] not in html
    assert page.headers["Cache-Control"] == "no-store"


def test_reissuing_or_revoking_ends_old_links_and_their_sessions(app, client, world):
    old = link_for(app, world["ids"]["mx1"])
    enter(client, old)
    new = link_for(app, world["ids"]["mx1"], reissue=True)
    assert client.get("/me").status_code == 403
    assert client.get(path_of(old)).status_code == 404
    assert enter(client, new).status_code == 302
    staff = app.test_client()
    login(staff, world["emails"]["admin"])
    mx1 = world["ids"]["mx1"]
    post_form(staff, f"/participants/{mx1}/link", {"action": "revoke"}, page=f"/participants/{mx1}/edit")
    assert client.get("/me").status_code == 403
    assert client.get(path_of(new)).status_code == 404


@pytest.mark.parametrize("token", ["x" * 43, "short", "a" * 200, "<script>"])
def test_random_tokens_get_the_same_not_valid_page(client, world, token):
    response = client.get(f"/p/{token}")
    assert response.status_code == 404
    assert "Este enlace no es válido" in response.get_data(as_text=True)


def test_a_token_holding_nul_is_refused_before_any_lookup(client, world):
    response = client.get("/p/%00")
    assert response.status_code == 400  # as any path holding NUL (app.py refuses them before any view runs)
    assert "No se pudo entender la solicitud." in response.get_data(as_text=True)


def test_withdrawn_participants_and_ended_programs_lose_their_link(app, client, world):
    link = link_for(app, world["ids"]["mx2"])
    assert client.get(path_of(link)).status_code == 200  # the link works until then
    with app.app_context():
        from datetime import date

        participant = db.session.get(Participant, world["ids"]["mx2"])
        participant.program.end_date = date(2020, 1, 31)
        db.session.commit()
    assert client.get(path_of(link)).status_code == 404
    with app.app_context():
        participant = db.session.get(Participant, world["ids"]["mx2"])
        participant.program.end_date = None
        db.session.commit()
    assert client.get(path_of(link)).status_code == 200
    with app.app_context():
        db.session.get(Participant, world["ids"]["mx2"]).status = "withdrawn"
        db.session.commit()
    assert client.get(path_of(link)).status_code == 404


def test_link_guessing_is_rate_limited(app, client, world):
    misses = int(app.config["LINK_MISSES_RATE_LIMIT"].split(" per ")[0])
    statuses = [client.get(f"/p/{'z' * 40}{i:03d}").status_code for i in range(misses + 1)]
    assert statuses[:misses] == [404] * misses and statuses[misses] == 429
    assert client.get(path_of(link_for(app, world["ids"]["mx1"]))).status_code == 429  # that address waits


def test_opening_valid_links_counts_only_against_the_overall_limit(app, client, world):
    # One office's participants behind one address open their links: only unknown links count as misses.
    limit, misses = (int(app.config[key].split(" per ")[0]) for key in ("LINK_RATE_LIMIT", "LINK_MISSES_RATE_LIMIT"))
    assert limit > misses
    path = path_of(link_for(app, world["ids"]["mx1"]))
    assert [client.get(path).status_code for _ in range(misses + 1)] == [200] * (misses + 1)
    assert client.get(f"/p/{'z' * 43}").status_code == 404
    opened = [client.get(path).status_code for _ in range(limit - misses - 2)]
    assert opened == [200] * len(opened) and client.get(path).status_code == 429


def test_tokens_never_reach_the_access_log(app, world, caplog):
    from app import RedactPersonalLinks

    link = link_for(app, world["ids"]["mx1"])
    token = link.rsplit("/", 1)[1]
    record = logging.LogRecord("werkzeug", logging.INFO, "", 0, '%s - - "%s" %s', ("127.0.0.1",
                               f"GET /p/{token} HTTP/1.1", "200"), None)
    RedactPersonalLinks().filter(record)
    assert token not in record.getMessage() and "/p/[redacted]" in record.getMessage()
    assert any(isinstance(f, RedactPersonalLinks) for f in logging.getLogger("werkzeug").filters)


def test_staff_see_and_reissue_the_link_on_the_person(app, client, world):
    login(client, world["emails"]["focal_mx"])
    mx1 = world["ids"]["mx1"]
    assert "aún no tiene enlace personal" in client.get(f"/participants/{mx1}/edit").get_data(as_text=True)
    post_form(client, f"/participants/{mx1}/link", {"action": "issue"}, page=f"/participants/{mx1}/edit")
    html = client.get(f"/participants/{mx1}/edit").get_data(as_text=True)
    shown = re.search(r'value="(http://127\.0\.0\.1:5000/p/[A-Za-z0-9_-]+)"', html).group(1)
    assert shown == link_for(app, mx1)


def test_hostile_names_are_escaped_on_participant_pages(app, client, world):
    with app.app_context():
        participant = db.session.scalar(select(Participant).where(Participant.id == world["ids"]["gt1"]))
        participant.given_names = '<img src=x onerror=alert(1)>'
        db.session.commit()
    link = link_for(app, world["ids"]["gt1"])
    html = client.get(path_of(link)).get_data(as_text=True)
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
