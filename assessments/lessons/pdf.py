"""A lesson learned as an A4 PDF laid out like the secretariat's form (seed 004), from texts already picked (pure)."""
import io
from functools import partial

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from training.agenda_pdf import BRAND, MUTED, NumberedCanvas, embedded_fonts, literal_text, paragraph_text, plain_line

from .layout import BLOCKS, HINTS, JUDGMENTS, LABEL_KEYS

MARGIN = 18 * mm
SHADE = colors.HexColor("#e3eef3")  # the form's label cells
LINE = colors.HexColor("#9dbac6")
MARKED, UNMARKED = "☒", "☐"  # DejaVu Sans has both: the chosen type of lesson is the crossed box
LINES_PER_FLOWABLE = 40


def lesson_pdf(document):
    """The PDF bytes of one lesson: the header table (area, code), then the form's blocks in order, flowing over as
    many pages as the texts need, each page numbered with the program in its footer."""
    missing = LABEL_KEYS - set(document.labels)
    if missing:
        raise KeyError(f"labels lack {sorted(missing)}")
    regular, bold = embedded_fonts()
    styles = _styles(regular, bold)
    buffer = io.BytesIO()
    pdf = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                            bottomMargin=MARGIN + 2 * mm, author="Capacita",
                            title=plain_line(f"{document.code} · {document.texts.get('area', '')}"))
    story = [_header(document, styles, pdf.width), Spacer(1, 5 * mm)]
    for block in BLOCKS:
        story += _block(document, block, styles)
    footer = (plain_line(document.program), document.labels["page"], regular)
    pdf.build(story, canvasmaker=partial(NumberedCanvas, footer=footer, margin=MARGIN))
    return buffer.getvalue()


def _header(document, styles, width):
    """The form's top table: what area the lesson belongs to, and its code."""
    labels = document.labels
    rows = [[Paragraph(literal_text(labels["area"].upper()), styles["label"]),
             Paragraph(literal_text(labels["code"].upper()), styles["label"])],
            [Paragraph(literal_text(document.texts.get("area", "").upper()), styles["value"]),
             Paragraph(literal_text(document.code), styles["value"])]]
    table = Table(rows, colWidths=[width * 0.7, width * 0.3])
    table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("GRID", (0, 0), (-1, -1), 0.6, LINE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 5), ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
    ]))
    return table


def _block(document, block, styles):
    """A labelled block: its heading kept with the start of its body, the body free to flow over pages."""
    labels = document.labels
    label = labels[block].upper() if block in JUDGMENTS else labels[block]
    heading = [Paragraph(literal_text(label), styles["heading"])]
    if block in HINTS:
        heading.append(Paragraph(literal_text(labels[f"{block}_hint"]), styles["hint"]))
    if block == "sdgs":
        body = _bullets(document.sdgs, styles)
    elif block == "gcm":
        body = [Paragraph(literal_text(labels["principles"]), styles["subheading"]),
                *_bullets(document.principles, styles),
                Paragraph(literal_text(labels["objectives"]), styles["subheading"]),
                *_bullets(document.objectives, styles)]
    elif block == "kind":
        body = [_boxes(document, styles)]
    else:
        body = _paragraphs(document.texts.get(block, ""), styles)
    body = body or [Spacer(1, 4 * mm)]  # an empty block keeps its room, as on the paper form
    return [KeepTogether([*heading, body[0]]), *body[1:], Spacer(1, 3 * mm)]


def _paragraphs(text, styles):
    """One paragraph per paragraph typed (blank lines part them); a line break inside one stays a line break."""
    parts = [part.strip() for part in str(text or "").replace("\r\n", "\n").split("\n\n")]
    return [flowable for part in parts if part for flowable in _lines(part, styles)]


def _lines(part, styles):
    """A typed paragraph as flowables of at most LINES_PER_FLOWABLE lines, the gap after the last only: reportlab
    splits a paragraph across pages in time growing with the square of its lines (thousands took a minute)."""
    lines = part.splitlines()
    chunks = [lines[start:start + LINES_PER_FLOWABLE] for start in range(0, len(lines), LINES_PER_FLOWABLE)]
    return [Paragraph(paragraph_text("\n".join(chunk)), styles["body" if index == len(chunks) - 1 else "lines"])
            for index, chunk in enumerate(chunks)]


def _bullets(labels, styles):
    return [Paragraph(literal_text(label), styles["bullet"], bulletText="•") for label in labels if label]


def _boxes(document, styles):
    """The two types side by side, the chosen one's box crossed."""
    return Paragraph("&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;".join(
        f"{MARKED if document.kind == kind else UNMARKED}&nbsp;{literal_text(document.labels[kind])}"
        for kind in ("positive", "negative")), styles["boxes"])


def _styles(regular, bold):
    def style(name, font=regular, size=9.5, leading=13, **extra):
        return ParagraphStyle(name, fontName=font, fontSize=size, leading=leading, **extra)
    return {
        "label": style("label", bold, 8, 10, textColor=BRAND),
        "value": style("value", bold, 11, 14),
        "heading": style("heading", bold, 10, 13, textColor=BRAND, backColor=SHADE, borderPadding=(3, 4, 3, 4),
                         spaceBefore=2 * mm, spaceAfter=2.5 * mm),
        "hint": style("hint", size=8, leading=10, textColor=MUTED, spaceAfter=2 * mm),
        "subheading": style("subheading", bold, 9.5, 12.5, spaceBefore=1 * mm, spaceAfter=1 * mm),
        "body": style("body", spaceAfter=2 * mm),
        "lines": style("lines"),  # a long paragraph's lines before its last flowable: no gap between them
        "bullet": style("bullet", leftIndent=5 * mm, bulletIndent=1 * mm, spaceAfter=1 * mm),
        "boxes": style("boxes", size=10.5, leading=14),
    }
