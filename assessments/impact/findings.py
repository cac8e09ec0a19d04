"""The one-page summary's findings: what the report's figures allow a donor to be told, by written rules (pure).

Each finding names its dimension, what the rule concluded (a code the texts turn into a sentence), the figures the
sentence quotes, the caveats that limit it and the chart that shows it best. Nothing here is worded: the same
findings are written in every language, on the page, in the PDF and on the slide."""
from dataclasses import dataclass, field

# report.py (numpy) is not imported: the app loads this module at start-up, the report's libraries only when used.

# Fewer pairs than this and no claim is made at all: the numbers are shown, the sentence says they cannot be read.
MIN_PAIRS = 3
# Fewer pairs (or answers) than this: the result is given, with a warning that it may not hold for a larger group;
# the report's tables mark such subgroups "small n" with the same number.
SMALL_N = 10
HIGH_ATTRITION = 0.2  # a fifth or more of those who took the pre-test did not take the post-test
# Reliability below this (KR-20 of the knowledge test, Cronbach's alpha of a statement block) is "poor" or worse
# (George & Mallery 2003; Nunnally 1978 asks 0.7 for group comparisons): the score or the block's average is not
# one consistent measure, so the summary says so next to it.
LOW_RELIABILITY = 0.5
# Fewer than half of those who completed answered the follow-up: those who did may not speak for the rest.
LOW_RESPONSE = 0.5
ITEM_DROP = 0.10  # an item whose share of right answers fell by ten points or more is named, significant or not
ALPHA = 0.05  # an item's significant change, after Holm's adjustment across items
# Cohen (1988): the conventional reading of a standardized mean difference (d_z).
EFFECT_SIZES = ((0.2, "negligible"), (0.5, "small"), (0.8, "medium"), (float("inf"), "large"))
# Share agreeing (4–5 of 5; 7–10 of 10) across a block's statements: how a summary line reads it.
AGREEMENT_LEVELS = ((0.5, "low"), (0.8, "mixed"), (float("inf"), "high"))
# Which test's block speaks for a dimension: the post-test's (the program's result) before the pre-test's.
LIKERT_SOURCES = {"expectations": ("post", "pre"), "satisfaction": ("post", "pre"),
                  "application": ("post",), "use": ("follow_up",)}
SUMMARY_DIMENSIONS = ("participation", "knowledge", "expectations", "satisfaction", "application", "use")


@dataclass(frozen=True)
class Finding:
    """One line of the summary: `code` says what the rule concluded, `values` the figures its sentence quotes,
    `caveats` what limits it (codes), `chart` the name of the report chart that shows it best (or None)."""
    dimension: str
    code: str
    values: dict = field(default_factory=dict)
    caveats: tuple = ()
    chart: str | None = None


def summary_findings(report, likert_charts=None):
    """The findings of `report` (impact.report.report) in summary order: participation, knowledge, then each
    Likert/0–10 dimension the questionnaires measure. `likert_charts` maps the index of a report["likert"] block to
    the name of its chart (default "likert-<index>")."""
    charts = likert_charts or {}
    findings = [participation_finding(report), knowledge_finding(report)]
    for dimension in ("expectations", "satisfaction", "application", "use"):
        found = (use_finding(report) if dimension == "use" else None) \
            or likert_finding(report, dimension, charts)
        if found is not None:
            findings.append(found)
    return findings


def participation_finding(report):
    """Who took part: registered, who took both tests, how many countries, and how many left after the pre-test."""
    part = report["participation"]
    composition = report.get("composition", {})
    countries = composition.get("country", {})
    values = {"registered": part["registered"], "both": part["both"], "pre": part["pre"], "post": part["post"],
              "countries": len([code for code in countries if code]),
              "genders": {name: counts["registered"] for name, counts in composition.get("gender", {}).items()},
              "attrition_share": _attrition_share(part)}
    if part["registered"] == 0:
        return Finding("participation", "nobody_registered", values, chart=None)
    caveats = ("high_attrition",) if _high_attrition(part) else ()
    return Finding("participation", "took_part", values, caveats, chart="funnel")


def _attrition_share(part):
    return part["pre_only"] / part["pre"] if part["pre"] else None


def _high_attrition(part):
    share = _attrition_share(part)
    return share is not None and share >= HIGH_ATTRITION


def knowledge_finding(report):
    """Whether knowledge rose, with its interval in words, and every reason the claim is weaker than it looks."""
    result, part = report["knowledge"], report["participation"]
    values = {"n": result["n_pairs"], "pre": result["mean_pre"], "post": result["mean_post"],
              "max": report["max_score"], "diff": result["mean_diff"], "low": result["ci_low"],
              "high": result["ci_high"], "confidence": report["confidence"], "d": result["cohen_dz"],
              "improved": result.get("n_improved"), "reason": result.get("reason")}
    if not report["knowledge_keys"]:
        return Finding("knowledge", "no_shared_items", values)
    if result["n_pairs"] < MIN_PAIRS or result["mean_diff"] is None:
        return Finding("knowledge", "too_few_pairs" if result["n_pairs"] < MIN_PAIRS else "cannot_compare",
                       values, chart="slopes" if result["n_pairs"] else None)
    values["effect"] = effect_size(result["cohen_dz"])
    values["worse_items"] = worse_items(report["items"])
    values["countries"] = _country_directions(report)
    caveats = tuple(name for name, applies in (
        ("few_pairs", result["n_pairs"] < SMALL_N),
        # How many left is said once, under who took part; here only whether those who left started differently.
        ("attrition_bias", _started_differently(part["attrition"])),
        ("low_reliability", _low(report.get("quality", {}).get("post", {}).get("kr20"))),
        ("items_worse", bool(values["worse_items"])),
    ) if applies)
    return Finding("knowledge", knowledge_direction(result), values, caveats, chart=_knowledge_chart(report))


