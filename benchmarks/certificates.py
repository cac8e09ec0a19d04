"""Issue 1,000 certificates (PDFs and the ZIP) next to bare reportlab and WeasyPrint drawing the same page.

Run: .venv/bin/python benchmarks/certificates.py [--certificates 1000] [--runs 1] [--weasyprint 30]
                                                 [--postgresql [postgresql+psycopg://postgres@127.0.0.1:5432]]
A program of N participants, each present at its one required virtual session (no post-test, and none required),
with the demo's certificate settings: the issuer, two signatories with signature images and two logos.
  Capacita: `issue()` for everyone (claim the serials and codes, commit, draw each PDF, store it with its SHA-256,
    commit), then the bulk download as its route builds it, in a fresh session as a new request would
    (issued_certificates, certificate_files, zip_bytes). SQLite in a temporary folder, or with --postgresql a fresh
    database on that server, dropped afterwards.
  Bare reportlab: the same page (the same texts, frame, 2 logos, 2 signatures, signature lines and QR code, the
    same DejaVu fonts) drawn N times with plain canvas calls: no database, no ZIP, no fitting (the texts are set at
    fixed sizes and places, the constant ones wrapped once), the logos and signatures read once for all pages.
    The lower bound of drawing these pages with reportlab.
  WeasyPrint: a comparable HTML page (A4 landscape @page, the same texts, the images as data: URIs, the QR code as
    inline SVG, DejaVu by @font-face) rendered to PDF, as Indico draws its certificates; --weasyprint renders are
    timed (one stylesheet, font configuration and image cache shared by all) and scaled to N.
Each figure is timed with the garbage collector off (it collects in between), after a warm-up; with --runs > 1 the
median is shown. Targets (certificates issue): Capacita ≤ 1.5 × bare reportlab, and WeasyPrint ≥ 5 × Capacita.
WeasyPrint needs Pango (apt-get install libpango-1.0-0 libpangoft2-1.0-0): without it only its figure is skipped.
"""
import argparse
import base64
import contextlib
import gc
import io
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from targets import recreate_database, verdicts  # noqa: E402  (benchmarks/, this script's folder)

TARGET_BARE, TARGET_WEASYPRINT = 1.5, 5.0
BUSY = 1.15  # wall-clock above this × CPU time: the process waited for other work on the machine
BENCH_DATABASE = "capacita_bench_certificates"  # never the test suite's database, nor DATABASE_URL's
DEFAULT_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"
PANGO_PACKAGES = "apt-get install libpango-1.0-0 libpangoft2-1.0-0"
COUNTRIES = ("MX", "GT", "HN", "SV", "NI", "CR", "PA", "DO", "BZ", "CA", "US")
GIVEN = ("José Ángel", "María Fernanda", "Íñigo", "Sofía", "Raúl", "Begoña", "Noémie", "Zoë", "Ana Lucía", "Jorge")
FAMILY = ("Núñez Peña", "Gómez Díaz", "Álvarez", "Zúñiga Ibáñez", "Côté", "O'Brien", "Tzul Batz", "Cojtí Ruiz")


# --- Capacita --------------------------------------------------------------------------------------------------

@contextlib.contextmanager
def bench_database(server, folder):
    """A SQLite file in `folder`, or BENCH_DATABASE created empty on `server` and dropped afterwards."""
    if not server:
        yield f"sqlite:///{folder}/certificates.sqlite3"
        return
    from sqlalchemy.engine import make_url

    url = make_url(server).set(drivername="postgresql+psycopg")
    maintenance = url.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    recreate_database(maintenance, BENCH_DATABASE, create=True)
    try:
        yield url.set(database=BENCH_DATABASE).render_as_string(hide_password=False)
    finally:
        recreate_database(maintenance, BENCH_DATABASE, create=False)


def make_app(url):
    from app import create_app

    return create_app({"CAPACITA_ENV": "test", "SECRET_KEY": "c" * 48, "SQLALCHEMY_DATABASE_URI": url,
                       "PUBLIC_URL": "https://capacita.example.org"})


