"""In Chromium: an organizer opens the demo's impact report, narrows it to one country and downloads a chart (the
server's file made by the worker while the page follows it)."""
import re

import pytest
from playwright.sync_api import expect

from assessments.impact.chart_images import images_available
from task_queue import run_queued
from tests.helpers import demo_pairs, load_demo

pytestmark = pytest.mark.browser


def test_the_organizer_reads_the_report_filters_it_and_downloads_a_chart(app, browser, live_server, artifacts):
    program_id = load_demo(app)
    context = browser.new_context(base_url=live_server, locale="es-MX", accept_downloads=True,
                                  viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto("/login")
    page.locator("#email").fill("organizadora@capacita.example")
    page.locator("#password").fill("capacita-demo")
    page.locator("#password").press("Enter")
    page.goto(f"/programs/{program_id}/impact")
    expect(page.locator(".lead").first).to_contain_text(f"Entre las {demo_pairs(app)} personas participantes")
    # Every chart is drawn by plotly.js, served by the app itself.
    expect(page.locator("figure.chart .js-plotly-plot")).to_have_count(13)
    page.screenshot(path=str(artifacts / "impact-report.png"), full_page=False)

    page.locator("#country").select_option("GT")
    page.get_by_role("button", name="Mostrar").click()
    expect(page).to_have_url(f"{live_server}/programs/{program_id}/impact?country=GT&gender=&profile=")
    expect(page.locator(".lead").first).to_contain_text(f"Entre las {demo_pairs(app, 'GT')} personas participantes")
    expect(page.locator("figure.chart .js-plotly-plot")).to_have_count(13)

    # plotly's own camera button draws a PNG in the browser, whatever the server can do.
    chart = page.locator("figure.chart").nth(1)
    chart.hover()
    with page.expect_download() as camera:
        chart.locator('.modebar-btn[data-title="Download plot as a PNG"]').click()
    assert camera.value.suggested_filename == "CRM-CE-2021-slopes.png"
    if images_available():  # and the server's own file, with the same filter, made by the worker
        chart.get_by_role("button", name="PNG", exact=True).click()
        box = chart.locator(".notice.job")
        expect(box).to_contain_text("En espera de empezar")
        assert run_queued(app) == 1
        # The page follows the job by itself and shows the file's link when it is ready.
        expect(box).to_contain_text("El archivo está listo.")
        with page.expect_download() as server_file:
            box.get_by_role("link", name="Descargar").click()
        assert server_file.value.suggested_filename == "CRM-CE-2021-slopes.png"
        with open(server_file.value.path(), "rb") as png:
            assert png.read(8) == b"\x89PNG\r\n\x1a\n"
        # Reloaded, the page links the file itself.
        page.reload()
        expect(page.locator("figure.chart").nth(1).get_by_role("link", name="PNG", exact=True)).to_have_count(1)
    assert errors == []
    context.close()


def test_the_organizer_and_a_focal_point_read_the_summary_first(app, browser, live_server, artifacts):
    program_id = load_demo(app)
    for email, country, population in (("organizadora@capacita.example", None, "de 11 países"),
                                       ("punto.focal.mx@capacita.example", "MX", "de México")):
        context = browser.new_context(base_url=live_server, locale="es-MX", viewport={"width": 360, "height": 800})
        page = context.new_page()
        page.set_default_timeout(20_000)
        page.goto("/login")
        page.locator("#email").fill(email)
        page.locator("#password").fill("capacita-demo")
        page.locator("#password").press("Enter")
        page.goto(f"/programs/{program_id}/impact")
        summary = page.locator("#summary")
        # The first section a reader meets, with one finding per dimension the demo's questionnaires measure.
        expect(page.locator("main section").first).to_have_id("summary")
        expect(summary.locator(".finding h3")).to_have_text(
            [re.compile(text) for text in ("^Quiénes participaron", "^Conocimientos", "^Expectativas cumplidas",
                                           "^Satisfacción", "^Uso previsto en el trabajo",
                                           "^Uso declarado en el trabajo")])  # the demo's follow-up has answers
        expect(summary.locator("#finding-participation")).to_contain_text(population)
        expect(summary.locator("#finding-knowledge")).to_contain_text(
            f"Entre las {demo_pairs(app, country)} personas que respondieron ambas evaluaciones")
        expect(summary.locator(".finding-chart.js-plotly-plot")).to_have_count(6)
        # Nothing wider than a phone's screen.
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        summary.screenshot(path=str(artifacts / f"impact-summary-{country or 'all'}.png"))
        context.close()
