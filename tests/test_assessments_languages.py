"""Questionnaires in the program's languages: the builder's inputs follow Program.languages (here French and
Portuguese, no Spanish), participants read their own language with the fallback, the impact report reads each."""
import json
import re
from datetime import timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from assessments.models import Question, Questionnaire
from assessments.services_builder import import_plain
from extensions import db
from tests.conftest import csrf_from, login, post_form
from tests.helpers import enter, link_for, load_demo
from training.models import Participant, Program, utcnow


@pytest.fixture
def organizer(client, world):
    login(client, world["emails"]["organizer"])
    return client


def _languages(app, program_id, languages):
    with app.app_context():
        db.session.get(Program, program_id).languages = languages
        db.session.commit()


def _new_questionnaire(app, organizer, program_id, kind):
    """A questionnaire of `kind` created through the page: its id and its first section's."""
    created = post_form(organizer, f"/programs/{program_id}/questionnaires", {"kind": kind})
    assert created.status_code == 302
    questionnaire_id = int(created.location.rsplit("/", 1)[1])
    with app.app_context():
        return questionnaire_id, db.session.get(Questionnaire, questionnaire_id).sections[0].id


def _names(html, prefix):
    return sorted(set(re.findall(rf'name="({prefix}_[a-z]{{2}})"', html)))


def test_a_french_and_portuguese_program_builds_its_questionnaire_in_french_and_portuguese(app, organizer, world):
    program_id = world["ids"]["program"]
    _languages(app, program_id, ["fr", "pt"])
    questionnaire_id, section_id = _new_questionnaire(app, organizer, program_id, "post")
    with app.app_context():
        questionnaire = db.session.get(Questionnaire, questionnaire_id)
        assert questionnaire.title == {"fr": "Post-test", "pt": "Pós-teste"}  # the default title, in its languages
    page = organizer.get(f"/questionnaires/{questionnaire_id}").get_data(as_text=True)
    assert _names(page, "title") == ["title_fr", "title_pt"] and _names(page, "intro") == ["intro_fr", "intro_pt"]
    assert "Título (francés)" in page and "Título (portugués)" in page  # the organizer reads Spanish
    # Only the default language (French) is required.
    refused = post_form(organizer, f"/questionnaires/{questionnaire_id}", {"title_pt": "Pós-teste final"})
    assert refused.status_code == 400
    refused_page = refused.get_data(as_text=True)
    assert 'id="title_fr-error"' in refused_page and 'id="title_pt-error"' not in refused_page
    saved = post_form(organizer, f"/questionnaires/{questionnaire_id}",
                      {"title_fr": " Post-test final ", "title_pt": "", "intro_pt": "Responda com calma."})
    assert saved.status_code == 302
    post_form(organizer, f"/sections/{section_id}/edit", {"title_fr": "Connaissances", "title_pt": "Conhecimentos"})
    form_page = organizer.get(f"/sections/{section_id}/questions/new").get_data(as_text=True)
    assert _names(form_page, "text") == ["text_fr", "text_pt"] and _names(form_page, "low") == ["low_fr", "low_pt"]
    assert "«a | Oui | Sim»" in form_page  # the options' example follows the program's languages
    url = f"/sections/{section_id}/questions/new"
    assert post_form(organizer, url, {
        "type": "single_choice", "dimension": "knowledge", "text_fr": "Qui paie ?", "text_pt": "Quem paga?",
        "options": "a | Le travailleur | O trabalhador\nb | L’employeur | pt: O empregador", "correct": "b",
        "points": "1", "item_key": "K1"}).status_code == 302
    assert post_form(organizer, url, {
        "type": "likert", "dimension": "satisfaction", "text_fr": "Utile", "low_fr": "Pas du tout",
        "high_fr": "Tout à fait", "low_pt": "Nada", "high_pt": "", "points": "0"}).status_code == 302
    with app.app_context():
        questionnaire = db.session.get(Questionnaire, questionnaire_id)
        assert questionnaire.title == {"fr": "Post-test final"} and questionnaire.intro == {"pt": "Responda com calma."}
        assert questionnaire.sections[0].title == {"fr": "Connaissances", "pt": "Conhecimentos"}
        choice, likert = db.session.scalars(select(Question).where(Question.questionnaire_id == questionnaire_id)
                                            .order_by(Question.position)).all()
        assert choice.text == {"fr": "Qui paie ?", "pt": "Quem paga?"}
        assert choice.options == [{"key": "a", "fr": "Le travailleur", "pt": "O trabalhador"},
                                  {"key": "b", "fr": "L’employeur", "pt": "O empregador"}]
        assert likert.scale_labels == {"fr": ["Pas du tout", "Tout à fait"]}  # Portuguese lacks its high end
        choice_id = choice.id
    edit = organizer.get(f"/questions/{choice_id}/edit").get_data(as_text=True)
    assert "a | Le travailleur | O trabalhador\nb | L’employeur | O empregador" in edit
    assert 'name="text_pt"' in edit and "Quem paga?" in edit and 'name="text_es"' not in edit
    preview = organizer.get(f"/questionnaires/{questionnaire_id}/preview?lang=pt").get_data(as_text=True)
    assert "Quem paga?" in preview and "O empregador" in preview and "Conhecimentos" in preview
    assert "lang=fr" in preview and "Français" in preview and "Português" in preview and "lang=es" not in preview


