"""The impact report as an XLSX workbook: one sheet per table and the raw paired data, texts given translated (pure)."""
import dataclasses
import io
import math
import re

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from training.exporting import FORMULA_STARTS
from training.localized import pick

from .. import stats
from ..question_types import DIMENSIONS
from .provenance import display_name
from .report import FILTERS, SUBGROUP_ATTRIBUTES
from .verdicts import DISCRIMINATION_VERDICTS, RELIABILITY_VERDICTS, discrimination_verdict, reliability_verdict


def _fields(result_class, *skip):
    return tuple(f.name for f in dataclasses.fields(result_class) if f.name not in skip)


PAIRED_FIELDS = _fields(stats.PairedComparison)
ITEM_STAT_FIELDS = _fields(stats.ItemStatistics)
TEST_FIELDS = _fields(stats.ItemAnalysis, "items")
ALPHA_FIELDS = _fields(stats.CronbachAlpha, "alpha")
DIFFERENCE_FIELDS = _fields(stats.GroupComparison, "groups", "skipped")
PARTICIPATION = ("registered", "pre", "post", "both", "pre_only", "post_only", "none")
SUMMARY_FIELDS = ("n_pairs", "mean_pre", "mean_post", "mean_diff", "ci_low", "ci_high", "t", "df", "p_value",
                  "cohen_dz", "n_improved", "n_unchanged", "n_declined")
ITEM_COLUMNS = ("item", "text", "n", "facility_pre", "facility_post", "b", "c", "p_exact", "p_midp", "chi2_cc",
                "p_cc", "p_holm", "p_bh", "reason")
SUBGROUP_COLUMNS = ("n_pairs", "mean_pre", "mean_post", "mean_diff", "ci_low", "ci_high", "t", "df", "p_value",
                    "p_holm", "small_n", "reason")
LIKERT_COLUMNS = ("n", "median", "q1", "q3", "agreeing")
ALPHA_COLUMNS = ("dimension", "alpha", "ci_low", "ci_high", "n_respondents", "n_items", "n_excluded", "reason",
                 "reading")
WILCOXON_METHODS = ("exact", "normal_approximation")
SHEETS = ("summary", "paired", "items", "quality_pre", "quality_post", *SUBGROUP_ATTRIBUTES, "likert",
          "open_answers", "use", "raw", "methods")
USE_RESPONSE = ("use_completers", "use_respondents", "use_response_rate", "use_other_respondents")
USE_FIELDS = ("n_pairs", "mean_pre", "sd_pre", "mean_post", "sd_post", "mean_diff", "sd_diff", "ci_low", "ci_high",
              "t", "df", "p_value", "wilcoxon_v", "wilcoxon_n", "wilcoxon_p", "wilcoxon_method", "n_improved",
              "n_unchanged", "n_declined", "reason")
USE_ITEM_COLUMNS = ("item", "text", "n_pairs", "use_intended", "use_reported", "mean_diff", "ci_low", "ci_high",
                    "wilcoxon_p", "p_holm", "reason")

# Every key `labels` must have: sheet names, column headers and row labels, all shown as given.
LABEL_KEYS = frozenset({
    *(f"sheet_{name}" for name in SHEETS), "figure", "value", "program", "all",
    *(f"attribute_{name}" for name in (*FILTERS, *SUBGROUP_ATTRIBUTES)),
    "section_participation", *(f"participation_{name}" for name in PARTICIPATION),
    "attrition_mean_both", "attrition_mean_pre_only", "section_knowledge", "max_score",
    *PAIRED_FIELDS, *(f"method_{name}" for name in WILCOXON_METHODS),
    *ITEM_COLUMNS, *ITEM_STAT_FIELDS, "section_test", *TEST_FIELDS, "section_kr20", "kr20", *ALPHA_FIELDS,
    *SUBGROUP_COLUMNS, "section_difference", *DIFFERENCE_FIELDS,
    *LIKERT_COLUMNS, *ALPHA_COLUMNS, *(f"dimension_{name}" for name in DIMENSIONS),
    "test", "pre", "post", "question", "answer",
    "respondent", "pre_score", "post_score", "change",
    "convention", "method", "section_versions", "reading",
    "section_response", *USE_RESPONSE, "use_intended_responders", "use_intended_non_responders", "section_use",
    "use_intended", "use_reported", "use_statements", "section_use_items", "section_use_people", "use_empty",
    *(f"verdict_{kind}_{verdict}" for kind in ("alpha", "kr20") for verdict in RELIABILITY_VERDICTS),
    *(f"verdict_discrimination_{verdict}" for verdict in DISCRIMINATION_VERDICTS),
})

