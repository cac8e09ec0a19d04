"""Settings from the environment: yes/no, whole numbers and lists read as people write them, and a clear refusal to
start, naming the variable, for anything else."""
import re

import pytest
from click.testing import CliRunner
from flask.cli import ScriptInfo

import operations
from app import create_app
from settings import Environment, SettingError, parse_bool, parse_int, parse_list
from tests.conftest import SECRET


@pytest.mark.parametrize("value, expected", [
    ("1", True), ("true", True), ("True", True), ("YES", True), ("on", True), (" yes ", True),
    ("0", False), ("false", False), ("FALSE", False), ("No", False), ("off", False),
])
def test_yes_and_no_as_people_write_them(value, expected):
    assert parse_bool("MAIL_USE_TLS", value) is expected


@pytest.mark.parametrize("value", ["maybe", "", "2", "y", "enabled", "truee"])
def test_anything_else_is_no_yes_or_no(value):
    with pytest.raises(SettingError) as refused:
        parse_bool("MAIL_USE_TLS", value)
    assert str(refused.value) == ("MAIL_USE_TLS must be one of 1, true, yes, on (yes) or 0, false, no, off (no), "
                                  f"in any case, not {value!r}.")


@pytest.mark.parametrize("value, expected", [("587", 587), (" 25 ", 25), ("0", 0), ("-1", -1), ("+3", 3)])
def test_whole_numbers(value, expected):
    assert parse_int("MAIL_PORT", value) == expected


@pytest.mark.parametrize("value", ["", "ten", "5.0", "1e3", "5_000", "0x10", "25 26"])
def test_anything_else_is_no_whole_number(value):
    with pytest.raises(SettingError, match=f"^MAIL_PORT must be a whole number, not {value!r}.$"):
        parse_int("MAIL_PORT", value)


@pytest.mark.parametrize("value, expected", [
    ("es,en", ["es", "en"]), ("es en", ["es", "en"]), ("es, en", ["es", "en"]), (" es ,, en\tfr ", ["es", "en", "fr"]),
    ("es", ["es"]), ("", []), (" , ", []),
])
def test_lists_by_commas_or_spaces(value, expected):
    assert parse_list(value) == expected


def test_an_unset_variable_is_its_default_and_a_set_one_is_parsed():
    environ = Environment({"MAIL_USE_TLS": "off", "MAIL_PORT": "25", "LANGUAGES": "es, en", "MAIL_SERVER": ""})
    assert (environ.flag("MAIL_USE_TLS", True), environ.flag("OTHER_FLAG", True)) == (False, True)
    assert (environ.integer("MAIL_PORT", 587), environ.integer("QUEUE_WORKERS", 2)) == (25, 2)
    assert (environ.items("LANGUAGES"), environ.items("OTHER_LIST", ["es"])) == (["es", "en"], ["es"])
    assert (environ.text("MAIL_SERVER", "smtp.example"), environ.text("PUBLIC_URL", "x")) == ("", "x")


def _app(database_url):
    return create_app({"TESTING": True, "CAPACITA_ENV": "test", "SECRET_KEY": SECRET,
                       "SQLALCHEMY_DATABASE_URI": database_url})


def test_the_app_reads_its_settings_as_people_write_them(monkeypatch, database_url):
    monkeypatch.setenv("MAIL_USE_TLS", "true")  # once only "1" was true: "true" turned STARTTLS off
    monkeypatch.setenv("MAIL_PORT", " 2525 ")
    assert (_app(database_url).config["MAIL_USE_TLS"], _app(database_url).config["MAIL_PORT"]) == (True, 2525)
    monkeypatch.setenv("MAIL_USE_TLS", "Off")
    assert _app(database_url).config["MAIL_USE_TLS"] is False
    monkeypatch.delenv("MAIL_USE_TLS")
    assert _app(database_url).config["MAIL_USE_TLS"] is True


@pytest.mark.parametrize("name, value, message", [
    ("MAIL_USE_TLS", "maybe", "MAIL_USE_TLS must be one of 1, true, yes, on (yes) or 0, false, no, off (no)"),
    ("TRUSTED_PROXIES", "one", "TRUSTED_PROXIES must be a whole number, not 'one'"),
])
def test_the_app_refuses_to_start_naming_the_variable(monkeypatch, database_url, name, value, message):
    monkeypatch.setenv(name, value)
    with pytest.raises(RuntimeError, match=re.escape(message)):
        _app(database_url)
    result = CliRunner().invoke(operations.check_config, obj=ScriptInfo(create_app=lambda: _app(database_url)))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"ERROR: the app refuses to start: {message}")
