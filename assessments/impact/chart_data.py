"""Each chart of the impact report as a table of the values it plots, from the report's figures (pure)."""
import json
from dataclasses import dataclass, field

# Every key `labels` must have; what each table reads (the texts come translated, see impact.texts).
LABEL_KEYS = frozenset({
    "stage", "participants", "share_of_first", "participant_number", "participation_registered", "participation_pre",
    "participation_post", "participation_both", "participant", "pre_score", "post_score", "change", "kind_of_change",
    "improved", "unchanged", "declined", "mean", "group", "n_pairs", "mean_diff", "ci_low", "ci_high", "overall",
    "item", "text", "facility_pre", "facility_post", "significant", "p_holm", "yes", "no", "question", "n",
    "count_of", "share_of", "use_intended", "use_reported",
})
FUNNEL_STAGES = ("registered", "pre", "post", "both")
SIGNIFICANCE = 0.05  # as the item chart marks a change (Holm-adjusted p below it)


@dataclass(frozen=True)
class Words:
    """What a table needs besides the report: `labels` (LABEL_KEYS → text), how to name a country and an item, how
    to name a scale's point (question row, point key → text), and which questions each Likert or 0–10 chart draws
    (report → {chart name: question rows}; likert_charts when not given)."""

    labels: dict
    group_name: object = field(default=lambda attribute, value: value)
    item_text: object = field(default=lambda row: row.get("item_key") or "")
    question_text: object = field(default=lambda question: "")
    point_name: object = field(default=lambda question, point: str(point))
    likert_groups: object = None

    def __post_init__(self):
        missing = LABEL_KEYS - set(self.labels)
        if missing:
            raise KeyError(f"labels lack {sorted(missing)}")


def chart_table(report, name, words):
    """(headers, rows) of the chart `name` (funnel, slopes, distributions, forest, items, or a Likert or 0–10 chart
    that likert_charts names): headers in the reader's language (from `words`), rows of plain values (numbers as
    numbers, None where the report has none; shares as percentages, as the charts draw them). KeyError for a chart
    the report does not have."""
    kind = name.split("-", 1)[0]
    if kind in TABLES:
        return TABLES[kind](report, words)
    questions = (words.likert_groups or likert_charts)(report).get(name)
    if questions is None:
        raise KeyError(name)
    return likert_table(questions, words)


def chart_tables(report, names, words):
    """chart name → (headers, rows) for each of `names` the report has a table for."""
    tables = {}
    for name in names:
        try:
            tables[name] = chart_table(report, name, words)
        except KeyError:
            continue
    return tables


def likert_charts(report):
    """Chart name → the Likert or 0–10 question rows it draws: the n-th Likert block's questions grouped by scale
    (type, points and scale words), named "likert-<n>" for the first group, then "likert-<n>-1", "likert-<n>-2"…
    as impact.texts names the charts (which groups by the legend's words in the reader's language: the app passes
    its grouping as Words.likert_groups)."""
    charts = {}
    for index, block in enumerate(report["likert"]):
        groups = {}
        for question in block["questions"]:
            scale = (question.get("type"), tuple(question["points"]),
                     json.dumps(question.get("scale_labels") or {}, sort_keys=True))
            groups.setdefault(scale, []).append(question)
        for position, questions in enumerate(groups.values()):
            charts[f"likert-{index}" + (f"-{position}" if position else "")] = questions
    return charts


def funnel_table(report, words):
    """Each stage of participation, its count and its share of the first stage (the funnel's bars and texts)."""
    labels, participation = words.labels, report["participation"]
    first = participation["registered"]
    rows = [[labels[f"participation_{stage}"], participation[stage],
             100 * participation[stage] / first if first else None] for stage in FUNNEL_STAGES]
    return [labels["stage"], labels["participants"], labels["share_of_first"]], rows


def slopes_table(report, words):
    """Each paired participant's two scores and change (numbered as in the chart), then the two means."""
    labels = words.labels
    return _paired_table(labels, [(row["pre"], row["post"]) for row in report["paired"]],
                         (labels["pre_score"], labels["post_score"]))


