"""The impact report's figures from plain data: participation, paired knowledge scores, items, subgroups, Likert."""
import statistics
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from .. import stats
from ..question_types import DISTRIBUTION, FREE_TEXT, REGISTRY, QuestionSpec
from ..stats_base import plain as _plain
from .findings import SMALL_N  # fewer pairs than this in a subgroup: its figures are shown with a warning
from .use_at_work import use_at_work

NO_SHARED_ITEMS = "no_shared_knowledge_items"
SUBGROUP_ATTRIBUTES = ("country", "gender")
FILTERS = ("country", "gender", "profile")
LIKERT_DIMENSIONS = ("expectations", "satisfaction", "application")
# training.models.NOT_RECORDED (this module imports no models): nobody said; never counted as an answer.
NOT_RECORDED = "not_recorded"


@dataclass(frozen=True)
class Respondent:
    """A registered, active participant and the attributes the report filters and groups by."""
    id: int
    country: str
    gender: str
    profile: str
    # Their personal data were erased: they count in the report, but are no longer sent the follow-up, so they are
    # not among those who completed the program for its response rate (use_at_work).
    erased: bool = False


@dataclass(frozen=True)
class Item:
    """One question of a test, as the report needs it."""
    question_id: int
    item_key: str | None
    dimension: str
    spec: QuestionSpec
    text: dict = field(default_factory=dict)  # language → wording
    scale_labels: dict = field(default_factory=dict)  # scales: language → [lowest point's label, highest's]

    @property
    def is_knowledge(self):
        return self.dimension == "knowledge" and REGISTRY[self.spec.type].scorable and bool(self.spec.correct)


@dataclass(frozen=True)
class TakenTest:
    """A test's questions in order and the answers of its submitted attempts (respondent id → question id →
    value)."""
    items: tuple
    answers: dict
    # Scored marks by item keys: every block of a report (and each subgroup) reads them, scoring once is enough.
    scored: dict = field(default_factory=dict, compare=False, repr=False)


def knowledge_keys(pre, post):
    """Item keys of the knowledge items both tests share, in the pre-test's order: the paired score is computed
    on these only, so that both tests measure the same thing."""
    post_points = {item.item_key: item.spec.points for item in post.items if item.is_knowledge and item.item_key}
    # An item scored differently in the post-test is not the same measure: it stays out of the paired score.
    return [item.item_key for item in pre.items
            if item.is_knowledge and item.item_key in post_points and post_points[item.item_key] == item.spec.points]


def marks(test, keys):
    """respondent id → [points earned per key] (unanswered earns 0), for the submitted attempts; scored once per
    test and keys (callers only read the result)."""
    keys = tuple(keys)
    if keys not in test.scored:
        by_key = {item.item_key: item for item in test.items if item.is_knowledge}
        respondents = list(test.answers)
        columns = [_scored_column(by_key[key], [test.answers[r].get(by_key[key].question_id) for r in respondents])
                   for key in keys]
        test.scored[keys] = dict(zip(respondents, map(list, zip(*columns, strict=True)), strict=True)) \
            if columns else {respondent: [] for respondent in respondents}
    return test.scored[keys]


def _scored_column(item, values):
    """The points each answer to `item` earns, scoring each distinct answer once: a program has thousands of
    answers but an item only a handful of different ones (the lookups then run at C speed)."""
    if REGISTRY[item.spec.type].answer_kind == "many":  # lists of keys: hashable as tuples, scored as lists
        values = [tuple(value) if value.__class__ is list else value for value in values]
    earned = {value: _earned(item, list(value) if value.__class__ is tuple else value) for value in set(values)}
    return list(map(earned.__getitem__, values))


def scores(test, keys):
    """respondent id → total points on `keys`, computed once per test and keys like the marks."""
    key = ("total", tuple(keys))
    if key not in test.scored:
        test.scored[key] = {respondent: sum(row) for respondent, row in marks(test, keys).items()}
    return test.scored[key]


def max_marks(test, keys):
    by_key = {item.item_key: item for item in test.items if item.is_knowledge}
    return [by_key[key].spec.points for key in keys]


def _earned(item, value):
    kind = REGISTRY[item.spec.type]
    return float(kind.score(value, item.spec) or 0.0) if kind.is_answered(value) else 0.0


def filtered(people, filters):
    """The respondents matching every given filter (attribute → value; empty values are ignored)."""
    chosen = {name: value for name, value in (filters or {}).items() if name in FILTERS and value}
    return [person for person in people if all(getattr(person, name) == value for name, value in chosen.items())]


def participation(people, pre, post, keys):
    """Counts of who took which test, and whether those who took only the pre-test started differently."""
    ids = {person.id for person in people}
    took_pre, took_post = ids & set(pre.answers), ids & set(post.answers)
    pre_scores = scores(pre, keys)
    attrition = stats.compare_groups({"both": [pre_scores[r] for r in sorted(took_pre & took_post)],
                                      "pre_only": [pre_scores[r] for r in sorted(took_pre - took_post)]})
    attrition = _plain(attrition)
    if not keys:
        attrition["reason"] = NO_SHARED_ITEMS
    return {"registered": len(ids), "pre": len(took_pre), "post": len(took_post), "both": len(took_pre & took_post),
            "pre_only": len(took_pre - took_post), "post_only": len(took_post - took_pre),
            "none": len(ids - took_pre - took_post), "attrition": attrition}


