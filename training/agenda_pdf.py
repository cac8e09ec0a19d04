"""Session agendas as an A4 PDF (reportlab), and what every PDF shares: fonts, literal text, page numbers (pure)."""
import io
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

FONTS = Path(__file__).resolve().parent.parent / "static" / "fonts"
BRAND = colors.HexColor("#0b5a75")
MUTED = colors.HexColor("#5b6673")


@dataclass
class AgendaRow:
    times: list  # one "14:00–14:05" per zone shown, the program's first
    kind: str
    title: str
    speakers: str = ""
    facilitators: str = ""


@dataclass
class AgendaSession:
    title: str
    when: str  # "martes, 19 de octubre de 2021 · 14:00–16:05 (Ciudad de México)"
    link: str = ""
    rows: list = field(default_factory=list)


@dataclass
class AgendaDocument:
    program_title: str
    sessions: list
    headers: dict  # column titles: "activity" and "facilitation"
    zones: list  # zone labels, one per time column (the times of each row in the same order)
    footer: str = ""

# Binary streams, as PDF writers write them today: reportlab's default wraps every stream (the JPEG artwork of a
# certificate too) in ASCII85, a quarter larger and a fifth of a certificate's drawing time. A process-wide setting,
# made here because every module that draws a PDF (agendas, impact summaries, certificates) imports this one.
rl_config.useA85 = 0


@cache
def embedded_fonts():
    """DejaVu ships with the app, so every accent and script prints the same on any server."""
    pdfmetrics.registerFont(TTFont("DejaVuSans", str(FONTS / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(FONTS / "DejaVuSans-Bold.ttf")))
    return "DejaVuSans", "DejaVuSans-Bold"


def agenda_pdf(document):
    """The PDF bytes of one or more session agendas."""
    regular, bold = embedded_fonts()
    styles = _styles(regular, bold)
    buffer = io.BytesIO()
    pdf = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=16 * mm, rightMargin=16 * mm, topMargin=16 * mm,
                            bottomMargin=16 * mm, title=document.program_title, author="Capacita")
    story = [Paragraph(literal_text(document.program_title), styles["title"])]
    for session in document.sessions:
        story += [Spacer(1, 4 * mm), Paragraph(literal_text(session.title), styles["session"]),
                  Paragraph(literal_text(session.when), styles["muted"])]
        if session.link:
            story.append(Paragraph(literal_text(session.link), styles["muted"]))
        story += [Spacer(1, 2 * mm), _table(document, session, styles, pdf.width)]
    if document.footer:
        story += [Spacer(1, 6 * mm), Paragraph(literal_text(document.footer), styles["muted"])]
    pdf.build(story)
    return buffer.getvalue()


MAX_CELL = 400  # characters of one cell: a row must fit on a page, whatever was typed into the agenda


def literal_text(value):
    """Literal text for a reportlab Paragraph: its mini-markup (<b>, <a>, &…;) never comes from data.
    Line breaks become ' · ' and very long text is cut, so no row outgrows a page."""
    value = " · ".join(line.strip() for line in (value or "").splitlines() if line.strip())
    if len(value) > MAX_CELL:
        value = value[:MAX_CELL - 1].rstrip() + "…"
    return escape(value)


def _styles(regular, bold):
    return {
        "title": ParagraphStyle("title", fontName=bold, fontSize=15, leading=19, textColor=BRAND),
        "session": ParagraphStyle("session", fontName=bold, fontSize=11.5, leading=15),
        "muted": ParagraphStyle("muted", fontName=regular, fontSize=8.5, leading=11, textColor=MUTED),
        "cell": ParagraphStyle("cell", fontName=regular, fontSize=8.5, leading=11),
        "kind": ParagraphStyle("kind", fontName=regular, fontSize=7, leading=9, textColor=MUTED),
        "head": ParagraphStyle("head", fontName=bold, fontSize=8, leading=10, textColor=colors.white),
    }


def _table(document, session, styles, width):
    time_width = 24 * mm
    people_width = 48 * mm
    zones = len(document.zones)
    widths = [time_width] * zones + [width - time_width * zones - people_width, people_width]
    head = [Paragraph(literal_text(label), styles["head"]) for label in document.zones] + \
        [Paragraph(literal_text(document.headers["activity"]), styles["head"]),
         Paragraph(literal_text(document.headers["facilitation"]), styles["head"])]
    body = [[Paragraph(literal_text(time), styles["cell"]) for time in row.times]
            + [[Paragraph(literal_text(row.kind), styles["kind"]), Paragraph(literal_text(row.title), styles["cell"])]
               + ([Paragraph(literal_text(row.speakers), styles["kind"])] if row.speakers else []),
               Paragraph(literal_text(row.facilitators), styles["cell"])]
            for row in session.rows]
    table = Table([head] + body, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), BRAND),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f1f5f8")]),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#d5dde3")),
        ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]))
    return KeepTogether(table) if len(body) < 25 else table


def plain_line(value):
    """One line of plain text (canvas strings and metadata are not markup)."""
    return " ".join(str(value or "").split())


def paragraph_text(value):
    """Literal text for a whole paragraph (findings, methods, a lesson's texts): like the cells above, but never cut
    short and keeping its line breaks."""
    return "<br/>".join(escape(" ".join(line.split())) for line in str(value or "").splitlines())


class NumberedCanvas(Canvas):
    """Holds the pages back until the end, so each footer can say "page X of Y". `footer` is (title, template with
    %(page)s and %(pages)s, font); `margin` the page's side margins the footer keeps to."""

    def __init__(self, *args, footer, margin=16 * mm, **kwargs):
        super().__init__(*args, **kwargs)
        self._footer, self._margin, self._pages = footer, margin, []

    def showPage(self):  # noqa: N802 (reportlab's name)
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        for number, page in enumerate(self._pages, 1):
            self.__dict__.update(page)
            self._draw_footer(number, total)
            super().showPage()
        super().save()

    def _draw_footer(self, number, total):
        title, template, font = self._footer
        label = template.replace("%(page)s", str(number)).replace("%(pages)s", str(total))
        width, _height = self._pagesize
        size = 7.5
        room = width - 2 * self._margin - stringWidth(label, font, size) - 8 * mm
        while title and stringWidth(title, font, size) > room:  # a long program title must not run into the number
            title = title[:-2].rstrip() + "…" if len(title) > 2 else ""
        self.saveState()
        self.setFont(font, size)
        self.setFillColor(MUTED)
        self.drawString(self._margin, 9 * mm, title)
        self.drawRightString(width - self._margin, 9 * mm, label)
        self.restoreState()