def test_participants_read_the_questionnaire_in_their_language_else_the_programs_default(app, client, world):
    program_id, person = world["ids"]["program"], world["ids"]["mx1"]
    _languages(app, program_id, ["es", "fr"])
    with app.app_context():
        db.session.get(Participant, person).language = "fr"
        questionnaire = import_plain(db.session.get(Program, program_id), None, {
            "kind": "pre", "title": {"es": "Evaluación previa", "fr": "Pré-test de la session"},
            "intro": {"es": "Responda con calma.", "fr": "Répondez sans hâte."},
            "sections": [{"title": {"es": "Conocimientos", "fr": "Connaissances"}, "questions": [
                {"type": "single_choice", "text": {"es": "¿Quién paga?", "fr": "Qui paie le recrutement ?"},
                 "dimension": "knowledge", "item_key": "K1", "points": 1, "required": True, "correct": ["b"],
                 "options": [{"key": "a", "es": "El trabajador", "fr": "Le travailleur"},
                             {"key": "b", "es": "El empleador"}], "scale_labels": {}},
                {"type": "likert", "text": {"es": "Aplicaré lo aprendido"}, "dimension": "expectations",
                 "item_key": None, "points": 0, "required": False, "correct": [], "options": [],
                 "scale_labels": {"es": ["Nada", "Mucho"], "fr": ["Pas du tout", "Tout à fait"]}},
            ]}]})
        questionnaire.opens_at = utcnow() - timedelta(hours=1)
        db.session.commit()
    enter(client, link_for(app, person))
    intro = client.get("/me/tests/pre").get_data(as_text=True)
    assert '<html lang="fr">' in intro and "Pré-test de la session" in intro and "Répondez sans hâte." in intro
    client.post("/me/tests/pre/start", data={"csrf_token": csrf_from(intro)})
    form = client.get("/me/tests/pre").get_data(as_text=True)
    assert "Connaissances" in form and "Qui paie le recrutement ?" in form and "Le travailleur" in form
    assert "El empleador" in form and "Aplicaré lo aprendido" in form  # no French: the program's default (Spanish)
    assert "Pas du tout" in form and "¿Quién paga?" not in form and "Nada" not in form
    review = client.get("/me/tests/pre/review").get_data(as_text=True)
    assert "Qui paie le recrutement ?" in review and "¿Quién paga?" not in review


def _figure(html, name):
    match = re.search(rf'<script type="application/json" id="chart-{name}">(.*?)</script>', html, re.S)
    assert match, f"no chart {name}"
    return json.loads(match.group(1))


