"""In Chromium: a counselor takes the demo pre-test on a phone through a flaky connection; the organizer follows up.

The counselor opens their personal link in a 360 px window, answers by tapping, with the keyboard and by typing,
loses the connection twice (answers wait in the browser's queue, survive a reload, then reach the server), switches
the language, reviews, submits once; the organizer sees who is missing and sends them a reminder."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from assessments.models import Answer, Attempt
from extensions import db
from task_queue import run_queued
from tests.conftest import PASSWORD
from tests.helpers import link_for, open_demo_pre_test, path_of
from training.models import OutboundMessage

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
TEST_PAGE = "/me/tests/pre"
QUEUE = "capacita-test-queue-"

# The stored answer to each question of PRE_TEST, by item key or place ("2.1": section 2, question 1).
# K10 is left for the review page to point out (required), 2.5 is typed, then erased (optional, left empty).
EXPECTED = {"K01": "b", "K02": "a", "K03": "false", "K04": "a", "K05": "true", "K06": "a", "K07": "b",
            "K08": ["a", "b", "c"], "K09": "a", "K10": "a", "2.1": 5, "2.2": 4, "2.3": 5, "2.4": 9, "2.5": None}
TYPED = "Cómo referir casos de cobro de comisiones a la inspección del trabajo."


@pytest.fixture
def pre_test(app, world):
    """The demo's bilingual pre-test in the test program, open since an hour ago: its id and question ids by key."""
    return open_demo_pre_test(app, world["ids"]["program"])


@pytest.fixture
def contexts(browser, live_server):
    """New browser contexts (a phone, a desktop) on the live server, all closed at the end."""
    opened = []

    def new(**options):
        context = browser.new_context(base_url=live_server, locale="es-MX", **options)
        context.set_default_timeout(10_000)
        opened.append(context)
        return context

    yield new
    for context in opened:
        context.close()


def stored_answers(app, participant_id):
    """question id → stored value of the participant's attempt."""
    with app.app_context():
        rows = db.session.execute(select(Answer.question_id, Answer.value).join(Attempt)
                                  .where(Attempt.participant_id == participant_id))
        return dict(rows.all())


def queue_length(page):
    return page.evaluate(f"""() => Object.keys(localStorage).filter(k => k.startsWith("{QUEUE}"))
                             .reduce((n, k) => n + JSON.parse(localStorage.getItem(k)).length, 0)""")


def assert_fits(page, width=PHONE["width"]):
    assert page.evaluate("document.documentElement.scrollWidth") <= width


class Phone:
    """The counselor's test page: questions by key, tapping their labels, their saved state."""

    def __init__(self, page, question_ids):
        self.page, self.ids = page, question_ids

    def question(self, key):
        return self.page.locator(f"#q-{self.ids[key]}")

    def state(self, key):
        return self.page.locator(f'[data-state-for="{self.ids[key]}"]')

    def tap(self, key, label):
        self.question(key).get_by_text(label, exact=True).tap()

    def option(self, key, label):
        return self.question(key).get_by_label(label, exact=True)

    def text_field(self, key):
        return self.question(key).locator("input[type=text]")

    def expect_saved(self, *keys, word="Guardada"):
        for key in keys:
            expect(self.state(key)).to_have_text(word)


