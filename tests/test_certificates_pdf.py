"""Certificate PDFs: one framed landscape page whatever the texts, literal embedded text, a QR code that scans."""
import io
import shutil
import socket
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import pytest
import zxingcpp
from PIL import Image, ImageDraw
from pypdf import PdfReader
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from certificates.pdf import CertificateDocument, Signatory, Wording, certificate_pdf, fit, plain, qr_modules
from training.agenda_pdf import embedded_fonts

URL = "https://capacita.example.org/verify/Xq3LmZ0pR7aB2cD4eF6gH8iJ0kL2mN4oP6qR8sT0uV1"
SPANISH = Wording(
    "es", "Certificado de aprovechamiento", "Se otorga a", "por haber completado satisfactoriamente el programa",
    "Programa regional de fortalecimiento de capacidades para la atención y protección de personas migrantes",
    "3 sesiones virtuales y 2 cursos en línea · 20 horas · del 19 al 29 de octubre de 2021 · Virtual",
    "Emitido el 30 de octubre de 2021", "N.º CRM-CE-2021-0042", "Verifique la autenticidad de este certificado en:")
ENGLISH = Wording(
    "en", "Certificate of completion", "Awarded to", "for successfully completing the program",
    "Regional capacity-building program for the care and protection of migrants",
    "3 virtual sessions and 2 online courses · 20 hours · from 19 to 29 October 2021 · Virtual",
    "Issued on 30 October 2021", "No. CRM-CE-2021-0042", "Verify this certificate at:")
FRAME = 10.5 * mm  # the inner rule: no text beyond it


def document(**changes):
    values = {"name": "Ñandú Peña-Güemes", "wordings": (SPANISH,), "verify_url": URL,
              "issuer": "Conferencia Regional sobre Migración", "title": "Certificado — Ñandú Peña-Güemes"}
    return CertificateDocument(**{**values, **changes})