def _paired_table(labels, pairs, headings):
    """A slope chart's table: each person's two values and change, numbered as in the chart, then the means."""
    rows = [[_participant(labels, index), before, after, after - before, labels[_change_of(before, after)]]
            for index, (before, after) in enumerate(pairs, 1)]
    if pairs:
        mean_before = sum(before for before, _after in pairs) / len(pairs)
        mean_after = sum(after for _before, after in pairs) / len(pairs)
        rows.append([labels["mean"], mean_before, mean_after, mean_after - mean_before, ""])
    return [labels["participant"], *headings, labels["change"], labels["kind_of_change"]], rows


def distributions_table(report, words):
    """Every paired participant's score in each test: the points of the two box plots."""
    labels = words.labels
    rows = [[_participant(labels, index), row["pre"], row["post"]] for index, row in enumerate(report["paired"], 1)]
    return [labels["participant"], labels["pre_score"], labels["post_score"]], rows


def forest_table(report, words):
    """Each country's pairs, mean change and confidence interval, then everyone's (the forest's rows)."""
    labels = words.labels
    countries = next(block["rows"] for block in report["subgroups"] if block["attribute"] == "country")
    knowledge = report["knowledge"]
    rows = [[words.group_name("country", row["value"]), *_interval(row["result"])] for row in countries]
    rows.append([labels["overall"], *_interval(knowledge)])
    return [labels["group"], labels["n_pairs"], labels["mean_diff"], labels["ci_low"], labels["ci_high"]], rows


def items_table(report, words):
    """Each shared knowledge item's share of right answers before and after, and whether its change is
    significant after Holm's adjustment (the item chart's filled marker)."""
    labels = words.labels
    rows = [[row["item_key"], words.item_text(row), _percent(row["facility_pre"]), _percent(row["facility_post"]),
             labels["yes"] if row["p_holm"] is not None and row["p_holm"] < SIGNIFICANCE else labels["no"],
             row["p_holm"]] for row in report["items"]]
    return [labels["item"], labels["text"], labels["facility_pre"], labels["facility_post"], labels["significant"],
            labels["p_holm"]], rows


def likert_table(questions, words):
    """Each question's respondents, count and share per point of its scale (the diverging bars' segments); the
    points of every question, in order of first appearance, so that questions on different scales still fit."""
    labels = words.labels
    points = []
    for question in questions:
        points += [(question, point) for point in question["points"] if point not in [p for _q, p in points]]
    names = [words.point_name(question, point) for question, point in points]
    headers = [labels["question"], labels["n"], *(labels["count_of"] % {"point": name} for name in names),
               *(labels["share_of"] % {"point": name} for name in names)]
    rows = []
    for question in questions:
        counts = dict(zip(question["points"], question["counts"], strict=True))
        total = sum(counts.values())
        rows.append([words.question_text(question), question["n"], *(counts.get(point) for _q, point in points),
                     *(100 * counts[point] / total if total and point in counts else None for _q, point in points)])
    return headers, rows


def use_table(report, words):
    """Each follow-up respondent's intended and reported use and their difference (numbered as in the chart), then
    the two means; KeyError when the report compares no use at work (it then has no such chart)."""
    block = report.get("use_at_work")
    if not block or block["reason"]:
        raise KeyError("use")
    labels = words.labels
    return _paired_table(labels, [(row["intended"], row["reported"]) for row in block["people"]],
                         (labels["use_intended"], labels["use_reported"]))


TABLES = {"funnel": funnel_table, "slopes": slopes_table, "distributions": distributions_table,
          "forest": forest_table, "items": items_table, "use": use_table}


def _participant(labels, index):
    return labels["participant_number"] % {"n": index}


def _change_of(pre, post):
    """charts.change_of's rule (float noise is no change), without loading plotly for a table."""
    difference = round(post - pre, 9)
    return "improved" if difference > 0 else "declined" if difference < 0 else "unchanged"


def _interval(result):
    return [result["n_pairs"], result["mean_diff"], result["ci_low"], result["ci_high"]]


def _percent(share):
    return None if share is None else 100 * share
