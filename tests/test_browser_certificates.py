"""In Chromium: certificates, from the organizer's screen to a counselor's phone and the public check of the QR code.

The organizer reads who qualifies in the demo (counts, what is missing, the flagged conflict) and, in a small program,
issues to everyone eligible, downloads the ZIP and revokes one. Counselors open their personal link on a phone:
one downloads the PDF, one sees what is still missing. Anyone opens the address printed on the PDF (and encoded in
its QR code) on a phone, in Spanish and English; a revoked certificate says so; a tampered code is a plain 404.
Every page is checked for sideways scrolling at 360 px and photographed into test-artifacts/ (staff and public pages
at 360 and 1280 px, the participant's page at 360 px)."""
import io
import re
import shutil
import subprocess
import zipfile
from urllib.parse import urlsplit

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import expect
from pypdf import PdfReader
from sqlalchemy import select

from certificates.models import Certificate
from extensions import db
from task_queue import run_queued
from tests.conftest import DEMO_PASSWORD, DESK, PASSWORD, PHONE, fits_the_width, photograph, sign_in
from tests.helpers import DEMO, load_demo, path_of
from training.models import Activity, Attendance, Participant

pytestmark = pytest.mark.browser

ORGANIZER = "organizadora@capacita.example"


@pytest.fixture
def demo(app):
    """The demo program's id: ~113 participants, certificates issued, one revoked and reissued, one conflict."""
    return load_demo(app)


def participant_link(app, participant_id, program_code):
    with app.app_context():
        email = db.session.get(Participant, participant_id).email
    result = app.test_cli_runner().invoke(args=["participant-link", email, "--program", program_code])
    assert result.exit_code == 0, result.output
    return path_of(result.output.strip())


def printed_address(pdf):
    """The verification address printed under the QR code (the PDF breaks it over two lines)."""
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    match = re.search(r"(https?://\S+/verify/)\s*([A-Za-z0-9_-]{16,64})", text)
    assert match, f"no verification address in the PDF's text: {text!r}"
    return match.group(1) + match.group(2)


def qr_address(pdf, folder):
    """What the QR code on the PDF says: drawn at 150 dpi by pdftoppm, read by zxing-cpp."""
    (folder / "certificate.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile", str(folder / "certificate.pdf"),
                    str(folder / "certificate")], check=True, timeout=60)
    found = zxingcpp.read_barcode(Image.open(folder / "certificate.png"), formats=zxingcpp.BarcodeFormat.QRCode)
    assert found is not None, "no QR code on the rendered certificate"
    return found.text


def on_live_server(address, live_server):
    """The PDF's address points at PUBLIC_URL (http://127.0.0.1:5000): the same path on the test server."""
    parts = urlsplit(address)
    assert parts.path.startswith("/verify/")
    return live_server + parts.path


def downloaded(download):
    with open(download.path(), "rb") as file:
        return file.read()


def expect_fact(page, term, value):
    """A <dt>term</dt><dd>value</dd> pair of the verification page."""
    expect(page.locator("dl.facts dt", has_text=term).locator("xpath=following-sibling::dd[1]")).to_have_text(value)


# --- the demo: its screen, its holders, its verification pages ------------------------------------------------


