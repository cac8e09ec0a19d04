"""Certificates of completion: one framed A4 landscape page (reportlab canvas), from words already translated (pure)."""
import functools
import io
import threading
import unicodedata
from dataclasses import dataclass, field

import zxingcpp
from PIL import Image
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from training.agenda_pdf import BRAND, MUTED, embedded_fonts

PAGE_WIDTH, PAGE_HEIGHT = landscape(A4)
INK = colors.HexColor("#1d2630")
SOFT = colors.HexColor("#8a949e")  # the second language, one step quieter than MUTED
HAIRLINE = colors.HexColor("#9dbac6")
LEFT, RIGHT = 24 * mm, PAGE_WIDTH - 24 * mm  # the content box, inside the frame
TOP, BOTTOM = PAGE_HEIGHT - 16 * mm, 15 * mm
CENTER = PAGE_WIDTH / 2
TEXT_WIDTH = RIGHT - LEFT - 24 * mm  # the centred lines keep clear of the frame's corners
LEADING = 1.22  # line height, in font sizes
SECONDARY = 0.72  # the second language's size, relative to the first
RESERVED = 34 * mm  # the least height the name and the program title get, however long the other texts
SMALLEST = 4  # points: a fitted text shrinks no further (only absurd lengths get there)
SIDE = 54 * mm  # width of the bottom corners: issue details on the left, QR code on the right
QR_SIZE = 28 * mm
LOGO_HEIGHT, LOGO_WIDTH, LOGO_GAP = 15 * mm, 46 * mm, 10 * mm
SIGNATURE_HEIGHT = 13 * mm
READERS_PER_THREAD = 16  # a batch uses a handful of logos and signatures

_thread_readers = threading.local()


@dataclass(frozen=True)
class Signatory:
    name: str
    position: str  # already in the wording's language (or both, "es / fr", joined by the caller for bilingual)
    image: bytes | None = None  # PNG or JPEG bytes of a signature (already validated by the caller)


@dataclass(frozen=True)
class Wording:
    """One language's words on the certificate."""
    language: str  # "es", "en", "fr" or "pt"
    heading: str  # "Certificado de aprovechamiento"
    lead: str  # "Se otorga a"
    statement: str  # "por haber completado satisfactoriamente el programa"
    program_title: str
    details: str  # "3 sesiones virtuales y 2 cursos en línea · 20 horas · del 19 al 29 de octubre de 2021 · Virtual"
    issued: str  # "Emitido el 30 de octubre de 2021"
    serial: str  # "N.º CRM-CE-2021-0042"
    verify: str  # "Verifique la autenticidad de este certificado en:"


@dataclass(frozen=True)
class CertificateDocument:
    name: str  # the participant's full name as registered
    wordings: tuple  # one Wording, or two for a bilingual certificate (the first is the primary language)
    verify_url: str
    issuer: str = ""  # the organization, on top
    signatories: tuple = ()  # 0 to 3 Signatory
    logos: tuple = ()  # 0 to 3 PNG or JPEG images, in a row on top
    title: str = ""  # the PDF's metadata title


@dataclass(frozen=True)
class Lines:
    """Text already cut into lines that fit their width, in the font and size that made them fit."""
    lines: tuple
    font: str
    size: float
    color: object = INK
    gap: float = 0  # space above, before any stretching
    rule: bool = False  # a hairline under the text (the participant's name)
    widths: tuple = field(default=(), compare=False)

    @property
    def height(self):
        return len(self.lines) * self.size * LEADING + (4 * mm if self.rule else 0)

    def draw(self, pdf, x, top):
        """Draws the lines from `top` down, centred on `x`."""
        pdf.setFillColor(self.color)
        pdf.setFont(self.font, self.size)
        leading = self.size * LEADING
        for index, line in enumerate(self.lines):
            pdf.drawCentredString(x, top - index * leading - 0.96 * self.size, line)
        if self.rule and self.lines:
            half = min(max(max(self.widths) / 2 + 12 * mm, 55 * mm), TEXT_WIDTH / 2)
            pdf.setStrokeColor(HAIRLINE)
            pdf.setLineWidth(0.6)
            y = top - len(self.lines) * leading - 2 * mm
            pdf.line(x - half, y, x + half, y)