def test_a_counselor_takes_the_pre_test_on_a_phone_offline_and_the_organizer_sends_reminders(
        app, world, pre_test, contexts, artifacts):
    ids = world["ids"]
    counselor = ids["mx1"]
    questions = pre_test["questions"]

    # --- The counselor opens their personal link on a phone and starts the pre-test. ---------------------------
    phone = contexts(viewport=PHONE, is_mobile=True, has_touch=True)
    page = phone.new_page()
    page.goto(path_of(link_for(app, counselor)))
    page.get_by_role("button", name="Continuar como José Ángel").tap()
    page.wait_for_url("**/me")
    tests = page.locator(".my-tests li", has_text="Evaluación previa (pre-test)")
    expect(tests.get_by_text("Sin empezar")).to_be_visible()
    tests.get_by_role("link", name="Responder").tap()
    expect(page.get_by_text("15 preguntas.")).to_be_visible()
    assert_fits(page)
    page.get_by_role("button", name="Comenzar el cuestionario").tap()
    page.wait_for_url(f"**{TEST_PAGE}")
    q = Phone(page, questions)
    banner = page.locator("#connection-state")
    expect(q.question("K01")).to_contain_text("¿qué proporción de la fuerza de trabajo mundial")
    assert_fits(page)

    # Online: each tapped answer reaches the server and says so.
    q.tap("K01", "Alrededor de 1 de cada 20 (5 %)")
    q.tap("K02", "Pueden cobrarse a la persona trabajadora si se descuentan de su primer salario")
    q.expect_saved("K01", "K02")
    expect(banner).to_be_hidden()
    assert stored_answers(app, counselor) == {questions["K01"]: "b", questions["K02"]: "a"}

    # --- The connection drops: a radio, checkboxes, a Likert point, a 0–10 point and typed text wait on the phone.
    phone.set_offline(True)
    expect(banner).to_contain_text("Sin conexión")
    q.text_field("2.5").tap()
    page.keyboard.type(TYPED)
    q.tap("K03", "Falso")  # leaving the text field queues it again (its change event): still one entry
    for label in ("Orientar sobre dónde y cómo buscar trabajo",
                  "Apoyar en la elaboración del currículum y la preparación de entrevistas",
                  "Recomendar opciones de formación para desarrollar y certificar habilidades"):
        q.tap("K08", label)
    q.option("2.1", "5").tap()
    q.option("2.4", "9").tap()
    expect(banner).to_contain_text("Respuestas por enviar: 5")
    expect(banner).to_contain_text("se enviarán al volver la conexión")
    q.expect_saved("K03", "K08", "2.1", "2.4", "2.5", word="Por enviar")
    assert queue_length(page) == 5
    assert len(stored_answers(app, counselor)) == 2  # nothing new reached the server
    page.screenshot(path=str(artifacts / "pre-test-offline-360.png"))
    q.question("K03").scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "pre-test-offline-banner-360.png"))
    assert_fits(page)

    # The connection returns: the queue drains by itself, in order, and the banner goes away.
    phone.set_offline(False)
    q.expect_saved("K03", "K08", "2.1", "2.4", "2.5")
    expect(banner).to_be_hidden()
    assert queue_length(page) == 0
    saved = stored_answers(app, counselor)
    assert saved[questions["K08"]] == ["a", "b", "c"] and saved[questions["2.5"]] == TYPED
    assert (saved[questions["K03"]], saved[questions["2.1"]], saved[questions["2.4"]]) == ("false", 5, 9)

    # --- English, from the header: the same questions in the other language, the answers still chosen. --------
    page.get_by_role("button", name="English").tap()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(q.question("K01")).to_contain_text("what share of the world's workforce were migrant workers")
    expect(q.option("K01", "About 1 in 20 (5%)")).to_be_checked()
    expect(q.option("K03", "False")).to_be_checked()
    expect(q.option("K08", "Advising on where and how to look for work")).to_be_checked()
    expect(q.option("K08", "Granting work permits or settling migration status")).not_to_be_checked()
    expect(q.option("2.1", "5")).to_be_checked()
    expect(q.text_field("2.5")).to_have_value(TYPED)
    expect(q.question("2.1")).to_contain_text("1 = Strongly disagree; 5 = Strongly agree")
    assert_fits(page)
    page.get_by_role("button", name="Español").tap()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(q.option("K01", "Alrededor de 1 de cada 20 (5 %)")).to_be_checked()

    # --- The keyboard alone: Tab into the next radio group, Space to choose, arrows to change. -----------------
    q.option("K03", "Falso").focus()
    page.keyboard.press("Tab")
    first = q.question("K04").locator("input").first
    expect(first).to_be_focused()
    page.keyboard.press("Space")
    expect(first).to_be_checked()
    page.keyboard.press("Tab")
    expect(q.option("K05", "Verdadero")).to_be_focused()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowDown")  # a radio group's arrows move and choose at once: b …
    page.keyboard.press("ArrowUp")  # … then back to a
    expect(q.option("K06", "Individual, del hogar y la familia, de la comunidad y estructural")).to_be_checked()
    expect(q.option("K06", "Individual, del hogar y la familia, de la comunidad y estructural")).to_be_focused()
    page.screenshot(path=str(artifacts / "pre-test-keyboard-360.png"))
    q.tap("2.2", "4")
    q.tap("2.3", "5")
    q.expect_saved("K04", "K05", "K06", "2.2", "2.3")

    # --- Cut again: two more answers wait on the phone. ----------------------------------------------------------
    phone.set_offline(True)
    q.tap("K07", "Informarle sobre sus derechos y, con su consentimiento, referirla a los servicios de protección y "
                 "a la inspección del trabajo")
    q.tap("K09", "Un foro regional en el que los Países Miembros dialogan y se coordinan sobre migración; sus "
                 "acuerdos no son jurídicamente vinculantes")
    expect(banner).to_contain_text("Respuestas por enviar: 2")
    assert queue_length(page) == 2
    # The phone is back online but the server is not reachable yet: the first try fails and the answers keep
    # waiting; the counselor reloads right away, before the next try. (A reload while offline is no good here:
    # Chromium's error page reloads by itself and its requests escape the emulated offline state.)
    answers_url = f"**{TEST_PAGE}/answers"
    page.route(answers_url, lambda route: route.abort("internetdisconnected"))
    with page.expect_event("requestfailed"):
        phone.set_offline(False)
    page.unroute(answers_url)
    assert questions["K07"] not in stored_answers(app, counselor)  # still only on the phone
    assert questions["K09"] not in stored_answers(app, counselor)
    page.reload()

    # The reloaded page shows the queued answers at once, then sends them.
    expect(q.option("K07", "Informarle sobre sus derechos y, con su consentimiento, referirla a los servicios de "
                           "protección y a la inspección del trabajo")).to_be_checked()
    q.expect_saved("K07", "K09")
    page.wait_for_function(f"""() => Object.keys(localStorage).filter(k => k.startsWith("{QUEUE}"))
                                     .every(k => JSON.parse(localStorage.getItem(k)).length === 0)""")
    expect(banner).to_be_hidden()
    # Every answer given so far is on the page, as the server now has it.
    page.reload()
    for key, label in [("K01", "Alrededor de 1 de cada 20 (5 %)"),
                       ("K02", "Pueden cobrarse a la persona trabajadora si se descuentan de su primer salario"),
                       ("K03", "Falso"), ("K05", "Verdadero"),
                       ("K06", "Individual, del hogar y la familia, de la comunidad y estructural"),
                       ("K08", "Orientar sobre dónde y cómo buscar trabajo"),
                       ("K08", "Apoyar en la elaboración del currículum y la preparación de entrevistas"),
                       ("K08", "Recomendar opciones de formación para desarrollar y certificar habilidades"),
                       ("K09", "Un foro regional en el que los Países Miembros dialogan y se coordinan sobre "
                               "migración; sus acuerdos no son jurídicamente vinculantes"),
                       ("2.1", "5"), ("2.2", "4"), ("2.3", "5"), ("2.4", "9")]:
        expect(q.option(key, label)).to_be_checked()
    expect(q.question("K04").locator("input:checked")).to_have_value("a")
    expect(q.question("K08").locator("input:checked")).to_have_count(3)
    expect(q.question("K10").locator("input:checked")).to_have_count(0)
    expect(q.text_field("2.5")).to_have_value(TYPED)

    # Second thoughts on the open question: erased, it is unanswered again.
    q.text_field("2.5").fill("")
    q.text_field("2.5").blur()  # saved at once on leaving the field (typing alone waits 0.8 s)
    q.expect_saved("2.5")
    assert stored_answers(app, counselor)[questions["2.5"]] is None

    # --- Review: exactly the one required and the one optional question left; then submit once. --------------
    page.get_by_role("button", name="Revisar y enviar").tap()
    page.wait_for_url("**/review*")
    required = page.locator(".error-summary li")
    expect(required).to_have_count(1)
    expect(required).to_contain_text("¿Qué instrumento internacional, adoptado en 2018")
    optional = page.locator(".notice li")
    expect(optional).to_have_text(["¿Qué es lo que más espera aprender?"])
    expect(page.get_by_role("button", name="Enviar mis respuestas")).to_have_count(0)
    assert_fits(page)
    page.screenshot(path=str(artifacts / "pre-test-review-missing-360.png"), full_page=True)
    required.get_by_role("link").tap()
    page.wait_for_url(f"**{TEST_PAGE}#q-{questions['K10']}")
    q.tap("K10", "El Pacto Mundial para la Migración Segura, Ordenada y Regular")
    q.expect_saved("K10")
    page.get_by_role("button", name="Revisar y enviar").tap()
    page.wait_for_url("**/review*")
    expect(page.locator(".error-summary")).to_have_count(0)
    expect(page.locator(".notice li")).to_have_text(["¿Qué es lo que más espera aprender?"])
    review = page.locator(".review-list > li")
    expect(review).to_have_count(15)
    expect(review.nth(7)).to_contain_text("Orientar sobre dónde y cómo buscar trabajo; Apoyar en la elaboración")
    expect(review.nth(13).locator(".review-answer")).to_have_text("9 de 10")
    expect(review.nth(14).locator(".review-answer")).to_have_text("—")
    assert_fits(page)
    page.screenshot(path=str(artifacts / "pre-test-review-360.png"), full_page=True)

    # A second tab left open on the review page, to submit again after the first one did.
    other = phone.new_page()
    other.goto(page.url)
    page.get_by_role("button", name="Enviar mis respuestas").tap()
    page.wait_for_url("**/done")
    expect(page.get_by_role("heading", name="Gracias")).to_be_visible()
    expect(page.get_by_text("Recibimos sus respuestas el")).to_be_visible()
    assert_fits(page)
    page.screenshot(path=str(artifacts / "pre-test-thanks-360.png"), full_page=True)
    other.get_by_role("button", name="Enviar mis respuestas").tap()
    other.wait_for_url("**/done")
    expect(other.get_by_text("Este cuestionario ya se había enviado; sus respuestas se conservaron.")).to_be_visible()
    # Back, or straight to the questions, after submitting: the confirmation, never a form to answer again.
    page.go_back()
    page.wait_for_url("**/done*")
    expect(page.get_by_role("button", name="Enviar mis respuestas")).to_have_count(0)
    page.goto(TEST_PAGE)
    page.wait_for_url("**/done")
    expect(page.locator("#test-form")).to_have_count(0)

    # --- The database holds every answer as given, and one scored submission. ----------------------------------
    assert stored_answers(app, counselor) == {questions[key]: value for key, value in EXPECTED.items()}
    with app.app_context():
        attempt = db.session.scalar(select(Attempt).where(Attempt.participant_id == counselor))
        assert (attempt.status, attempt.finalized_by) == ("submitted", "participant")
        assert (attempt.score, attempt.max_score) == (9.0, 10.0)  # K02 was wrong

    # --- The organizer sees who is missing, by delegation, and reminds them. ----------------------------------
    desk = contexts(viewport={"width": 1280, "height": 900})
    organizer = desk.new_page()
    organizer.goto("/login")
    organizer.locator("#email").fill(world["emails"]["organizer"])
    organizer.locator("#password").fill(PASSWORD)
    organizer.locator("#password").press("Enter")
    organizer.wait_for_url("**/programs")
    organizer.goto(f"/questionnaires/{pre_test['id']}/progress")
    expect(organizer.get_by_role("heading", name="Quién ha respondido: Evaluación previa (pre-test)")).to_be_visible()
    people = organizer.locator("table.stack tbody tr")
    expect(people).to_have_count(5)
    expect(people.filter(has_text="Núñez Peña")).to_contain_text("Enviado")
    for name in ("Gómez Díaz", "Tzul Batz", "Cojtí", "Ruiz"):
        expect(people.filter(has_text=name)).to_contain_text("Sin empezar")
    delegations = organizer.locator("table.data:not(.stack) tbody tr")
    # Columns: not started, in progress, submitted, total.
    expect(delegations.filter(has_text="México").locator("td")).to_have_text(["1", "0", "1", "2"])
    expect(delegations.filter(has_text="Guatemala").locator("td")).to_have_text(["2", "0", "0", "2"])
    expect(delegations.filter(has_text="Red Civil").locator("td")).to_have_text(["1", "0", "0", "1"])
    organizer.screenshot(path=str(artifacts / "pre-test-progress-1280.png"), full_page=True)

    organizer.get_by_label("Enviar un recordatorio a").select_option(label="Quienes no han enviado")
    organizer.once("dialog", lambda dialog: dialog.accept())
    organizer.get_by_role("button", name="Enviar el recordatorio").click()
    expect(organizer.locator(".flash")).to_have_text("4 mensajes se están preparando y enviando.")
    run_queued(app)  # the worker writes and sends them
    organizer.screenshot(path=str(artifacts / "pre-test-reminders-sent-1280.png"), full_page=True)
    with app.app_context():
        reminded = db.session.scalars(select(OutboundMessage.participant_id)
                                      .where(OutboundMessage.kind == "reminder")).all()
    assert sorted(reminded) == sorted(ids[key] for key in ("mx2", "gt1", "gt2", "obs1"))
    assert counselor not in reminded


