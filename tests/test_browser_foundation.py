"""First journeys in Chromium: the secretariat sees every delegation, a focal point only their own."""
import pytest

from tests.conftest import DEMO_PASSWORD, fits_the_width, sign_in

pytestmark = pytest.mark.browser



@pytest.fixture
def demo(app):
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output






def test_admin_opens_the_demo_program_dashboard(page, demo, artifacts):
    sign_in(page, "admin@capacita.example", DEMO_PASSWORD)
    page.get_by_role("link", name="Programa de capacitación para la sensibilización").click()
    table = page.locator("table.data")
    for country in ("Belice", "Canadá", "México", "República Dominicana", "Nicaragua"):
        assert table.get_by_role("rowheader", name=country, exact=True).is_visible()
    nicaragua = table.locator("tr", has=page.get_by_role("rowheader", name="Nicaragua", exact=True))
    assert "7 / 10" in nicaragua.inner_text() and "3 lugares por llenar" in nicaragua.inner_text()
    assert "RROCM" in table.inner_text()
    page.screenshot(path=str(artifacts / "dashboard-admin-1280.png"), full_page=True)

    page.set_viewport_size({"width": 360, "height": 740})
    assert fits_the_width(page)
    page.screenshot(path=str(artifacts / "dashboard-admin-360.png"), full_page=True)

    page.get_by_role("button", name="English").click()
    assert page.get_by_role("heading", name="Training program for the awareness").is_visible()
    assert page.locator("table.data").get_by_role("rowheader", name="Dominican Republic").is_visible()


def test_focal_point_sees_only_their_country(page, demo, artifacts):
    page.set_viewport_size({"width": 360, "height": 740})
    sign_in(page, "punto.focal.mx@capacita.example", DEMO_PASSWORD)
    page.get_by_role("link", name="Programa de capacitación para la sensibilización").click()
    rows = page.locator("table.data tbody th[scope=row]")
    assert rows.all_inner_texts() == ["México"]
    page.get_by_role("link", name="Participantes", exact=True).first.click()
    listing = page.locator("table.participants").inner_text()
    assert "@example.org" in listing and ".mx@" in listing and ".gt@" not in listing
    assert fits_the_width(page)
    page.screenshot(path=str(artifacts / "participants-focal-mx-360.png"), full_page=True)


def test_keyboard_user_can_log_in_and_skip_to_content(page, demo):
    page.goto("/login")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Saltar al contenido"
    page.get_by_label("Correo electrónico").focus()
    page.keyboard.type("admin@capacita.example")
    page.keyboard.press("Tab")
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/programs")


def test_form_errors_are_announced_and_linked(page, demo, artifacts):
    sign_in(page, "admin@capacita.example", DEMO_PASSWORD)
    page.goto("/programs/new")
    page.get_by_label("Código").fill("mal código")
    page.get_by_role("button", name="Guardar programa").click()
    summary = page.locator("#error-summary")
    assert summary.is_visible()
    # app.js moves the focus once it has run (deferred): wait for it rather than race it; fails if it never does.
    page.wait_for_function("document.activeElement && document.activeElement.id === 'error-summary'")
    assert page.locator("#code-error").inner_text() == "Use solo letras, dígitos, guiones y guiones bajos."
    page.set_viewport_size({"width": 360, "height": 740})
    page.screenshot(path=str(artifacts / "program-form-errors-360.png"), full_page=True)