def test_the_demo_screen_says_who_qualifies_and_its_holders_download_and_verify_on_phones(
        app, demo, contexts, live_server, artifacts):
    # What the screen should say, from the database's rows (the demo issued to everyone eligible: nobody waits).
    with app.app_context():
        people = db.session.scalars(select(Participant).where(Participant.program_id == demo)).all()
        valid = db.session.scalars(select(Certificate).where(Certificate.program_id == demo,
                                                             Certificate.revoked_at.is_(None))).all()
        holders = {certificate.participant_id for certificate in valid}
        absences = db.session.execute(select(Attendance.participant_id, Activity.code).join(Activity).where(
            Activity.program_id == demo, Attendance.status == "absent")).all()
        flagged = [db.session.get(Participant, pid) for pid, code in absences if code == "S2" and pid in holders]
        flagged_names = [(person.family_names, person.given_names) for person in flagged]
        holder = min((c for c in valid if c.participant.language == "es" and c.participant_id not in
                      {person.id for person in flagged}), key=lambda c: c.serial_number)
        holder_facts = (holder.participant_id, holder.serial, holder.facts["name"],
                        holder.participant.given_names.split()[0])
        revoked = db.session.scalar(select(Certificate).where(Certificate.program_id == demo,
                                                              Certificate.revoked_at.is_not(None)))
        revoked_id, revoked_code, revoked_name = revoked.id, revoked.code, revoked.facts["name"]
        absent_id, absent_from = next((pid, code) for pid, code in sorted(absences) if pid not in holders
                                      and db.session.get(Participant, pid).language == "es")
        missing_facts = (absent_id, db.session.get(Participant, absent_id).given_names.split()[0], absent_from)
    issued, not_yet = len(valid), len(people) - len(holders)
    assert len(flagged_names) == 1  # the demo's one conflict

    # --- The organizer, on a laptop: counts, then who is not there yet and why. --------------------------------
    page = contexts(DESK)
    sign_in(page, ORGANIZER, DEMO_PASSWORD)
    page.goto(f"/programs/{demo}/certificates")
    counts = page.locator("p.stats")
    expect(counts).to_contain_text(f"Emitido: {issued}")
    expect(counts).to_contain_text(f"Aún no: {not_yet}")
    expect(counts).to_contain_text("Cumple los requisitos: 0")
    expect(counts).to_contain_text("Emitido, ya no cumple las reglas: 1")
    expect(page.locator("table.data tbody tr")).to_have_count(len(people))
    # Nobody is waiting: the button to issue to everyone eligible is there, but disabled.
    expect(page.get_by_role("button", name="Emitir a todas las personas que cumplen")).to_be_disabled()
    photograph(page, artifacts, "certificates-eligibility", full_page=False)  # 113 rows: the top is enough

    page.get_by_label("Estado").select_option("not_yet")
    page.get_by_role("button", name="Filtrar").click()
    page.wait_for_url("**status=not_yet*")
    table = page.locator("table.data tbody tr")
    expect(table).to_have_count(not_yet)
    expect(page.locator("ul.missing li", has_text=re.compile(r"^Ausente en S\d · "))).not_to_have_count(0)
    expect(page.locator("ul.missing li", has_text="Evaluación posterior no enviada")).not_to_have_count(0)
    expect(table.locator(".badge-cert-not_yet")).to_have_count(not_yet)
    photograph(page, artifacts, "certificates-eligibility-not-yet", full_page=False)

    page.locator("p.stats").get_by_role("link", name="Emitido, ya no cumple las reglas: 1").click()
    page.wait_for_url("**status=conflict*")
    expect(table).to_have_count(1)
    expect(table).to_have_class("conflict")
    expect(table.get_by_role("rowheader")).to_have_text("{}, {}".format(*flagged_names[0]))
    expect(table).to_contain_text("Ya no cumple las reglas")
    expect(table).to_contain_text("Ausente en S2 · ")
    photograph(page, artifacts, "certificates-eligibility-conflict")

    # The revoked certificate's own page: why, when, and what replaced it.
    page.goto(f"/certificates/{revoked_id}")
    expect(page.locator(".flash-error")).to_contain_text("Apellido mal escrito")
    expect(page.get_by_role("link", name="Descargar el PDF")).to_have_count(0)
    photograph(page, artifacts, "certificates-certificate-revoked")
    page.get_by_role("heading", name="Otros certificados de esta persona").wait_for()
    page.locator(".card", has_text="Otros certificados").get_by_role("link").click()
    expect(page.locator(".certificate-detail .flash-success")).to_have_text("Válido.")
    photograph(page, artifacts, "certificates-certificate")

    page.goto(f"/programs/{demo}/certificates/settings")
    expect(page.get_by_role("heading", name="Reglas y diseño del certificado")).to_be_visible()
    photograph(page, artifacts, "certificates-settings")

    # --- A counselor who qualified, on a phone, in Spanish: the card, then the PDF. ----------------------------
    participant_id, serial, name, given = holder_facts
    phone = contexts(PHONE)
    phone.goto(participant_link(app, participant_id, DEMO))
    phone.get_by_role("button", name=f"Continuar como {given}").tap()
    phone.wait_for_url("**/me")
    card = phone.locator(".my-certificate")
    expect(card.get_by_role("heading", name="Certificado")).to_be_visible()
    expect(card).to_contain_text("Su certificado está listo.")
    expect(card).to_contain_text(serial)
    assert fits_the_width(phone)
    phone.screenshot(path=str(artifacts / "certificates-me-holder-360.png"), full_page=True)
    card.screenshot(path=str(artifacts / "certificates-me-holder-card-360.png"))
    with phone.expect_download() as pdf_download:
        card.get_by_role("link", name="Descargar mi certificado (PDF)").tap()
    assert pdf_download.value.suggested_filename == f"{serial}.pdf"
    pdf = downloaded(pdf_download.value)
    assert pdf.startswith(b"%PDF-")

    # --- Anyone holding it opens the address printed under the QR code, on a phone. ----------------------------
    address = printed_address(pdf)
    assert address.startswith(app.config["PUBLIC_URL"].rstrip("/") + "/verify/")
    checker = contexts(PHONE)
    response = checker.goto(on_live_server(address, live_server))
    assert response.status == 200
    expect(checker.locator(".verdict-valid")).to_contain_text("Certificado válido")
    expect_fact(checker, "Se otorga a", name)
    expect_fact(checker, "Programa", re.compile("^Programa de capacitación para la sensibilización"))
    expect_fact(checker, "Horas", "20 horas")
    expect_fact(checker, "Número de serie", serial)
    photograph(checker, artifacts, "certificates-verify-valid")
    checker.get_by_role("button", name="English").tap()
    expect(checker.locator("html")).to_have_attribute("lang", "en")
    expect(checker.locator(".verdict-valid")).to_contain_text("Valid certificate")
    expect_fact(checker, "Program", re.compile("^Training program for the awareness"))
    expect_fact(checker, "Hours", "20 hours")
    assert fits_the_width(checker)
    checker.screenshot(path=str(artifacts / "certificates-verify-valid-en-360.png"), full_page=True)
    checker.get_by_role("button", name="Español").tap()
    expect(checker.locator("html")).to_have_attribute("lang", "es")

    # The revoked one says so; a code with one character changed is the same plain "not found" as any other.
    response = checker.goto(f"/verify/{revoked_code}")
    assert response.status == 200
    expect(checker.locator(".verdict-revoked")).to_contain_text("Certificado revocado")
    expect_fact(checker, "Se otorga a", revoked_name)
    photograph(checker, artifacts, "certificates-verify-revoked")
    code = address.rsplit("/", 1)[1]
    tampered = code[:-1] + ("A" if code[-1] != "A" else "B")
    response = checker.goto(f"/verify/{tampered}")
    assert response.status == 404
    expect(checker.locator(".flash-error")).to_have_text("Ningún certificado corresponde a este código.")
    expect(checker.get_by_text(name)).to_have_count(0)
    photograph(checker, artifacts, "certificates-verify-not-found")

    # --- A counselor who does not qualify yet sees what is missing, and no download. ---------------------------
    participant_id, given, absent_from = missing_facts
    other = contexts(PHONE)
    other.goto(participant_link(app, participant_id, DEMO))
    other.get_by_role("button", name=f"Continuar como {given}").tap()
    other.wait_for_url("**/me")
    card = other.locator(".my-certificate")
    expect(card).to_contain_text("Para recibir el certificado todavía le falta:")
    expect(card.locator("ul.missing li", has_text=f"Ausente en {absent_from} · ")).to_have_count(1)
    expect(card.get_by_role("link", name="Descargar mi certificado (PDF)")).to_have_count(0)
    assert fits_the_width(other)
    other.screenshot(path=str(artifacts / "certificates-me-missing-360.png"), full_page=True)
    card.screenshot(path=str(artifacts / "certificates-me-missing-card-360.png"))
    assert other.goto("/me/certificate.pdf").status == 404


