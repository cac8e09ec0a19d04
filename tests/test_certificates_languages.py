"""Certificates, messages and calendars in the program's languages: French and Portuguese texts, dates and numbers
as each language writes them, and fonts that hold their characters."""
import io
from datetime import date, datetime, timezone
from types import SimpleNamespace

import pytest
from babel.dates import format_date
from pypdf import PdfReader
from sqlalchemy import select

from certificates.models import Certificate, CertificateSettings, CertificateSignatory
from certificates.texts import issued_on, languages_for
from extensions import db
from tests.conftest import csrf_from, login, post_form
from tests.helpers import enter, link_for
from training.models import OutboundMessage, Participant, Program

FRENCH_TITLE = "Programme « Œuvre commune » : l’accueil des travailleurs, cœur de la façon d’agir"
PORTUGUESE_TITLE = "Programa «Ação conjunta»: acolhimento e inserção laboral"
SPECIAL = "àâäçéèêëîïôöùûüÿœæÀÂÇÉÈÊËÎÏÔÖÙÛÜŸŒÆãõáíóúñÁÍÓÚÑÃÕ¿¡ºª«»‹›’‘“”–—…·€\u00a0\u202f"


def french_and_portuguese(app, world, languages=("fr", "pt")):
    """World's program offered in French and Portuguese only (French first: its default); Núñez reads French and
    Gómez Portuguese; the program runs on 5 December 2026."""
    ids = world["ids"]
    with app.app_context():
        program = db.session.get(Program, ids["program"])
        program.languages = list(languages)
        program.title = {"fr": FRENCH_TITLE, "pt": PORTUGUESE_TITLE}
        program.start_date = program.end_date = date(2026, 12, 5)
        db.session.get(Participant, ids["mx1"]).language = "fr"
        db.session.get(Participant, ids["mx2"]).language = "pt"
        db.session.commit()


def text_of(pdf_bytes):
    reader = PdfReader(io.BytesIO(pdf_bytes))
    assert len(reader.pages) == 1
    return " ".join(reader.pages[0].extract_text().split())


SETTINGS = {
    "language_mode": "participant", "post_test_required": "y", "hours": "12.5",
    "issuer_fr": "Secrétariat technique de la Conférence", "issuer_pt": "Secretaria Técnica da Conferência",
    "place_fr": "Montréal (Québec)", "place_pt": "São Paulo",
    "signatory_1_name": "Françoise Lœwy-Ção", "signatory_1_title_fr": "Directrice générale",
    "signatory_1_title_pt": "Diretora-geral",
}


def save_settings(client, world, data=SETTINGS):
    page = f"/programs/{world['ids']['program']}/certificates/settings"
    required = {"required_activities": str(world["ids"]["activity"])}
    return post_form(client, page, {**required, **data}, page=page)


def test_the_settings_ask_each_text_in_the_programs_languages_only(app, client, course):
    french_and_portuguese(app, course)
    login(client, course["emails"]["organizer"])
    page = client.get(f"/programs/{course['ids']['program']}/certificates/settings").get_data(as_text=True)
    for name in ("place_fr", "place_pt", "issuer_fr", "issuer_pt", "signatory_1_title_fr", "signatory_3_title_pt"):
        assert f'name="{name}"' in page, name
    for name in ("place_es", "place_en", "issuer_es", "signatory_1_title_en"):
        assert f'name="{name}"' not in page, name
    assert "Lugar (francés)" in page and "Lugar (portugués)" in page  # the organizer reads Spanish
    assert save_settings(client, course).status_code == 302
    with app.app_context():
        settings = db.session.get(CertificateSettings, course["ids"]["program"])
        assert settings.place == {"fr": "Montréal (Québec)", "pt": "São Paulo"}
        assert settings.issuer == {"fr": "Secrétariat technique de la Conférence",
                                   "pt": "Secretaria Técnica da Conferência"}
        signatory = db.session.scalar(select(CertificateSignatory).where(
            CertificateSignatory.program_id == course["ids"]["program"]))
        assert signatory.title == {"fr": "Directrice générale", "pt": "Diretora-geral"}
    again = client.get(f"/programs/{course['ids']['program']}/certificates/settings").get_data(as_text=True)
    assert 'value="Montréal (Québec)"' in again and 'value="Diretora-geral"' in again