def plain(value):
    """The text as typed, on one line: runs of spaces and line breaks become one space, control characters go."""
    text = " ".join(str(value or "").split())
    return "".join(char for char in text if unicodedata.category(char) not in ("Cc", "Cs"))


def fit(text, font, width, max_height, size, floor, lines=1, **style):
    """`text` in the largest size, from `size` down to `floor` in half points, that sets it in at most `lines`
    lines of `width`; when even `floor` needs more, it wraps freely and shrinks on while taller than `max_height`."""
    text = plain(text)
    if not text:
        return Lines((), font, size, **style)
    unit = stringWidth(text, font, 1)
    one_line = int(width / unit * 2) / 2  # the size that fills the width exactly, in half points
    if one_line >= size * (1 if lines == 1 else 0.88) or (lines == 1 and one_line >= floor):
        size = min(size, one_line)
        return Lines((text,), font, size, widths=(unit * size,), **style)
    words = text.split(" ")
    units = [stringWidth(word, font, 1) for word in words]
    space = stringWidth(" ", font, 1)
    size = size if lines > 1 else floor
    while True:
        cut_lines = wrap(words, units, space, width / size, font)
        tall = len(cut_lines) * size * LEADING > max_height
        if (not tall and (len(cut_lines) <= lines or size <= floor)) or size <= SMALLEST:
            break
        size -= 0.5
    cut_lines = balance(words, units, space, width / size, font, cut_lines)
    return Lines(tuple(cut_lines), font, size, widths=tuple(stringWidth(x, font, size) for x in cut_lines), **style)


def balance(words, units, space, limit, font, cut_lines):
    """The same number of lines, as even as they can be: centred text with a short last line looks unfinished."""
    if max(units) > limit:  # a word already cut across lines: narrower lines would only cut it more
        return cut_lines
    low, high = max(limit * (1 - 1 / len(cut_lines)), max(units)), limit
    for _ in range(8):
        middle = (low + high) / 2
        trial = wrap(words, units, space, middle, font)
        if len(trial) == len(cut_lines):
            high, cut_lines = middle, trial
        else:
            low = middle
    return cut_lines


def wrap(words, units, space, limit, font):
    """Greedy word wrap in unit widths (the font at size 1); a word longer than a line is cut into pieces."""
    lines, line, used = [], [], 0.0
    for word, width in zip(words, units, strict=True):
        if width > limit:
            pieces = cut(word, font, limit)
            lines += ([" ".join(line)] if line else []) + pieces[:-1]
            line, used, word = [], 0.0, pieces[-1]
            width = stringWidth(word, font, 1)
        if line and used + space + width > limit:
            lines.append(" ".join(line))
            line, used = [], 0.0
        used += (space if line else 0) + width
        line.append(word)
    return lines + ([" ".join(line)] if line else [])


def cut(word, font, limit):
    """A word too long for a line, in pieces at most `limit` wide; a piece ends after a "/" (addresses) when
    one falls in its second half."""
    pieces, start, used = [], 0, 0.0
    for index, char in enumerate(word):
        width = stringWidth(char, font, 1)
        if used + width > limit and index > start:
            slash = word.rfind("/", start, index)
            start_next = slash + 1 if slash >= 0 and slash + 1 - start > (index - start) / 2 else index
            pieces.append(word[start:start_next])
            start = start_next
            used = stringWidth(word[start:index], font, 1)
        used += width
    return pieces + [word[start:]]


