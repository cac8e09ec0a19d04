"""What every page pays outside its view, trimmed without changing behaviour: the CSRF token a page embeds is
signed once per session token (signed_memo.py), Flask-Login answers "nobody signed in" at once for a session
naming no user (extensions.py), Babel gets the request's Locale object (app.py, training/labels.py)."""
import time
from unittest import mock

import pytest

from tests.conftest import csrf_from, login
from tests.helpers import enter, link_for, open_pre_test


@pytest.fixture
def pre_test(app, world):
    return open_pre_test(app, world["ids"]["program"])


def _intro_token(client):
    return csrf_from(client.get("/me/tests/pre").get_data(as_text=True))


def _start(client, token):
    return client.post("/me/tests/pre/start", data={"csrf_token": token})


def test_pages_of_one_session_embed_the_token_signed_for_it_once(app, client, world, pre_test):
    enter(client, link_for(app, world["ids"]["mx1"]))
    first = _intro_token(client)
    with mock.patch("time.time", return_value=time.time() + 5):  # another second: Flask-WTF would sign it anew
        again = _intro_token(client)
    assert again == first
    assert _start(client, again).status_code == 302


def test_a_remembered_page_token_is_refused_in_another_session(app, client, world, pre_test):
    enter(client, link_for(app, world["ids"]["mx1"]))
    token = _intro_token(client)
    other = app.test_client()
    enter(other, link_for(app, world["ids"]["mx2"]))
    assert _intro_token(other) != token  # their session's own token, signed for it
    refused = _start(other, token)
    assert refused.status_code == 400
    assert "El formulario caducó" in refused.get_data(as_text=True)


def test_with_a_time_limit_each_page_gets_a_token_as_young_as_before(app, client, world, pre_test, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_TIME_LIMIT", 60)
    enter(client, link_for(app, world["ids"]["mx1"]))
    now = time.time()
    with mock.patch("time.time", return_value=now):
        first = _intro_token(client)
    with mock.patch("time.time", return_value=now + 50):
        later = _intro_token(client)
    assert later != first  # signed when its page was made, not 50 s before
    with mock.patch("time.time", return_value=now + 70):
        assert _start(client, first).status_code == 400  # past its time limit
        assert _start(client, later).status_code == 302  # 20 s old


def test_a_new_session_token_gets_a_token_of_its_own(app, client, world):
    login(client, world["emails"]["organizer"])
    before = csrf_from(client.get("/programs").get_data(as_text=True))
    with client.session_transaction() as session:
        session["csrf_token"] = "0" * 40
    after = csrf_from(client.get("/programs").get_data(as_text=True))
    assert after != before
    assert client.post("/logout", data={"csrf_token": before}).status_code == 400
    assert client.post("/logout", data={"csrf_token": after}).status_code == 302


def test_a_participant_page_from_another_user_agent_saves_nothing(app, client, world):
    # Flask-Login's session protection found the browser's identifier changed and rewrote the session (with a
    # remember cookie's deletion) on every page, though no user was signed in.
    enter(client, link_for(app, world["ids"]["mx1"]))
    assert client.get("/me").status_code == 200
    response = client.get("/me", headers={"User-Agent": "another browser"})
    assert response.status_code == 200
    assert response.headers.getlist("Set-Cookie") == []
    assert "Cookie" in response.headers.get("Vary", "")


def test_a_staff_session_from_another_user_agent_is_still_signed_out(app, client, world):
    login(client, world["emails"]["organizer"])
    assert client.get("/programs").status_code == 200
    response = client.get("/programs", headers={"User-Agent": "another browser"})
    assert response.status_code == 302  # strong session protection: the login page
    assert "/login" in response.headers["Location"]


def test_the_language_chosen_on_a_participant_page_is_saved_and_used(app, client, world):
    enter(client, link_for(app, world["ids"]["mx1"]))
    page = client.get("/me").get_data(as_text=True)
    response = client.post("/language", data={"csrf_token": csrf_from(page), "language": "fr", "next": "/me"})
    assert response.status_code == 302
    assert any(cookie.startswith("session=") for cookie in response.headers.getlist("Set-Cookie"))
    assert '<html lang="fr">' in client.get("/me").get_data(as_text=True)


def test_a_flash_message_is_shown_once_and_then_leaves_the_session(app, client, world):
    login(client, world["emails"]["organizer"])
    with client.session_transaction() as session:
        session["_flashes"] = [("info", "Un mensaje de prueba")]
    shown = client.get("/programs")
    assert "Un mensaje de prueba" in shown.get_data(as_text=True)
    assert any(cookie.startswith("session=") for cookie in shown.headers.getlist("Set-Cookie"))  # flashes removed
    again = client.get("/programs")
    assert "Un mensaje de prueba" not in again.get_data(as_text=True)


def test_dates_and_figures_are_written_in_the_page_language(app):
    from datetime import datetime, timezone

    from flask_babel import force_locale

    from training import labels

    moment = datetime(2026, 12, 5, 23, 30, tzinfo=timezone.utc)
    with app.test_request_context("/"):
        context = {}
        app.update_template_context(context)
        assert context["day"](moment, "America/Mexico_City") == "sábado, 5 de diciembre de 2026"
        assert context["clock"](moment, "America/Mexico_City") == "17:30"
        assert labels.number(12.5, 1) == "12,5"
        with force_locale("en"):
            context = {}
            app.update_template_context(context)
            assert context["day"](moment, "America/Mexico_City") == "Saturday, December 5, 2026"
            assert labels.number(12.5, 1) == "12.5"