def test_texts_kept_from_a_language_the_program_dropped_are_not_printed(app, client, course):
    with app.app_context():
        db.session.add(CertificateSettings(program_id=course["ids"]["program"], place={"es": "Ciudad de Panamá"},
                                           issuer={"es": "Secretaría Técnica"}))
        db.session.commit()
    french_and_portuguese(app, course)
    login(client, course["emails"]["organizer"])
    assert save_settings(client, course, {**SETTINGS, "place_fr": "", "place_pt": ""}).status_code == 302
    with app.app_context():
        settings = db.session.get(CertificateSettings, course["ids"]["program"])
        assert settings.place == {"es": "Ciudad de Panamá"}  # kept, should the program offer Spanish again
    text = text_of(client.get(f"/programs/{course['ids']['program']}/certificates/specimen.pdf").data)
    assert "Panamá" not in text and "Secretaría" not in text and "Secrétariat technique" in text


def participant_client(app, participant_id):
    """A client of its own that entered through the participant's link."""
    client = app.test_client()
    enter(client, link_for(app, participant_id))
    return client


def issued_pdfs(app, course, run_tasks):
    """Issue to everyone eligible (Núñez and Gómez), then each downloads theirs from their page."""
    staff = app.test_client()
    login(staff, course["emails"]["organizer"])
    assert save_settings(staff, course).status_code == 302
    page = f"/programs/{course['ids']['program']}/certificates"
    assert post_form(staff, f"{page}/issue", {"everyone": "y"}, page=page).status_code == 302
    run_tasks()
    pdfs = {}
    for key in ("mx1", "mx2"):
        download = participant_client(app, course["ids"][key]).get("/me/certificate.pdf")
        assert download.status_code == 200
        pdfs[key] = download.data
    return pdfs


def issue_day(app, course, key):
    with app.app_context():
        certificate = db.session.scalar(select(Certificate).where(Certificate.participant_id == course["ids"][key]))
        return issued_on(certificate, "America/Mexico_City"), certificate


def test_a_french_reader_gets_a_french_certificate_and_a_portuguese_one_a_portuguese_one(app, course, run_tasks):
    french_and_portuguese(app, course)
    pdfs = issued_pdfs(app, course, run_tasks)
    french, portuguese = text_of(pdfs["mx1"]), text_of(pdfs["mx2"])
    day, certificate = issue_day(app, course, "mx1")
    assert certificate.languages == ["fr"]
    for literal in (FRENCH_TITLE, "José Ángel Núñez Peña", "Secrétariat technique de la Conférence",
                    "Montréal (Québec)", "Françoise Lœwy-Ção", "Directrice générale", "5 décembre 2026",
                    "Certificat de réussite", "Décerné à", "1 séance virtuelle · 12,5 heures · 5 décembre 2026",
                    "Émis le " + format_date(day, "long", locale="fr")):
        assert literal in french, literal
    for other in (PORTUGUESE_TITLE, "São Paulo", "Diretora-geral", "dezembro", "diciembre", "December", "Certificate",
                  "Awarded", "hours"):
        assert other not in french, other
    day, certificate = issue_day(app, course, "mx2")
    assert certificate.languages == ["pt"]
    for literal in (PORTUGUESE_TITLE, "Fátima Gómez Díaz", "Secretaria Técnica da Conferência", "São Paulo",
                    "Diretora-geral", "5 de dezembro de 2026", "Certificado de conclusão", "Concedido a", "12,5 horas",
                    "Emitido em " + format_date(day, "long", locale="pt")):
        assert literal in portuguese, literal
    for other in (FRENCH_TITLE, "décembre", "Certificate", "Certificat de", "hours", "heures"):
        assert other not in portuguese, other


