"""Sessions end on the server: a cookie copied before logout, leave, a password reset, a deactivation or the link's
expiry opens nothing afterwards."""
import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from assessments.models import Answer
from extensions import db
from tests.conftest import csrf_from, login, post_form
from tests.helpers import enter, link_for, open_pre_test, path_of
from training.models import Participant, utcnow


@pytest.fixture
def pre_test(app, world):
    """The PLAIN pre-test, open since an hour ago; ids of its questions in order."""
    return open_pre_test(app, world["ids"]["program"])


def copy_of(app, client):
    """Another browser holding the same session cookie (as someone who copied it would)."""
    other = app.test_client()
    other.set_cookie("session", client.get_cookie("session").value)
    return other


def edit_account(client, world, key, **changes):
    fields = {"name": "Org", "email": world["emails"][key], "language": "es", "active": "y", "password": "",
              **changes}
    fields = {name: value for name, value in fields.items() if value is not None}
    response = post_form(client, f"/users/{world['ids'][key]}/edit", fields)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]


def test_a_staff_cookie_copied_before_logout_opens_nothing_after_it(app, client, world):
    login(client, world["emails"]["organizer"])
    copied = copy_of(app, client)
    assert copied.get("/programs").status_code == 200
    post_form(client, "/logout", {}, page="/programs")
    refused = copied.get("/programs")
    assert refused.status_code == 302 and refused.headers["Location"].startswith("/login")
    login(client, world["emails"]["organizer"])  # logging in again works, and the old copy stays dead
    assert client.get("/programs").status_code == 200
    assert copied.get("/programs").status_code == 302


def test_a_password_reset_by_an_administrator_ends_the_staff_members_sessions(app, client, world):
    organizer = app.test_client()
    login(organizer, world["emails"]["organizer"])
    login(client, world["emails"]["admin"])
    edit_account(client, world, "organizer", password="a-brand-new-password")
    assert organizer.get("/programs").status_code == 302
    assert client.get("/programs").status_code == 200  # the administrator's own session goes on
    assert login(organizer, world["emails"]["organizer"], "a-brand-new-password").status_code == 302


def test_an_administrator_changing_their_own_password_stays_in_and_ends_their_other_sessions(app, client, world):
    login(client, world["emails"]["admin"])
    elsewhere = app.test_client()
    login(elsewhere, world["emails"]["admin"])
    edit_account(client, world, "admin", name="Admin", secretariat="y", password="my-own-new-password")
    assert client.get("/programs").status_code == 200
    assert elsewhere.get("/programs").status_code == 302


def test_an_edit_without_a_new_password_keeps_the_sessions(app, client, world):
    organizer = app.test_client()
    login(organizer, world["emails"]["organizer"])
    login(client, world["emails"]["admin"])
    edit_account(client, world, "organizer", name="Org renamed")
    assert organizer.get("/programs").status_code == 200


def test_deactivation_ends_the_sessions_and_reactivation_does_not_revive_them(app, client, world):
    organizer = app.test_client()
    login(organizer, world["emails"]["organizer"])
    login(client, world["emails"]["admin"])
    edit_account(client, world, "organizer", active=None)  # the box unticked
    assert organizer.get("/programs").status_code == 302
    edit_account(client, world, "organizer")
    assert organizer.get("/programs").status_code == 302
    assert login(app.test_client(), world["emails"]["organizer"]).status_code == 302


def test_create_admin_resetting_a_password_ends_that_accounts_sessions(app, client, world):
    login(client, world["emails"]["admin"])
    result = app.test_cli_runner().invoke(args=["create-admin", "--email", world["emails"]["admin"],
                                                "--password", "another-long-password"])
    assert result.exit_code == 0, result.output
    assert client.get("/programs").status_code == 302


def test_a_participant_cookie_copied_before_leave_opens_nothing_after_it(app, client, world, pre_test):
    link = link_for(app, world["ids"]["mx1"])
    enter(client, link)
    copied = copy_of(app, client)
    page = copied.get("/me/tests/pre").get_data(as_text=True)
    assert copied.post("/me/tests/pre/start", data={"csrf_token": csrf_from(page)}).status_code == 302
    page = copied.get("/me/tests/pre").get_data(as_text=True)
    post_form(client, "/me/leave", {}, page="/me")
    assert copied.get("/me").status_code == 403
    answer = {"question": pre_test["questions"][0], "value": "a", "seq": 10}
    refused = copied.post("/me/tests/pre/answers", data=json.dumps(answer),
                          headers={"X-CSRFToken": csrf_from(page), "Content-Type": "application/json"})
    assert refused.status_code == 403
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Answer)) == 0
    assert enter(client, link).status_code == 302  # the link itself still works
    assert client.get("/me").status_code == 200
    assert copied.get("/me").status_code == 403


def _program_ends(app, world, days_ago):
    with app.app_context():
        participant = db.session.get(Participant, world["ids"]["mx1"])
        participant.program.end_date = (utcnow() - timedelta(days=days_ago)).date()
        db.session.commit()


def test_a_participant_session_ends_with_the_link(app, client, world, pre_test):
    link = link_for(app, world["ids"]["mx1"])
    grace = app.config["LINK_GRACE_DAYS"]
    _program_ends(app, world, grace)  # the last day the link works
    enter(client, link)
    page = client.get("/me/tests/pre").get_data(as_text=True)
    client.post("/me/tests/pre/start", data={"csrf_token": csrf_from(page)})
    page = client.get("/me/tests/pre").get_data(as_text=True)
    headers = {"X-CSRFToken": csrf_from(page), "Content-Type": "application/json"}
    answer = {"question": pre_test["questions"][0], "value": "a", "seq": 10}
    saved = client.post("/me/tests/pre/answers", data=json.dumps(answer), headers=headers)
    assert saved.get_json()["status"] == "saved"
    _program_ends(app, world, grace + 1)  # a day later: the link answers 404, and so ends the session
    assert client.get(path_of(link)).status_code == 404
    assert client.get("/me").status_code == 403
    refused = client.post("/me/tests/pre/answers", data=json.dumps({**answer, "value": "b", "seq": 20}),
                          headers=headers)
    assert refused.status_code == 403
    with app.app_context():
        assert db.session.scalars(select(Answer.value)).all() == ["a"]


@pytest.mark.parametrize("key", ["id", "link"])
def test_a_participant_session_altered_by_hand_opens_nothing(app, client, world, key):
    enter(client, link_for(app, world["ids"]["mx1"]))
    with client.session_transaction() as session:
        data = dict(session["participant"])
        data[key] = world["ids"]["mx2"] if key == "id" else "0" * 64
        session["participant"] = data
    assert client.get("/me").status_code == 403


def test_a_session_cookie_from_before_versions_lives_until_the_next_logout(app, client, world):
    # Sessions started before sessions had versions carry the bare id: they go on until the account's next logout.
    login(client, world["emails"]["organizer"])
    with client.session_transaction() as session:
        session["_user_id"] = str(world["ids"]["organizer"])
    copied = copy_of(app, client)
    assert copied.get("/programs").status_code == 200
    post_form(client, "/logout", {}, page="/programs")
    assert copied.get("/programs").status_code == 302