def certificate_pdf(document):
    """The PDF bytes of one certificate: always a single page, whatever the length of its texts."""
    fonts = embedded_fonts()
    buffer = io.BytesIO()
    pdf = Canvas(buffer, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), invariant=1, initialFontName=fonts[0])
    pdf.setTitle(plain(document.title))
    pdf.setAuthor(plain(document.issuer))
    pdf.setSubject(" / ".join(plain(wording.heading) for wording in document.wordings[:2]))
    pdf.setCreator("Capacita")
    frame(pdf)
    top = TOP
    if document.logos:
        logos(pdf, document.logos[:3], top)
        top -= LOGO_HEIGHT + 3 * mm
    band = bottom_band(pdf, document, fonts) + 5 * mm
    place(pdf, main_lines(document, fonts, top - band), top, band)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def frame(pdf):
    """A double rule in the brand's teal, with small squares at the inner corners."""
    pdf.setStrokeColor(BRAND)
    pdf.setLineWidth(1.6)
    pdf.rect(8 * mm, 8 * mm, PAGE_WIDTH - 16 * mm, PAGE_HEIGHT - 16 * mm)
    pdf.setLineWidth(0.5)
    pdf.rect(10.5 * mm, 10.5 * mm, PAGE_WIDTH - 21 * mm, PAGE_HEIGHT - 21 * mm)
    pdf.setFillColor(BRAND)
    for x in (10.5 * mm, PAGE_WIDTH - 10.5 * mm):
        for y in (10.5 * mm, PAGE_HEIGHT - 10.5 * mm):
            pdf.rect(x - 1.2 * mm, y - 1.2 * mm, 2.4 * mm, 2.4 * mm, stroke=0, fill=1)


def image(pdf, data, x, y, width, height, anchor):
    """An image scaled to fit its box, its proportions kept (and its transparency)."""
    pdf.drawImage(prepared_image(data), x, y, width, height, preserveAspectRatio=True, anchor=anchor, mask="auto")


def prepared_image(data):
    """The image as every certificate carries it, read once per thread: reportlab names an image by a digest of its
    decoded pixels, which a reader decodes once and keeps (a reader also holds a file position, so threads drawing
    certificates in parallel each get their own)."""
    readers = _thread_readers.__dict__.setdefault("readers", {})
    reader = readers.get(data)
    if reader is None:
        if len(readers) >= READERS_PER_THREAD:
            readers.clear()
        reader = readers[data] = ImageReader(io.BytesIO(_flat_jpeg(data)))
    return reader


@functools.lru_cache(maxsize=16)
def _flat_jpeg(data):
    """A batch prints the same logos and signatures on every certificate, so each is prepared once: flattened on the
    page's white and kept as a JPEG, which reportlab copies into each PDF as it is instead of compressing its pixels
    again for every page (that was most of a certificate's drawing time)."""
    image = Image.open(io.BytesIO(data))
    if image.format == "JPEG" and image.mode == "RGB":
        return data
    rgba = image.convert("RGBA")
    flat = Image.new("RGB", rgba.size, "white")
    flat.paste(rgba, mask=rgba.getchannel("A"))
    out = io.BytesIO()
    flat.save(out, format="JPEG", quality=95, subsampling=0)
    return out.getvalue()


def logos(pdf, images, top):
    """The logos in a centred row, each within the same box."""
    row = len(images) * LOGO_WIDTH + (len(images) - 1) * LOGO_GAP
    for index, data in enumerate(images):
        x = CENTER - row / 2 + index * (LOGO_WIDTH + LOGO_GAP)
        image(pdf, data, x, top - LOGO_HEIGHT, LOGO_WIDTH, LOGO_HEIGHT, "c")


def height(items):
    return sum(item.height + item.gap for item in items)