PERCENT, DECIMAL, ONE_DECIMAL, GENERAL = "0.0%", "0.00", "0.0", "General"
# Shares (0–1) are stored as fractions and shown as percentages; p-values keep Excel's General format, which
# switches to scientific notation for the very small ones instead of showing 0.000.
PERCENT_KEYS = {"confidence", "facility", "facility_pre", "facility_post", "effective_weight", "agreeing", "cic",
                "error_ratio", "use_response_rate"}
MAX_WIDTH, MIN_WIDTH = 60, 8
MAX_CELL_TEXT = 32767  # Excel's limit per cell
_BAD_TITLE = re.compile(r"[\[\]:*?/\\]")
_BOLD = Font(bold=True)


def workbook_bytes(report, labels, language, fallback, *, group_name=None, provenance=None, reason_text=None,
                   methods=()):
    """The XLSX file of `report` (impact.report.report). `labels` maps every key of LABEL_KEYS to its text in
    the reader's language; question texts are picked in `language`, else `fallback`. `group_name(attribute,
    value)` names a country, gender or profile (default: the stored value), `reason_text(code)` explains why a
    figure is missing (default: the code), `provenance` maps a library to its version and `methods` lists the
    methods' conventions as (term, sentence) (Methods sheet). A reliability and a discrimination worth a word get
    their `verdict_…` sentence next to them."""
    missing = LABEL_KEYS - set(labels)
    if missing:
        raise KeyError(f"labels lack {sorted(missing)}")
    book = _Book(labels, language, fallback, group_name or (lambda _attribute, value: value),
                 reason_text or (lambda code: code))
    _summary(book, report)
    _paired(book, report)
    _items(book, report)
    for kind in ("pre", "post"):
        _quality(book, report, kind)
    for block in report["subgroups"]:
        _subgroup(book, block)
    _likert(book, report)
    _open_answers(book, report)
    if report.get("use_at_work"):
        _use(book, report["use_at_work"])
    _raw(book, report)
    _methods(book, report, methods, provenance or {})
    return book.save()


class _Book:
    """The workbook being written and what every sheet needs to name things."""

    def __init__(self, labels, language, fallback, group_name, reason_text):
        self.workbook = Workbook()
        self.workbook.remove(self.workbook.active)
        self.labels, self.language, self.fallback = labels, language, fallback
        self.group_name, self.reason_text = group_name, reason_text

    def label(self, key, default=None):
        return str(self.labels.get(key, key if default is None else default))

    def text(self, texts):
        return pick(texts or {}, self.language, self.fallback)

    def reason(self, code):
        return None if code is None else self.reason_text(code)

    def reliability(self, kind, value):
        """What an alpha ('alpha') or a KR-20 ('kr20') means, in a sentence (None when it was not computed)."""
        verdict = reliability_verdict(value)
        return self.label(f"verdict_{kind}_{verdict}") if verdict else None

    def discrimination(self, value):
        verdict = discrimination_verdict(value)
        return self.label(f"verdict_discrimination_{verdict}") if verdict else None

    def sheet(self, name, headers):
        """A new sheet with its (translated) column headers in bold, frozen above the data."""
        taken = {sheet.title.casefold() for sheet in self.workbook.worksheets}
        sheet = _Sheet(self.workbook.create_sheet(_sheet_title(self.label(name), taken)))
        sheet.row([self.label(header) for header in headers], bold=True)
        sheet.sheet.freeze_panes = "A2"
        return sheet

    def save(self):
        for sheet in self.workbook.worksheets:
            _fit_columns(sheet)
        buffer = io.BytesIO()
        self.workbook.save(buffer)
        return buffer.getvalue()