def picture(size, color, mode="RGBA", kind="PNG"):
    image = Image.new(mode, size, (255, 255, 255, 0) if mode == "RGBA" else "white")
    ImageDraw.Draw(image).rectangle((2, 2, size[0] // 2, size[1] - 3), fill=color)
    buffer = io.BytesIO()
    image.save(buffer, kind)
    return buffer.getvalue()


def read(data):
    """Pages, the text of the first with its whitespace runs made single spaces, and the reader."""
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), " ".join(reader.pages[0].extract_text().split()), reader


def text_boxes(reader):
    """Every run of text on the first page as (text, left, right, bottom, top) in points."""
    boxes = []

    def visit(text, _cm, tm, font, size):
        text = text.strip()
        if text and font:
            name = font["/BaseFont"].split("+")[-1]
            width = stringWidth(text, name, size)
            boxes.append((text, tm[4], tm[4] + width, tm[5] - 0.24 * size, tm[5] + 0.76 * size))

    embedded_fonts()
    reader.pages[0].extract_text(visitor_text=visit)
    return boxes


def assert_laid_out(reader):
    """All the text inside the frame and no two runs of text on top of each other."""
    width, height = (float(value) for value in reader.pages[0].mediabox.upper_right)
    boxes = text_boxes(reader)
    assert boxes
    for text, left, right, bottom, top in boxes:
        assert FRAME < left and right < width - FRAME and FRAME < bottom and top < height - FRAME, text
    for index, (text, left, right, bottom, top) in enumerate(boxes):
        for other, left2, right2, bottom2, top2 in boxes[index + 1:]:
            apart = right <= left2 or right2 <= left or top <= bottom2 or top2 <= bottom
            assert apart, f"{text!r} overlaps {other!r}"


def test_one_landscape_a4_page_with_every_text():
    data = certificate_pdf(document(wordings=(SPANISH,)))
    assert data.startswith(b"%PDF")
    pages, text, reader = read(data)
    assert pages == 1
    width, height = (float(value) for value in reader.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (842, 595)
    for literal in ("Conferencia Regional sobre Migración", "Certificado de aprovechamiento", "Se otorga a",
                    "Ñandú Peña-Güemes", "por haber completado satisfactoriamente el programa", SPANISH.program_title,
                    SPANISH.details, "Emitido el 30 de octubre de 2021", "N.º CRM-CE-2021-0042",
                    "Verifique la autenticidad de este certificado en:"):
        assert literal in text, literal
    assert URL in text.replace(" ", "")
    assert reader.metadata.title == "Certificado — Ñandú Peña-Güemes"
    assert_laid_out(reader)


def test_only_the_dejavu_fonts_are_used_and_embedded():
    _pages, _text, reader = read(certificate_pdf(document()))
    fonts = [font.get_object() for font in reader.pages[0]["/Resources"]["/Font"].values()]
    assert sorted(font["/BaseFont"].split("+")[-1] for font in fonts) == ["DejaVuSans", "DejaVuSans-Bold"]
    for font in fonts:
        descriptor = font["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor, font["/BaseFont"]


@pytest.mark.parametrize("name", ["Łukasz Żółć", "Nguyễn Thị Minh Khai", "Ἀλέξανδρος", "Ñandú Peña-Güemes",
                                  "Zoë O'Connor-Ångström"])
def test_names_in_any_latin_greek_or_vietnamese_spelling_print_as_registered(name):
    pages, text, _reader = read(certificate_pdf(document(name=name)))
    assert pages == 1 and name in text


HOSTILE = [
    "<font color=\"[[[getattr(pow,Word('__globals__'))['os'].system('touch {marker}')]]]\">x</font>",
    '<img src="http://127.0.0.1:9/x.png"/>',
    "<b>unbalanced",
    "&lt; &amp; </para>",
]


@pytest.fixture
def no_network(monkeypatch):
    """Fails any attempt to open a connection while rendering."""
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("no network in this test")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    return attempts


@pytest.mark.parametrize("template", HOSTILE)
def test_markup_in_names_and_titles_prints_literally_and_runs_nothing(template, tmp_path, no_network):
    marker = tmp_path / "pwned"
    hostile = template.format(marker=marker)
    wording = replace(SPANISH, program_title=f"Programa {hostile}", details=hostile)
    people = (Signatory(hostile, f"Cargo {hostile}"),)
    data = certificate_pdf(document(name=hostile, wordings=(wording,), issuer=hostile, signatories=people))
    pages, text, reader = read(data)
    assert pages == 1
    squeezed = text.replace(" ", "")  # a long word cut across lines reads back with a space in it
    assert squeezed.count(hostile.replace(" ", "")) == 6  # name, issuer, title, details, signatory and position
    if len(hostile) < 60:  # short enough to stay on one line everywhere
        assert f"Programa {hostile}" in text and f"Cargo {hostile}" in text
    assert not marker.exists() and no_network == []
    assert "/XObject" not in reader.pages[0]["/Resources"]  # <img> stays text: no image was fetched or drawn


def test_a_240_character_name_and_a_400_character_title_shrink_and_wrap_on_one_page():
    name = ("María de los Ángeles Guadalupe Fernández-Villavicencio y Gutiérrez de Cetina " * 4)[:240].strip()
    title = ("Programa regional de fortalecimiento de capacidades institucionales para la protección " * 5)[:400]
    people = tuple(Signatory(f"Persona {index} Con Un Nombre Largo", "Secretaria Técnica / Technical Secretary")
                   for index in range(3))
    logo = picture((300, 90), (11, 90, 117, 255))
    data = certificate_pdf(document(name=name, wordings=(replace(SPANISH, program_title=title),
                                                         replace(ENGLISH, program_title=title)),
                                    signatories=people, logos=(logo,) * 3))
    pages, text, reader = read(data)
    assert pages == 1
    assert name in text and title.strip() in text
    assert_laid_out(reader)


def test_a_name_without_spaces_is_cut_into_lines_not_lost():
    name = "Ä" * 240
    pages, text, reader = read(certificate_pdf(document(name=name)))
    assert pages == 1 and name in text.replace(" ", "")
    assert_laid_out(reader)


def test_a_bilingual_certificate_pairs_every_line_on_one_page():
    data = certificate_pdf(document(wordings=(SPANISH, ENGLISH)))
    pages, text, reader = read(data)
    assert pages == 1
    for spanish, english in zip((SPANISH.heading, SPANISH.lead, SPANISH.statement, SPANISH.program_title,
                                 SPANISH.details, SPANISH.issued, SPANISH.verify),
                                (ENGLISH.heading, ENGLISH.lead, ENGLISH.statement, ENGLISH.program_title,
                                 ENGLISH.details, ENGLISH.issued, ENGLISH.verify), strict=True):
        assert spanish in text and english in text
        assert text.index(spanish) < text.index(english) or spanish in (SPANISH.issued, SPANISH.verify)
    assert_laid_out(reader)


def test_three_signatories_and_three_logos_on_one_page():
    people = (Signatory("María Fernanda López Castillo", "Secretaria Técnica de la Conferencia",
                        picture((300, 90), (20, 30, 90, 255))),
              Signatory("Jean-Baptiste Ndiaye", "Coordinador de Capacitación / Training Coordinator",
                        picture((300, 90), (90, 30, 20, 255))),
              Signatory("Ana Pérez", "Directora", picture((240, 80), (0, 0, 0), mode="RGB", kind="JPEG")))
    logos = (picture((400, 120), (11, 90, 117, 255)), picture((200, 200), (200, 60, 40), mode="RGB", kind="JPEG"),
             picture((600, 100), (40, 120, 60, 255)))
    data = certificate_pdf(document(signatories=people, logos=logos))
    pages, text, reader = read(data)
    assert pages == 1
    for person in people:
        assert person.name in text and person.position in text
    assert len(reader.pages[0]["/Resources"]["/XObject"]) == 6  # 3 logos, 3 signatures
    assert_laid_out(reader)


def test_a_certificate_without_issuer_signatories_or_logos_still_renders():
    pages, text, reader = read(certificate_pdf(document(issuer="", signatories=(), logos=(), title="")))
    assert pages == 1 and "Ñandú Peña-Güemes" in text and "/XObject" not in reader.pages[0]["/Resources"]


def format_level(modules):
    """The error correction level a QR matrix declares in its format bits (read as ISO 18004 places them)."""
    cells = [(8, column) for column in (0, 1, 2, 3, 4, 5, 7, 8)] + [(row, 8) for row in (7, 5, 4, 3, 2, 1, 0)]
    bits = 0
    for row, column in cells:
        bits = bits << 1 | modules[row][column]
    valid = {}
    for data in range(32):
        remainder = data << 10
        for shift in range(4, -1, -1):
            if remainder & (1 << (shift + 10)):
                remainder ^= 0x537 << shift
        valid[((data << 10) | remainder) ^ 0x5412] = "MLHQ"[data >> 3]
    return valid.get(bits)


def scanned(image):
    """What a QR reader finds in the picture (zxing-cpp's decoder, independent of the encoder's code path)."""
    found = zxingcpp.read_barcode(image, formats=zxingcpp.BarcodeFormat.QRCode)
    assert found is not None, "no QR code found"
    return found.text


def test_the_qr_code_holds_the_verification_address_at_level_m():
    modules = qr_modules(URL)
    assert len(modules) == 37 and all(len(row) == 37 for row in modules)  # version 5 for an 79-character address
    assert format_level(modules) == "M"
    picture = Image.new("L", (45, 45), 255)  # the symbol with a quiet zone of 4 modules, as a reader needs
    picture.putdata([0 if 4 <= x < 41 and 4 <= y < 41 and modules[y - 4][x - 4] else 255
                     for y in range(45) for x in range(45)])
    assert scanned(picture.resize((180, 180), Image.NEAREST)) == URL
    assert qr_modules(URL + "x") != modules


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="pdftoppm (poppler-utils) is missing: the page cannot be "
                                                         "rendered to read its QR code")
def test_the_printed_qr_code_scans_to_the_verification_address(tmp_path):
    (tmp_path / "certificate.pdf").write_bytes(certificate_pdf(document(wordings=(SPANISH, ENGLISH))))
    subprocess.run(["pdftoppm", "-png", "-r", "150", "-singlefile", "certificate.pdf", "page"], cwd=tmp_path,
                   check=True)
    assert scanned(Image.open(tmp_path / "page.png")) == URL


def test_the_same_document_gives_the_same_bytes():
    signature = picture((300, 90), (20, 30, 90, 255))
    one = document(signatories=(Signatory("Ana Pérez", "Directora", signature),), logos=(signature,))
    assert certificate_pdf(one) == certificate_pdf(one)
    assert certificate_pdf(one) != certificate_pdf(replace(one, name="Ana Peña"))


def test_certificates_drawn_in_parallel_threads_are_the_ones_drawn_alone():
    signature, logo = picture((300, 90), (20, 30, 90, 255)), picture((200, 200), (11, 90, 117, 255))
    documents = [document(name=f"Participante {index}", logos=(logo,),
                          signatories=(Signatory("Ana Pérez", "Directora", signature),)) for index in range(12)]
    alone = [certificate_pdf(one) for one in documents]
    with ThreadPoolExecutor(max_workers=4) as pool:
        assert list(pool.map(certificate_pdf, documents)) == alone


def test_streams_are_binary_and_artwork_is_embedded_once_per_image():
    signature = picture((300, 90), (20, 30, 90, 255))
    pdf = certificate_pdf(document(logos=(signature,), signatories=(Signatory("Ana Pérez", "Directora", signature),)))
    assert b"/ASCII85Decode" not in pdf  # a quarter smaller than reportlab's default text-safe streams
    images = [obj for obj in PdfReader(io.BytesIO(pdf)).pages[0]["/Resources"]["/XObject"].values()]
    assert len(images) == 1 and images[0].get_object()["/Filter"] == ["/DCTDecode"]  # the same JPEG, once


def test_fit_shrinks_to_one_line_then_wraps_within_its_height():
    regular, bold = embedded_fonts()
    short = fit("Ana Pérez", bold, 300, 100, 30, 18)
    assert short.lines == ("Ana Pérez",) and short.size == 30
    longer = fit("Maximiliano Alejandro Fernández", bold, 300, 100, 30, 12)
    assert len(longer.lines) == 1 and 12 <= longer.size < 30
    assert stringWidth(longer.lines[0], bold, longer.size) <= 300
    wrapped = fit("palabra " * 120, regular, 300, 60, 14, 10)
    assert len(wrapped.lines) > 1 and wrapped.height <= 60 and wrapped.size < 10
    assert all(stringWidth(line, regular, wrapped.size) <= 300 for line in wrapped.lines)
    assert " ".join(wrapped.lines) == ("palabra " * 120).strip()


def test_fit_cuts_a_long_address_after_a_slash():
    regular, _bold = embedded_fonts()
    lines = fit(URL, regular, 54 * mm, 40, 6.5, 5.5, lines=2).lines
    assert lines == ("https://capacita.example.org/verify/", URL.rsplit("/", 1)[1])


def test_plain_keeps_text_as_typed_on_one_line():
    assert plain("  Ana\n  <b>Pérez</b>\t&amp;\x00\x07 ") == "Ana <b>Pérez</b> &amp;"
    assert plain(None) == "" and plain("x\u200by\x85z") == "x\u200by z"  # NEL is a line break too
