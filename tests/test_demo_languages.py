"""The demo in the four languages of the Americas: every text of both programs in es, en, fr and pt, French-speaking
Canadians whose answers leave every figure as it was, and a Portuguese-speaking organizer."""
import io
import re
from pathlib import Path

from pypdf import PdfReader
from sqlalchemy import select

from assessments import demo_tests
from assessments.demo_tests import POST_TEST, PRE_TEST, TEXTS, demo_answers
from assessments.models import Question, Questionnaire, Section
from certificates.demo import ISSUER, SIGNATORIES
from certificates.models import Certificate, CertificateSettings, CertificateSignatory
from extensions import db
from tests.conftest import csrf_from, login
from training import demo_data
from training.localized import SUPPORTED_LANGUAGES
from training.models import Activity, AgendaItem, Delegation, Participant, Program, User
from training.models_grants import ProgramRole
from training.models_groups import Group, GroupWork

FOUR = set(SUPPORTED_LANGUAGES)
DEMO_CODES = ("CRM-CE-2021", "CRM-CE-2022")


def assert_four(texts, where):
    """A localized mapping with a non-empty text in each of the four languages (an option dict also has "key")."""
    languages = {key: value for key, value in texts.items() if key != "key"}
    assert set(languages) == FOUR, f"{where}: {sorted(languages)}"
    for language, value in languages.items():
        assert value and (all(part.strip() for part in value) if isinstance(value, list) else value.strip()), \
            f"{where} [{language}] is empty"


def questionnaire_mappings(questionnaire, name):
    yield questionnaire["title"], f"{name} title"
    yield questionnaire["intro"], f"{name} intro"
    for s, section in enumerate(questionnaire["sections"], start=1):
        yield section["title"], f"{name} section {s}"
        for q, question in enumerate(section["questions"], start=1):
            yield question["text"], f"{name} {s}.{q}"
            for option in question["options"]:
                yield option, f"{name} {s}.{q} option {option['key']}"
            if question["scale_labels"]:
                yield question["scale_labels"], f"{name} {s}.{q} scale labels"


def demo_mappings():
    """Every localized mapping the demo's plain data holds, with where it is."""
    for spec in (demo_data.PROGRAM, demo_data.SECOND_PROGRAM):
        for field in ("title", "description", "general_objective", "specific_objectives"):
            if spec[field] or spec is demo_data.PROGRAM:  # the second program has no objectives at all
                yield spec[field], f"{spec['code']} {field}"
    for code, _offset, title, items in demo_data.SESSIONS:
        yield title, code
        for start, _end, kind, item_title, *_names in items:
            yield item_title, f"{code} {start} {kind}"
    for code, title, _required, _link in demo_data.COURSES:
        yield title, code
    for code, spec in demo_data.GROUP_WORK.items():
        yield spec["questions"], f"{code} guiding questions"
        for name, _countries, perspective in spec["groups"]:
            if perspective is not None:
                yield perspective, f"{code} {name} perspective"
    yield from questionnaire_mappings(PRE_TEST, "pre-test")
    yield from questionnaire_mappings(POST_TEST, "post-test")
    yield ISSUER, "certificate issuer"
    for position, (_name, titles) in SIGNATORIES.items():
        yield titles, f"signatory {position}"


def test_both_demo_programs_offer_the_four_languages_spanish_first():
    for spec in (demo_data.PROGRAM, demo_data.SECOND_PROGRAM):
        assert spec["languages"] == ["es", "en", "fr", "pt"]


def test_every_text_of_the_demo_is_in_the_four_languages():
    mappings = list(demo_mappings())
    assert len(mappings) > 150  # program texts, 3 sessions' agendas, courses, group work, 2 tests, certificates
    for texts, where in mappings:
        assert_four(texts, where)
    # French and Portuguese are translations, not copies of another language.
    for texts, where in mappings:
        if "key" not in texts and not isinstance(texts["es"], list):
            assert texts["fr"] not in (texts["es"], texts["en"]) or len(texts["fr"]) < 15, where
            assert texts["pt"] not in (texts["en"], texts["fr"]) or len(texts["pt"]) < 15, where
    # The glossary's names of the two tests.
    assert "pré-test" in PRE_TEST["title"]["fr"] and "pré-teste" in PRE_TEST["title"]["pt"]
    assert "post-test" in POST_TEST["title"]["fr"] and "pós-teste" in POST_TEST["title"]["pt"]
    kinds = {kind: title for _c, _o, _t, items in demo_data.SESSIONS for _s, _e, kind, title, *_ in items}
    assert "pré-test" in kinds["pre_test"]["fr"] and "pós-teste" in kinds["post_test"]["pt"]