def test_the_verification_page_reads_the_certificate_in_the_readers_language(app, course, run_tasks):
    french_and_portuguese(app, course)
    issued_pdfs(app, course, run_tasks)
    _day, certificate = issue_day(app, course, "mx2")
    reader = app.test_client()
    token = csrf_from(reader.get("/login").get_data(as_text=True))
    reader.post("/language", data={"language": "fr", "next": "/", "csrf_token": token})
    page = reader.get(f"/verify/{certificate.code}").get_data(as_text=True)
    assert "5 décembre 2026" in page and "Secrétariat technique de la Conférence" in page
    assert "Programme « Œuvre commune »" in page or "Programme « Œuvre commune »".replace("«", "&laquo;") in page


def test_a_reader_of_a_language_the_program_does_not_offer_gets_its_default(app, course, run_tasks):
    french_and_portuguese(app, course)
    with app.app_context():
        db.session.get(Participant, course["ids"]["mx2"]).language = "en"
        db.session.commit()
    pdfs = issued_pdfs(app, course, run_tasks)
    _day, certificate = issue_day(app, course, "mx2")
    assert certificate.languages == ["fr"]
    assert FRENCH_TITLE in text_of(pdfs["mx2"]) and "5 décembre 2026" in text_of(pdfs["mx2"])


@pytest.mark.parametrize(("offered", "reads", "mode", "printed"), [
    (["fr", "pt"], "pt", "participant", ["pt"]),
    (["fr", "pt"], "es", "participant", ["fr"]),
    (["es", "en", "fr", "pt"], "fr", "participant", ["fr"]),
    (["fr", "pt"], "pt", "bilingual", ["pt", "fr"]),  # the reader's, then the program's default
    (["fr", "pt"], "fr", "bilingual", ["fr", "pt"]),  # the default reader: the program's next language
    (["pt", "es", "en"], "en", "bilingual", ["en", "pt"]),
    (["fr", "pt"], "en", "bilingual", ["fr", "pt"]),
    (["pt"], "pt", "bilingual", ["pt"]),  # one language: nothing to pair it with
])
def test_the_certificates_languages(offered, reads, mode, printed):
    program = SimpleNamespace(languages=offered)
    assert languages_for(program, SimpleNamespace(language_mode=mode), SimpleNamespace(language=reads)) == printed


def test_a_bilingual_french_and_portuguese_certificate_pairs_both(app, course, run_tasks):
    french_and_portuguese(app, course)
    with app.app_context():
        db.session.add(CertificateSettings(program_id=course["ids"]["program"], language_mode="bilingual"))
        db.session.commit()
    staff = app.test_client()
    login(staff, course["emails"]["organizer"])
    assert save_settings(staff, course, {**SETTINGS, "language_mode": "bilingual"}).status_code == 302
    page = f"/programs/{course['ids']['program']}/certificates"
    post_form(staff, f"{page}/issue", {"participant_ids": [str(course["ids"]["mx2"])]}, page=page)
    run_tasks()
    _day, certificate = issue_day(app, course, "mx2")
    assert certificate.languages == ["pt", "fr"]
    text = text_of(staff.get(f"/certificates/{certificate.id}.pdf").data)
    assert PORTUGUESE_TITLE in text and FRENCH_TITLE in text and "Diretora-geral / Directrice générale" in text
    assert "5 de dezembro de 2026" in text and "5 décembre 2026" in text


def catalog_characters():
    from babel.messages.pofile import read_po

    characters = set()
    for language in ("es", "en", "fr", "pt"):
        with open(f"translations/{language}/LC_MESSAGES/messages.po", "rb") as source:
            for message in read_po(source):
                strings = message.string if isinstance(message.string, tuple) else (message.string,)
                characters.update("".join(s for s in strings if s))
    return characters


@pytest.mark.parametrize("font", ["DejaVuSans", "DejaVuSans-Bold"])
def test_the_pdf_fonts_hold_every_character_of_the_four_languages(font):
    from reportlab.pdfbase.pdfmetrics import getFont

    from training.agenda_pdf import embedded_fonts

    embedded_fonts()
    glyphs = getFont(font).face.charToGlyph
    wanted = (set(SPECIAL) | catalog_characters()) - set("\n\t")
    missing = sorted(char for char in wanted if ord(char) not in glyphs)
    assert not missing, [f"U+{ord(char):04X} {char}" for char in missing]


# --- messages and calendars -------------------------------------------------------------------------------------