def paired(wordings, attribute, style, width, max_height, gap=0.0, ratio=SECONDARY):
    """One of the wordings' texts: the primary language's, then the second language's smaller and quieter.
    `style` is (font, size, colour)."""
    font, size, color = style
    first = fit(getattr(wordings[0], attribute), font, width, max_height, size, size * 0.75, color=color, gap=gap)
    if len(wordings) == 1:
        return [first]
    second = round(size * ratio * 2) / 2
    return [first, fit(getattr(wordings[1], attribute), font, width, max_height, second, second * 0.8, color=SOFT,
                       gap=0.5 * mm)]


def framing_lines(document, fonts, scale=1.0):
    """The centred texts around the name and the title, each at most `scale` times its usual height."""
    regular, bold = fonts
    wordings, width = document.wordings[:2], TEXT_WIDTH
    return [[fit(document.issuer, regular, width, 28 * scale, 11.5, 8.5, lines=2, color=BRAND)],
            paired(wordings, "heading", (bold, 27, BRAND), width, 70 * scale, gap=3.5 * mm, ratio=0.6),
            paired(wordings, "lead", (regular, 12.5, MUTED), width, 32 * scale, gap=4.5 * mm),
            paired(wordings, "statement", (regular, 12.5, MUTED), width, 32 * scale, gap=3 * mm),
            paired(wordings, "details", (regular, 10, MUTED), width, 26 * scale, gap=3 * mm)]


def main_lines(document, fonts, room):
    """The centred texts, from the issuer to the details. The name and the program title share the height the
    others leave (those others squeeze to leave them at least RESERVED), so the whole fits in `room`."""
    bold = fonts[1]
    framing = framing_lines(document, fonts)
    if height(sum(framing, [])) > room - RESERVED:  # only absurdly long wordings get here
        framing = framing_lines(document, fonts, max(room - RESERVED, 0) / height(sum(framing, [])))
    issuer, heading, lead, statement, details = framing
    room -= height(issuer + heading + lead + statement + details) + 4.5 * mm  # 4.5: the gaps above name and title
    name = fit(document.name, bold, TEXT_WIDTH * 0.92, min(room * 0.5, 32 * mm), 31, 18, gap=2 * mm, rule=True)
    titles = title_lines(document.wordings[:2], bold, room - name.height)
    return [item for item in issuer + heading + lead + [name] + statement + titles + details if item.lines]


def title_lines(wordings, bold, room):
    """The program's title, and its translation smaller under it, within `room`."""
    titles = []
    if len(wordings) == 2:  # the second title takes a share of the room after its length, at most 14 mm
        first, second = (len(plain(wording.program_title)) + 1 for wording in wordings)
        share = min(max(second / (first + second), 0.2), 0.5)
        titles.append(fit(wordings[1].program_title, bold, TEXT_WIDTH, min(room * share, 14 * mm), 12, 9,
                          lines=2, color=SOFT, gap=0.5 * mm))
    titles.insert(0, fit(wordings[0].program_title, bold, TEXT_WIDTH, min(room - height(titles), 24 * mm), 17, 12.5,
                         lines=2, color=BRAND, gap=2.5 * mm))
    return titles


def place(pdf, items, top, bottom):
    """Stacks the centred lines between `top` and `bottom`: spare height first widens the gaps (up to three
    times their size), the rest is split above and below."""
    gaps = sum(item.gap for item in items[1:])
    spare = max(top - bottom - sum(item.height for item in items) - gaps, 0)
    grow = min(spare * 0.7, gaps * 2)
    stretch = 1 + grow / gaps if gaps else 1
    y = top - (spare - grow) / 2
    for index, item in enumerate(items):
        y -= item.gap * stretch if index else 0
        item.draw(pdf, CENTER, y)
        y -= item.height


def stack(pdf, items, x, top):
    """Draws measured lines one under the other from `top`, centred on `x`."""
    for item in items:
        top -= item.gap
        item.draw(pdf, x, top)
        top -= item.height