class _Sheet:
    def __init__(self, sheet):
        self.sheet, self.next_row = sheet, 1

    def row(self, values, formats=(), bold=False):
        """Append one row; `formats` gives a number format per column (None: decided by the value)."""
        formats = tuple(formats) + (None,) * (len(values) - len(formats))
        for column, (value, number_format) in enumerate(zip(values, formats, strict=True), 1):
            _put(self.sheet.cell(row=self.next_row, column=column), value, number_format, bold)
        self.next_row += 1

    def blank(self):
        self.next_row += 1

    def figures(self, book, result, keys, labels=None):
        """Label/value rows of `keys` of a result dict (`labels`: key → label key, when they differ)."""
        for key in keys:
            value = result.get(key) if result else None
            if key == "reason":
                value = book.reason(value)
            elif key == "wilcoxon_method" and value is not None:
                value = book.label(f"method_{value}", value)
            self.row([book.label((labels or {}).get(key, key)), value], (None, _format(key)))


def _put(cell, value, number_format, bold):
    if bold:
        cell.font = _BOLD
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return
    if isinstance(value, bool | int | float):
        cell.value = value
        if not isinstance(value, bool):
            cell.number_format = number_format or (DECIMAL if isinstance(value, float) else GENERAL)
        return
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))[:MAX_CELL_TEXT]
    cell.value = text
    # A string cell is never evaluated, whatever it starts with; the quote prefix keeps it text when someone
    # edits the cell in Excel or LibreOffice. Both leave the text itself as written.
    cell.data_type = "s"
    if text.startswith(FORMULA_STARTS):
        cell.quotePrefix = True


def _format(key):
    if key in PERCENT_KEYS:
        return PERCENT
    if key in ("median", "q1", "q3", "max_score"):
        return ONE_DECIMAL
    if key in ("p", "p_value", "wilcoxon_p_exact_conditional") or key.startswith("p_") or key.endswith("_p"):
        return GENERAL
    return None


def _sheet_title(text, taken):
    """At most 31 characters, none of those Excel refuses in a sheet name, unique regardless of case."""
    base = _BAD_TITLE.sub("-", ILLEGAL_CHARACTERS_RE.sub("", text)).strip().strip("'")[:31].strip() or "Sheet"
    title, number = base, 1
    while title.casefold() in taken:
        number += 1
        suffix = f" ({number})"
        title = base[:31 - len(suffix)] + suffix
    return title


def _fit_columns(sheet):
    """Columns as wide as their content, within reason; long texts wrap instead."""
    widths = {}
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value is None:
                continue
            length = len(cell.value) if isinstance(cell.value, str) else 10
            if length > MAX_WIDTH:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            widths[cell.column] = max(widths.get(cell.column, MIN_WIDTH), min(length + 2, MAX_WIDTH))
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = width


def _summary(book, report):
    sheet = book.sheet("sheet_summary", ("figure", "value"))
    if report.get("program"):
        sheet.row([book.label("program"), report["program"]])
    for name in FILTERS:
        value = report["filters"].get(name)
        sheet.row([book.label(f"attribute_{name}"), book.group_name(name, value) if value else book.label("all")])
    sheet.row([book.label("section_participation")], bold=True)
    participation = report["participation"]
    sheet.figures(book, participation, PARTICIPATION, {name: f"participation_{name}" for name in PARTICIPATION})
    attrition = participation.get("attrition") or {}
    means = {group["name"]: group["mean"] for group in attrition.get("groups", [])}
    sheet.figures(book, {"attrition_mean_both": means.get("both"), "attrition_mean_pre_only": means.get("pre_only"),
                         **attrition}, ("attrition_mean_both", "attrition_mean_pre_only", "welch_t", "welch_df",
                                        "welch_p"))
    sheet.row([book.label("section_knowledge")], bold=True)
    sheet.figures(book, {"max_score": report["max_score"], "confidence": report["confidence"],
                         **report["knowledge"]}, ("max_score", "confidence", *SUMMARY_FIELDS))


