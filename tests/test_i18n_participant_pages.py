"""Every page a participant sees, and their certificate, in each of the four languages: for a participant whose
program offers es, en, fr and pt (its content in all four), no text of another language's catalog shows where the
page's language has its own translation."""
import html
import io
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from pypdf import PdfReader

from assessments.services_builder import import_plain
from extensions import db
from tests.conftest import csrf_from
from tests.factories import (
    make_activity,
    make_agenda_item,
    make_certificate,
    make_delegation,
    make_participant,
    make_program,
)
from tests.helpers import path_of
from training.localized import SUPPORTED_LANGUAGES
from training.models import Participant, utcnow

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


CONTENT = {
    "title": {"es": "Programa regional de orientación", "en": "Regional guidance program",
              "fr": "Programme régional d'orientation", "pt": "Programa regional de orientação"},
    "session": {"es": "Sesión inaugural", "en": "Opening session", "fr": "Séance d'ouverture",
                "pt": "Sessão de abertura"},
    "welcome": {"es": "Bienvenida", "en": "Welcome", "fr": "Accueil", "pt": "Boas-vindas"},
}
QUESTIONNAIRE = {
    "kind": "pre",
    "title": {"es": "Evaluación previa", "en": "Pre-test", "fr": "Pré-test", "pt": "Pré-teste"},
    "intro": {"es": "Responda con calma.", "en": "Take your time.", "fr": "Prenez votre temps.",
              "pt": "Responda com calma."},
    "sections": [{"title": {"es": "Conocimientos", "en": "Knowledge", "fr": "Connaissances", "pt": "Conhecimentos"},
                  "questions": [
        {"type": "single_choice", "dimension": "knowledge", "item_key": "K1", "points": 1, "required": True,
         "text": {"es": "¿Quién paga la contratación?", "en": "Who pays for recruitment?",
                  "fr": "Qui paie le recrutement ?", "pt": "Quem paga o recrutamento?"},
         "correct": ["b"], "scale_labels": {},
         "options": [{"key": "a", "es": "La persona trabajadora", "en": "The worker", "fr": "La personne salariée",
                      "pt": "A pessoa trabalhadora"},
                     {"key": "b", "es": "El empleador", "en": "The employer", "fr": "L'employeur",
                      "pt": "O empregador"}]},
        {"type": "likert", "dimension": "expectations", "item_key": None, "points": 0, "required": False,
         "text": {"es": "Espero aprender", "en": "I expect to learn", "fr": "J'espère apprendre",
                  "pt": "Espero aprender"}, "correct": [], "options": [],
         "scale_labels": {"es": ["Nada", "Mucho"], "en": ["Not at all", "A lot"], "fr": ["Pas du tout", "Beaucoup"],
                          "pt": ["Nada", "Muito"]}},
    ]}],
}


@pytest.fixture
def four_languages(app):
    return make_four_language_program(app)


def make_four_language_program(app):
    """A program offering es, en, fr and pt, with its content in all four; one participant per language, each
    holding a certificate in their language; its pre-test open."""
    utc = timezone.utc
    with app.app_context():
        program = make_program("FOUR-2026", CONTENT["title"], languages=SUPPORTED_LANGUAGES)
        delegation = make_delegation(program, country_code="CA", quota=10)
        start = datetime(2026, 3, 3, 20, 0, tzinfo=utc)
        session = make_activity(program, "S1", CONTENT["session"], start)
        make_agenda_item(session, "welcome", CONTENT["welcome"])
        people = {}
        for number, language in enumerate(SUPPORTED_LANGUAGES, start=1):
            person = make_participant(delegation, f"Persona{number}", "Prueba", f"p{number}@example.ca")
            person.language = language
            make_certificate(person, serial_number=number, code=f"four-languages-code-{number}-" + "x" * 20,
                             languages=(language,))
            people[language] = person.id
        questionnaire = import_plain(program, None, QUESTIONNAIRE)
        questionnaire.opens_at = utcnow() - timedelta(hours=1)
        db.session.commit()
        question = questionnaire.sections[0].questions[0].id
    return {"people": people, "question": question}


def participant_link(app, participant_id):
    with app.app_context():
        email = db.session.get(Participant, participant_id).email
    result = app.test_cli_runner().invoke(args=["participant-link", email, "--program", "FOUR-2026"])
    assert result.exit_code == 0, result.output
    return result.output.strip()


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