# --- a small program: issuing to everyone eligible, the ZIP, revoking ------------------------------------------


def test_the_organizer_issues_to_everyone_eligible_downloads_the_zip_and_revokes_one(app, course, contexts,
                                                                                      live_server, artifacts):
    ids = course["ids"]
    page = contexts(DESK)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, course["emails"]["organizer"], PASSWORD)
    page.goto(f"/programs/{ids['program']}/certificates")
    counts = page.locator("p.stats")
    expect(counts).to_contain_text("Cumple los requisitos: 2")
    expect(counts).to_contain_text("Emitido: 1")
    expect(counts).to_contain_text("Aún no: 2")
    expect(page.locator("tr", has_text="Tzul Batz")).to_contain_text("Ya no cumple las reglas")
    expect(page.locator("tr", has_text="Cojtí")).to_contain_text("Ausente en S0 · Sesión 0")
    expect(page.locator("tr", has_text="Cojtí")).to_contain_text("Evaluación posterior no enviada")
    expect(page.locator("tr", has_text="Ruiz")).to_contain_text("Ausencia justificada en S0 · Sesión 0")
    photograph(page, artifacts, "certificates-issue-before")

    dialogs = []
    page.once("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))
    page.get_by_role("button", name="Emitir a todas las personas que cumplen (2)").click()
    expect(page.locator(".flash-success")).to_have_text("2 certificados emitidos.")
    assert dialogs == ["¿Emitir el certificado a todas las personas que cumplen los requisitos (2)?"]
    expect(counts).to_contain_text("Cumple los requisitos: 0")
    expect(counts).to_contain_text("Emitido: 3")
    expect(page.get_by_role("button", name="Emitir a todas las personas que cumplen (0)")).to_be_disabled()
    for name in ("Núñez Peña", "Gómez Díaz"):
        expect(page.locator("tr", has_text=name).locator(".badge-cert-issued")).to_have_text("Emitido")
    photograph(page, artifacts, "certificates-issue-after")

    # The worker draws the PDFs (world's waiting one too) while the page follows it, and the page reloads itself.
    drawing = page.locator(".notice.job")
    expect(drawing).to_contain_text("En espera de empezar")
    assert run_queued(app) == 1
    expect(page.locator(".notice.job")).to_contain_text("Todos los certificados emitidos tienen su PDF (3 generados",
                                                        timeout=20_000)

    # The ZIP: one PDF per valid certificate and the register with their serials.
    with page.expect_download() as bundle:
        page.get_by_role("link", name="Descargar todos los emitidos (ZIP)").click()
    assert bundle.value.suggested_filename == "TEST-2026-certificates.zip"
    with zipfile.ZipFile(io.BytesIO(downloaded(bundle.value))) as archive:
        names = archive.namelist()
        pdfs = [name for name in names if name.endswith(".pdf")]
        assert len(pdfs) == 3 and all(archive.read(name).startswith(b"%PDF-") for name in pdfs)
        assert "TEST-2026-register.csv" in names
        register = archive.read("TEST-2026-register.csv").decode("utf-8-sig")
    with app.app_context():
        serials = db.session.scalars(select(Certificate.serial).where(Certificate.program_id == ids["program"])).all()
    assert len(serials) == 3 and all(serial in register for serial in serials)

    # Revoking one from its page (a reason, a confirmation): its verification page then says so.
    page.locator("tr", has_text="Gómez Díaz").get_by_role("link", name=re.compile(r"^TEST-2026-")).click()
    page.wait_for_url("**/certificates/*")
    serial = page.get_by_role("heading", level=1).inner_text().split()[-1]
    revoke = page.locator("form.danger-zone")
    revoke.get_by_label("Motivo").fill("Emitido por error: la asistencia de S0 se corrigió.")
    page.once("dialog", lambda dialog: dialog.accept())
    revoke.get_by_role("button", name="Revocar").click()
    expect(page.locator(".flash-success")).to_have_text(
        f"Certificado {serial} revocado. Su página de verificación ya lo indica.")
    expect(page.locator("p.flash-error")).to_contain_text("Emitido por error")
    photograph(page, artifacts, "certificates-certificate-just-revoked")
    with app.app_context():
        code = db.session.scalar(select(Certificate.code).where(Certificate.serial == serial))
    public = contexts(PHONE)
    public.goto(f"/verify/{code}")
    expect(public.locator(".verdict-revoked")).to_contain_text("Certificado revocado")
    assert fits_the_width(public)
    page.goto(f"/programs/{ids['program']}/certificates")
    expect(counts).to_contain_text("Revocado: 1")
    assert errors == []


@pytest.mark.skipif(shutil.which("pdftoppm") is None,
                    reason="pdftoppm missing (apt-get install poppler-utils): the QR code is not decoded; the other "
                           "tests read the address printed on the PDF instead")
def test_the_qr_code_on_a_certificate_leads_to_its_verification_page(app, course, contexts, live_server,
                                                                     tmp_path):
    assert app.test_cli_runner().invoke(args=["issue-certificates", "--program", "TEST-2026"]).exit_code == 0
    with app.app_context():
        certificate = db.session.scalar(select(Certificate).where(Certificate.participant_id == course["ids"]["mx1"]))
        pdf, name = certificate.pdf, certificate.facts["name"]
    address = qr_address(pdf, tmp_path)
    assert address == printed_address(pdf)
    page = contexts(PHONE)
    assert page.goto(on_live_server(address, live_server)).status == 200
    expect(page.locator(".verdict-valid")).to_contain_text("Certificado válido")
    expect_fact(page, "Se otorga a", name)
    expect_fact(page, "Programa", "Programa de prueba")
    assert fits_the_width(page)


def test_a_code_typed_with_the_keyboard_opens_its_verification_page(app, world, contexts, artifacts):
    with app.app_context():
        code = db.session.get(Certificate, world["ids"]["certificate"]).code
    page = contexts(PHONE)
    page.goto("/verify")
    expect(page.get_by_role("heading", name="Verificación de certificados")).to_be_visible()
    photograph(page, artifacts, "certificates-verify-form")
    field = page.get_by_label("Código de verificación")
    for _ in range(12):  # skip link, brand, the language buttons … then the code field
        page.keyboard.press("Tab")
        if field.evaluate("element => element === document.activeElement"):
            break
    expect(field).to_be_focused()
    page.keyboard.type(code)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/verify/{code}")
    expect(page.locator(".verdict-valid")).to_contain_text("Certificado válido")
    expect_fact(page, "Se otorga a", "Ixchel Tzul Batz")
    assert fits_the_width(page)