def joses_phone_at_the_pre_test(app, world, contexts):
    """José Ángel's phone, in through his link, on the pre-test's intro page."""
    page = contexts(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    page.goto(path_of(link_for(app, world["ids"]["mx1"])))
    page.get_by_role("button", name="Continuar como José Ángel").tap()
    page.wait_for_url("**/me")
    page.goto(TEST_PAGE)
    return page


def test_an_answer_whose_reply_was_lost_is_not_reported_as_changed_elsewhere(app, world, pre_test, contexts):
    """The server saved the answer but the phone never heard back (a dropped reply): the retry sends the very same
    answer again and must be told it is saved, not that another window changed it."""
    page = joses_phone_at_the_pre_test(app, world, contexts)
    page.get_by_role("button", name="Comenzar el cuestionario").tap()
    q = Phone(page, pre_test["questions"])
    lost = []

    def drop_the_first_reply(route):
        if lost:
            route.continue_()
            return
        lost.append(route.fetch().status)  # the server gets and saves the answer …
        route.abort("connectionreset")  # … and the reply never reaches the phone

    page.route(f"**{TEST_PAGE}/answers", drop_the_first_reply)
    q.tap("K01", "Alrededor de 1 de cada 20 (5 %)")
    expect(page.locator("#connection-state")).to_contain_text("Sin conexión")
    assert stored_answers(app, world["ids"]["mx1"]) == {pre_test["questions"]["K01"]: "b"}
    expect(q.state("K01")).to_have_text("Por enviar")  # the dropped reply looks like a lost connection
    expect(q.state("K01")).not_to_have_text("Por enviar", timeout=6_000)  # the retry, 2 s later
    q.expect_saved("K01")
    assert lost == [200]


def test_an_answer_tapped_before_the_page_script_arrives_is_saved_once_it_does(app, world, pre_test, contexts):
    """On a slow connection the form shows before static/js/test.js has arrived: an answer tapped meanwhile is sent
    as soon as the script runs, not left on the phone, where closing the tab would lose it."""
    page = joses_phone_at_the_pre_test(app, world, contexts)
    held = []
    page.route("**/js/test.js*", lambda route: held.append(route))  # the script's request waits here
    page.get_by_role("button", name="Comenzar el cuestionario").tap()
    q = Phone(page, pre_test["questions"])
    q.tap("K01", "Alrededor de 1 de cada 20 (5 %)")
    expect(q.option("K01", "Alrededor de 1 de cada 20 (5 %)")).to_be_checked()
    assert len(held) == 1 and stored_answers(app, world["ids"]["mx1"]) == {}
    held[0].continue_()
    q.expect_saved("K01")
    assert stored_answers(app, world["ids"]["mx1"]) == {pre_test["questions"]["K01"]: "b"}
