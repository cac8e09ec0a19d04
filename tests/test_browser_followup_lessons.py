"""In Chromium, issue 27's "done when" on the demo: the organizer sends the follow-up survey now, a counselor answers
it through their personal link, and the impact report shows the use they intended beside the use they report; then a
lesson is recorded with its SDG and Global Compact links, found by search in the library, and its PDF downloaded and
looked at through pdftoppm. Screenshots: test-artifacts/follow-up-*.png, lesson-*.png."""
import statistics
import subprocess
from datetime import timedelta

import pytest
from babel.numbers import format_decimal
from PIL import Image, ImageStat
from playwright.sync_api import expect
from sqlalchemy import exists, select

from assessments.demo_tests import INTENDED_USE
from assessments.models import Answer, Attempt, Question, Questionnaire
from assessments.models_lessons import Lesson
from assessments.models_reminders import FollowUpSent
from assessments.services_survey import completed
from extensions import db
from tests.conftest import DEMO_PASSWORD, DESK, sign_in
from tests.helpers import DEMO, load_demo, path_of
from training.models import Participant, utcnow

pytestmark = pytest.mark.browser

ORGANIZER = "organizadora@capacita.example"
EXAMPLE = "Usé el modelo de vulnerabilidad con una familia recién llegada <script>alert(1)</script>."
FINDING = "Las mentorías entre delegaciones =HYPERLINK(\"http://x\") sostienen el uso de lo aprendido."


def follow_up_of(app, program_id):
    with app.app_context():
        return db.session.scalar(select(Questionnaire).where(Questionnaire.program_id == program_id,
                                                             Questionnaire.kind == "follow_up"))


def someone_sent_it_who_has_not_answered(app, follow_up_id):
    """(e-mail, given names, id) of a counselor the demo's follow-up went to and who has not opened it."""
    with app.app_context():
        person = db.session.scalar(
            select(Participant).join(FollowUpSent, FollowUpSent.participant_id == Participant.id)
            .where(FollowUpSent.questionnaire_id == follow_up_id, Participant.language == "es",
                   ~exists().where(Attempt.participant_id == Participant.id,
                                   Attempt.questionnaire_id == follow_up_id))
            .order_by(Participant.id))
        return person.email, person.given_names, person.id


def completers_of(program_id):
    return set(db.session.scalars(select(Participant.id).where(Participant.program_id == program_id, completed())))


def audience(app, program_id, follow_up_id):
    """(completed the program, of whom submitted the follow-up), counted from the tables."""
    with app.app_context():
        completers = completers_of(program_id)
        answered = set(db.session.scalars(select(Attempt.participant_id).where(
            Attempt.questionnaire_id == follow_up_id, Attempt.status == "submitted")))
        return len(completers), len(completers & answered)


def intended_and_reported(app, program_id, follow_up_id):
    """Mean intended use (post-test) and mean reported use (follow-up) of A01 over the completers who answered it in
    both, straight from the answers."""
    with app.app_context():
        post = db.session.scalar(select(Questionnaire.id).where(Questionnaire.program_id == program_id,
                                                                Questionnaire.kind == "post"))
        completers = completers_of(program_id)

        def values(questionnaire_id):
            return dict(db.session.execute(
                select(Attempt.participant_id, Answer.value).join(Answer, Answer.attempt_id == Attempt.id)
                .join(Question, Question.id == Answer.question_id)
                .where(Attempt.questionnaire_id == questionnaire_id, Attempt.status == "submitted",
                       Question.item_key == INTENDED_USE, Answer.value.is_not(None))).all())

        intended, reported = values(post), values(follow_up_id)
        pairs = [(int(intended[p]), int(reported[p])) for p in completers & intended.keys() & reported.keys()]
        return statistics.mean(i for i, _r in pairs), statistics.mean(r for _i, r in pairs)


def spanish(value):
    """As the report's tables write a mean in Spanish: two decimals, a decimal comma."""
    return format_decimal(round(value, 2), format="0.00", locale="es")


def participant_link(app, email):
    result = app.test_cli_runner().invoke(args=["participant-link", email, "--program", DEMO])
    assert result.exit_code == 0, result.output
    return path_of(result.output.strip())


