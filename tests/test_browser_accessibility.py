"""In Chromium, with axe-core: participant, public and main staff pages have no serious or critical WCAG 2.1 A/AA
violations, carry their language in `<html lang>`, can be used with the keyboard alone with a visible focus, and
link their error summaries to the fields in error.

axe-core comes from npm at the version tests/axe/package-lock.json pins (`make install` runs `npm ci` there); the
tests are skipped with the reason when it is missing, and fail in CI. Participant and public pages are checked in
Spanish and English, at 1280 and 360 px; staff pages in both languages at 1280 px. Screenshots land in
test-artifacts/."""
import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from assessments.models import Attempt, Questionnaire
from extensions import db
from tests.conftest import DEMO_PASSWORD, IN_CI, PASSWORD
from tests.helpers import link_for, open_demo_pre_test, path_of
from training.models import Activity, AgendaItem, Program, utcnow
from training.models_groups import GroupWork

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = ("serious", "critical")
PHONE = {"width": 360, "height": 740}
DESK = {"width": 1280, "height": 900}
DEMO = "CRM-CE-2021"
SWITCH = {"es": "Español", "en": "English"}

# What axe finds, as plain values (the Python side formats them for the assertion message).
RUN_AXE = """async (tags) => {
  const results = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return results.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(" "), summary: n.failureSummary}))}));
}"""

NEXT_FRAMES = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"


@pytest.fixture(scope="module")
def axe_ready():
    if not AXE.exists():
        message = f"axe-core is not installed at {AXE} (make install runs npm ci in tests/axe; needs npm)"
        if IN_CI:
            pytest.fail(f"{message}: CI requires the accessibility tests.")
        pytest.skip(message)
    return AXE


@pytest.fixture
def new_page(browser, live_server, axe_ready):
    """Pages in fresh contexts; CSP is bypassed only so that axe's script can be injected inline."""
    opened = []

    def new(viewport=DESK, locale="es-MX"):
        context = browser.new_context(base_url=live_server, locale=locale, viewport=viewport, bypass_csp=True)
        context.set_default_timeout(30_000)  # generous: a shared or busy machine stalls pages
        opened.append(context)
        return context.new_page()

    yield new
    for context in opened:
        context.close()


class Audit:
    """Runs axe on pages as they come and keeps what it finds, so one run reports every page's problems."""

    def __init__(self, artifacts):
        self.artifacts, self.problems, self.checked = artifacts, [], []

    def __call__(self, page, name, language, widths=(1280, 360)):
        original = page.viewport_size
        page.wait_for_load_state("load")
        found = page.locator("html").get_attribute("lang")
        if found != language:
            self.problems.append(f"{name}: <html lang={found!r}>, expected {language!r}")
        for width in widths:
            page.set_viewport_size(PHONE if width == 360 else {**DESK, "width": width})
            page.evaluate(NEXT_FRAMES)  # what the page's scripts redo on resizing (app.js: scrolling tables)
            if not page.evaluate("typeof window.axe === 'object'"):
                page.add_script_tag(path=str(AXE))
            for violation in page.evaluate(RUN_AXE, TAGS):
                if violation["impact"] in BLOCKING:
                    nodes = "\n".join(f"      {node['target']}: {node['summary']}" for node in violation["nodes"][:8])
                    more = len(violation["nodes"]) - 8
                    self.problems.append(f"{name} ({language}, {width} px): {violation['impact']} {violation['id']}"
                                         f" — {violation['help']}\n{nodes}"
                                         + (f"\n      … and {more} more" if more > 0 else ""))
            page.screenshot(path=str(self.artifacts / f"a11y-{name}-{language}-{width}.png"), full_page=True)
            self.checked.append((name, language, width))
        page.set_viewport_size(original)

    def verify(self):
        assert not self.problems, (f"{len(self.problems)} accessibility problems on {len(self.checked)} checks:\n"
                                   + "\n".join(self.problems))


@pytest.fixture
def audit(artifacts):
    return Audit(artifacts)


@pytest.fixture
def pre_test(app, world):
    """The demo's bilingual pre-test in the test program, open since an hour ago: its id and question ids by key."""
    return open_demo_pre_test(app, world["ids"]["program"])


# --- focus and keyboard ------------------------------------------------------------------------------------------