def paired_scores(people, pre, post, keys):
    """(respondent ids, pre scores, post scores) for everyone who took at least one test; None where missing."""
    before, after = scores(pre, keys), scores(post, keys)
    if not keys:  # no shared item: nobody has a comparable score
        return [], [], []
    ids = [person.id for person in people if person.id in before or person.id in after]
    return ids, [before.get(r) for r in ids], [after.get(r) for r in ids]


def knowledge(people, pre, post, keys, confidence=0.95):
    """The paired comparison of the knowledge scores (post − pre), out of the shared items' points."""
    _ids, before, after = paired_scores(people, pre, post, keys)
    return _comparison(before, after, keys, sum(max_marks(pre, keys)) or None, confidence)


def _comparison(before, after, keys, max_score, confidence):
    result = _plain(stats.paired_comparison(before, after, confidence=confidence, max_score=max_score))
    if not keys:  # nothing to compare, whoever took the tests: say so rather than compare zeros
        result["reason"] = NO_SHARED_ITEMS
    return result


def items(people, pre, post, keys):
    """Per shared knowledge item: facility before and after on the paired sample, McNemar's test, and the
    p-values adjusted across items (Holm, Benjamini–Hochberg)."""
    ids = {person.id for person in people}
    pre_marks, post_marks, points = marks(pre, keys), marks(post, keys), max_marks(pre, keys)
    paired = sorted(ids & set(pre_marks) & set(post_marks))
    texts = {item.item_key: item.text for item in pre.items if item.is_knowledge}
    right_before = _right_answers(pre_marks, paired, points)
    right_after = _right_answers(post_marks, paired, max_marks(post, keys))
    learned = (~right_before & right_after).sum(axis=0)  # wrong before, right after: McNemar's c
    forgot = (right_before & ~right_after).sum(axis=0)  # right before, wrong after: McNemar's b
    rows = []
    for index, key in enumerate(keys):
        b, c = int(forgot[index]), int(learned[index])
        rows.append({"item_key": key, "text": texts.get(key, {}), "n": len(paired),
                     "facility_pre": float(right_before[:, index].mean()) if paired else None,
                     "facility_post": float(right_after[:, index].mean()) if paired else None,
                     "b": b, "c": c, "mcnemar": _plain(stats.mcnemar(b, c))})
    p_values = [row["mcnemar"]["p_exact"] for row in rows]
    for row, holm, bh in zip(rows, stats.holm(p_values), stats.benjamini_hochberg(p_values), strict=True):
        row["p_holm"], row["p_bh"] = holm, bh
    return rows


def _right_answers(test_marks, respondents, points):
    """Respondents × items: whether each got the item's full points."""
    grid = np.array([test_marks[r] for r in respondents], dtype=float).reshape(len(respondents), len(points))
    return grid >= np.array(points, dtype=float)


def quality(people, test, keys, confidence=0.95):
    """Moodle's item statistics and KR-20 (with its `confidence` interval) of one test's knowledge items, over its
    submitted attempts."""
    ids = {person.id for person in people}
    rows = [row for respondent, row in sorted(marks(test, keys).items()) if respondent in ids]
    points = max_marks(test, keys)
    grid = np.array(rows, dtype=float).reshape(len(rows), len(points))
    binary = (grid >= np.array(points, dtype=float)).astype(float)  # right or not, for KR-20
    return {"items": _plain(stats.item_analysis(grid, points)),
            "kr20": _plain(stats.cronbach_alpha(binary, confidence)), "keys": list(keys)}


def subgroups(people, pre, post, keys, attribute, confidence=0.95):
    """The paired comparison within each value of `attribute` (country, gender), Holm-adjusted within the
    family, and whether the gains differ between the groups."""
    groups = {}
    for person in people:
        groups.setdefault(_group_value(person, attribute), []).append(person)
    max_score = sum(max_marks(pre, keys)) or None
    rows, gains = [], {}
    for value, members in sorted(groups.items()):
        _ids, before, after = paired_scores(members, pre, post, keys)
        result = _comparison(before, after, keys, max_score, confidence)
        rows.append({"value": value, "small_n": result["n_pairs"] < SMALL_N, "result": result})
        if not _unrecorded(attribute, value):  # shown as its own row, but not a group the gains differ between
            gains[value] = [b - a for a, b in zip(before, after, strict=True) if a is not None and b is not None]
    for row, adjusted in zip(rows, stats.holm([row["result"]["p_value"] for row in rows]), strict=True):
        row["p_holm"] = adjusted
    return {"attribute": attribute, "rows": rows, "difference": _plain(stats.compare_groups(gains))}


