"""The portfolio in words: labels of its dimensions and values, its forest chart, workbook and feed tables."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import pgettext

from training.exporting import xlsx_book_bytes

from ..impact.texts import group_label
from .indicators import COUNTS, DIMENSIONS, breakdown, fact_rows

DIMENSION_LABELS = {"program": _l("Program"), "country": _l("Country"), "gender": _l("Gender"),
                    "profile": _l("Profile"), "year": _l("Year")}


def count_labels():
    """The four counts' column names (short: four of them and a name fit a phone), in the reader's language; in
    their own context, since "Registered" and "Completed" name a participant's or a course's status elsewhere."""
    return {"registered": pgettext("portfolio", "Registered"), "attending": pgettext("portfolio", "Attended"),
            "completing": pgettext("portfolio", "Completed"), "certified": pgettext("portfolio", "Certified")}


FIGURE_LABELS = {"n_pairs": _l("Pairs"), "mean_pre": _l("Pre-test (%)"), "mean_post": _l("Post-test (%)"),
                 "mean_diff": _l("Gain (points)"), "ci_low": _l("CI low"), "ci_high": _l("CI high"),
                 "p_value": _l("p"), "satisfaction_share": _l("Satisfaction (agreeing)"),
                 "satisfaction_n": _l("Satisfaction answers"),
                 "application_share": _l("Intended use (agreeing)"),
                 "application_n": _l("Intended-use answers")}
PROGRAM_FIELDS = tuple(FIGURE_LABELS)
# The feed's columns: codes and English names that stay the same in every language (a BI model refers to them).
FEED_KINDS = ("people", "programs")


def value_label(dimension, value, language):
    """A value of a dimension in words: the country, gender or profile named; a program's code and a year as they
    are."""
    if dimension in ("country", "gender", "profile"):
        return group_label(dimension, value, language)
    return value or "—"


def forest_figure(rows, language, separators):
    """The knowledge gain per program, with its interval, on one forest chart (JSON for the page)."""
    from ..impact.charts import figure_json, forest

    texts = {"title": _("Knowledge gain per program, %(level)s%% CI", level=95),
             "x_title": _("Change (percent points)"),
             "mean_diff": _("Mean change"), "ci": _("CI"), "too_small": _("n too small"),
             "empty": _("Nobody has taken both tests yet.")}
    entries = [(row["program"], row["n_pairs"], row["mean_diff"], row["ci_low"], row["ci_high"]) for row in rows]
    return figure_json(forest(entries, None, texts, separators=separators))


def workbook(people, figures, language):
    """The portfolio as XLSX in the reader's language: one sheet per dimension, the programs' figures, the facts."""
    count_headers = [count_labels()[name] for name in COUNTS]
    sheets = []
    for dimension in DIMENSIONS:
        rows = [[value_label(dimension, row["value"], language), *(row[name] for name in COUNTS)]
                for row in breakdown(people, dimension)]
        sheets.append((str(DIMENSION_LABELS[dimension]), [str(DIMENSION_LABELS[dimension]), *count_headers], rows))
    sheets.append((_("Knowledge and opinions"), [str(DIMENSION_LABELS["program"]),
                                                  *(str(FIGURE_LABELS[name]) for name in PROGRAM_FIELDS)],
                   [[row["program"], *(row[name] for name in PROGRAM_FIELDS)] for row in figures]))
    headers, rows = feed_table("people", people, figures)
    sheets.append((_("Data"), headers, rows))
    return xlsx_book_bytes(sheets, numbers=True)


def feed_table(kind, people, figures):
    """(headers, rows) of a feed: `people`, one row per program × country × gender × profile × year with its
    counts (codes, as stored); `programs`, each program's knowledge gain and opinions."""
    if kind == "people":
        facts = fact_rows(people)
        columns = (*DIMENSIONS, *COUNTS)
        return list(columns), [[row[name] for name in columns] for row in facts]
    columns = ("program", *PROGRAM_FIELDS)
    return list(columns), [[row[name] for name in columns] for row in figures]