# Every control a keyboard user must reach in `scope` (visible, enabled; a radio group is one stop, arrows move
# inside it), each tagged data-kb so that the focused element can be recognized. Their descriptions, by tag.
CONTROLS = """(scope) => {
  document.querySelectorAll('[data-kb], [data-focus-order]').forEach(el => {
    el.removeAttribute('data-kb'); el.removeAttribute('data-focus-order');
  });
  const root = scope ? document.querySelector(scope) : document;
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary, '
                   + '[tabindex]:not([tabindex="-1"])';
  const groups = {};
  const found = {};
  Array.from(root.querySelectorAll(selector)).forEach((el, n) => {
    if (el.disabled || el.closest('[hidden]') || !el.getClientRects().length) { return; }
    const key = el.type === 'radio' ? (groups[el.name] = groups[el.name] || 'radio-' + el.name) : 'c' + n;
    el.setAttribute('data-kb', key);
    found[key] = el.type === 'radio' ? 'radio group ' + el.name : el.outerHTML.slice(0, 160);
  });
  return found;
}"""

# The focused element (tagged with its place in the Tab order) and its focus ring; null when focus left the page or
# came back to an element already visited.
FOCUSED = """(index) => {
  const el = document.activeElement;
  if (!el || el === document.body || el.hasAttribute('data-focus-order')) { return null; }
  el.setAttribute('data-focus-order', String(index));
  const style = getComputedStyle(el);
  return {key: el.getAttribute('data-kb'), html: el.outerHTML.slice(0, 160),
          ring: [style.outlineStyle, style.outlineWidth, style.outlineColor, style.boxShadow].join(' | '),
          visible: (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none'};
}"""

UNFOCUSED = """(index) => {
  const style = getComputedStyle(document.querySelector('[data-focus-order="' + index + '"]'));
  return [style.outlineStyle, style.outlineWidth, style.outlineColor, style.boxShadow].join(' | ');
}"""

START_OVER = "() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }"


def tab_through(page, scope=None, limit=300):
    """Press Tab from the top of the page until focus leaves it or comes round again: every control in `scope` is
    reached, each with a focus ring (outline or box-shadow) it does not have unfocused. The focused keys, in order."""
    expected = page.evaluate(CONTROLS, scope)
    page.evaluate(START_OVER)
    reached, rings = [], []
    for index in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED, index)
        if focused is None:
            break
        reached.append(focused["key"])
        rings.append((index, focused))
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    invisible = [focused["html"] for index, focused in rings
                 if not focused["visible"] or page.evaluate(UNFOCUSED, index) == focused["ring"]]
    missed = [description for key, description in expected.items() if key not in reached]
    assert not missed, f"not reachable with Tab: {missed}"
    assert not invisible, f"no visible focus indicator: {invisible}"
    return [key for key in reached if key]


def focus_on(page, text, limit=300):
    """Tab from the top of the page until the focused element's markup contains `text`."""
    page.evaluate("() => document.querySelectorAll('[data-focus-order]').forEach(el => "
                  "el.removeAttribute('data-focus-order'))")
    page.evaluate(START_OVER)
    for index in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED, index)
        if focused is None:
            break
        if text in focused["html"]:
            return
    raise AssertionError(f"Tab never reached {text!r}")


# --- error summaries ---------------------------------------------------------------------------------------------

SUMMARY_LINKS = """() => {
  const summary = document.getElementById('error-summary');
  if (!summary) { return null; }
  const firstField = document.querySelector('main form .field, main form fieldset.question');
  const before = !firstField || !!(summary.compareDocumentPosition(firstField) & Node.DOCUMENT_POSITION_FOLLOWING);
  const links = Array.from(summary.querySelectorAll('a[href]')).map(a => {
    const id = decodeURIComponent(a.getAttribute('href').split('#')[1] || '');
    const target = document.getElementById(id);
    if (!target) { return {href: a.getAttribute('href'), target: null}; }
    const controls = target.matches('input, select, textarea') ? [target]
      : Array.from(target.querySelectorAll('input:not([type=hidden]), select, textarea'));
    const describedBy = (el) => (el.getAttribute('aria-describedby') || '').split(/\\s+/).filter(Boolean)
      .map(ref => document.getElementById(ref)).filter(Boolean);
    return {href: a.getAttribute('href'), target: target.tagName.toLowerCase(), text: a.textContent.trim(),
            // A control in a group (radios, checkboxes) is described by its fieldset, announced on entering it.
            controls: controls.map(el => ({name: el.name, invalid: el.getAttribute('aria-invalid'),
              messages: describedBy(el).concat(el === target ? [] : describedBy(target))
                .filter(m => m.classList.contains('error')).map(m => m.textContent.trim())}))};
  });
  return {before, links};
}"""


def check_error_summary(page, expected_count=None):
    """The summary comes before the form's fields; each link points to a field (or a group of them) whose controls
    are aria-invalid and described by their error message."""
    page.wait_for_function("document.activeElement && document.activeElement.id === 'error-summary'")
    found = page.evaluate(SUMMARY_LINKS)
    assert found is not None, "no error summary"
    assert found["before"], "the error summary is not above the form's fields"
    assert found["links"], "the error summary links to no field"
    if expected_count is not None:
        assert len(found["links"]) == expected_count, found["links"]
    for link in found["links"]:
        assert link["target"], f"{link['href']} points to nothing"
        assert link["controls"], f"{link['href']} points to no form control"
        for control in link["controls"]:
            assert control["invalid"] == "true", f"{link['href']}: {control['name']} is not aria-invalid"
            assert control["messages"], f"{link['href']}: {control['name']} is not described by its error message"
    return found["links"]