def _paired(book, report):
    sheet = book.sheet("sheet_paired", ("figure", "value"))
    knowledge = report["knowledge"]
    sheet.figures(book, knowledge, [*PAIRED_FIELDS, *(key for key in knowledge if key not in PAIRED_FIELDS)])


def _items(book, report):
    sheet = book.sheet("sheet_items", ITEM_COLUMNS)
    for row in report["items"]:
        test = row.get("mcnemar") or {}
        sheet.row([row["item_key"], book.text(row["text"]), row["n"], row["facility_pre"], row["facility_post"],
                   row["b"], row["c"], test.get("p_exact"), test.get("p_midp"), test.get("chi2_cc"),
                   test.get("p_cc"), row.get("p_holm"), row.get("p_bh"), book.reason(test.get("reason"))],
                  [_format(column) for column in ITEM_COLUMNS])


def _quality(book, report, kind):
    quality = report["quality"][kind]
    analysis = quality["items"]
    columns = ("item", "text", *ITEM_STAT_FIELDS, "reading")
    sheet = book.sheet(f"sheet_quality_{kind}", columns)
    texts = {row["item_key"]: row["text"] for row in report["items"]}
    for key, stat in zip(quality["keys"], analysis.get("items") or [], strict=False):
        sheet.row([key, book.text(texts.get(key)), *(book.reason(stat.get(name)) if name == "reason" else stat.get(name)
                              for name in ITEM_STAT_FIELDS), book.discrimination(stat.get("discrimination_index"))],
                  [_format(column) for column in columns])
    sheet.blank()
    sheet.row([book.label("section_test")], bold=True)
    sheet.figures(book, analysis, TEST_FIELDS)
    sheet.blank()
    sheet.row([book.label("section_kr20")], bold=True)
    kr20 = quality.get("kr20") or {}
    sheet.figures(book, kr20, ("alpha", *ALPHA_FIELDS), {"alpha": "kr20"})
    sheet.row([book.label("reading"), book.reliability("kr20", kr20.get("alpha"))])


def _subgroup(book, block):
    attribute = block["attribute"]
    sheet = book.sheet(f"sheet_{attribute}", (f"attribute_{attribute}", *SUBGROUP_COLUMNS))
    for row in block["rows"]:
        result = {**row["result"], "p_holm": row.get("p_holm"), "small_n": row["small_n"]}
        sheet.row([book.group_name(attribute, row["value"]),
                   *(book.reason(result.get(key)) if key == "reason" else result.get(key)
                     for key in SUBGROUP_COLUMNS)], [None, *(_format(key) for key in SUBGROUP_COLUMNS)])
    sheet.blank()
    sheet.row([book.label("section_difference")], bold=True)
    sheet.figures(book, block.get("difference"), DIFFERENCE_FIELDS)


def _likert(book, report):
    blocks = report["likert"]
    points = sorted({point for block in blocks for question in block["questions"] for point in question["points"]},
                    key=int)
    sheet = book.sheet("sheet_likert", ("dimension", "text", "n"))
    for column, point in enumerate(points, 4):  # the points are the headers as they are: 1–5, 0–10
        _put(sheet.sheet.cell(row=1, column=column), point, None, True)
    for column, key in enumerate(LIKERT_COLUMNS[1:], 4 + len(points)):
        _put(sheet.sheet.cell(row=1, column=column), book.label(key), None, True)
    for block in blocks:
        for question in block["questions"]:
            counts = dict(zip(question["points"], question["counts"], strict=True))
            sheet.row([book.label(f"dimension_{block['dimension']}", block["dimension"]),
                       book.text(question["text"]), question["n"], *(counts.get(point) for point in points),
                       *(question.get(key) for key in LIKERT_COLUMNS[1:])],
                      [None] * (3 + len(points)) + [_format(key) for key in LIKERT_COLUMNS[1:]])
    sheet.blank()
    sheet.row([book.label(key) for key in ALPHA_COLUMNS], bold=True)
    for block in blocks:
        alpha = block.get("alpha")
        if alpha:
            sheet.row([book.label(f"dimension_{block['dimension']}", block["dimension"]),
                       *(alpha.get(key) for key in ALPHA_COLUMNS[1:-2]), book.reason(alpha.get("reason")),
                       book.reliability("alpha", alpha.get("alpha"))])