def test_some_canadians_work_in_french_and_the_rest_of_the_demo_people_is_unchanged():
    canadians = demo_data.delegation_people("CA")
    french = [p for p in canadians if p.language == "fr"]
    assert [p.email for p in french] == ["etienne.bouchard.ca@example.org", "renee.tremblay.ca@example.org",
                                         "noemie.castillo.ca@example.org"]
    assert [p.position for p in french] == ["Conseiller en emploi", "Agente de liaison avec les employeurs",
                                            "Conseillère en emploi"]
    assert {p.language for p in canadians if p not in french} == {"en"}
    assert {p.language for c in demo_data.MEMBER_COUNTRIES if c not in demo_data.ENGLISH_SPEAKING
            for p in demo_data.delegation_people(c)} == {"es"}


def test_french_speakers_write_in_french_and_nothing_else_of_the_plan_moves():
    people, languages = [], {}
    for country in demo_data.MEMBER_COUNTRIES:
        for person in demo_data.delegation_people(country, 7 if country == "NI" else 10):
            languages[len(people)] = person.language
            people.append((len(people), country))
    by_country = demo_answers(people)
    by_person = demo_answers(people, languages=languages)
    french = {index for index, language in languages.items() if language == "fr"}
    assert len(french) == 3
    texts_in_french = 0
    for index, plans in by_country.items():
        for kind in ("pre", "post"):
            before, after = plans[kind], by_person[index][kind]
            assert before["status"] == after["status"] and before["answers"].keys() == after["answers"].keys()
            for key, value in before["answers"].items():
                if index in french and isinstance(value, str) and value in TEXTS[(kind, "en")]:
                    # The same place in the French list as in the English one.
                    assert after["answers"][key] == TEXTS[(kind, "fr")][TEXTS[(kind, "en")].index(value)]
                    texts_in_french += 1
                else:
                    assert after["answers"][key] == value
    assert texts_in_french >= 1
    # The draws depend on how many texts a language has: French has English's count, Portuguese Spanish's.
    for kind in ("pre", "post"):
        assert len(TEXTS[(kind, "fr")]) == len(TEXTS[(kind, "en")])
        assert len(TEXTS[(kind, "pt")]) == len(TEXTS[(kind, "es")])
    # A language without texts of the same length as the country's keeps the country's language.
    assert demo_tests._language("MX", "pt") == "pt" and demo_tests._language("CA", "pt") == "en"
    assert demo_tests._language("MX", "fr") == "es" and demo_tests._language("CA", "fr") == "fr"


def localized_rows(program_ids):
    """(mapping, where) of every localized column the demo wrote for the programs."""
    for program in db.session.scalars(select(Program).where(Program.id.in_(program_ids))):
        for field in ("title", "description", "general_objective", "specific_objectives"):
            if getattr(program, field):
                yield getattr(program, field), f"{program.code} {field}"
    for activity in db.session.scalars(select(Activity).where(Activity.program_id.in_(program_ids))):
        yield activity.title, f"activity {activity.code}"
    for item in db.session.scalars(select(AgendaItem).join(Activity).where(Activity.program_id.in_(program_ids))):
        yield item.title, f"agenda item {item.kind} of {item.activity.code}"
    for work in db.session.scalars(select(GroupWork)):
        yield work.questions, "group work questions"
    for group in db.session.scalars(select(Group)):
        if group.perspective:
            yield group.perspective, f"group {group.position} perspective"
    for questionnaire in db.session.scalars(select(Questionnaire).where(Questionnaire.program_id.in_(program_ids))):
        yield questionnaire.title, f"{questionnaire.kind} title"
        yield questionnaire.intro, f"{questionnaire.kind} intro"
    for section in db.session.scalars(select(Section).join(Questionnaire)
                                      .where(Questionnaire.program_id.in_(program_ids))):
        yield section.title, "section title"
    for question in db.session.scalars(select(Question).join(Section).join(Questionnaire)
                                       .where(Questionnaire.program_id.in_(program_ids))):
        yield question.text, f"question {question.id}"
        for option in question.options:
            yield option, f"question {question.id} option {option['key']}"
        if question.scale_labels:
            yield question.scale_labels, f"question {question.id} scale labels"
    for settings in db.session.scalars(select(CertificateSettings)
                                       .where(CertificateSettings.program_id.in_(program_ids))):
        yield settings.issuer, "certificate issuer"
    for signatory in db.session.scalars(select(CertificateSignatory)
                                        .where(CertificateSignatory.program_id.in_(program_ids))):
        yield signatory.title, f"signatory {signatory.position}"


