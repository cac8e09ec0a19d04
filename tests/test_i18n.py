"""Spanish first, English complete: catalogs cover every string in the code, and the switch works."""
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.conftest import csrf_from, login

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    pot = tmp_path_factory.mktemp("i18n") / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg", "-k", "_l",
         "-k", "lazy_gettext", "-o", str(pot), "--ignore-dirs=.venv", "--ignore-dirs=migrations",
         "--ignore-dirs=tests", "."],
        cwd=ROOT, check=True, capture_output=True,
    )
    with pot.open("rb") as handle:
        return {m.id for m in read_po(handle) if m.id}


@pytest.mark.parametrize("language", ["es", "en"])
def test_every_string_in_the_code_is_translated(extracted, language):
    with (ROOT / "translations" / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale=language)
    translated = {m.id for m in catalog if m.id and (all(m.string) if isinstance(m.string, tuple) else m.string)
                  and not m.fuzzy}
    missing = sorted(str(m) for m in extracted - translated)
    assert missing == [], f"run `make translations-update` and translate: {missing[:10]}"
    assert len(extracted) > 100


def test_spanish_is_the_default(client):
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="es">' in html and "Iniciar sesión" in html


def test_a_browser_asking_for_english_gets_english(client):
    html = client.get("/login", headers={"Accept-Language": "en-US,en;q=0.9"}).get_data(as_text=True)
    assert '<html lang="en">' in html and "Log in" in html


def test_the_language_switch_is_remembered(client, world):
    page = client.get("/login").get_data(as_text=True)
    response = client.post("/language", data={"language": "en", "next": "/login", "csrf_token": csrf_from(page)})
    assert response.headers["Location"] == "/login"
    assert "Log in" in client.get("/login").get_data(as_text=True)
    login(client, world["emails"]["admin"])
    html = client.get(f"/programs/{world['ids']['program']}").get_data(as_text=True)
    assert "Test program" in html and "Delegations" in html and "Mexico" in html


def test_the_language_switch_refuses_foreign_redirects(client):
    page = client.get("/login").get_data(as_text=True)
    response = client.post("/language", data={"language": "en", "next": "https://evil.example",
                                              "csrf_token": csrf_from(page)})
    assert response.headers["Location"] == "/"