def qr_modules(url):
    """The QR code of `url` (error correction M): rows of booleans, True for a dark module."""
    symbol = memoryview(zxingcpp.create_barcode(url, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
                        .to_image(scale=1, add_quiet_zones=False))
    return tuple(tuple(module == 0 for module in row) for row in symbol.tolist())


def draw_qr(pdf, url, x, y, size):
    """The QR code in a square of `size` from (x, y), each row's dark runs as rectangles of one filled path
    (the page around it is its quiet zone)."""
    modules = qr_modules(url)
    box = size / len(modules)
    path = pdf.beginPath()
    for row_index, row in enumerate(modules):
        top = y + size - (row_index + 1) * box
        start = None
        for column, dark in enumerate(row + (False,)):
            if dark and start is None:
                start = column
            elif not dark and start is not None:
                path.rect(x + start * box, top, (column - start) * box, box)
                start = None
    pdf.setFillColor(INK)
    pdf.drawPath(path, stroke=0, fill=1)


def bottom_band(pdf, document, fonts):
    """The band at the foot: the issue date over a line and the serial under it on the left, the signatories
    across the middle, the QR code with the address to check it on the right. Returns the band's top."""
    regular, bold = fonts
    wordings, people = document.wordings[:2], document.signatories[:3]
    tone = (INK, SOFT)
    verify = [fit(w.verify, regular, SIDE, 18, 7, 5.5, lines=2, color=tone[i]) for i, w in enumerate(wordings)]
    url = fit(document.verify_url, regular, SIDE, 30, 6.5, 5.5, lines=2, color=BRAND, gap=0.8 * mm)
    issued = [fit(w.issued, regular, SIDE - 8 * mm, 18, 8 - i, 6 - i / 2, lines=2, color=tone[i])
              for i, w in enumerate(wordings)]
    serial = [fit(w.serial, bold if i == 0 else regular, SIDE - 8 * mm, 18, 7.5 - i / 2, 6 - i / 2, color=tone[i])
              for i, w in enumerate(wordings)]
    slot = min((RIGHT - LEFT - 2 * SIDE - 8 * mm) / max(len(people), 1), 80 * mm)
    signed = [(fit(p.name, bold, slot - 8 * mm, 24, 9.5, 7.5, lines=2),
               fit(p.position, regular, slot - 8 * mm, 28, 7.5, 6.5, lines=3, color=MUTED, gap=0.5 * mm))
              for p in people]
    below = max([height(serial)] + [height(texts) for texts in signed]) + 1.8 * mm
    above = max(height(issued), SIGNATURE_HEIGHT if people else 0) + 1.2 * mm
    qr_column = QR_SIZE + 3 * mm + height(verify + [url])  # 3 mm: the QR code's quiet zone
    band = max(qr_column, below + above)
    line = BOTTOM + below
    draw_qr(pdf, document.verify_url, RIGHT - SIDE / 2 - QR_SIZE / 2, BOTTOM + band - QR_SIZE, QR_SIZE)
    stack(pdf, verify + [url], RIGHT - SIDE / 2, BOTTOM + height(verify + [url]))
    signature_line(pdf, LEFT + SIDE / 2, line, SIDE - 8 * mm, issued, serial)
    for index, (person, texts) in enumerate(zip(people, signed, strict=True)):
        x = CENTER + (index - (len(people) - 1) / 2) * slot
        if person.image:
            image(pdf, person.image, x - slot / 2 + 3 * mm, line + 1.2 * mm, slot - 6 * mm, SIGNATURE_HEIGHT, "s")
        signature_line(pdf, x, line, slot - 8 * mm, [], texts)
    return BOTTOM + band


def signature_line(pdf, x, y, width, over, under):
    """A line centred on `x` at height `y`, with lines of text just over it and under it."""
    pdf.setStrokeColor(INK)
    pdf.setLineWidth(0.5)
    pdf.line(x - width / 2, y, x + width / 2, y)
    stack(pdf, over, x, y + 1.2 * mm + height(over))
    stack(pdf, under, x, y - 1.8 * mm)
