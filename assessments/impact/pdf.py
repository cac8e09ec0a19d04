"""The impact report as an A4 PDF summary: findings, main tables and charts, texts given translated (pure)."""
import io
from functools import partial

from babel.numbers import format_decimal, get_decimal_symbol
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import (
    Image,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from training.agenda_pdf import BRAND, MUTED, NumberedCanvas, embedded_fonts, literal_text
from training.agenda_pdf import paragraph_text as _paragraph
from training.agenda_pdf import plain_line as _plain
from training.localized import pick

from .pdf_use import USE_TEXT_KEYS, use_section
from .provenance import versions_line
from .report import LIKERT_DIMENSIONS
from .summary_layout import summary_flowables
from .verdicts import DISCRIMINATION_VERDICTS, RELIABILITY_VERDICTS, discrimination_verdict, reliability_verdict

PARTICIPATION = ("registered", "pre", "post", "both", "pre_only", "post_only", "none")
SECTIONS = ("findings", "participation", "knowledge", "items", "countries", "likert", "use", "methods")
# Every key `texts` must have, each already in the reader's language. "findings" is a list of sentences, "methods"
# a list of (term, sentence) conventions (or one text), "page" holds %(page)s and %(pages)s; the other values are
# plain strings, printed literally.
TEXT_KEYS = frozenset({
    "findings", "methods", "page", *(f"heading_{name}" for name in SECTIONS),
    *(f"participation_{name}" for name in PARTICIPATION),
    "pairs", "max_score", "mean_pre", "mean_post", "mean_change", "ci", "t_df", "p_value", "cohen_dz",
    "wilcoxon_p", "changes", "hake_gain",
    "item", "text", "facility_pre", "facility_post", "p_exact", "p_holm",
    "country", "small_n",
    "question", "n", "median", "agreeing", "alpha", *(f"dimension_{name}" for name in LIKERT_DIMENSIONS),
    "empty_pairs", "empty_items", "empty_likert", "kr20_pre", "kr20_post", "discrimination_pre", "discrimination_post",
    *(f"verdict_{kind}_{verdict}" for kind in ("alpha", "kr20") for verdict in RELIABILITY_VERDICTS),
    *(f"verdict_discrimination_{verdict}" for verdict in DISCRIMINATION_VERDICTS), *USE_TEXT_KEYS,
})
OPTIONAL_TEXT_KEYS = frozenset({"date", "versions"})  # a date line; library versions (text or name → version)
CHART_ORDER = {"participation": ("funnel",), "knowledge": ("slopes", "distributions"), "items": ("items",),
               "countries": ("forest",)}
MARGIN = 16 * mm
ITEM_LINES, LIKERT_LINES = 2, 3  # lines of a question's text in a table row, at most (cut with an ellipsis)
FIT_LIMIT = 400  # characters looked at when cutting a question (agenda_pdf prints no more in a cell)
PAD = 4  # points of padding on either side of a table cell
CHART_SHARE = 0.8  # of the frame's height, at most, so a chart fits on a page with its heading
LINE = colors.HexColor("#d5dde3")
STRIPE = colors.HexColor("#f1f5f8")


def summary_pdf(report, texts, language, fallback, *, title, subtitle="", charts=None, group_name=None,
                overview=None, overview_charts=None):
    """The PDF bytes of `report` (impact.report.report). `texts` maps every key of TEXT_KEYS (and optionally
    "date" and "versions") to its text in the reader's language; question texts are picked in `language`, else
    `fallback`, and numbers use `language`'s decimal mark. `charts` maps a chart's name ("funnel", "slopes",
    "distributions", "items", "forest", "likert-0"…) to PNG bytes; those missing are left out. `group_name(attribute,
    value)` names a country (default: the stored value). `overview` (summary_layout's summary data) is the first
    page, with `overview_charts` (PNG bytes by name) beside its findings; the full figures follow it."""
    missing = TEXT_KEYS - set(texts)
    if missing:
        raise KeyError(f"texts lack {sorted(missing)}")
    buffer = io.BytesIO()
    pdf = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                            bottomMargin=MARGIN + 2 * mm, title=_plain(title), author="Capacita")
    summary = _Summary(texts, language, fallback, charts or {}, group_name, pdf.width, pdf.height)
    story = []
    if overview is not None:
        story = summary_flowables(overview, overview_charts or {}, pdf.width, pdf.height) + [PageBreak()]
    story += summary.header(title, subtitle) + summary.findings() + summary.participation(report["participation"])
    story += summary.knowledge(report) + summary.items(report["items"], report["quality"])
    story += summary.countries(report["subgroups"])
    story += summary.likert(report["likert"]) + use_section(summary, report.get("use_at_work")) + summary.methods()
    regular, _bold = embedded_fonts()
    pdf.build(story, canvasmaker=partial(NumberedCanvas, footer=(_plain(title), texts["page"], regular),
                                         margin=MARGIN))
    return buffer.getvalue()