def test_flask_demo_loads_every_text_in_the_four_languages(app):
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert "organizacao.pt@capacita.example" in result.output
    with app.app_context():
        programs = {p.code: p for p in db.session.scalars(select(Program).where(Program.code.in_(DEMO_CODES)))}
        assert {code: p.languages for code, p in programs.items()} == {code: ["es", "en", "fr", "pt"]
                                                                      for code in DEMO_CODES}
        rows = list(localized_rows([p.id for p in programs.values()]))
        kinds = {where.split()[0] for _texts, where in rows}
        assert {"activity", "agenda", "group", "pre", "post", "section", "question", "certificate",
                "signatory"} <= kinds
        for texts, where in rows:
            assert_four(texts, where)
        # Three Canadians of the reference program work in French.
        french = db.session.scalars(select(Participant.email).join(Delegation).where(
            Participant.program_id == programs["CRM-CE-2021"].id, Participant.language == "fr")).all()
        assert sorted(french) == ["etienne.bouchard.ca@example.org", "noemie.castillo.ca@example.org",
                                  "renee.tremblay.ca@example.org"]
        # The Portuguese-speaking organizer: an organizer in both programs, reading in Portuguese.
        organizer = db.session.scalar(select(User).where(User.email == "organizacao.pt@capacita.example"))
        assert organizer.language == "pt"
        roles = db.session.execute(select(ProgramRole.program_id, ProgramRole.role)
                                   .where(ProgramRole.user_id == organizer.id)).all()
        assert sorted(roles) == sorted((p.id, "organizer") for p in programs.values())


def test_a_french_counselor_sees_her_page_agenda_pre_test_and_certificate_in_french(app, client):
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    with app.app_context():  # a French-speaking Canadian the demo certified
        email = db.session.scalar(select(Participant.email).join(Certificate).where(
            Participant.language == "fr", Certificate.revoked_at.is_(None)).order_by(Participant.id))
    link = app.test_cli_runner().invoke(args=["participant-link", email, "--program", "CRM-CE-2021"]).output.strip()
    path = "/" + link.split("/", 3)[3]
    page = client.get(path).get_data(as_text=True)
    assert '<html lang="fr">' in page
    client.post(path, data={"csrf_token": csrf_from(page)})
    my_page = client.get("/me").get_data(as_text=True)
    assert "Programme de formation pour la sensibilisation" in my_page
    assert "Séance virtuelle 1 : Migration de main-d'œuvre et conseil en emploi" in my_page.replace("&#39;", "'")
    agenda = client.get("/me/agenda.pdf")
    assert agenda.status_code == 200 and agenda.mimetype == "application/pdf"
    agenda_text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(agenda.data)).pages)
    # Its sessions, items, headings and days in French, not only served.
    assert "S1 · Séance virtuelle 1 : Migration de main-d'œuvre et conseil en emploi" in agenda_text
    assert "Activité" in agenda_text and "Accueil" in agenda_text and "Sesión virtual" not in agenda_text
    assert re.search(r"\b(lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche) \d{1,2} \w+ \d{4}", agenda_text)
    test_page = client.get("/me/tests/pre", follow_redirects=True).get_data(as_text=True).replace("&#39;", "'")
    assert "Évaluation préalable (pré-test)" in test_page
    certificate = client.get("/me/certificate.pdf")
    assert certificate.status_code == 200 and certificate.mimetype == "application/pdf"
    text = " ".join(PdfReader(io.BytesIO(certificate.data)).pages[0].extract_text().split())
    assert "Conférence régionale sur la migration" in text and "Secrétaire exécutive de la CRM" in text
    assert "Programme de formation pour la sensibilisation" in text


def test_the_portuguese_speaking_organizer_reads_the_impact_page_in_portuguese(app, client):
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        program_id = db.session.scalar(select(Program.id).where(Program.code == "CRM-CE-2021"))
    login(client, "organizacao.pt@capacita.example", demo_data.DEMO_PASSWORD)
    page = client.get(f"/programs/{program_id}/impact").get_data(as_text=True)
    assert '<html lang="pt">' in page
    assert "Programa de capacitação para a sensibilização" in page
    # The page's own words and findings in Portuguese, not only the program's title.
    assert "<h1>Relatório de impacto" in page and '<p class="lead">Entre as ' in page
    assert "Informe de impacto" not in page


def test_make_run_and_the_readme_name_the_portuguese_speaking_organizer():
    root = Path(__file__).resolve().parent.parent
    assert "organizacao.pt@capacita.example" in (root / "Makefile").read_text()
    assert "organizacao.pt@capacita.example" in (root / "README.md").read_text()