def test_the_impact_report_reads_in_portuguese_and_french_with_their_number_marks(app, client, tmp_path):
    program_id = load_demo(app)
    login(client, "organizadora@capacita.example", "capacita-demo")
    for language, decimal, separators, finding in (("pt", ",", ",.", "Entre as"), ("fr", ",", ",\u202f", "Parmi les"),
                                                   ("en", ".", ".,", "Among the")):
        token = csrf_from(client.get("/programs").get_data(as_text=True))
        client.post("/language", data={"language": language, "csrf_token": token})
        html = client.get(f"/programs/{program_id}/impact").get_data(as_text=True)
        assert f'<html lang="{language}">' in html and f'<p class="lead">{finding} ' in html
        assert _figure(html, "slopes")["layout"]["separators"] == separators
        assert re.search(rf"d_z = \d{re.escape(decimal)}\d\d", html), language
    output = tmp_path / "impact.pdf"  # the command takes the four languages; its findings are in the one asked
    result = app.test_cli_runner().invoke(args=["impact", "--program", "CRM-CE-2021", "--format", "pdf",
                                                "--language", "pt", "--output", str(output)])
    assert result.exit_code == 0, result.output
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(output).pages).split())
    assert "Entre as" in text and "pontuação de conhecimentos subiu" in text


@pytest.mark.parametrize("language, heading, button", [
    ("es", "Respuesta", "Responder"), ("en", "Answer", "Answer"), ("fr", "Réponse", None), ("pt", "Resposta", None)])
def test_the_workbooks_answer_column_is_the_noun_not_the_button(app, language, heading, button):
    """'Answer' is both the participant's button (a verb) and the open answers' column heading (a noun)."""
    from flask_babel import force_locale, gettext

    from assessments.impact.texts import workbook_labels

    with app.test_request_context("/"), force_locale(language):
        assert workbook_labels()["answer"] == heading
        assert button is None or gettext("Answer") == button


def test_a_language_the_program_stops_offering_keeps_its_texts(app, organizer, world):
    program_id = world["ids"]["program"]
    _languages(app, program_id, ["fr", "pt"])
    questionnaire_id, section_id = _new_questionnaire(app, organizer, program_id, "pre")
    post_form(organizer, f"/questionnaires/{questionnaire_id}", {"title_fr": "Pré-test", "title_pt": "Pré-teste"})
    post_form(organizer, f"/sections/{section_id}/edit", {"title_fr": "Savoirs", "title_pt": "Saberes"})
    post_form(organizer, f"/sections/{section_id}/questions/new", {
        "type": "likert", "dimension": "satisfaction", "text_fr": "Utile ?", "text_pt": "Útil?", "low_fr": "Non",
        "high_fr": "Oui", "low_pt": "Não", "high_pt": "Sim", "points": "0"})
    _languages(app, program_id, ["fr"])  # Portuguese is dropped: its inputs disappear, its texts must not
    with app.app_context():
        question_id = db.session.scalars(select(Question.id).where(Question.questionnaire_id == questionnaire_id)).one()
    post_form(organizer, f"/questionnaires/{questionnaire_id}", {"title_fr": "Pré-test initial"})
    post_form(organizer, f"/sections/{section_id}/edit", {"title_fr": "Connaissances"})
    assert post_form(organizer, f"/questions/{question_id}/edit", {
        "type": "likert", "dimension": "satisfaction", "text_fr": "Utile ?", "low_fr": "Pas du tout",
        "high_fr": "Tout à fait", "points": "0"}).status_code == 302
    with app.app_context():
        questionnaire = db.session.get(Questionnaire, questionnaire_id)
        assert questionnaire.title == {"fr": "Pré-test initial", "pt": "Pré-teste"}
        assert questionnaire.sections[0].title == {"fr": "Connaissances", "pt": "Saberes"}
        question = db.session.get(Question, question_id)
        assert question.text == {"fr": "Utile ?", "pt": "Útil?"}
        assert question.scale_labels == {"pt": ["Não", "Sim"], "fr": ["Pas du tout", "Tout à fait"]}


def test_an_option_in_neither_the_readers_nor_the_default_language_shows_its_text_not_its_key(app):
    # "a | fr: Oui" in a program of Spanish and English: the option has a French text only. An English reader gets
    # the fallback's last step (any text), which is "Oui", not the option's key "a".
    from types import SimpleNamespace

    from assessments.option_lines import parse_option_lines
    from assessments.template_helpers import option_labels

    options, problems = parse_option_lines("a | fr: Oui\nb | No | No", ["es", "en"])
    assert problems == []
    question = SimpleNamespace(type="single_choice", options=options)
    with app.test_request_context():
        assert option_labels(question, "en", "es") == [("a", "Oui"), ("b", "No")]