# --- participant and public pages --------------------------------------------------------------------------------


def _certificate_code(app, world):
    from certificates.models import Certificate

    with app.app_context():
        return db.session.get(Certificate, world["ids"]["certificate"]).code


def _submit_attempt(app, participant_id, questionnaire_id):
    with app.app_context():
        attempt = db.session.scalar(select(Attempt).where(Attempt.participant_id == participant_id,
                                                          Attempt.questionnaire_id == questionnaire_id))
        attempt.status, attempt.submitted_at, attempt.finalized_by = "submitted", utcnow(), "participant"
        db.session.commit()


def choose_language(page, language):
    if page.locator("html").get_attribute("lang") != language:
        page.get_by_role("button", name=SWITCH[language]).click()
        expect(page.locator("html")).to_have_attribute("lang", language)


def enter(page, app, participant_id, language, audit=None):
    """Open a participant's personal link and continue; entering sets their registered language (Spanish here),
    so the language is chosen again on their page."""
    page.goto(path_of(link_for(app, participant_id)))
    choose_language(page, language)
    if audit:
        audit(page, "link-continue", language)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/me")
    choose_language(page, language)


@pytest.mark.parametrize("language", ["es", "en"])
def test_participant_and_public_pages(app, world, pre_test, new_page, audit, language):
    ids = world["ids"]
    page = new_page(locale="es-MX" if language == "es" else "en-US")
    enter(page, app, ids["mx1"], language, audit)
    audit(page, "my-page", language)

    # The pre-test: its introduction, its questions, a refused answer, the review, the confirmation.
    page.goto("/me/tests/pre")
    audit(page, "test-intro", language)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/me/tests/pre")
    expect(page.locator("#test-form")).to_be_visible()
    audit(page, "test-form", language)
    # A value the question does not offer, sent by the plain form (no script events): the page says what to fix.
    page.evaluate("""() => {
      const radio = document.querySelector('fieldset.q-single_choice input[type=radio]');
      radio.value = 'not-an-option'; radio.checked = true;
      HTMLFormElement.prototype.submit.call(document.getElementById('test-form'));
    }""")
    page.wait_for_selector("#error-summary")
    links = check_error_summary(page, expected_count=1)
    assert links[0]["href"].startswith("#q-") and links[0]["target"] == "fieldset"
    audit(page, "test-form-error", language)
    page.goto("/me/tests/pre/review")
    expect(page.locator("#error-summary")).to_be_visible()
    audit(page, "test-review", language)
    _submit_attempt(app, ids["mx1"], pre_test["id"])
    page.goto("/me/tests/pre/done")
    audit(page, "test-done", language)

    # A participant who holds a certificate: their page's certificate card.
    enter(page, app, ids["gt1"], language)
    expect(page.locator(".my-certificate .button")).to_be_visible()
    audit(page, "my-page-certificate", language)

    # Public pages: verification (form, a valid certificate, an unknown code), login, errors.
    page.goto("/verify")
    audit(page, "verify-form", language)
    page.goto(f"/verify/{_certificate_code(app, world)}")
    expect(page.locator(".verdict-valid")).to_be_visible()
    audit(page, "verify-valid", language)
    page.goto("/verify/" + "x" * 32)
    audit(page, "verify-unknown", language)
    page.goto("/login")
    audit(page, "login", language)
    page.locator("main form button[type=submit]").click()
    check_error_summary(page, expected_count=2)
    audit(page, "login-errors", language)
    response = page.goto("/no-such-page")
    assert response.status == 404
    audit(page, "not-found", language)
    page.goto("/p/" + "y" * 43)
    audit(page, "link-invalid", language)
    audit.verify()


def test_login_form_with_the_keyboard_alone(app, world, new_page):
    page = new_page()
    page.goto("/login")
    tab_through(page)  # skip link, header, language switch, both fields, the button
    focus_on(page, 'id="email"')
    page.keyboard.type(world["emails"]["organizer"])
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Tab")
    expect(page.locator("main form button[type=submit]")).to_be_focused()
    page.keyboard.press("Space")
    page.wait_for_url("**/programs")
    # Enter from a field submits too (a wrong password: the summary takes the focus).
    page.context.clear_cookies()
    page.goto("/login")
    focus_on(page, 'id="email"')
    page.keyboard.type(world["emails"]["organizer"])
    page.keyboard.press("Tab")
    page.keyboard.type("wrong password")
    page.keyboard.press("Enter")
    expect(page.locator("#error-summary")).to_be_focused()


