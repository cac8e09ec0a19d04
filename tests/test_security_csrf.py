"""Every POST route, found by walking the URL map, refuses a request without a valid CSRF token."""
import pytest

from tests.conftest import csrf_from, login

OBJECT_IDS = {"program_id": "program", "participant_id": "mx1", "delegation_id": "mx", "user_id": "organizer",
              "activity_id": "activity", "item_id": "agenda_item", "import_id": "report",
              "group_id": "group", "questionnaire_id": "questionnaire", "certificate_id": "certificate",
              "lesson_id": "lesson"}
# Routes whose objects need not exist: the CSRF check runs before the view looks anything up.
PLACEHOLDERS = {"<int:batch_id>": "1", "<token>": "x" * 43, "<int:section_id>": "1", "<int:question_id>": "1",
                "<kind>": "pre", "<int:message_id>": "1", "<int:request_id>": "1", "<int:grant_id>": "1",
                "<int:token_id>": "1"}


def post_routes(app):
    return sorted((rule for rule in app.url_map.iter_rules() if "POST" in rule.methods), key=lambda r: r.rule)


def test_there_are_post_routes_to_check(app):
    assert len(post_routes(app)) >= 10


def foreign_token(app, world):
    """A token that is valid, but for another browser's session (another user's)."""
    other = app.test_client()
    login(other, world["emails"]["organizer"])
    return csrf_from(other.get("/programs").get_data(as_text=True))


@pytest.mark.parametrize("kind", ["missing", "forged", "foreign"])
def test_every_post_route_refuses_a_missing_or_foreign_token(app, client, world, kind):
    token = foreign_token(app, world) if kind == "foreign" else {"missing": None, "forged": "forged-token"}[kind]
    login(client, world["emails"]["admin"])
    for rule in post_routes(app):
        url = rule.rule
        for argument, key in OBJECT_IDS.items():
            url = url.replace(f"<int:{argument}>", str(world["ids"][key]))
        for placeholder, value in PLACEHOLDERS.items():
            url = url.replace(placeholder, value)
        data = {} if token is None else {"csrf_token": token}
        response = client.post(url, data=data)
        assert response.status_code == 400, url
        assert "El formulario caducó" in response.get_data(as_text=True), url
