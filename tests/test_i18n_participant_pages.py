"""Every page a participant sees, and their certificate, in each of the four languages: for a participant whose
program offers es, en, fr and pt (its content in all four), no text of another language's catalog shows where the
page's language has its own translation."""
import html
import io
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from pypdf import PdfReader

from tests.conftest import csrf_from
from tests.helpers import CONTENT, QUESTIONNAIRE, make_four_language_program, participant_link, path_of
from training.localized import SUPPORTED_LANGUAGES

ROOT = Path(__file__).resolve().parent.parent
MIN_LENGTH = 12  # shorter strings ("Correo", "Total") are too often the same word in two languages
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|%%")


def texts(language):
    """{msgid: translation} of a catalog (a plural's forms one by one), English's msgstr being its msgid."""
    with (ROOT / "translations" / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale=language)
    found = {}
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for index, string in enumerate(strings):
            found[(ids[0], index)] = string
    return found


@pytest.fixture(scope="module")
def catalogs():
    return {language: texts(language) for language in SUPPORTED_LANGUAGES}


def foreign_phrases(catalogs, language):
    """Phrases (≥ MIN_LENGTH, placeholders cut out) of the other catalogs that this language says otherwise, and
    that are no part of any of this language's own translations (a phrase both languages write the same way)."""
    own = catalogs[language]
    own_text = "\n".join(own.values())
    phrases = {}
    for other in SUPPORTED_LANGUAGES:
        if other == language:
            continue
        for key, string in catalogs[other].items():
            if not string or not own.get(key) or string == own[key]:
                continue
            for piece in PLACEHOLDER.split(string):
                piece = piece.strip(" .,:;·()«»“”\"'")
                if len(piece) >= MIN_LENGTH and piece not in own_text:
                    phrases.setdefault(piece, other)
    return phrases


def visible_text(markup):
    markup = re.sub(r"<(script|style)\b.*?</\1>", " ", markup, flags=re.S | re.I)
    return html.unescape(re.sub(r"<[^>]+>", " ", markup))


def pdf_text(data):
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def foreign_text_in(text, phrases, content):
    """The phrases of another language the page shows (content the program holds in that language excepted)."""
    flat = " ".join(text.split())
    return sorted({f"{phrases[p]}: {p}" for p in phrases if p in flat and not any(p in c for c in content)})


@pytest.fixture
def four_languages(app):
    return make_four_language_program(app)


def participant_pages(app, four_languages, language):
    """(page, text) of every page a participant of `language` goes through, in order."""
    client = app.test_client()
    link = path_of(participant_link(app, four_languages["people"][language]))
    shown = []
    landing = client.get(link)
    shown.append(("link landing", landing.get_data(as_text=True)))
    assert client.post(link, data={"csrf_token": csrf_from(shown[-1][1])}).status_code == 302
    shown.append(("my page", client.get("/me").get_data(as_text=True)))
    agenda = client.get("/me/agenda.pdf")
    assert agenda.status_code == 200
    shown.append(("agenda PDF", agenda.data))
    shown.append(("agenda calendar", client.get("/me/agenda.ics").get_data(as_text=True)))
    intro = client.get("/me/tests/pre").get_data(as_text=True)
    shown.append(("questionnaire intro", intro))
    assert client.post("/me/tests/pre/start", data={"csrf_token": csrf_from(intro)}).status_code == 302
    form = client.get("/me/tests/pre").get_data(as_text=True)
    shown.append(("questionnaire form", form))
    review = client.get("/me/tests/pre/review").get_data(as_text=True)
    shown.append(("review with a required question unanswered", review))
    saved = client.post("/me/tests/pre", data={"csrf_token": csrf_from(form), "action": "review",
                                               "seq": re.search(r'name="seq" value="(\d+)"', form).group(1),
                                               f"q{four_languages['question']}": "b"})
    assert saved.status_code == 302
    review = client.get("/me/tests/pre/review").get_data(as_text=True)
    shown.append(("review", review))
    assert client.post("/me/tests/pre/submit", data={"csrf_token": csrf_from(review)}).status_code == 302
    shown.append(("done", client.get("/me/tests/pre/done").get_data(as_text=True)))
    shown.append(("my page with the certificate", client.get("/me").get_data(as_text=True)))
    certificate = client.get("/me/certificate.pdf")
    assert certificate.status_code == 200 and certificate.mimetype == "application/pdf"
    shown.append(("certificate PDF", certificate.data))
    return [(name, pdf_text(body) if isinstance(body, bytes) else visible_text(body)) for name, body in shown]


def test_the_foreign_text_check_finds_what_it_should(catalogs):
    phrases = foreign_phrases(catalogs, "es")
    english = catalogs["en"][("You have answered every question.", 0)]
    assert phrases[english.rstrip(".")] == "en"
    assert foreign_text_in(f"<p>{english}</p>", phrases, []) == [f"en: {english.rstrip('.')}"]
    assert foreign_text_in("<p>Ha respondido todas las preguntas.</p>", phrases, []) == []
    assert foreign_text_in(f"<p>{english}</p>", phrases, [f"«{english}»"]) == []  # the program's own content


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_every_participant_page_speaks_the_participants_language(app, four_languages, catalogs, language):
    phrases = foreign_phrases(catalogs, language)
    content = [text for mapping in (*CONTENT.values(), QUESTIONNAIRE["title"], QUESTIONNAIRE["intro"])
               for text in mapping.values()]
    pages = participant_pages(app, four_languages, language)
    assert CONTENT["title"][language] in pages[1][1]  # the program's own title in the page's language
    foreign = {name: found for name, text in pages if (found := foreign_text_in(text, phrases, content))}
    assert foreign == {}
