"""A lesson learned recorded on a phone (360 px) with the keyboard alone: the form and the record fit the width."""
import re

from sqlalchemy import select

from assessments.models_lessons import Lesson
from extensions import db
from tests.conftest import PHONE, fits_the_width, sign_in


def test_a_lesson_is_recorded_on_a_phone_with_the_keyboard(page, app, world, artifacts):
    page.set_viewport_size(PHONE)
    sign_in(page, world["emails"]["organizer"])
    page.goto(f"/programs/{world['ids']['program']}/lessons/new")
    assert fits_the_width(page), page.evaluate("document.documentElement.scrollWidth")
    page.get_by_label("Código").focus()
    page.keyboard.type("LA2_ISE")
    page.keyboard.press("Tab")  # on to the finding in Spanish (the area comes before the code)
    page.keyboard.type("Las redes de apoyo crean entornos de apoyo mutuo.")
    page.get_by_label("5. Igualdad de género").focus()
    page.keyboard.press("Space")
    page.get_by_label("j) Enfoque pansocial").focus()
    page.keyboard.press("Space")
    page.get_by_label("Lección positiva").focus()
    page.keyboard.press("ArrowDown")  # radio buttons: the arrow moves the choice to "negative"
    page.screenshot(path=str(artifacts / "lesson-form-360.png"), full_page=True)
    page.get_by_role("button", name="Guardar la lección").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/lessons/\d+$"))
    assert fits_the_width(page)
    page.screenshot(path=str(artifacts / "lesson-record-360.png"), full_page=True)
    assert page.get_by_text("j) Enfoque pansocial").is_visible()
    with app.app_context():
        lesson = db.session.scalar(select(Lesson).where(Lesson.code == "LA2_ISE"))
        assert (lesson.kind, lesson.sdgs, lesson.gcm_principles) == ("negative", [5], ["j"])
        assert lesson.finding["es"] == "Las redes de apoyo crean entornos de apoyo mutuo."