def set_up(count):
    """Migrate; the program, its N participants present at its one required session, the demo's settings and
    artwork. Returns the program's id."""
    from flask_migrate import upgrade

    from certificates.demo import ISSUER, SIGNATORIES
    from certificates.demo_art import emblem, signature
    from certificates.services import save_artwork, save_settings
    from extensions import db
    from training.attendance.services import save_marks
    from training.demo_data import PROGRAM
    from training.models import Activity
    from training.services import add_delegation, save_participant, save_program

    with contextlib.redirect_stderr(io.StringIO()):  # Alembic's INFO lines would bury the figures
        upgrade(directory=str(ROOT / "migrations"))
    start = date(2021, 10, 19)
    program = save_program(None, None, code=PROGRAM["code"], start_date=start, end_date=start + timedelta(days=10),
                           timezone="America/Mexico_City", languages=["es", "en"], title=PROGRAM["title"])
    session = Activity(program_id=program.id, code="S1", kind="virtual_session", required=True,
                       title={"es": "Sesión 1", "en": "Session 1"},
                       starts_at=datetime(2021, 10, 19, 20, 0, tzinfo=timezone.utc),
                       ends_at=datetime(2021, 10, 19, 22, 0, tzinfo=timezone.utc))
    db.session.add(session)
    delegations = [add_delegation(program, None, kind="member", country_code=code, quota=count, status="confirmed")
                   for code in COUNTRIES]
    rng = random.Random(7)
    people = [save_participant(None, None, program=program, delegation=delegations[index % len(COUNTRIES)],
                               given_names=rng.choice(GIVEN), family_names=f"{rng.choice(FAMILY)} {index}",
                               position="Consejera de empleo", institution="Servicio Nacional de Empleo",
                               email=f"persona{index}@bench.example.org", gender=("female", "male")[index % 2],
                               profile="employment_counselor", language=("es", "en")[index % 5 == 0], timezone="")
              for index in range(count)]
    save_marks(session, {person.id: ("present", None, None) for person in people}, None)
    save_settings(program, None, hours=20, issuer=ISSUER, place={}, language_mode="participant",
                  post_test_required=False)  # the program has no post-test
    save_artwork(program, None, {n: (name, titles, signature(n)) for n, (name, titles) in SIGNATORIES.items()},
                 {1: emblem("CRM"), 2: emblem("OIM", color=(0, 51, 160))})
    db.session.commit()
    return program.id


def participants(program_id, limit=None):
    from sqlalchemy import select

    from extensions import db
    from training.models import Participant

    query = select(Participant).where(Participant.program_id == program_id, Participant.status != "withdrawn")
    return db.session.scalars(query.order_by(Participant.id).limit(limit)).all()


def reset(program_id):
    """Back to nothing issued: no certificate, no audit event about one, the serials from 1 again."""
    from sqlalchemy import delete, update

    from certificates.models import Certificate, CertificateSettings
    from extensions import db
    from training.models import AuditEvent

    db.session.remove()
    db.session.execute(delete(AuditEvent).where(AuditEvent.object_type == "Certificate"))
    db.session.execute(delete(Certificate).where(Certificate.program_id == program_id))
    db.session.execute(update(CertificateSettings).where(CertificateSettings.program_id == program_id)
                       .values(last_serial=0))
    db.session.commit()
    db.session.remove()


def issue_all(program_id, limit=None):
    """The issue request: everyone (or the first `limit`) loaded in a fresh session, then `issue()`, timed.
    Returns (Timing, certificates created)."""
    from certificates.services_issuing import issue
    from extensions import db
    from training.models import Program

    db.session.remove()
    program = db.session.get(Program, program_id)
    people = participants(program_id, limit)
    timing, claim = timed(lambda: issue(program, people, None))
    db.session.remove()
    return timing, len(claim.created)


def download_zip(program_id):
    """The bulk download as its route builds it, in a fresh session (a new request): (Timing, ZIP bytes)."""
    from flask import current_app
    from flask_babel import force_locale
    from sqlalchemy import select

    from certificates.bundle import zip_bytes
    from certificates.services import issued_certificates
    from certificates.services_issuing import certificate_files
    from extensions import db
    from training.models import Participant, Program

    db.session.remove()
    program = db.session.get(Program, program_id)

    def build():
        certificates = issued_certificates(program, select(Participant).where(Participant.program_id == program.id))
        with force_locale(program.default_language):  # as the route's request would be
            files, headers, rows = certificate_files(certificates, program.default_language,
                                                     current_app.config["PUBLIC_URL"])
        return zip_bytes(files, f"{program.code}-register.csv", headers, rows)

    timing, content = timed(build)
    db.session.remove()
    return timing, content