def test_the_follow_up_is_sent_now_answered_by_link_and_reported_beside_the_intended_use(
        app, browser, live_server, artifacts):
    program_id = load_demo(app)
    follow_up = follow_up_of(app, program_id)
    assert follow_up.opens_at < utcnow() - timedelta(days=2)  # the demo's went out days ago, two weeks after the end
    context = browser.new_context(base_url=live_server, locale="es-MX", viewport=DESK)
    context.set_default_timeout(20_000)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    # --- The organizer opens the follow-up's page from the program's tests and sends it now. ------------------
    sign_in(page, ORGANIZER, DEMO_PASSWORD)
    page.goto(f"/programs/{program_id}/tests")
    page.get_by_role("link", name="Preguntas y plazo · Seguimiento").click()
    card = page.locator("#follow-up")
    expect(card).to_contain_text("Enviado hasta ahora a")
    card.get_by_label("Abierto durante (semanas)").fill("3")
    page.once("dialog", lambda dialog: dialog.accept())
    card.get_by_role("button", name="Enviar ahora").click()
    expect(page.locator(".flash.success, .notice.success, [role=status]").first).to_contain_text("3 semanas")
    page.screenshot(path=str(artifacts / "follow-up-sent-now.png"), full_page=True)
    sent_now = follow_up_of(app, program_id)
    assert abs(sent_now.opens_at - utcnow()) < timedelta(minutes=2)
    assert abs(sent_now.closes_at - sent_now.opens_at - timedelta(weeks=3)) < timedelta(seconds=1)

    # --- A counselor it was sent to opens their personal link and answers it. ----------------------------------
    before = audience(app, program_id, follow_up.id)[1]
    email, given, person_id = someone_sent_it_who_has_not_answered(app, follow_up.id)
    counselor = browser.new_context(base_url=live_server, locale="es-MX", viewport=DESK).new_page()
    counselor.set_default_timeout(20_000)
    counselor.goto(participant_link(app, email))
    counselor.get_by_role("button", name=f"Continuar como {given}").click()
    counselor.wait_for_url("**/me")
    survey = counselor.locator(".my-tests li", has_text="Cuestionario de seguimiento")
    survey.get_by_role("link", name="Responder").click()
    counselor.get_by_role("button", name="Comenzar el cuestionario").click()
    counselor.wait_for_url("**/me/tests/follow_up")
    questions = counselor.locator(".question")
    questions.filter(has_text="¿ha aplicado en su trabajo alguna herramienta").get_by_text("Sí", exact=True).click()
    questions.filter(has_text="He aplicado lo aprendido en mi trabajo").get_by_label("2", exact=True).check()
    questions.filter(has_text="¿Qué herramientas del programa ha utilizado?").get_by_text(
        "Modelo de determinación de la vulnerabilidad", exact=True).click()
    questions.filter(has_text="Cuente un ejemplo de uso").locator("textarea").fill(EXAMPLE)
    for statement, point in (("Mi jefatura y mi institución", "3"), ("He contado con el tiempo", "2"),
                             ("He seguido en contacto con colegas", "4")):
        questions.filter(has_text=statement).get_by_label(point, exact=True).check()
    counselor.get_by_role("button", name="Revisar y enviar").click()
    counselor.wait_for_url("**/review*")
    counselor.get_by_role("button", name="Enviar mis respuestas").click()
    counselor.wait_for_url("**/done*")
    counselor.screenshot(path=str(artifacts / "follow-up-answered.png"), full_page=True)
    with app.app_context():
        attempt = db.session.scalar(select(Attempt).where(Attempt.questionnaire_id == follow_up.id,
                                                          Attempt.participant_id == person_id))
        assert attempt.status == "submitted" and attempt.submitted_at > sent_now.opens_at

    # --- The report: intended use (post-test) beside reported use (follow-up), with its response rate. ---------
    page.goto(f"/programs/{program_id}/impact")
    use = page.locator("#use-at-work")
    expect(use.get_by_role("heading", name="Uso en el trabajo")).to_be_visible()
    completers, respondents = audience(app, program_id, follow_up.id)
    assert respondents == before + 1
    expect(use.locator("dl").first.locator("dd").first).to_have_text(str(completers))
    expect(use.locator("dl").first.locator("dd").nth(1)).to_have_text(str(respondents))
    intended, reported = intended_and_reported(app, program_id, follow_up.id)
    assert reported < intended  # the demo's people used somewhat less than they meant to
    table = use.locator("#use-comparison")
    expect(table).to_contain_text(f"Uso previsto (evaluación posterior): media (DE){spanish(intended)} (")
    expect(table).to_contain_text(f"Uso declarado (cuestionario de seguimiento): media (DE){spanish(reported)} (")
    expect(use.locator(".js-plotly-plot")).to_have_count(1)
    use.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "follow-up-report.png"), full_page=False)
    assert errors == []
    context.close()
    counselor.context.close()