class _Summary:
    """The story's parts, in the reader's language and number format."""

    def __init__(self, texts, language, fallback, charts, group_name, width, height):
        self.texts, self.language, self.fallback, self.charts = texts, language, fallback, charts
        self.group_name = group_name or (lambda _attribute, value: value)
        self.width, self.height = width, height
        self.styles = _styles(*embedded_fonts())
        self.bold = embedded_fonts()[1]
        self.bounds = "; " if get_decimal_symbol(language) == "," else ", "  # "[2,06; 3,13]" but "[2.06, 3.13]"

    # -- numbers -------------------------------------------------------------------------------------------------
    def number(self, value, digits=2, sign=False):
        if value is None:
            return "—"
        value = round(value, digits) + 0.0  # no "-0,00"
        text = format_decimal(value, format="#,##0." + "0" * digits if digits else "#,##0", locale=self.language)
        return "+" + text if sign and value > 0 else text

    def percent(self, share):
        return "—" if share is None else self.number(100 * share, 1) + " %"

    def p(self, value):
        if value is None:
            return "—"
        return "< " + self.number(0.001, 3) if value < 0.001 else self.number(value, 3)

    def interval(self, low, high, digits=2):
        if low is None or high is None:
            return "—"
        return f"[{self.number(low, digits)}{self.bounds}{self.number(high, digits)}]"

    def count(self, value):
        return "—" if value is None else self.number(value, 0)

    # -- building blocks ----------------------------------------------------------------------------------------
    def para(self, text, style="body"):
        return Paragraph(literal_text(str(text)), self.styles[style])

    def section(self, key, *flowables, keep=1):
        """A section's heading kept on the same page as its first `keep` flowables (never a KeepTogether: one inside
        another claims a whole page)."""
        heading = Paragraph(literal_text(self.texts[f"heading_{key}"]), self.styles["heading"])
        return [Spacer(1, 5 * mm), KeepTogether([heading, *flowables[:keep]]), *flowables[keep:]]

    def fit(self, text, width, lines):
        """`text` on one line, cut with an ellipsis so that it wraps to at most `lines` lines of a `width`-wide
        table cell: a long question keeps its row short."""
        whole = _plain(text)
        if len(whole) <= FIT_LIMIT and self._lines(whole, width) <= lines:
            return whole
        low, high = 0, min(len(whole), FIT_LIMIT)  # the longest prefix that fits, by bisection
        while low < high:
            middle = (low + high + 1) // 2
            if self._lines(whole[:middle].rstrip() + "…", width) <= lines:
                low = middle
            else:
                high = middle - 1
        return whole[:low].rstrip() + "…"

    def _lines(self, text, width):
        paragraph = Paragraph(literal_text(text), self.styles["cell"])
        paragraph.wrap(width, 10 * self.height)
        return len(paragraph.blPara.lines)

    def chart(self, name):
        """The chart's PNG at the frame's width (or less, when it would be too tall), keeping its proportions."""
        data = self.charts.get(name)
        if not data:
            return []
        pixels_wide, pixels_high = ImageReader(io.BytesIO(data)).getSize()
        scale = min(self.width / pixels_wide, CHART_SHARE * self.height / pixels_high)
        return [Spacer(1, 3 * mm), Image(io.BytesIO(data), width=pixels_wide * scale, height=pixels_high * scale)]

    def columns(self, *shares):
        """Column widths in proportion to `shares`, summing to the frame's width."""
        return [share * self.width / sum(shares) for share in shares]

    def table(self, head, rows, widths, numeric=()):
        """Paragraph cells (text wraps, never overflows) under a coloured header; `numeric` columns right-aligned."""
        cell = [self.styles["number" if index in numeric else "cell"] for index in range(len(head))]
        heads = [self.styles["head_number" if index in numeric else "head"] for index in range(len(head))]
        data = [[Paragraph(literal_text(value), style) for value, style in zip(head, heads, strict=True)]]
        data += [[Paragraph(literal_text(value), style) for value, style in zip(row, cell, strict=True)]
                 for row in rows]
        table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
        table.setStyle(TableStyle([
            ("BACKGROUND", (0, 0), (-1, 0), BRAND), ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, STRIPE]),
            ("LINEBELOW", (0, 0), (-1, -1), 0.25, LINE),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
            ("LEFTPADDING", (0, 0), (-1, -1), PAD), ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
        ]))
        return table

    # -- sections -----------------------------------------------------------------------------------------------
    def header(self, title, subtitle):
        story = [Paragraph(literal_text(title), self.styles["title"])]
        story += [self.para(line, "subtitle") for line in (subtitle, self.texts.get("date")) if line]
        return story

    def findings(self):
        sentences = self.texts["findings"]
        sentences = [sentences] if isinstance(sentences, str) else [s for s in sentences if str(s).strip()]
        return self.section("findings", *([Paragraph(_paragraph(sentence), self.styles["finding"], bulletText="•")
                                           for sentence in sentences] or [self.para("—")]))

    def participation(self, counts):
        head = [self.texts[f"participation_{name}"] for name in PARTICIPATION]
        table = self.table(head, [[self.count(counts.get(name)) for name in PARTICIPATION]],
                           self.columns(*[1] * len(PARTICIPATION)), numeric=range(len(PARTICIPATION)))
        return self.section("participation", table, *self.chart("funnel"))

    def knowledge(self, report):
        result, t = report["knowledge"], self.texts
        if not result["n_pairs"]:
            return self.section("knowledge", self.para(t["empty_pairs"]))
        test = "—" if result["t"] is None else f"t({self.count(result['df'])}) = {self.number(result['t'])}"
        figures = [
            (t["pairs"], self.count(result["n_pairs"])), (t["max_score"], self.number(report["max_score"], 0)),
            (t["mean_pre"], self.mean_sd(result["mean_pre"], result["sd_pre"])),
            (t["mean_post"], self.mean_sd(result["mean_post"], result["sd_post"])),
            (t["mean_change"], self.number(result["mean_diff"], sign=True)),
            (t["ci"], self.interval(result["ci_low"], result["ci_high"])),
            (t["t_df"], test), (t["p_value"], self.p(result["p_value"])),
            (t["cohen_dz"], self._with_interval(result["cohen_dz"], result["cohen_dz_ci_low"],
                                                result["cohen_dz_ci_high"])),
            (t["wilcoxon_p"], self.p(result["wilcoxon_p"])),
            (t["changes"], " / ".join(self.count(result[k]) for k in ("n_improved", "n_unchanged", "n_declined"))),
            (t["hake_gain"], self.number(result["hake_gain"])),
        ]
        return self.section("knowledge", self.grid(figures), *self.chart("slopes"), *self.chart("distributions"))

    def mean_sd(self, mean, sd):
        return "—" if mean is None else f"{self.number(mean)} ({self.number(sd)})"

    def _with_interval(self, value, low, high):
        if value is None:
            return "—"
        return self.number(value) + ("" if low is None or high is None else " " + self.interval(low, high))

    def grid(self, figures):
        """Label–value pairs, two to a row: the whole paired comparison in a few lines."""
        rows = [[*figures[index], *(figures[index + 1] if index + 1 < len(figures) else ("", ""))]
                for index in range(0, len(figures), 2)]
        data = [[self.para(label, "label"), self.para(value, "number"), self.para(label2, "label"),
                 self.para(value2, "number")] for label, value, label2, value2 in rows]
        table = Table(data, colWidths=[w * self.width for w in (0.29, 0.21, 0.29, 0.21)], hAlign="LEFT")
        table.setStyle(TableStyle([
            ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LINEBELOW", (0, 0), (-1, -1), 0.25, LINE),
            ("LINEBEFORE", (2, 0), (2, -1), 0.25, LINE),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ]))
        return table

    def items(self, rows, quality):
        t = self.texts
        if not rows:
            return self.section("items", self.para(t["empty_items"]))
        head = [t["item"], t["text"], t["facility_pre"], t["facility_post"], t["p_exact"], t["p_holm"]]
        widths = self.columns(17, 85, 19, 19, 19, 19)
        body = [[row["item_key"], self.fit(pick(row["text"], self.language, self.fallback) or row["item_key"],
                                           widths[1] - 2 * PAD, ITEM_LINES),
                 self.percent(row["facility_pre"]), self.percent(row["facility_post"]),
                 self.p(row["mcnemar"]["p_exact"]), self.p(row["p_holm"])] for row in rows]
        table = self.table(head, body, widths, numeric=(2, 3, 4, 5))
        return self.section("items", table, *self.chart("items"), *self.quality(quality))

    def quality(self, quality):
        """Each test's KR-20 and its items whose discrimination is negative, each with what it means."""
        t, notes = self.texts, []
        for kind in ("pre", "post"):
            kr20 = quality[kind]["kr20"]
            verdict = reliability_verdict(kr20["alpha"])
            if verdict:
                value = self._with_interval(kr20["alpha"], kr20["ci_low"], kr20["ci_high"])
                notes.append(self.para(f"{t[f'kr20_{kind}']}: {value}. {t[f'verdict_kr20_{verdict}']}", "note"))
            for key, stat in zip(quality[kind]["keys"], quality[kind]["items"]["items"] or [], strict=False):
                index = stat["discrimination_index"]
                if discrimination_verdict(index) == "negative":
                    notes.append(self.para(f"{key} · {t[f'discrimination_{kind}']}: {self.number(index)}. "
                                           f"{t['verdict_discrimination_negative']}", "note"))
        return notes

    def countries(self, blocks):
        t = self.texts
        rows = next((block["rows"] for block in blocks if block["attribute"] == "country"), [])
        if not rows:
            return self.section("countries", self.para(t["empty_pairs"]))
        head = [t["country"], t["pairs"], t["mean_change"], t["ci"], t["p_holm"], ""]
        body = [[str(self.group_name("country", row["value"]) or "—"), self.count(row["result"]["n_pairs"]),
                 self.number(row["result"]["mean_diff"], sign=True),
                 self.interval(row["result"]["ci_low"], row["result"]["ci_high"]), self.p(row["p_holm"]),
                 t["small_n"] if row["small_n"] else ""] for row in rows]
        table = self.table(head, body, self.columns(58, 16, 22, 34, 20, 28), numeric=(1, 2, 3, 4))
        return self.section("countries", table, *self.chart("forest"))

    def likert(self, blocks):
        t = self.texts
        if not blocks:
            return self.section("likert", self.para(t["empty_likert"]))
        widths, story = self.columns(118, 16, 20, 24), []
        for index, block in enumerate(blocks):
            body = [[self.fit(pick(q["text"], self.language, self.fallback), widths[0] - 2 * PAD, LIKERT_LINES),
                     self.count(q["n"]), self._median(q["median"]), self.percent(q["agreeing"])]
                    for q in block["questions"]]
            title = self.para(t.get(f"dimension_{block['dimension']}", block["dimension"]), "subheading")
            table = self.table([t["question"], t["n"], t["median"], t["agreeing"]], body, widths, numeric=(1, 2, 3))
            story += [title, table] if index == 0 else [Spacer(1, 4 * mm), KeepTogether([title, table])]
            alpha = block.get("alpha") or {}
            if alpha.get("alpha") is not None:
                value = self._with_interval(alpha["alpha"], alpha["ci_low"], alpha["ci_high"])
                meaning = t[f"verdict_alpha_{reliability_verdict(alpha['alpha'])}"]
                story.append(self.para(f"{t['alpha']}: {value}. {meaning}", "note"))
            # A block has a chart per scale: "likert-0", then "likert-0-1"… (texts.likert_chart_names), in order.
            for name in self.charts or ():
                if name == f"likert-{index}" or name.startswith(f"likert-{index}-"):
                    story += self.chart(name)
        return self.section("likert", *story, keep=2)

    def _median(self, value):
        return "—" if value is None else self.number(value, 0 if float(value).is_integer() else 1)

    def methods(self):
        """The conventions, one bullet each with its term in bold, then the versions that computed the figures."""
        versions, methods = self.texts.get("versions"), self.texts["methods"]
        if isinstance(versions, dict):
            versions = versions_line(versions)
        if isinstance(methods, str):
            paragraphs = [Paragraph(_paragraph(methods), self.styles["body"])]
        else:
            paragraphs = [Paragraph(f'<font name="{self.bold}">{_paragraph(term)}</font>: {_paragraph(sentence)}',
                                    self.styles["method"], bulletText="•") for term, sentence in methods]
        return self.section("methods", *paragraphs,
                            *([Spacer(1, 2 * mm), self.para(versions, "note")] if versions else []))