def documents(program_id):
    """What each issued certificate's PDF was drawn from (for the bare and WeasyPrint pages), and the PDFs' sizes."""
    from flask import current_app
    from sqlalchemy import select

    from certificates.services import issued_certificates
    from certificates.services_issuing import artwork
    from certificates.texts import document_for
    from extensions import db
    from training.models import Participant, Program

    db.session.remove()
    program = db.session.get(Program, program_id)
    certificates = issued_certificates(program, select(Participant).where(Participant.program_id == program.id))
    signatories, logos = artwork(program)
    public_url = current_app.config["PUBLIC_URL"]
    result = [document_for(c, program.timezone, signatories, logos, public_url) for c in certificates]
    sizes = [len(c.pdf) for c in certificates]
    db.session.remove()
    return result, sizes


# --- bare reportlab --------------------------------------------------------------------------------------------

def bare_pdfs(docs, readers):
    """Each document's page drawn with plain reportlab canvas calls; returns the total of the PDFs' bytes."""
    from training.agenda_pdf import embedded_fonts

    fonts = embedded_fonts()
    return sum(len(bare_page(doc, fonts, readers)) for doc in docs)


def image_readers(doc):
    """The logos' and signatures' ImageReaders, made once for every page and prepared as Capacita prepares them
    (flattened to JPEG, which reportlab copies into each PDF as it is): the same images, drawn the cheapest way."""
    from certificates.pdf import prepared_image

    return ([prepared_image(data) for data in doc.logos], [prepared_image(person.image) for person in doc.signatories])


@cache
def split(text, font, size, width):
    """A constant text (the same on every page of a language) cut into lines once."""
    from reportlab.lib.utils import simpleSplit

    return tuple(simpleSplit(text, font, size, width))


