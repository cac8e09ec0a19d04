"""The one-page summary on paper and as a slide: the PDF's first page, a 16:9 page, and that page as a PNG (pure).

`summary` is plain, already-translated data: {"title", "subtitle", "composition": [lines], "findings": [{"heading",
"verdict", "sentence", "caveats": [texts], "chart": name or None}], "note"}. Charts are PNG bytes by name."""
import io
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Image, KeepInFrame, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from training.agenda_pdf import BRAND, MUTED, embedded_fonts

SLIDE = (338.67 * mm, 190.5 * mm)  # 13.33 × 7.5 inches: a 16:9 slide as presentation programs make them
SLIDE_MARGIN = 10 * mm
SLIDE_PIXELS = 1920  # the PNG's width: sharp on a projector and in a slide deck
CHART_SHARE = 0.42  # of the width, beside each finding on the page
CHART_HEIGHT = 52 * mm  # at most, so that five findings and their charts fit on one A4 page
LINE = colors.HexColor("#d5dde3")
VERDICT_COLOURS = {"new": "#1e6b3a", "update": "#8a5a00", "error": "#a32020"}


def summary_flowables(summary, charts, width, height, *, slide=False):
    """The summary as one frame-sized block (shrunk to fit when the texts are long): it is always one page."""
    styles = _styles(*embedded_fonts(), scale=1.15 if slide else 1.0)
    story = [Paragraph(_text(summary["title"]), styles["title"]),
             Paragraph(_text(summary["subtitle"]), styles["subtitle"])]
    story += [Paragraph(_text(line), styles["composition"]) for line in summary["composition"]]
    story.append(Spacer(1, 2 * mm))
    story.append(_grid(summary["findings"], charts, width, styles, columns=3 if slide else 1))
    if summary.get("note"):
        story.append(Paragraph(_text(summary["note"]), styles["note"]))
    return [KeepInFrame(width, height, story, mode="shrink")]


def _grid(findings, charts, width, styles, columns):
    """One row per finding (text beside its chart), or on a slide a grid of `columns` cells (chart under text)."""
    if columns == 1:
        text_width = width * (1 - CHART_SHARE)
        rows = [[_finding_text(finding, styles), _chart(charts.get(finding["chart"]), width * CHART_SHARE - 4 * mm,
                                                        CHART_HEIGHT)] for finding in findings]
        table = Table(rows, colWidths=[text_width, width * CHART_SHARE], hAlign="LEFT")
    else:
        cell_width = width / columns
        # A cell is one list of flowables: the text, then the chart when there is one (never '' among them).
        cells = [[*_finding_text(finding, styles),
                  *filter(None, [_chart(charts.get(finding["chart"]), cell_width - 6 * mm, 45 * mm)])]
                 for finding in findings]
        rows = [cells[index:index + columns] for index in range(0, len(cells), columns)]
        rows[-1] += [""] * (columns - len(rows[-1]))
        table = Table(rows, colWidths=[cell_width] * columns, hAlign="LEFT")
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LINEABOVE", (0, 0), (-1, -1), 0.5, LINE),
                               ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                               ("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 6)]))
    return table


def _finding_text(finding, styles):
    heading = _text(finding["heading"])
    if finding.get("verdict"):
        colour = VERDICT_COLOURS.get(finding.get("tone"), VERDICT_COLOURS["update"])
        heading += f' <font color="{colour}">· {_text(finding["verdict"])}</font>'
    parts = [Paragraph(heading, styles["heading"]), Paragraph(_text(finding["sentence"]), styles["body"])]
    parts += [Paragraph(_text(caveat), styles["caveat"], bulletText="–") for caveat in finding.get("caveats", ())]
    return parts


def _chart(data, width, height):
    """The chart's PNG within `width` × `height`, keeping its proportions ('' when there is none)."""
    if not data:
        return ""
    pixels_wide, pixels_high = ImageReader(io.BytesIO(data)).getSize()
    scale = min(width / pixels_wide, height / pixels_high)
    return Image(io.BytesIO(data), width=pixels_wide * scale, height=pixels_high * scale, hAlign="LEFT")


def slide_pdf(summary, charts):
    """The summary on one 16:9 page (PDF bytes)."""
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=SLIDE, leftMargin=SLIDE_MARGIN, rightMargin=SLIDE_MARGIN,
                                 topMargin=SLIDE_MARGIN, bottomMargin=SLIDE_MARGIN, title=_plain(summary["title"]),
                                 author="Capacita")
    document.build(summary_flowables(summary, charts, document.width, document.height, slide=True))
    return buffer.getvalue()


def slide_png(summary, charts):
    """The summary as a 1920-pixel-wide 16:9 PNG: the slide page, rasterized by PDFium."""
    import pypdfium2  # a 5 MB library: loaded by the one job that draws a slide

    document = pypdfium2.PdfDocument(slide_pdf(summary, charts))
    try:
        page = document[0]
        image = page.render(scale=SLIDE_PIXELS / page.get_width()).to_pil()
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", optimize=True)
        return buffer.getvalue()
    finally:
        document.close()


def _text(value):
    """Literal text for a Paragraph: data never becomes reportlab markup."""
    return escape(" ".join(str(value or "").split()))


def _plain(value):
    return " ".join(str(value or "").split())


def _styles(regular, bold, scale=1.0):
    def style(name, font=regular, size=9.0, leading=12.0, **extra):
        return ParagraphStyle(name, fontName=font, fontSize=size * scale, leading=leading * scale, **extra)
    return {
        "title": style("title", bold, 17, 21, textColor=BRAND, spaceAfter=1),
        "subtitle": style("subtitle", size=10, leading=13, textColor=MUTED, spaceAfter=2 * mm),
        "composition": style("composition", size=8.5, leading=11.5),
        "heading": style("heading", bold, 11, 14, textColor=BRAND, spaceAfter=1.5 * mm),
        "body": style("body", size=9.5, leading=12.5),
        "caveat": style("caveat", size=8.5, leading=11, textColor=MUTED, leftIndent=3 * mm, bulletIndent=0,
                        spaceBefore=1),
        "note": style("note", size=8, leading=10.5, textColor=MUTED, spaceBefore=2 * mm),
    }
