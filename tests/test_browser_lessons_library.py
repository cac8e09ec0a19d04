"""In Chromium: the secretariat finds a lesson in the library on a phone with the keyboard, downloads its PDF (looked at
through pdftoppm) and shares it; a visitor with no account reads it on the public page. Screenshots at 360 and 1280."""
import subprocess

import pytest
from playwright.sync_api import expect

from tests.conftest import PHONE, photograph, sign_in
from tests.helpers import add_lesson

pytestmark = pytest.mark.browser

SEED = {  # seed 004's record, field by field
    "area": {"es": "Inclusión económica y social"},
    "finding": {"es": "Las redes de apoyo entre los y las participantes de los procesos de capacitación crean "
                      "entornos de apoyo mutuo para solventar problemas en el mediano plazo."},
    "description": {"es": "Las redes de apoyo entre los y las beneficiarias de las capacitaciones de habilidades "
                          "técnicas y blandas contribuyen a crear vínculos de colaboración y brinda soluciones "
                          "compartidas en el mediano plazo."},
    "context": {"es": "Los Socios Implementadores brindaron capacitaciones en habilidades técnicas y blandas."},
    "goals": {"es": "Meta: Los migrantes, refugiados y las comunidades de acogida están facultados para promover "
                    "la inclusión social."},
    "beneficiaries": {"es": "Población venezolana en condición de movilidad humana beneficiaria de procesos de "
                            "capacitación."},
    "successes": {"es": "Las redes de apoyo se consideran muy significativas por parte de la población."},
    "challenges": {"es": "La creación de redes de apoyo debe considerar la posibilidad de contactabilidad."},
    "learned": {"es": "LA2_ISE: Se fomenta la creación de redes de apoyo y equipos de trabajo."},
    "territory": {"es": "Quito, Manta, Tulcán, Cuenca, Guayaquil, Machala e Ibarra."},
    "actors": {"es": "OIM, Socios Implementadores que ejecutan actividades de formación."},
    "added_value": {"es": "El fomento de redes de apoyo dentro de los procesos de capacitación."},
    "effectiveness": {"es": "La efectividad de las redes de apoyo es más evidente en el corto plazo."},
    "important": {"es": "Es importante en la medida en la que aporta a la construcción de soluciones compartidas."},
    "useful": {"es": "Es útil en la medida en la que las redes de apoyo se sostienen en el tiempo."},
    "equitable": {"es": "No es posible identificar si la lección es equitativa o no."},
    "economic": {"es": "La creación de las redes de apoyo no tiene un impacto económico en el proyecto."},
    "keywords": {"es": "Red de apoyo, Habilidades técnicas, Habilidades prácticas."},
}


def test_a_lesson_is_found_downloaded_shared_and_read_in_public(app, world, page, browser, live_server, artifacts,
                                                                tmp_path):
    with app.app_context():
        add_lesson("TEST-2026", "LA2_ISE", sdgs=[4, 8], gcm_principles=["a", "j"], gcm_objectives=[7, 16, 18, 19],
                   countries=["MX"], **SEED)
        add_lesson("TEST-2026", "LN1_GOB", kind="negative", area={"es": "Gobernanza"}, sdgs=[16],
                   finding={"es": "La coordinación interinstitucional llegó tarde."}, gcm_objectives=[23])
    page.set_viewport_size(PHONE)
    sign_in(page, world["emails"]["admin"])
    page.get_by_role("link", name="Lecciones", exact=True).click()
    expect(page.get_by_role("heading", name="Lecciones aprendidas")).to_be_visible()
    expect(page.locator("#lesson-count")).to_have_text("3 lecciones encontradas")  # and the world's LA1_PRUEBA

    # The keyboard alone: words, a Global Compact objective, Enter.
    page.get_by_label("Palabras").focus()
    page.keyboard.type("REDES economica")
    page.keyboard.press("Tab")  # the area
    page.keyboard.press("Tab")  # the type
    page.keyboard.press("Tab")  # the goal
    page.keyboard.press("Tab")
    expect(page.get_by_label("Objetivo del Pacto Mundial")).to_be_focused()
    page.get_by_label("Objetivo del Pacto Mundial").select_option("7")
    page.get_by_label("Palabras").press("Enter")
    expect(page.locator("#lesson-count")).to_have_text("1 lección encontrada")
    expect(page.locator(".lesson-card h2 a")).to_have_text(["LA2_ISE"])
    photograph(page, artifacts, "lessons-library")

    with page.expect_download() as download:
        page.get_by_role("link", name="PDF LA2_ISE").click()
    pdf = tmp_path / "lesson.pdf"
    download.value.save_as(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(artifacts / "lesson-pdf")], check=True)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True).stdout.decode()
    assert "ÁREA A LA QUE CORRESPONDE" in text and "Objetivo 19:" in text and "☒ Lección positiva" in text

    page.get_by_role("button", name="Compartir en la página pública LA2_ISE").click()
    expect(page.locator(".flash").first).to_contain_text("está en la página pública")
    expect(page.locator("#lesson-count")).to_have_text("1 lección encontrada")  # back to the same search

    visitor = browser.new_context(base_url=live_server, locale="es-MX", viewport=PHONE).new_page()
    visitor.goto("/lessons/shared")
    expect(visitor.locator(".lesson-card h2 a")).to_have_text(["LA2_ISE"])
    photograph(visitor, artifacts, "lessons-shared")
    visitor.get_by_role("link", name="Leer la lección LA2_ISE").click()
    expect(visitor.get_by_role("heading", name="LA2_ISE")).to_be_visible()
    expect(visitor.get_by_role("heading", name="Relación con ODS")).to_be_visible()
    expect(visitor.locator(".lesson-text").first).to_contain_text("Las redes de apoyo")
    photograph(visitor, artifacts, "lesson-shared")
    visitor.context.close()
