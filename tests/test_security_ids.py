"""Ids no id column can hold (≥ 2^31: PostgreSQL's INTEGER refuses them, and from 2^63 SQLite's driver overflows) are
'not found' or 'not a choice', wherever they come in: the path, the query string, a form field or the command line."""
import re

import pytest

from tests.conftest import csrf_from, login, post_form

BEYOND = ("2147483648", "9223372036854775808", "99999999999999999999", "1" + "0" * 40)


def _url(rule, number):
    """`rule` with every int part set to `number` and any other part set to a value its converter accepts."""
    def part(match):
        converter, arguments = match.group(1), match.group(2)
        if converter == "int":
            return number
        return arguments.split(",")[0].strip() if converter == "any" else "pre"

    return re.sub(r"<(?:(\w+)(?:\((.*?)\))?:)?\w+>", part, rule.rule)


def _int_rules(app):
    return [rule for rule in app.url_map.iter_rules() if "<int:" in rule.rule]


def test_the_routes_hold_ids_in_the_path(app):
    assert len(_int_rules(app)) > 60  # the check below walks every one of them


@pytest.mark.parametrize("number", BEYOND)
def test_every_route_answers_404_for_an_id_no_database_holds(app, client, world, number):
    login(client, world["emails"]["admin"])
    answered = {}
    for rule in _int_rules(app):
        url = _url(rule, number)
        method = "GET" if "GET" in rule.methods else "POST"
        answered[url] = client.open(url, method=method).status_code
    assert set(answered.values()) == {404}, {url: code for url, code in answered.items() if code != 404}


def test_the_largest_id_a_database_holds_is_simply_not_found(client, world):
    login(client, world["emails"]["admin"])
    assert client.get("/programs/2147483647").status_code == 404
    assert client.get(f"/programs/{world['ids']['program']}").status_code == 200


@pytest.mark.parametrize("number", BEYOND)
def test_id_filters_in_the_query_string_beyond_any_id_are_ignored(client, world, number):
    login(client, world["emails"]["admin"])
    program, questionnaire = world["ids"]["program"], world["ids"]["questionnaire"]
    for url in (f"/programs/{program}/attendance", f"/programs/{program}/attendance.csv",
                f"/questionnaires/{questionnaire}/progress", f"/programs/{program}/participants",
                f"/programs/{program}/certificates"):
        assert client.get(url, query_string={"delegation": number}).status_code == 200, url


@pytest.mark.parametrize("number", BEYOND)
def test_id_fields_in_forms_beyond_any_id_are_refused_as_choices(client, world, number):
    login(client, world["emails"]["admin"])
    program = world["ids"]["program"]
    certificates = f"/programs/{program}/certificates"
    token = csrf_from(client.get(certificates).get_data(as_text=True))
    for url in (f"{certificates}/issue", f"{certificates}/email"):
        response = client.post(url, data={"participant_ids": number, "csrf_token": token})
        assert response.status_code == 400, url  # not an id: the form is not one the page could have sent
    response = post_form(client, f"/programs/{program}/invitations",
                         {"audience": "selected", "participant_ids": number}, page=f"/programs/{program}/messages")
    assert (response.status_code, response.headers["Location"]) == (302, f"/programs/{program}/messages")
    assert "Opción(es) inválida(s)" in client.get(response.headers["Location"]).get_data(as_text=True)  # flashed
    response = post_form(client, f"{certificates}/settings", {"required_activities": number})
    assert response.status_code == 200
    group = world["ids"]["group"]
    response = post_form(client, f"/groups/{group}/edit", {"name": "Grupo 1", "rapporteur_id": number})
    assert response.status_code == 200
    assert "error" in response.get_data(as_text=True)


def test_the_command_line_says_no_such_questionnaire_for_an_id_beyond_any(app, world, tmp_path):
    answers = tmp_path / "respuestas.csv"
    answers.write_text("Correo,Comentarios\nmarta.ruiz@example.org,Bien\n")
    result = app.test_cli_runner().invoke(
        args=["import-responses", str(answers), "--questionnaire", BEYOND[0]])
    assert result.exit_code == 1
    assert f"--questionnaire: no questionnaire with id {BEYOND[0]}" in result.output


@pytest.mark.parametrize("text, expected", [
    ("42", 42), ("0", 0), ("2147483647", 2147483647), ("2147483648", None), ("9" * 19, None), ("-1", None),
    (" 7", None), ("1_0", None), ("+5", None), ("٤٢", None), ("²", None), ("4.2", None), ("", None), (None, None),
])
def test_ids_are_read_one_way_everywhere(text, expected):
    from training.textkeys import as_id, database_id

    assert as_id(text) == expected
    if expected is None:
        with pytest.raises(ValueError):
            database_id(text)
    else:
        assert database_id(text) == expected == database_id(expected)  # a form's own data is an int