def likert(people, test, dimension, confidence=0.95):
    """Distribution, median, IQR and share agreeing of each question of `dimension` whose type reports a
    distribution (Likert, 0–10), and Cronbach's alpha of those whose type asks for it (Likert)."""
    ids = {person.id for person in people}
    answers = {respondent: values for respondent, values in test.answers.items() if respondent in ids}
    questions = [item for item in test.items
                 if item.dimension == dimension and REGISTRY[item.spec.type].impact == DISTRIBUTION]
    rows = [_likert_row(item, answers) for item in questions]
    scale = [item for item in questions if REGISTRY[item.spec.type].reliability]
    alpha = None
    if len(scale) >= 2:
        alpha = _plain(stats.cronbach_alpha([[_number(values.get(item.question_id)) for item in scale]
                                             for _respondent, values in sorted(answers.items())], confidence))
    return {"dimension": dimension, "questions": rows, "alpha": alpha}


def _likert_row(item, answers):
    kind = REGISTRY[item.spec.type]
    points = kind.option_keys(item.spec)
    chosen = [str(values[item.question_id]) for values in answers.values()
              if values.get(item.question_id) not in (None, "")]
    counts = Counter(chosen)
    numbers = sorted(int(value) for value in chosen)
    quartiles = statistics.quantiles(numbers, n=4, method="inclusive") if len(numbers) >= 2 else None
    return {"question_id": item.question_id, "text": item.text, "type": item.spec.type, "n": len(numbers),
            "scale_labels": dict(item.scale_labels), "points": list(points),
            "counts": [counts.get(point, 0) for point in points],
            "median": statistics.median(numbers) if numbers else None,
            "q1": quartiles[0] if quartiles else None, "q3": quartiles[2] if quartiles else None,
            "agreeing": (sum(counts.get(point, 0) for point in kind.agreeing) / len(numbers)
                         if numbers else None)}


def _number(value):
    return None if value in (None, "") else float(value)


def open_answers(people, test):
    """Each question whose type reports free text, with the non-empty answers given to it, in respondent
    order."""
    ids = {person.id for person in people}
    result = []
    for item in test.items:
        if REGISTRY[item.spec.type].impact != FREE_TEXT:
            continue
        given = [values[item.question_id] for respondent, values in sorted(test.answers.items())
                 if respondent in ids and str(values.get(item.question_id) or "").strip()]
        result.append({"question_id": item.question_id, "dimension": item.dimension, "text": item.text,
                       "answers": given})
    return result


def composition(people, pre, post):
    """Who the report covers, by country and by gender: how many are registered and how many took both tests."""
    both = set(pre.answers) & set(post.answers)
    result = {}
    for attribute in SUBGROUP_ATTRIBUTES:
        counts = {}
        for person in people:
            row = counts.setdefault(_group_value(person, attribute), {"registered": 0, "both": 0})
            row["registered"] += 1
            row["both"] += person.id in both
        result[attribute] = dict(sorted(counts.items(), key=lambda item: (-item[1]["registered"], item[0])))
    return result


def _group_value(person, attribute):
    """The group a person counts in; an empty gender is "not recorded" (an empty country is an observer's)."""
    value = getattr(person, attribute) or ""
    return NOT_RECORDED if attribute != "country" and not value else value


def _unrecorded(attribute, value):
    return attribute != "country" and value == NOT_RECORDED


def report(people, pre, post, filters=None, confidence=0.95, follow_up=None):
    """Every figure of the impact report for the respondents matching `filters`, as plain JSON-ready data; the
    follow-up survey's Likert answers (use at work, months later) join the Likert blocks when one is given, and its
    statements repeated from the post-test are compared with the use intended there (use_at_work)."""
    chosen = filtered(people, filters)
    keys = knowledge_keys(pre, post)
    tests = {"pre": pre, "post": post, "follow_up": follow_up or TakenTest((), {})}
    return {
        "filters": {name: value for name, value in (filters or {}).items() if name in FILTERS and value},
        "confidence": confidence,
        "knowledge_keys": keys,
        "max_score": sum(max_marks(pre, keys)),
        "participation": participation(chosen, pre, post, keys),
        "composition": composition(chosen, pre, post),
        "knowledge": knowledge(chosen, pre, post, keys, confidence),
        "items": items(chosen, pre, post, keys),
        "quality": {"pre": quality(chosen, pre, keys, confidence), "post": quality(chosen, post, keys, confidence)},
        "subgroups": [subgroups(chosen, pre, post, keys, attribute, confidence)
                      for attribute in SUBGROUP_ATTRIBUTES],
        "likert": [{**block, "test": name} for name, test in tests.items()
                   for block in (likert(chosen, test, dimension, confidence) for dimension in LIKERT_DIMENSIONS)
                   if block["questions"]],
        "open_answers": {"pre": open_answers(chosen, pre), "post": open_answers(chosen, post)},
        "paired": paired_rows(chosen, pre, post, keys),
        "use_at_work": use_at_work(chosen, post, tests["follow_up"], confidence),
    }


def paired_rows(people, pre, post, keys):
    """[(respondent id, pre score, post score)] of the paired sample, for the slope chart and the raw data."""
    ids, before, after = paired_scores(people, pre, post, keys)
    return [{"id": r, "pre": b, "post": a} for r, b, a in zip(ids, before, after, strict=True)
            if b is not None and a is not None]