def _styles(regular, bold):
    def style(name, font=regular, size=8.5, leading=11, **extra):
        return ParagraphStyle(name, fontName=font, fontSize=size, leading=leading, **extra)
    return {
        "title": style("title", bold, 16, 20, textColor=BRAND, spaceAfter=2),
        "subtitle": style("subtitle", size=9.5, leading=12.5, textColor=MUTED),
        "heading": style("heading", bold, 12, 15, textColor=BRAND, spaceAfter=2.5 * mm, keepWithNext=1),
        "subheading": style("subheading", bold, 9.5, 12, spaceAfter=1.5 * mm, keepWithNext=1),
        "body": style("body", size=9.5, leading=13),
        "finding": style("finding", size=9.5, leading=13, leftIndent=4 * mm, bulletIndent=0, spaceAfter=1.5 * mm),
        "method": style("method", leftIndent=4 * mm, bulletIndent=0, spaceAfter=1 * mm),
        "note": style("note", size=8, leading=10.5, textColor=MUTED, spaceBefore=1 * mm),
        "cell": style("cell", size=8, leading=10),
        "number": style("number", size=8, leading=10, alignment=TA_RIGHT),
        "label": style("label", size=8, leading=10, textColor=MUTED),
        "head": style("head", bold, 7.5, 9.5, textColor=colors.white),
        "head_number": style("head_number", bold, 7.5, 9.5, textColor=colors.white, alignment=TA_RIGHT),
    }
