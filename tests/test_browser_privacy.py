"""In Chromium: the secretariat reads the demo's audit log, narrows it, opens a participant's personal data, downloads
it and erases it with the keyboard alone. Every page fits a 360 px phone and is photographed into test-artifacts/
at 360 and 1280 px."""
import io
import json
import zipfile

import pytest
from sqlalchemy import select

from certificates.models import Certificate
from extensions import db
from tests.conftest import DEMO_PASSWORD, DESK, fits_the_width, photograph, sign_in
from tests.helpers import load_demo
from training.models import Participant

pytestmark = pytest.mark.browser
ADMIN = "admin@capacita.example"


def test_audit_log_and_personal_data_by_keyboard_on_a_phone_and_a_desk(app, contexts, artifacts):
    load_demo(app)
    with app.app_context():
        holder = db.session.scalar(select(Certificate).join(Certificate.program)
                                   .where(Certificate.revoked_at.is_(None)).order_by(Certificate.id))
        person = db.session.get(Participant, holder.participant_id)
        person_id, given, email, code = person.id, person.given_names, person.email, holder.code
    page = contexts(DESK)
    sign_in(page, ADMIN, DEMO_PASSWORD)
    page.locator('nav.main-nav a[href="/audit"]').focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/audit")
    assert page.locator("table.audit tbody tr").count() == 50 and page.locator("nav.pager").is_visible()
    photograph(page, artifacts, "audit-log")
    # Narrow it with the keyboard: the certificates issued in the demo program.
    page.locator("#action").select_option("certificate.issued")
    page.locator("form.filters button[type=submit]").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**action=certificate.issued**")
    rows = page.locator("table.audit tbody tr")
    assert rows.count() == 50
    assert all(link.startswith("/certificates/") for link in rows.locator("a").evaluate_all(
        "links => links.map(link => link.getAttribute('href'))"))
    with page.expect_download() as download:
        page.locator('a[href^="/audit/export.csv"]').first.click()
    assert "certificate.issued" in download.value.path().read_text(encoding="utf-8-sig")

    page.goto(f"/participants/{person_id}/edit")
    page.locator(f'a[href="/participants/{person_id}/personal-data"]').focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/participants/{person_id}/personal-data")
    assert email in page.content()
    photograph(page, artifacts, "personal-data")
    with page.expect_download() as download:
        page.locator('form[action$="personal-data.zip"] button').focus()
        page.keyboard.press("Enter")
    data = json.loads(zipfile.ZipFile(io.BytesIO(download.value.path().read_bytes())).read("personal-data.json"))
    assert data["participant"]["email"] == email and data["certificates"][0]["code"] == code

    # Erase: reason typed, confirmation ticked with the space bar, the button pressed, the browser's question accepted.
    page.locator("#reason").focus()
    page.keyboard.type("Solicitud por correo")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    assert page.locator("#confirm").is_checked()
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("form[action$='/erase'] button[type=submit]").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("p.notice")
    html = page.content()
    assert email not in html and given not in html and "Solicitud por correo" in html
    photograph(page, artifacts, "personal-data-erased")

    phone = contexts({"width": 360, "height": 740})
    phone.goto(f"/verify/{code}")
    assert fits_the_width(phone) and given not in phone.content() and phone.locator(".verdict-revoked").is_visible()
