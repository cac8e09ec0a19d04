"""In Chromium: the secretariat reads the portfolio of the demo's two programs, narrows it to a year and a country,
and makes a feed token; a focal point sees their country only. Screenshots at 360 and 1280 px."""
import pytest
from playwright.sync_api import expect

from tests.conftest import DEMO_PASSWORD, DESK, PHONE, photograph, sign_in
from tests.helpers import load_demo

pytestmark = pytest.mark.browser


def test_the_secretariat_reads_the_portfolio_and_makes_a_token(app, page, artifacts):
    load_demo(app)
    page.set_viewport_size(PHONE)  # plotly sizes the chart to the page it is drawn in: a phone's first
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, "admin@capacita.example", DEMO_PASSWORD)
    page.get_by_role("link", name="Cartera").click()
    expect(page.get_by_role("heading", name="Cartera", exact=True)).to_be_visible()
    programs = page.locator("h3:has-text('Por programa') + .table-wrap tbody th[scope=row]")
    expect(programs).to_have_text(["CRM-CE-2021", "CRM-CE-2022"])
    expect(page.locator("#figure-forest .js-plotly-plot")).to_have_count(1)  # plotly.js, served by the app
    photograph(page, artifacts, "portfolio-admin", widths=(360,))
    page.set_viewport_size(DESK)  # drawn again at a desk's width (plotly sizes the chart once, when drawn)
    page.reload()
    expect(page.locator("#figure-forest .js-plotly-plot")).to_have_count(1)
    photograph(page, artifacts, "portfolio-admin", widths=(1280,))
    page.set_viewport_size(PHONE)

    page.locator("#country").select_option("MX")
    page.get_by_role("button", name="Mostrar").click()
    expect(page.locator("h3:has-text('Por país') + .table-wrap tbody th[scope=row]")).to_have_text(["México"])

    page.get_by_label("Para qué es").fill("Power BI, unidad de monitoreo")
    page.get_by_role("button", name="Crear un token").click()
    token = page.locator("#new-token-title + p + p code.token").inner_text()
    assert len(token) >= 40
    response = page.request.get(f"/feed/programs.json?token={token}")
    assert response.status == 200 and [row["program"] for row in response.json()] == ["CRM-CE-2021", "CRM-CE-2022"]
    photograph(page, artifacts, "portfolio-token")
    assert errors == []


def test_a_focal_point_reads_their_country_only(app, page, artifacts):
    load_demo(app)
    page.set_viewport_size(PHONE)
    sign_in(page, "punto.focal.gt@capacita.example", DEMO_PASSWORD)
    page.goto("/portfolio")
    expect(page.locator("h3:has-text('Por país') + .table-wrap tbody th[scope=row]")).to_have_text(["Guatemala"])
    expect(page.locator("#figure-forest .js-plotly-plot")).to_have_count(1)
    photograph(page, artifacts, "portfolio-focal-gt", widths=(360,))