def _open_answers(book, report):
    sheet = book.sheet("sheet_open_answers", ("test", "dimension", "question", "answer"))
    for kind in ("pre", "post"):
        for question in report["open_answers"].get(kind, []):
            for answer in question["answers"]:
                sheet.row([book.label(kind), book.label(f"dimension_{question['dimension']}", question["dimension"]),
                           book.text(question["text"]), answer])


def _raw(book, report):
    sheet = book.sheet("sheet_raw", ("respondent", "pre_score", "post_score", "change"))
    for row in report["paired"]:
        sheet.row([row["id"], row["pre"], row["post"], row["post"] - row["pre"]], (GENERAL,) * 4)


def _use(book, block):
    """Use at work: the follow-up's response and non-response check, reported − intended per person and per
    statement, and each person's means (or, when there are none, why)."""
    sheet = book.sheet("sheet_use", ("figure", "value"))
    if block["reason"]:
        sheet.row([book.label("use_empty"), book.reason(block["reason"])])
        return
    sheet.row([book.label("section_response")], bold=True)
    sheet.figures(book, {"use_completers": block["completers"], "use_respondents": block["respondents"],
                         "use_response_rate": block["response_rate"],
                         "use_other_respondents": block["other_respondents"]}, USE_RESPONSE)
    check = block["non_response"]
    means = {group["name"]: group["mean"] for group in check.get("groups", [])}
    sheet.figures(book, {"use_intended_responders": means.get("responders"),
                         "use_intended_non_responders": means.get("non_responders"), **check},
                  ("use_intended_responders", "use_intended_non_responders", "welch_t", "welch_df", "welch_p",
                   "reason"))
    sheet.row([book.label("section_use")], bold=True)
    sheet.figures(book, block["comparison"], USE_FIELDS, {"mean_pre": "use_intended", "mean_post": "use_reported"})
    sheet.blank()
    sheet.row([book.label("section_use_items")], bold=True)
    sheet.row([book.label(key) for key in USE_ITEM_COLUMNS], bold=True)
    for row in block["items"]:
        result = row["result"]
        sheet.row([row["item_key"], book.text(row["text"]), result["n_pairs"], result["mean_pre"],
                   result["mean_post"], result["mean_diff"], result["ci_low"], result["ci_high"],
                   result["wilcoxon_p"], row["p_holm"], book.reason(result["reason"])],
                  [_format(column) for column in USE_ITEM_COLUMNS])
    sheet.blank()
    sheet.row([book.label("section_use_people")], bold=True)
    sheet.row([book.label(key) for key in ("respondent", "use_intended", "use_reported", "use_statements")], bold=True)
    for row in block["people"]:
        sheet.row([row["id"], row["intended"], row["reported"], row["statements"]], (GENERAL,) * 4)


def _methods(book, report, methods, provenance):
    """The confidence level, each convention (term, sentence) as the page and the PDF list them, the versions."""
    sheet = book.sheet("sheet_methods", ("convention", "method"))
    sheet.row([book.label("confidence"), report["confidence"]], (None, PERCENT))
    for term, sentence in methods:
        sheet.row([term, sentence])
    if provenance:
        sheet.row([book.label("section_versions")], bold=True)
        for library, version in provenance.items():
            sheet.row([display_name(library), version if isinstance(version, int | float) else str(version)])