def bare_page(doc, fonts, readers):
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import mm
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen.canvas import Canvas

    from training.agenda_pdf import BRAND, MUTED

    regular, bold = fonts
    ink, hairline = colors.HexColor("#1d2630"), colors.HexColor("#9dbac6")
    width, height = landscape(A4)
    left, right, bottom, center = 24 * mm, width - 24 * mm, 15 * mm, width / 2
    text_width, side, qr_size = right - left - 24 * mm, 54 * mm, 28 * mm
    wording = doc.wordings[0]
    buffer = io.BytesIO()
    pdf = Canvas(buffer, pagesize=(width, height), invariant=1, initialFontName=regular)
    pdf.setTitle(doc.title)
    pdf.setAuthor(doc.issuer)
    pdf.setSubject(wording.heading)
    pdf.setCreator("bare reportlab")

    pdf.setStrokeColor(BRAND)  # the frame: a double rule, squares at the inner corners
    pdf.setLineWidth(1.6)
    pdf.rect(8 * mm, 8 * mm, width - 16 * mm, height - 16 * mm)
    pdf.setLineWidth(0.5)
    pdf.rect(10.5 * mm, 10.5 * mm, width - 21 * mm, height - 21 * mm)
    pdf.setFillColor(BRAND)
    for x in (10.5 * mm, width - 10.5 * mm):
        for y in (10.5 * mm, height - 10.5 * mm):
            pdf.rect(x - 1.2 * mm, y - 1.2 * mm, 2.4 * mm, 2.4 * mm, stroke=0, fill=1)

    logos, signatures = readers
    top = height - 16 * mm - 15 * mm
    row = len(logos) * 46 * mm + (len(logos) - 1) * 10 * mm
    for index, reader in enumerate(logos):
        pdf.drawImage(reader, center - row / 2 + index * 56 * mm, top, 46 * mm, 15 * mm, preserveAspectRatio=True,
                      anchor="c", mask="auto")

    def lines(texts, font, size, color, y, x=center):
        pdf.setFillColor(color)
        pdf.setFont(font, size)
        for text in texts:
            y -= size * 1.22
            pdf.drawCentredString(x, y + 0.26 * size, text)
        return y

    y = top - 8 * mm
    y = lines(split(doc.issuer, regular, 11.5, text_width), regular, 11.5, BRAND, y)
    y = lines([wording.heading], bold, 27, BRAND, y - 4 * mm)
    y = lines([wording.lead], regular, 12.5, MUTED, y - 5 * mm)
    name_size = min(31.0, text_width * 0.92 / stringWidth(doc.name, bold, 1))
    y = lines([doc.name], bold, name_size, ink, y - 3 * mm)
    pdf.setStrokeColor(hairline)
    pdf.setLineWidth(0.6)
    pdf.line(center - 70 * mm, y - 2 * mm, center + 70 * mm, y - 2 * mm)
    y = lines(split(wording.statement, regular, 12.5, text_width), regular, 12.5, MUTED, y - 6 * mm)
    y = lines(split(wording.program_title, bold, 17, text_width), bold, 17, BRAND, y - 4 * mm)
    lines(split(wording.details, regular, 10, text_width), regular, 10, MUTED, y - 4 * mm)

    line = bottom + 14 * mm  # the foot: issue date and serial, the signatories, the QR code
    pdf.setStrokeColor(ink)
    pdf.setLineWidth(0.5)
    pdf.line(left + 4 * mm, line, left + side - 4 * mm, line)
    lines(split(wording.issued, regular, 8, side - 8 * mm), regular, 8, ink, line + 1.2 * mm + 2 * 8 * 1.22,
          left + side / 2)
    lines([wording.serial], bold, 7.5, ink, line - 1.8 * mm, left + side / 2)
    slot = min((right - left - 2 * side - 8 * mm) / max(len(doc.signatories), 1), 80 * mm)
    for index, person in enumerate(doc.signatories):
        x = center + (index - (len(doc.signatories) - 1) / 2) * slot
        pdf.drawImage(signatures[index], x - slot / 2 + 3 * mm, line + 1.2 * mm, slot - 6 * mm, 13 * mm,
                      preserveAspectRatio=True, anchor="s", mask="auto")
        pdf.setStrokeColor(ink)
        pdf.line(x - slot / 2 + 4 * mm, line, x + slot / 2 - 4 * mm, line)
        below = lines(split(person.name, bold, 9.5, slot - 8 * mm), bold, 9.5, ink, line - 1.8 * mm, x)
        lines(split(person.position, regular, 7.5, slot - 8 * mm), regular, 7.5, MUTED, below - 0.5 * mm, x)

    qr_x = right - side / 2
    url = doc.verify_url
    cut = url.rindex("/") + 1
    below = lines(split(wording.verify, regular, 7, side), regular, 7, ink, bottom + 3 * mm + 3 * 7 * 1.22, qr_x)
    lines([url[:cut], url[cut:]], regular, 6.5, BRAND, below - 0.8 * mm, qr_x)
    modules = qr_modules(url)
    box = qr_size / len(modules)
    x0, y0 = qr_x - qr_size / 2, bottom + 3 * mm + 3 * 7 * 1.22 + 3 * mm
    path = pdf.beginPath()
    for row_index, modules_row in enumerate(modules):
        y = y0 + qr_size - (row_index + 1) * box
        for start, length in modules_row:
            path.rect(x0 + start * box, y, length * box, box)
    pdf.setFillColor(ink)
    pdf.drawPath(path, stroke=0, fill=1)

    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def qr_modules(url):
    """The QR code of `url` (error correction M, the encoder Capacita uses): per row, the (start, length) of dark
    runs."""
    import zxingcpp

    symbol = zxingcpp.create_barcode(url, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    rows = []
    for row in memoryview(symbol.to_image(scale=1, add_quiet_zones=False)).tolist():
        runs, start = [], None
        for column, module in enumerate(row + [255]):
            if module == 0 and start is None:
                start = column
            elif module != 0 and start is not None:
                runs.append((start, column - start))
                start = None
        rows.append(runs)
    return rows


# --- WeasyPrint ------------------------------------------------------------------------------------------------

def load_weasyprint():
    """The weasyprint module, or None with the line saying what to install (its figure is then skipped)."""
    try:
        with contextlib.redirect_stdout(io.StringIO()):  # its own banner, when Pango is missing
            import weasyprint
    except ImportError:
        print(f"WeasyPrint skipped: it is not installed ({sys.executable} -m pip install -e '.[bench]').")
        return None
    except OSError as error:
        print(f"WeasyPrint skipped: the Pango libraries are missing ({error}). Install them: {PANGO_PACKAGES}")
        return None
    return weasyprint


STYLE = """
@font-face { font-family: DejaVu; src: url("{regular}"); }
@font-face { font-family: DejaVu; font-weight: bold; src: url("{bold}"); }
@page { size: A4 landscape; margin: 8mm; }
body { margin: 0; font-family: DejaVu; color: #1d2630; text-align: center; }
.frame { border: 1.6pt solid #0b5a75; height: 193.5mm; padding: 2mm; box-sizing: border-box; position: relative; }
.inner { border: 0.5pt solid #0b5a75; height: 100%; box-sizing: border-box; padding: 6mm 14mm 4mm; }
.corner { position: absolute; width: 2.4mm; height: 2.4mm; background: #0b5a75; }
.logos img { height: 15mm; width: 46mm; object-fit: contain; margin: 0 5mm; }
p { margin: 0; }
.issuer { color: #0b5a75; font-size: 11.5pt; margin-top: 3mm; }
h1 { color: #0b5a75; font-size: 27pt; margin: 3.5mm 0 0; }
.lead, .statement { color: #5b6673; font-size: 12.5pt; margin-top: 4mm; }
.name { font-weight: bold; font-size: 31pt; margin: 2mm auto 0; border-bottom: 0.6pt solid #9dbac6; width: 140mm; }
.program { color: #0b5a75; font-weight: bold; font-size: 17pt; margin-top: 2.5mm; }
.details { color: #5b6673; font-size: 10pt; margin-top: 3mm; }
.band { display: table; width: 100%; table-layout: fixed; margin-top: 14mm; }  /* cheaper than flex in WeasyPrint */
.band > div { display: table-cell; vertical-align: bottom; padding: 0 2mm; }
.side { width: 54mm; font-size: 8pt; }
.signatory { width: 70mm; font-size: 7.5pt; color: #5b6673; }
.signatory img { height: 13mm; width: 64mm; object-fit: contain; }
.signatory b { display: block; color: #1d2630; font-size: 9.5pt; border-top: 0.5pt solid #1d2630; padding-top: 1.8mm; }
.serial { border-top: 0.5pt solid #1d2630; font-weight: bold; font-size: 7.5pt; padding-top: 1.8mm; }
.qr svg { width: 28mm; height: 28mm; }
.verify { font-size: 7pt; }
.url { color: #0b5a75; font-size: 6.5pt; overflow-wrap: anywhere; }
"""


def weasyprint_set_up(weasyprint, doc):
    """The stylesheet and font configuration (made once), and the images as data: URIs (encoded once)."""
    from weasyprint.text.fonts import FontConfiguration

    fonts = ROOT / "static" / "fonts"
    font_config = FontConfiguration()
    css = weasyprint.CSS(string=STYLE.replace("{regular}", (fonts / "DejaVuSans.ttf").as_uri())
                         .replace("{bold}", (fonts / "DejaVuSans-Bold.ttf").as_uri()), font_config=font_config)

    from certificates.pdf import prepared_image

    def uri(data):  # the same JPEG the reportlab pages carry
        return "data:image/jpeg;base64," + base64.b64encode(prepared_image(data).fp.getvalue()).decode()

    return {"css": css, "font_config": font_config, "cache": {}, "logos": [uri(data) for data in doc.logos],
            "signatures": [uri(person.image) for person in doc.signatories]}


def weasyprint_pdfs(weasyprint, docs, shared):
    """Each document as an HTML page rendered by WeasyPrint; returns the total of the PDFs' bytes."""
    total = 0
    for doc in docs:
        html = weasyprint.HTML(string=html_page(doc, shared), base_url=str(ROOT))
        total += len(html.write_pdf(stylesheets=[shared["css"]], font_config=shared["font_config"],
                                    cache=shared["cache"]))
    return total


def html_page(doc, shared):
    from html import escape

    wording = doc.wordings[0]
    modules = qr_modules(doc.verify_url)
    path = "".join(f"M{start} {row}h{length}v1h-{length}z" for row, runs in enumerate(modules)
                   for start, length in runs)
    qr = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {len(modules)} {len(modules)}">'
          f'<path fill="#1d2630" d="{path}"/></svg>')
    corners = "".join(f'<div class="corner" style="{v}: 1.3mm; {h}: 1.3mm"></div>'
                      for v in ("top", "bottom") for h in ("left", "right"))
    logos = "".join(f'<img src="{uri}" alt="">' for uri in shared["logos"])
    people = "".join(f'<div class="signatory"><img src="{uri}" alt=""><b>{escape(person.name)}</b>'
                     f'{escape(person.position)}</div>' for uri, person in zip(shared["signatures"], doc.signatories,
                                                                                strict=True))
    return (f'<!doctype html><html lang="{wording.language}"><head><meta charset="utf-8">'
            f'<title>{escape(doc.title)}</title></head><body><div class="frame">{corners}<div class="inner">'
            f'<div class="logos">{logos}</div><p class="issuer">{escape(doc.issuer)}</p>'
            f'<h1>{escape(wording.heading)}</h1><p class="lead">{escape(wording.lead)}</p>'
            f'<p class="name">{escape(doc.name)}</p><p class="statement">{escape(wording.statement)}</p>'
            f'<p class="program">{escape(wording.program_title)}</p><p class="details">{escape(wording.details)}</p>'
            f'<div class="band"><div class="side"><p>{escape(wording.issued)}</p>'
            f'<p class="serial">{escape(wording.serial)}</p></div>{people}'
            f'<div class="side qr">{qr}<p class="verify">{escape(wording.verify)}</p>'
            f'<p class="url">{escape(doc.verify_url)}</p></div></div></div></div></body></html>')