def closing_post_test(program_id):
    """The program's post-test, titled in French and Portuguese, closing on 5 December 2026 at 23:00 UTC (17:00 in
    Mexico City); call inside an app context."""
    from assessments.models import Questionnaire

    post = db.session.scalar(select(Questionnaire).where(Questionnaire.program_id == program_id))
    post.closes_at = datetime(2026, 12, 5, 23, 0, tzinfo=timezone.utc)
    post.title = {"fr": "Post-test", "pt": "Pós-teste"}
    return post


@pytest.mark.parametrize(("language", "written"), [
    ("fr", "5 décembre 2026"), ("pt", "5 de dezembro de 2026"), ("es", "5 de diciembre de 2026"),
    ("en", "December 5, 2026"),
])
def test_an_invitation_writes_the_programs_end_in_the_readers_language(app, world, language, written):
    from training.services_messages import queue_invitations, save_template

    french_and_portuguese(app, world, languages=("fr", "pt", "es", "en"))
    with app.app_context():
        program = db.session.get(Program, world["ids"]["program"])
        person = db.session.get(Participant, world["ids"]["mx1"])
        person.language = language
        save_template(program, None, "invitation", language, "{program}", "{first_name}: {end_date}. {link}")
        (message_id,) = queue_invitations(program, [person], None)
        message = db.session.get(OutboundMessage, message_id)
        assert message.language == language
        assert message.body.startswith(f"José Ángel: {written}. ")
        assert message.subject == {"fr": FRENCH_TITLE, "pt": PORTUGUESE_TITLE}.get(language, FRENCH_TITLE)


@pytest.mark.parametrize(("language", "written"), [
    ("fr", "samedi 5 décembre 2026"), ("pt", "sábado, 5 de dezembro de 2026"),
    ("es", "sábado, 5 de diciembre de 2026"), ("en", "Saturday, December 5, 2026"),
])
def test_a_reminder_says_when_the_test_closes_in_the_readers_language(app, course, language, written):
    from assessments.services_reminders import reminder_values

    french_and_portuguese(app, course)
    with app.app_context():
        values = reminder_values(closing_post_test(course["ids"]["program"]), language)
        assert written in values["closes"] and "17:00" in values["closes"]
        assert values["questionnaire"] == ("Pós-teste" if language == "pt" else "Post-test")


def test_the_participants_calendar_names_dates_in_their_language(app, course):
    french_and_portuguese(app, course)
    with app.app_context():
        closing_post_test(course["ids"]["program"])
        db.session.commit()
    readers = {}
    for key in ("mx1", "mx2"):
        calendar = participant_client(app, course["ids"][key]).get("/me/agenda.ics")
        assert calendar.status_code == 200
        readers[key] = calendar.get_data(as_text=True).replace("\r\n ", "")  # unfolded lines
    assert "samedi 5 décembre 2026" in readers["mx1"] and f"X-WR-CALNAME:{FRENCH_TITLE}" in readers["mx1"]
    assert "sábado\\, 5 de dezembro de 2026" in readers["mx2"] and "Pós-teste" in readers["mx2"]
    assert f"X-WR-CALNAME:{PORTUGUESE_TITLE}" in readers["mx2"]


# --- numbers on pages -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("language", "written"), [("es", ["12,5", "5", "12.345,7", "—"]),
                                                   ("en", ["12.5", "5", "12,345.7", "—"]),
                                                   ("fr", ["12,5", "5", "12\u202f345,7", "—"]),
                                                   ("pt", ["12,5", "5", "12.345,7", "—"])])
def test_the_number_filter_writes_figures_as_the_page_language_does(app, language, written):
    from flask import render_template_string
    from flask_babel import force_locale

    with app.test_request_context(), force_locale(language):
        shown = render_template_string("{{ a|number }}|{{ b|number(1) }}|{{ c|number(1) }}|{{ d|number }}",
                                       a=12.5, b=5.0, c=12345.678, d=None)
    assert shown.split("|") == written


