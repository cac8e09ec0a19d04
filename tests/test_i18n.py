"""Four complete catalogs (es, en, fr, pt): every string in the code translated, no fuzzy entry, the same
placeholders in each translation, one word per glossary term; and the language switch works."""
import csv
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.conftest import csrf_from, login
from training.localized import SUPPORTED_LANGUAGES

ROOT = Path(__file__).resolve().parent.parent
# Python-format placeholders (%(name)s, %s, %d); a literal "%%" is not one.
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdifr]|%[sdif]")


def catalog(language):
    with (ROOT / "translations" / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=language)


def forms(message):
    """(source, translation) for each form of a message: a plural's first form against the singular, the rest
    against the plural."""
    ids = message.id if isinstance(message.id, tuple) else (message.id,)
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return [(ids[min(index, len(ids) - 1)], string) for index, string in enumerate(strings)]


def placeholders(text):
    return sorted(match.group(0) for match in PLACEHOLDER.finditer(text.replace("%%", "")))


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


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_every_string_in_the_code_is_translated(extracted, language):
    translated = {m.id for m in catalog(language) if m.id and all(string for _, string in forms(m))
                  and not m.fuzzy}
    missing = sorted(str(m) for m in extracted - translated)
    assert missing == [], f"run `make translations-update` and translate ({len(missing)} missing): {missing[:10]}"
    assert len(extracted) > 100


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_no_catalog_entry_is_empty_or_fuzzy(language):
    """Entries the code no longer uses do not count (obsolete ones are kept apart by pybabel)."""
    empty = [str(m.id) for m in catalog(language) if m.id and not all(string for _, string in forms(m))]
    fuzzy = [str(m.id) for m in catalog(language) if m.id and m.fuzzy]
    assert (empty[:10], len(empty)) == ([], 0)
    assert (fuzzy[:10], len(fuzzy)) == ([], 0)


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_translations_keep_the_placeholders_of_their_source(language):
    """A dropped or renamed %(name)s raises KeyError (or shows the wrong value) only in that language."""
    wrong = [(source, string) for message in catalog(language) if message.id
             for source, string in forms(message) if string and placeholders(source) != placeholders(string)]
    assert wrong == []


def test_placeholders_are_compared_by_name():
    assert placeholders("%(count)s of %(total)s, 50%%") == ["%(count)s", "%(total)s"]
    assert placeholders("%(total)s de %(count)s") == ["%(count)s", "%(total)s"]
    assert placeholders("%(cuenta)s") != placeholders("%(count)s")


def glossary():
    with (ROOT / "translations" / "glossary.csv").open(encoding="utf-8", newline="") as handle:
        return [row for row in csv.DictReader(handle) if row["en_pattern"]]


def glossary_breaches(language, messages):
    """(term, msgid, msgstr) where the msgid uses a glossary term and the translation lacks that language's stem.
    Placeholder names (%(post_test)s) are not words the reader sees, so they are left out of the match."""
    breaches = []
    for row in glossary():
        stem = row["en_pattern"] if language == "en" else row[f"{language}_stem"]
        for message in messages:
            for source, string in forms(message):
                words = PLACEHOLDER.sub("", source)
                if string and re.search(row["en_pattern"], words, re.I) and not re.search(stem, string, re.I):
                    breaches.append((row["key"], source, string))
    return breaches


def test_the_glossary_has_a_word_for_every_language():
    rows = glossary()
    assert {"pre-test", "post-test", "delegation", "certificate", "focal point"} <= {row["key"] for row in rows}
    for row in rows:
        assert all(row[language] for language in SUPPORTED_LANGUAGES), row["key"]
        # Each term's own translation passes its stem, so the stem is not a typo.
        for language in SUPPORTED_LANGUAGES:
            stem = row["en_pattern"] if language == "en" else row[f"{language}_stem"]
            assert re.search(stem, row[language], re.I), (row["key"], language)


def test_a_translation_missing_the_glossary_word_is_caught():
    from babel.messages.catalog import Message

    messages = [Message("Take the post-test", "Responda la prueba final"),
                Message("The pre-test opens", "Se abre la evaluación previa"),
                Message("%(post_test)s answers", "%(post_test)s respuestas")]
    assert glossary_breaches("es", messages) == [("post-test", "Take the post-test", "Responda la prueba final")]


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_every_translation_uses_the_glossary_word(language):
    """translations/glossary.csv: one word per term and language; "Prueba de salida" beside "Evaluación
    posterior" makes a reader think there are two tests."""
    assert glossary_breaches(language, [m for m in catalog(language) if m.id]) == []


# A zone is named by its city ("Mexico", "Cidade do México"): French says "à Mexico", Portuguese "na Cidade do
# México" but "em Bogotá", so neither can put a fixed preposition before it; the zone goes after a colon or in
# parentheses, as delegations do.
ZONE_AFTER_PREPOSITION = {"fr": re.compile(r"\b(en|à|au|dans) %\(zones?\)s"),
                          "pt": re.compile(r"\b(em|de|no|na) %\(zones?\)s")}


@pytest.mark.parametrize("language", sorted(ZONE_AFTER_PREPOSITION))
def test_a_zone_name_comes_after_no_fixed_preposition(language):
    pattern = ZONE_AFTER_PREPOSITION[language]
    wrong = sorted(translation for message in catalog(language) if message.id for _source, translation in forms(message)
                   if pattern.search(translation or ""))
    assert wrong == []


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