# --- the run ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Timing:
    wall: float  # seconds, what the targets are judged on
    cpu: float  # seconds of this process's CPU: far below wall when the machine is busy with something else


def timed(function):
    """(Timing, result) of one call, with the garbage collector off while it runs (and a collection before), so
    that a collection owed to earlier allocations does not land at random on one side of the comparison."""
    gc.collect()
    gc.disable()
    try:
        started, cpu = time.perf_counter(), time.process_time()
        result = function()
        return Timing(time.perf_counter() - started, time.process_time() - cpu), result
    finally:
        gc.enable()


def median(timings):
    return Timing(statistics.median(t.wall for t in timings), statistics.median(t.cpu for t in timings))


def measure(args, weasyprint):
    """Every figure: {label: (Timing for N certificates, average PDF bytes or None)}, and notes for the table."""
    count, figures, notes = args.certificates, {}, {}
    with tempfile.TemporaryDirectory() as folder, bench_database(args.postgresql, folder) as url:
        app = make_app(url)
        with app.app_context():
            started = time.perf_counter()
            program_id = set_up(count)
            notes["set_up"] = time.perf_counter() - started
            notes["database"] = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
            issue_all(program_id, limit=10)  # warm-up: imports, catalogs, fonts, the first queries
            download_zip(program_id)
            reset(program_id)
            issued, zipped, bare, docs = [], [], [], None
            for run in range(args.runs):
                if run:
                    reset(program_id)
                timing, created = issue_all(program_id)
                assert created == count, f"{created} certificates issued, {count} expected"
                issued.append(timing)
                timing, content = download_zip(program_id)
                zipped.append(timing)
                if docs is None:
                    docs, sizes = documents(program_id)
                    readers = image_readers(docs[0])
                    bare_pdfs(docs[:10], readers)  # warm-up
                timing, bare_bytes = timed(lambda: bare_pdfs(docs, readers))  # noqa: B023
                bare.append(timing)
    issue, zip_ = median(issued), median(zipped)
    figures["Capacita: issue()"] = issue, sum(sizes) / count
    figures["Capacita: ZIP (load, name, pack)"] = zip_, None
    figures["Capacita: issue + ZIP"] = Timing(issue.wall + zip_.wall, issue.cpu + zip_.cpu), None
    figures["bare reportlab"] = median(bare), bare_bytes / count
    notes["zip_mb"] = len(content) / 2**20
    if weasyprint is not None:
        shared = weasyprint_set_up(weasyprint, docs[0])
        sample = docs[:args.weasyprint]
        weasyprint_pdfs(weasyprint, docs[-2:], shared)  # warm-up: fonts, the stylesheet's first use
        timing, weasy_bytes = timed(lambda: weasyprint_pdfs(weasyprint, sample, shared))
        scale = count / len(sample)
        label = f"WeasyPrint ({len(sample)} timed, scaled)"
        figures[label] = Timing(timing.wall * scale, timing.cpu * scale), weasy_bytes / len(sample)
        notes["weasyprint"], notes["sample"] = label, len(sample)
    return figures, notes


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--certificates", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=1, help="timed runs of Capacita and bare reportlab (median)")
    parser.add_argument("--weasyprint", type=int, default=30, help="WeasyPrint renders timed (scaled to N)")
    parser.add_argument("--postgresql", nargs="?", const=DEFAULT_SERVER, default="", metavar="SERVER_URL",
                        help=f"a fresh database on this PostgreSQL server instead of SQLite ({DEFAULT_SERVER})")
    args = parser.parse_args()
    count = args.certificates
    weasyprint = load_weasyprint()
    figures, notes = measure(args, weasyprint)

    runs = f", median of {args.runs} runs" if args.runs > 1 else ""
    print(f"Certificates for {count:,} participants: A4 landscape, 2 logos, 2 signatures, a QR code; "
          f"{notes['database']}; gc off while timed{runs} (set-up {notes['set_up']:.0f} s, not counted)")
    print(f"{'':<36}{'per certificate':>16}{'for ' + format(count, ','):>11}{'CPU':>9}{'PDF size':>10}")
    for label, (timing, size) in figures.items():
        extra = f"{size / 1024:>7.0f} kB" if size else (f"   ZIP {notes['zip_mb']:.0f} MB" if "ZIP (" in label else "")
        print(f"{label:<36}{1000 * timing.wall / count:>13.1f} ms{timing.wall:>9.1f} s{timing.cpu:>7.1f} s{extra}")
    ours, bare = figures["Capacita: issue + ZIP"][0], figures["bare reportlab"][0]
    checks = [(f"Capacita ≤ {TARGET_BARE:g} × bare reportlab ({ours.wall / bare.wall:.2f}×)",
               ours.wall / bare.wall <= TARGET_BARE)]
    ratios = f"Capacita / bare reportlab: {ours.wall / bare.wall:.2f}× (CPU {ours.cpu / bare.cpu:.2f}×)"
    if "weasyprint" in notes:
        weasy = figures[notes["weasyprint"]][0]
        checks.append((f"WeasyPrint ≥ {TARGET_WEASYPRINT:g} × Capacita ({weasy.wall / ours.wall:.1f}×)",
                       weasy.wall / ours.wall >= TARGET_WEASYPRINT))
        ratios += f"   WeasyPrint / Capacita: {weasy.wall / ours.wall:.1f}× (CPU {weasy.cpu / ours.cpu:.1f}×)"
    else:
        ratios += "   WeasyPrint: skipped (see above)"
    print(ratios)
    scaled = f"; WeasyPrint: {notes['sample']} pages timed, scaled to {count:,}" if "weasyprint" in notes else ""
    print(f"(wall-clock; CPU: this process's, less than wall when other work shares the machine{scaled})")
    # Everything here runs in this one process, but for a database server's share of Capacita's time.
    waited = [label for label, (timing, _size) in figures.items() if timing.wall > BUSY * timing.cpu
              and not (label.startswith("Capacita") and notes["database"] == "PostgreSQL")]
    if waited:
        print(f"Busy machine: wall-clock above {BUSY:g} × CPU for {', '.join(waited)}: those figures include "
              "waiting for other programs; run again when the machine is quiet.")
    sys.exit(0 if verdicts(checks) else 1)


if __name__ == "__main__":
    main()