def knowledge_direction(result):
    """'rose' or 'fell' when the interval excludes no change, 'unclear' when it includes it, 'same' when nobody
    changed."""
    low, high = result["ci_low"], result["ci_high"]
    if result["mean_diff"] == 0 and (low is None or low == high):
        return "same"
    if low is None or high is None:
        return "unclear"
    if low > 0:
        return "rose"
    if high < 0:
        return "fell"
    return "unclear"


def effect_size(d):
    """Cohen's reading of d_z ('negligible' … 'large'), or None when it could not be computed."""
    if d is None:
        return None
    return next(word for limit, word in EFFECT_SIZES if abs(d) < limit)


def worse_items(rows):
    """The item keys whose share of right answers fell significantly (Holm) or by ITEM_DROP or more, worst first."""
    fell = [row for row in rows if row["facility_pre"] is not None and row["facility_post"] is not None
            and row["facility_post"] < row["facility_pre"]
            and (row["facility_pre"] - row["facility_post"] >= ITEM_DROP
                 or (row["p_holm"] is not None and row["p_holm"] < ALPHA))]
    fell.sort(key=lambda row: row["facility_post"] - row["facility_pre"])
    return [row["item_key"] for row in fell]


def _country_directions(report):
    """How many countries with enough pairs rose, and of how many (None when fewer than two countries qualify)."""
    rows = next((block["rows"] for block in report["subgroups"] if block["attribute"] == "country"), [])
    # Observer organizations ("") are a group of their own, not a country.
    judged = [row for row in rows if row["value"] and row["result"]["n_pairs"] >= MIN_PAIRS
              and row["result"]["mean_diff"] is not None]
    if len(judged) < 2:
        return None
    return {"rose": sum(row["result"]["mean_diff"] > 0 for row in judged), "of": len(judged),
            "small": sum(row["small_n"] for row in judged)}


def _knowledge_chart(report):
    directions = _country_directions(report)
    return "forest" if directions else "distributions"


def _started_differently(attrition):
    return attrition.get("welch_p") is not None and attrition["welch_p"] < ALPHA


def _low(reliability):
    value = (reliability or {}).get("alpha")
    return value is not None and value < LOW_RELIABILITY


def likert_finding(report, dimension, charts):
    """The share agreeing with the dimension's statements in the test that speaks for it, its weakest statement and
    whether the statements hang together; None when no questionnaire measures the dimension."""
    found = _likert_block(report["likert"], dimension)
    if found is None:
        return None
    index, block = found
    answered = [q for q in block["questions"] if q["n"]]
    chart = charts.get(index, f"likert-{index}")
    values = {"test": block.get("test", "post"), "statements": len(block["questions"])}
    if not answered:
        return Finding(dimension, "no_answers", values, chart=None)
    agreeing = [q["agreeing"] for q in answered]
    share = sum(agreeing) / len(agreeing)
    weakest = min(answered, key=lambda q: q["agreeing"])
    values.update({"share": share, "level": agreement_level(share), "n": max(q["n"] for q in answered),
                   "weakest": weakest["text"], "weakest_share": weakest["agreeing"],
                   "median": answered[0]["median"] if len(answered) == 1 else None})
    caveats = tuple(name for name, applies in (("small_sample", values["n"] < SMALL_N),
                                                ("low_reliability", _low(block.get("alpha")))) if applies)
    return Finding(dimension, "agreement" if len(answered) > 1 else "one_statement", values, caveats, chart)


def agreement_level(share):
    return next(level for limit, level in AGREEMENT_LEVELS if share < limit)


def _likert_block(blocks, dimension):
    """(index, block) of the first block of `dimension` from the test that speaks for it, in LIKERT_SOURCES order."""
    source = "application" if dimension == "use" else dimension
    for test in LIKERT_SOURCES[dimension]:
        for index, block in enumerate(blocks):
            if block["dimension"] == source and block.get("test", "post") == test and block["questions"]:
                return index, block
    return None


USE_DIRECTIONS = {"rose": "above", "fell": "below", "unclear": "unclear", "same": "same"}


def use_finding(report):
    """Reported against intended use (report["use_at_work"]): whether people used more or less than they intended,
    with the response rate and whether those who answered had intended differently; None when the follow-up repeats
    no intended-use statement (its Likert answers then speak, as likert_finding reads them)."""
    block = report.get("use_at_work")
    if not block or block["reason"] or not block["completers"]:
        return None
    result = block["comparison"]
    values = {"completers": block["completers"], "respondents": block["respondents"],
              "rate": block["response_rate"], "n": result["n_pairs"], "intended": result["mean_pre"],
              "reported": result["mean_post"], "diff": result["mean_diff"], "low": result["ci_low"],
              "high": result["ci_high"], "scale": block["scale"]}
    chart = "use"  # each person's intended and reported use (texts_use.use_figure)
    if not block["respondents"]:
        return Finding("use", "nobody_answered", values)
    if result["n_pairs"] < MIN_PAIRS or result["mean_diff"] is None:
        return Finding("use", "too_few_pairs", values, chart=chart if result["n_pairs"] else None)
    caveats = tuple(name for name, applies in (
        ("few_pairs", result["n_pairs"] < SMALL_N),
        ("low_response", block["response_rate"] < LOW_RESPONSE),
        ("response_bias", _started_differently(block["non_response"])),
    ) if applies)
    return Finding("use", USE_DIRECTIONS[knowledge_direction(result)], values, caveats, chart)
