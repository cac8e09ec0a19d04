"""In Chromium: the secretariat walks an import preview to a clean import; a counselor opens their personal link."""
import pytest

from tests.conftest import DEMO_PASSWORD, sign_in
from tests.upload_files import csv_bytes

pytestmark = pytest.mark.browser

HEADER = ["Nombre(s)", "Apellido(s)", "Cargo/Puesto", "Institución", "Correo electrónico", "País", "Sexo"]


@pytest.fixture
def demo(app):
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0




def test_import_preview_names_bad_rows_then_imports_the_corrected_file(page, demo, tmp_path, artifacts):
    bad = tmp_path / "nicaragua.csv"
    bad.write_bytes(csv_bytes([HEADER, ["Ana María", "Ñurinda López", "Consejera", "MITRAB", "ana@mitrab.gob.ni",
                                        "Nicaragua", "F"],
                               ["Pedro", "Ocón", "Inspector", "MITRAB", "pedro@", "Nicaragua", "M"]]))
    good = tmp_path / "nicaragua-corregida.csv"
    good.write_bytes(csv_bytes([HEADER, ["Ana María", "Ñurinda López", "Consejera", "MITRAB", "ana@mitrab.gob.ni",
                                         "Nicaragua", "F"],
                                ["Pedro", "Ocón", "Inspector", "MITRAB", "pedro@mitrab.gob.ni", "Nicaragua", "M"]]))
    page.set_viewport_size({"width": 360, "height": 740})
    sign_in(page, "admin@capacita.example", DEMO_PASSWORD)
    page.get_by_role("link", name="Programa de capacitación para la sensibilización").click()
    page.get_by_role("link", name="Importar una lista").click()
    page.get_by_label("Lista de participantes (CSV o XLSX)").set_input_files(str(bad))
    page.get_by_role("button", name="Revisar el archivo").click()
    assert page.get_by_text("1 fila debe corregirse. No se importó nada.").is_visible()
    assert page.get_by_text("“pedro@” no es un correo electrónico válido.").is_visible()
    assert page.get_by_role("button", name="Registrar").count() == 0
    page.screenshot(path=str(artifacts / "import-preview-errors-360.png"), full_page=True)

    page.get_by_role("link", name="Subir el archivo corregido").click()
    page.get_by_label("Lista de participantes (CSV o XLSX)").set_input_files(str(good))
    page.get_by_role("button", name="Revisar el archivo").click()
    page.get_by_role("button", name="Registrar 2 participantes nuevos").click()
    assert page.get_by_text("2 nuevas").is_visible()
    page.get_by_label("Buscar").fill("ñurinda")
    page.get_by_role("button", name="Filtrar").click()
    assert page.locator("table.participants").get_by_text("Ñurinda López, Ana María").is_visible()


def test_a_counselor_opens_their_personal_link_on_a_phone(page, app, demo, artifacts):
    from sqlalchemy import select

    from extensions import db
    from training.models import Delegation, Participant

    with app.app_context():
        email = db.session.scalar(select(Participant.email).join(Delegation)
                                  .where(Delegation.country_code == "BZ").order_by(Participant.id).limit(1))
    result = app.test_cli_runner().invoke(args=["participant-link", email, "--program", "CRM-CE-2021"])
    token_path = "/" + result.output.strip().split("/", 3)[3]
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(token_path)
    # An English-speaking counselor from Belize gets English, whatever the phone's language.
    continue_button = page.get_by_role("button", name="Continue as")
    assert continue_button.is_visible()
    page.screenshot(path=str(artifacts / "personal-link-continue-360.png"), full_page=True)
    continue_button.click()
    page.wait_for_url("**/me")
    assert "/p/" not in page.url
    assert page.get_by_text("You take part in the delegation of Belize.").is_visible()
    page.get_by_role("button", name="Español").click()
    assert page.get_by_text("Participa en la delegación de Belice.").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(artifacts / "participant-page-360.png"), full_page=True)