def test_taking_a_test_with_the_keyboard_alone(app, world, pre_test, new_page):
    page = new_page(viewport=PHONE)
    page.goto(path_of(link_for(app, world["ids"]["mx1"])))
    focus_on(page, "Continuar como")
    page.keyboard.press("Enter")
    page.wait_for_url("**/me")
    page.goto("/me/tests/pre")
    focus_on(page, "Comenzar el cuestionario")
    page.keyboard.press("Space")
    expect(page.locator("#test-form")).to_be_visible()
    reached = tab_through(page, "#test-form")
    radios = [key for key in reached if key.startswith("radio-")]
    assert len(radios) == len(set(radios)) >= 10  # each radio group is one stop: arrows move inside it
    # Answer the first question with the keyboard, then go to the review with Enter.
    first = page.locator("fieldset.question").first.locator("input[type=radio]").first
    first.focus()
    page.keyboard.press("Space")
    expect(first).to_be_checked()
    expect(page.locator("[data-state-for]").first).to_have_text("Guardada")
    focus_on(page, "Revisar y enviar")
    page.keyboard.press("Enter")
    page.wait_for_url("**/me/tests/pre/review*")
    expect(page.locator("#error-summary")).to_be_focused()


# --- staff pages -------------------------------------------------------------------------------------------------


@pytest.fixture
def demo(app):
    """The demo program and the ids of what the staff pages show."""
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        program = db.session.scalar(select(Program).where(Program.code == DEMO))
        session = db.session.scalar(select(Activity).where(Activity.program_id == program.id,
                                                           Activity.code == "S1"))
        group_item = db.session.scalar(select(AgendaItem.id).join(GroupWork).join(Activity)
                                       .where(Activity.program_id == program.id).limit(1))
        questionnaire = db.session.scalar(select(Questionnaire.id).where(Questionnaire.program_id == program.id,
                                                                         Questionnaire.kind == "pre"))
        return {"program": program.id, "session": session.id, "group_item": group_item,
                "questionnaire": questionnaire}


BROKEN_LIST = "Nombre;Apellidos;Correo;País\nLuz;Ríos;luz.rios@;MX\n;Sin Nombre;sin.nombre@example.mx;MX\n"


@pytest.mark.parametrize("language", ["es", "en"])
def test_staff_pages(demo, new_page, audit, language):
    page = new_page(locale="es-MX" if language == "es" else "en-US")
    page.goto("/login")
    page.locator("#email").fill("admin@capacita.example")
    page.locator("#password").fill(DEMO_PASSWORD)
    page.locator("#password").press("Enter")
    page.wait_for_url("**/programs")
    choose_language(page, language)  # a signed-in person's pages are in the language of their account
    audit(page, "staff-programs", language, widths=(1280,))
    program = demo["program"]
    for name, path in [
        ("staff-dashboard", f"/programs/{program}"),
        ("staff-participants", f"/programs/{program}/participants"),
        ("staff-attendance-sheet", f"/activities/{demo['session']}/attendance"),
        ("staff-attendance-matrix", f"/programs/{program}/attendance"),
        ("staff-groups", f"/agenda-items/{demo['group_item']}/groups"),
        ("staff-questionnaire-builder", f"/questionnaires/{demo['questionnaire']}"),
        ("staff-impact", f"/programs/{program}/impact"),
        ("staff-certificates", f"/programs/{program}/certificates"),
        ("staff-portfolio", "/portfolio"),
    ]:
        page.goto(path, timeout=60_000)  # the impact report computes its statistics and charts on first load
        audit(page, name, language, widths=(1280,))

    # Import: the form refused without a file, then a list with errors in its preview.
    page.goto(f"/programs/{program}/participants/import")
    page.locator("main form button[type=submit]").click()
    check_error_summary(page)
    audit(page, "staff-import-form-error", language, widths=(1280,))
    page.locator("input[type=file]").set_input_files(
        files=[{"name": "lista.csv", "mimeType": "text/csv", "buffer": BROKEN_LIST.encode("cp1252")}])
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/imports/\d+$"))
    audit(page, "staff-import-preview-errors", language, widths=(1280,))

    # A form with several errors, one of them a group of checkboxes.
    page.goto("/programs/new")
    page.locator("#code").fill("mal código")
    for box in page.locator("fieldset input[type=checkbox]").all():
        box.uncheck()
    page.locator("main form button[type=submit]").click()
    links = check_error_summary(page)
    assert any(link["target"] == "fieldset" for link in links), json.dumps(links)
    audit(page, "staff-program-form-errors", language, widths=(1280, 360))
    audit.verify()
