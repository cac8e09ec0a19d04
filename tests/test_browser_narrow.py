"""At 360 px: a long course link wraps instead of widening the page, and a table wider than the phone says it
scrolls sideways (a hint and a shadow at the hidden edge) instead of hiding its last columns."""
import re
from datetime import datetime, timedelta, timezone

import pytest
from playwright.sync_api import expect

from extensions import db
from tests.conftest import PHONE, fits_the_width, sign_in
from tests.factories import make_activity
from tests.helpers import make_four_language_program, participant_link, path_of
from training.localized import SUPPORTED_LANGUAGES
from training.models import Activity, Program


@pytest.fixture
def four_languages(app):
    return make_four_language_program(app)


LONG_LINK = ("https://campus.example.org/course/view.php?id=4711&section=3&enrol=self&lang=es"
             "&utm_source=capacita&utm_medium=email&utm_campaign=crm-ce-2026-orientadores")


def test_a_long_course_link_wraps_on_a_phone(page, app, world, artifacts):
    with app.app_context():
        db.session.get(Activity, world["ids"]["activity"]).link = LONG_LINK
        db.session.commit()
    page.set_viewport_size(PHONE)
    sign_in(page, world["emails"]["admin"])
    page.goto(f"/activities/{world['ids']['activity']}")
    link = page.get_by_role("link", name=LONG_LINK)
    assert link.is_visible()
    page.screenshot(path=str(artifacts / "activity-long-link-360.png"), full_page=True)
    assert fits_the_width(page), page.evaluate("document.documentElement.scrollWidth")
    assert link.bounding_box()["width"] <= PHONE["width"]


def test_a_wide_attendance_matrix_says_it_scrolls_sideways(page, app, world, artifacts):
    with app.app_context():
        program = db.session.get(Program, world["ids"]["program"])
        start = datetime(2026, 3, 4, 20, 0, tzinfo=timezone.utc)
        for number in range(1, 8):
            make_activity(program, f"S{number}", {"es": f"Sesión {number}"}, start + timedelta(days=number))
        db.session.commit()
    page.set_viewport_size(PHONE)
    sign_in(page, world["emails"]["admin"])
    page.goto(f"/programs/{world['ids']['program']}/attendance")
    assert fits_the_width(page)  # the page does not scroll: the table does, inside its frame
    wrap = page.locator(".table-wrap").filter(has=page.locator("table.matrix"))
    hidden = wrap.evaluate("element => element.scrollWidth - element.clientWidth")
    assert hidden > 100  # the last columns are out of sight…
    hint = page.get_by_text("Deslice la tabla hacia los lados para ver todas las actividades.")
    assert hint.is_visible()  # …and the page says so
    # The frame draws a shadow at the edge where columns are hidden: on the right at first, on the left at the end.
    assert wrap.evaluate("element => element.classList.contains('scrolls-right')")
    assert not wrap.evaluate("element => element.classList.contains('scrolls-left')")
    page.screenshot(path=str(artifacts / "attendance-matrix-360.png"), full_page=True)
    wrap.evaluate("element => { element.scrollLeft = element.scrollWidth; }")
    expect(wrap).to_have_class(re.compile(r"\bscrolls-left\b"))
    expect(wrap).not_to_have_class(re.compile(r"\bscrolls-right\b"))
    # On a desk the table fits: no hint, no shadow.
    page.set_viewport_size({"width": 1280, "height": 900})
    expect(wrap).not_to_have_class(re.compile(r"scrolls-"))
    expect(hint).to_be_hidden()


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_every_participant_page_fits_a_phone_in_each_language(contexts, app, four_languages, language, artifacts):
    """French and Portuguese run longer than English: each page a participant sees fits 360 px in each language."""
    page = contexts(PHONE)
    link = path_of(participant_link(app, four_languages["people"][language]))
    page.goto(link)
    assert fits_the_width(page), f"link landing ({language})"
    page.locator("button.primary.wide").click()
    page.wait_for_url("**/me")
    for path in ("/me", "/me/tests/pre"):
        page.goto(path)
        name = path.strip("/").replace("/", "-")
        page.screenshot(path=str(artifacts / f"participant-{name}-{language}-360.png"), full_page=True)
        assert page.locator("html").get_attribute("lang") == language
        assert fits_the_width(page), f"{path} ({language}): {page.evaluate('document.documentElement.scrollWidth')}"
    page.locator("form[action$='/start'] button").click()
    page.wait_for_selector("form.test-form, form[data-autosave], fieldset")
    for path in ("/me/tests/pre", "/me/tests/pre/review"):
        page.goto(path)
        assert fits_the_width(page), f"{path} ({language}): {page.evaluate('document.documentElement.scrollWidth')}"


STAFF_PAGES = ("/programs", "/programs/{program}", "/programs/{program}/participants", "/programs/{program}/activities",
               "/activities/{activity}", "/programs/{program}/attendance", "/programs/{program}/messages",
               "/programs/{program}/tests", "/programs/{program}/certificates", "/audit", "/users")


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_the_secretariats_pages_fit_a_phone_in_each_language(page, app, world, language, artifacts):
    """The pages the secretariat uses most, at 360 px in each interface language (French and Portuguese run
    longest): none scrolls sideways as a whole (a wide table scrolls inside its frame)."""
    page.set_viewport_size(PHONE)
    sign_in(page, world["emails"]["admin"])
    page.goto("/programs")
    page.locator(f"form.language-switch button[value={language}]").click()
    page.wait_for_load_state("load")
    wide = {}
    for path in STAFF_PAGES:
        page.goto(path.format(program=world["ids"]["program"], activity=world["ids"]["activity"]))
        assert page.locator("html").get_attribute("lang") == language
        if not fits_the_width(page):
            wide[path] = page.evaluate("document.documentElement.scrollWidth")
            page.screenshot(path=str(artifacts / f"wide-{language}-{path.strip('/').replace('/', '-')}.png"),
                            full_page=True)
    assert wide == {}