def test_scores_on_the_progress_page_and_the_participants_done_page_use_the_decimal_comma(app, client, course):
    from assessments.models import Attempt, Questionnaire
    from tests.factories import make_question, make_section

    with app.app_context():
        post = db.session.scalar(select(Questionnaire).where(Questionnaire.program_id == course["ids"]["program"]))
        post.show_score = True
        make_question(make_section(post, {"fr": "Connaissances"}), "short_text", "knowledge", {"fr": "Pourquoi ?"})
        attempt = db.session.scalar(select(Attempt).where(Attempt.participant_id == course["ids"]["mx1"]))
        attempt.score, attempt.max_score = 8.75, 10
        db.session.get(Participant, course["ids"]["mx1"]).language = "fr"
        db.session.commit()
        post_id = post.id
    login(client, course["emails"]["organizer"])
    progress = client.get(f"/questionnaires/{post_id}/progress").get_data(as_text=True)
    assert ">87,5<" in progress and "87.5" not in progress
    done = participant_client(app, course["ids"]["mx1"]).get("/me/tests/post/done").get_data(as_text=True)
    assert "8,8" in done and "87,5" in done and "8.8" not in done and "87.5" not in done


def test_a_kinds_own_placeholders_are_worded_in_each_recipients_language(app, world):
    from flask_babel import force_locale, gettext

    from training.services_messages import queue_invitations, save_template

    french_and_portuguese(app, world, languages=("es", "en"))
    with app.app_context(), force_locale("es"):  # as a Spanish-speaking sender
        program = db.session.get(Program, world["ids"]["program"])
        people = [db.session.get(Participant, world["ids"][key]) for key in ("mx1", "mx2")]
        people[0].language, people[1].language = "en", "es"
        for language in ("es", "en"):
            save_template(program, None, "absence", language, "{session}", "{session} {link}")
        ids = queue_invitations(program, people, None, kind="absence",
                                extra=lambda language: {"session": gettext("Online course")})
        subjects = [db.session.get(OutboundMessage, number).subject for number in ids]
    assert subjects == ["Online course", "Curso en línea"]


@pytest.mark.parametrize(("language", "expected"), [
    ("es", ["59,9%", "60%", "S1: conectado el 29% del tiempo", "30%"]),
    ("en", ["Post-test score 59.9% (needs 60%)", "S1: connected 29% of the time (needs 30%)"])])
def test_a_score_just_under_the_minimum_is_not_rounded_up_to_it(app, language, expected):
    from flask_babel import force_locale

    from certificates import eligibility
    from certificates.texts import reason_text

    missing = eligibility.Missing(eligibility.POST_TEST_SCORE_LOW, reached=59.95, needed=60)
    share = eligibility.Missing(eligibility.TOO_SHORT, 7, reached=0.29, needed=0.3)
    with app.app_context(), force_locale(language):
        texts = " | ".join((reason_text(missing, {}), reason_text(share, {7: "S1"})))
    assert all(part in texts for part in expected), texts


def test_the_participants_agenda_pdf_writes_its_day_in_their_language(app, course):
    french_and_portuguese(app, course)
    days = {"mx1": "mardi 3 mars 2026", "mx2": "terça-feira, 3 de março de 2026"}  # S0: 3 March, 14:00 in Mexico
    for key, day in days.items():
        agenda = participant_client(app, course["ids"][key]).get("/me/agenda.pdf")
        assert agenda.status_code == 200
        text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(agenda.data)).pages)
        assert day in text and "14:00" in text, text[:300]
        assert (FRENCH_TITLE if key == "mx1" else PORTUGUESE_TITLE) in text


def test_a_new_participant_reads_the_programs_default_language_its_languages_listed_first(app, client, course):
    import re

    french_and_portuguese(app, course)
    login(client, course["emails"]["admin"])
    page = client.get(f"/programs/{course['ids']['program']}/participants/new").get_data(as_text=True)
    select_html = page[page.index('<select id="language"'):]
    select_html = select_html[:select_html.index("</select>")]
    options = re.findall(r'<option([^>]*)value="(\w+)"([^>]*)>([^<]+)</option>', select_html)
    assert [(code, name) for _before, code, _after, name in options] == [
        ("fr", "Français"), ("pt", "Português"), ("es", "Español"), ("en", "English")]
    assert [code for before, code, after, _name in options if "selected" in before + after] == ["fr"]