def test_a_lesson_is_recorded_found_in_the_library_and_its_pdf_has_something_on_it(
        app, browser, live_server, artifacts, tmp_path):
    program_id = load_demo(app)
    context = browser.new_context(base_url=live_server, locale="es-MX", viewport=DESK, accept_downloads=True)
    context.set_default_timeout(20_000)
    page = context.new_page()
    sign_in(page, ORGANIZER, DEMO_PASSWORD)

    # --- Recorded on the program's lessons page, with its SDG and Global Compact links. --------------------------
    page.goto(f"/programs/{program_id}/lessons")
    expect(page.locator("main")).to_contain_text("LA1_CRM")  # the demo's two lessons
    expect(page.locator("main")).to_contain_text("LA2_CRM")
    page.get_by_role("link", name="Nueva lección").click()
    page.locator("#code").fill("LA3_CRM")
    page.locator("#area_es").fill("Migración laboral")
    page.locator("#finding_es").fill(FINDING)
    page.locator("#finding_en").fill("Mentoring between delegations keeps what was learned in use.")
    page.locator("#learned_es").fill("LA3_CRM: Emparejar a personas consejeras de países vecinos.")
    for name, value in (("sdgs", "8"), ("sdgs", "10"), ("gcm_principles", "a"), ("gcm_principles", "j"),
                        ("gcm_objectives", "18"), ("gcm_objectives", "23")):
        page.locator(f"input[name={name}][value='{value}']").check()
    page.locator("input[name=kind][value=positive]").check()
    page.get_by_role("button", name="Guardar la lección").click()
    expect(page.locator("h1")).to_contain_text("LA3_CRM")
    record = page.locator("main")
    expect(record).to_contain_text(FINDING)  # literal: the formula and the markup stay text
    expect(record).to_contain_text("Trabajo decente")
    expect(record).to_contain_text("Centrarse en las personas")
    page.screenshot(path=str(artifacts / "lesson-record.png"), full_page=True)
    with app.app_context():
        lesson = db.session.scalar(select(Lesson).where(Lesson.code == "LA3_CRM"))
        assert (lesson.sdgs, lesson.gcm_principles, lesson.gcm_objectives) == ([8, 10], ["a", "j"], [18, 23])

    # --- Found by a word of its finding in the library (accents and case aside), then its PDF. ---------------------
    page.get_by_role("link", name="Lecciones", exact=True).click()
    expect(page.locator("#lesson-count")).to_have_text("3 lecciones encontradas")  # the demo's two and this one
    page.get_by_label("Palabras").fill("MENTORIAS")
    page.get_by_label("Palabras").press("Enter")
    expect(page.locator("#lesson-count")).to_have_text("1 lección encontrada")
    expect(page.locator(".lesson-card h2 a")).to_have_text(["LA3_CRM"])
    page.screenshot(path=str(artifacts / "lesson-library.png"), full_page=True)
    with page.expect_download() as download:
        page.get_by_role("link", name="PDF LA3_CRM").click()
    pdf = tmp_path / "lesson.pdf"
    download.value.save_as(pdf)
    assert pdf.read_bytes()[:5] == b"%PDF-"
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")],
                   check=True)
    rendered = next(tmp_path.glob("page*.png"))
    image = Image.open(rendered).convert("L")
    image.save(artifacts / "lesson-pdf-page1.png")
    dark = sum(image.histogram()[:200]) / (image.width * image.height)
    assert 0.005 < dark < 0.5 and ImageStat.Stat(image).stddev[0] > 10  # text on a white page, not a blank one
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    assert "LA3_CRM" in text and "=HYPERLINK" in " ".join(text.split())
    assert "Trabajo decente" in text and "Centrarse en las personas" in text
    context.close()
