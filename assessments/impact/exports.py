"""The report's downloads in the reader's language (page and worker alike): chart data, offline HTML, pack README."""
import base64
from datetime import date
from functools import cache
from importlib.util import find_spec
from pathlib import Path

from flask import current_app, render_template, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from training.exporting import separator_for, table_bytes
from training.labels import csv_choices
from training.localized import pick

from .chart_data import Words, chart_table
from .provenance import provenance
from .services_cache import kept
from .summary_texts import AGREEING_NOTE, report_figures, summary_lines
from .texts import (
    TEMPLATE_HELPERS,
    WORKBOOK_LABELS,
    filters_text,
    group_label,
    item_text,
    knowledge_sentence,
    likert_chart_questions,
    overall_label,
    scale_legend,
)
from .texts_use import USE_HELPERS

# plotly's own files, found without importing it: the app loads plotly only to draw a report's charts.
PLOTLY_FOLDER = Path(find_spec("plotly").origin).parent / "package_data"
DATA_FORMATS = ("csv", "xlsx")

# The chart tables' headers (impact.chart_data.LABEL_KEYS); those the workbook has already keep its words.
CHART_DATA_LABELS = {
    **{key: WORKBOOK_LABELS[key] for key in ("participation_registered", "participation_pre", "participation_post",
                                            "participation_both", "pre_score", "post_score", "change", "n_pairs",
                                            "mean_diff", "ci_low", "ci_high", "item", "text", "p_holm", "question",
                                            "mean")},
    "stage": _l("Stage"), "participants": _l("Participants"), "share_of_first": _l("Share of the registered (%)"),
    "participant": _l("Participant"), "participant_number": _l("Participant %(n)s"),
    "kind_of_change": _l("Kind of change"), "improved": _l("Improved"), "unchanged": _l("Unchanged"),
    "declined": _l("Declined"), "group": _l("Country"), "overall": _l("All countries"),
    "facility_pre": _l("Right answers in the pre-test (%)"), "facility_post": _l("Right answers in the post-test (%)"),
    "significant": _l("Significant change (Holm)"), "yes": _l("yes"), "no": _l("no"), "n": _l("Answers"),
    "count_of": _l("%(point)s (answers)"), "share_of": _l("%(point)s (%%)"),
    "use_intended": _l("Intended use (post-test)"), "use_reported": _l("Reported use (follow-up)"),
}


def chart_words(language, fallback):
    """What impact.chart_data needs to write a chart's table in `language` (the current locale)."""
    return Words({key: str(label) for key, label in CHART_DATA_LABELS.items()},
                 group_name=lambda attribute, value: group_label(attribute, value, language),
                 item_text=lambda row: item_text(row, language, fallback),
                 question_text=lambda question: pick(question["text"], language, fallback) or "",
                 point_name=lambda question, point: scale_legend(question, language, fallback)[
                     question["points"].index(point)],
                 likert_groups=lambda report: likert_chart_questions(report, language, fallback))


def chart_data_file(report, name, file_format, language, fallback, separator=None):
    """The chart `name`'s values as a CSV or XLSX file (cells that look like formulas made inert); KeyError for a
    chart the report does not have. The CSV is split by `separator`, by default the one Excel expects in the
    program's language (`fallback`)."""
    words = chart_words(language, fallback)
    words.labels["overall"] = overall_label(report["filters"], language)  # the population the report covers
    headers, rows = chart_table(report, name, words)
    return table_bytes(file_format, headers, rows, sheet_title=name, numbers=True,
                       separator=separator or separator_for(None, fallback))


def page_context(program, report, filters, language, fallback, data_links=None, kept_as=None):
    """What the report's page and its standalone file both show; `data_links(name)` gives a chart's data links,
    [(label, href, download name or None)] (none when not given). `kept_as` (country scope, data fingerprint): the
    charts are read from the cache of the report they come from, or made and kept there (services_cache)."""
    def make():
        return page_charts(report, language, fallback)

    described = {"filters": filters, "language": language, "fallback": fallback}
    charts = make() if kept_as is None else kept(program, kept_as[0], "figures", described, make, kept_as[1])
    figures = charts["figures"]
    lines = summary_lines(report, language, fallback)
    return {"program": program, "report": report, "filters": filters, "fallback": fallback, "figures": figures,
            "summary_lines": lines, "population": filters_text(filters, language), "agreeing_note": AGREEING_NOTE,
            "format_date": format_date,
            "summary": knowledge_sentence(report["knowledge"], report["max_score"]), "provenance": provenance(),
            "plot_configs": plot_configs(program, figures, charts["config"]),
            "chart_data": {name: data_links(name) for name in figures} if data_links else {}, **TEMPLATE_HELPERS,
            **USE_HELPERS}


def page_charts(report, language, fallback):
    """The charts' JSON and plotly's settings for a page: plotly loads when they are made, not when they are read."""
    from .charts import PLOT_CONFIG, figure_json

    return {"figures": {name: figure_json(figure)
                        for name, figure in report_figures(report, language, fallback).items()},
            "config": PLOT_CONFIG}


def plot_configs(program, figures, config):
    """plotly's settings per chart: its camera button names the PNG after the program and the chart."""
    return {name: {**config, "toImageButtonOptions": {"filename": f"{program.code}-{name}"}} for name in figures}


def page_data_links(program, filters):
    """A chart's data links on the page: the download route, with the page's filters; a CSV in each separator."""
    kinds = [("csv", sep, label) for sep, label in csv_choices(program)] + [("xlsx", None, "XLSX")]

    def links(name):
        return [(_("data (%(format)s)", format=label),
                 url_for("assessments.impact_chart_data", program_id=program.id, chart=name, file_format=file_format,
                         sep=sep, **filters), None) for file_format, sep, label in kinds]

    return links


def standalone_html(program, report, filters, language, fallback, kept_as=None):
    """The report as one HTML file that opens anywhere, offline: styles, plotly.js and the charts inside, and each
    chart's data as a CSV inside its link. Needs an application context only (the worker has no request);
    `kept_as` as page_context's."""
    def embedded_data(name):
        try:
            content = chart_data_file(report, name, "csv", language, fallback)
        except KeyError:
            return []
        href = "data:text/csv;charset=utf-8;base64," + base64.b64encode(content).decode("ascii")
        return [(_("data (%(format)s)", format="CSV"), href, f"{program.code}-{name}.csv")]

    return render_template("assessments/impact_standalone.html", chart_files=False,
                           filters_text=filters_text(filters, language), generated=format_date(date.today()),
                           **standalone_sources(),
                           **page_context(program, report, filters, language, fallback, embedded_data, kept_as))


@cache
def standalone_sources():
    """The stylesheet and scripts the standalone file carries inside (read once; they change with a release)."""
    static = Path(current_app.static_folder)
    return {"stylesheet": (static / "css" / "app.css").read_text(encoding="utf-8"),
            "plotly_source": (PLOTLY_FOLDER / "plotly.min.js").read_text(encoding="utf-8"),
            "draw_source": (static / "js" / "impact.js").read_text(encoding="utf-8")}


def pack_readme(program, language, filters, names, images_missing):
    """The donor pack's README.txt in the reader's language: what it covers and what each file is."""
    lines = [f"{_('Impact report')} · {program.title_in(language)} ({program.code})",
             _("Who it covers: %(who)s", who=filters_text(filters, language)),
             _("Generated on %(date)s", date=format_date(date.today())), "", _("Contents:")]
    described = {"pdf": _("the summary (PDF)"), "slide": _("the summary's first page as a slide (PNG)"),
                 "html": _("the full report: opens in any browser, without internet"),
                 "xlsx": _("every table of the report and the paired data (XLSX)")}
    lines += [f"- {names[kind]}: {text}" for kind, text in described.items()]
    if not images_missing:
        lines.append("- " + _("%(name)s-<chart>.png and .svg: each chart as an image (PNG for documents and slides, "
                              "SVG to scale at any size)", name=names["stem"]))
    lines.append("- " + _("%(name)s-<chart>.csv: the values each chart shows", name=names["stem"]))
    if images_missing:
        lines += ["", _("The server that made this pack cannot draw chart images, so the PNG and SVG files are "
                        "missing. Every chart is in the HTML report (its camera button saves it as a PNG) and its "
                        "values are in the CSV files.")]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")
