"""The summary's findings (assessments/impact/findings.py): the rules, on reports computed from small made-up data."""
from assessments.impact import findings
from assessments.impact import report as impact
from assessments.impact.report import Item, Respondent, TakenTest
from assessments.question_types import QuestionSpec

CHOICE = QuestionSpec("single_choice", ("a", "b"), ("b",), 1.0, True)
LIKERT = QuestionSpec("likert", (), (), 0.0, False)
KEYS = [f"K{n}" for n in range(1, 11)]


def _items(offset, likert_dimensions=("satisfaction",)):
    knowledge = tuple(Item(offset + n, key, "knowledge", CHOICE, {"en": f"Question {key}"})
                      for n, key in enumerate(KEYS))
    likert = tuple(Item(offset + 50 + n, None, dimension, LIKERT, {"en": f"Statement {n}"})
                   for n, dimension in enumerate(likert_dimensions))
    return knowledge + likert


def _answers(offset, right, likert=()):
    """Right answers on the first `right` items, wrong on the rest; then the Likert answers in order."""
    values = {offset + n: "b" if n < right else "a" for n in range(len(KEYS))}
    values.update({offset + 50 + n: str(point) for n, point in enumerate(likert)})
    return values


def _report(pairs, pre_only=0, likert_dimensions=("satisfaction",), follow_up=None):
    """`pairs`: [(right before, right after, Likert points after)]; `pre_only` more people took the pre-test only
    (with 5 right)."""
    people = [Respondent(n, "MX" if n % 2 else "GT", "female" if n % 3 else "male", "other")
              for n in range(1, len(pairs) + pre_only + 1)]
    pre = TakenTest(_items(100, ()), {n: _answers(100, before) for n, (before, _a, _l) in enumerate(pairs, 1)})
    pre.answers.update({n: _answers(100, 5) for n in range(len(pairs) + 1, len(pairs) + pre_only + 1)})
    post = TakenTest(_items(200, likert_dimensions),
                     {n: _answers(200, after, points) for n, (_b, after, points) in enumerate(pairs, 1)})
    return impact.report(people, pre, post, follow_up=follow_up)


LEARNED = [(4, 8, (5, 4)), (5, 8, (4, 4)), (3, 7, (5, 5)), (6, 9, (4, 5)), (5, 7, (4, 4)), (4, 9, (5, 5)),
           (2, 6, (3, 3)), (5, 9, (5, 4)), (6, 8, (4, 4)), (3, 8, (5, 5)), (4, 7, (4, 5)), (5, 8, (5, 4))]


def _finding(report, dimension):
    return next(f for f in findings.summary_findings(report) if f.dimension == dimension)


def test_knowledge_that_rose_with_an_interval_above_zero_is_said_to_rise_with_its_figures():
    report = _report([(b, a, ()) for b, a, _l in LEARNED], likert_dimensions=())
    found = _finding(report, "knowledge")
    assert found.code == "rose"
    # Six of the ten items are right for everyone after: the post-test barely measures, and the finding says so.
    assert report["quality"]["post"]["kr20"]["alpha"] < 0.5 and found.caveats == ("low_reliability",)
    # Means by hand: before 52/12, after 94/12; the gain 42/12 = 3.5 points out of 10.
    assert found.values["pre"] == 52 / 12 and found.values["post"] == 94 / 12 and found.values["max"] == 10
    assert abs(found.values["diff"] - 3.5) < 1e-12 and 0 < found.values["low"] < 3.5 < found.values["high"]
    assert found.values["effect"] == "large" and found.values["improved"] == 12
    assert found.values["countries"] == {"rose": 2, "of": 2, "small": 2} and found.chart == "forest"


def test_a_change_whose_interval_includes_zero_is_unclear_not_a_rise():
    pairs = [(5, 6, ()), (5, 4, ()), (6, 7, ()), (4, 4, ()), (5, 5, ()), (6, 5, ()), (3, 5, ()), (5, 4, ()),
             (4, 5, ()), (6, 6, ()), (5, 6, ()), (5, 4, ())]
    found = _finding(_report(pairs, likert_dimensions=()), "knowledge")
    assert found.code == "unclear" and found.values["low"] < 0 < found.values["high"]


def test_few_pairs_high_attrition_and_a_worse_item_limit_the_claim():
    pairs = [(b, a, ()) for b, a, _l in LEARNED[:4]]
    report = _report(pairs, pre_only=3, likert_dimensions=())
    found = _finding(report, "knowledge")
    assert found.code == "rose"
    assert "few_pairs" in found.caveats and "high_attrition" not in found.caveats  # said once, under participation
    assert _finding(report, "participation").caveats == ("high_attrition",)
    # Nobody got an item wrong after getting it right before: no item is named.
    assert "items_worse" not in found.caveats
    worse = _report([(9, 7, ())] * 4 + [(b, a, ()) for b, a, _l in LEARNED[:4]], likert_dimensions=())
    # K9: right for half before (the four 9s), one in eight after; K8: half before, three in eight after.
    assert findings.worse_items(worse["items"]) == ["K9", "K8"]
    assert "items_worse" in _finding(worse, "knowledge").caveats


def test_too_few_pairs_or_no_shared_items_make_no_claim():
    two = _finding(_report([(3, 8, ()), (4, 9, ())], likert_dimensions=()), "knowledge")
    assert two.code == "too_few_pairs" and "effect" not in two.values
    people = [Respondent(1, "MX", "female", "other")]
    no_post = impact.report(people, TakenTest(_items(100, ()), {1: _answers(100, 5)}), TakenTest((), {}))
    assert _finding(no_post, "knowledge").code == "no_shared_items"
    nobody = impact.report([], TakenTest((), {}), TakenTest((), {}))
    assert [f.code for f in findings.summary_findings(nobody)] == ["nobody_registered", "no_shared_items"]


def test_likert_agreement_counts_fours_and_fives_and_names_the_weakest_statement():
    report = _report(LEARNED, likert_dimensions=("satisfaction", "satisfaction"))
    found = _finding(report, "satisfaction")
    # Statement 0: 12 answers, 11 are 4 or 5 (one 3); statement 1: likewise 11 of 12. Mean share 11/12.
    assert found.code == "agreement" and abs(found.values["share"] - 11 / 12) < 1e-12
    assert found.values["level"] == "high" and found.values["n"] == 12 and found.chart == "likert-0"
    assert found.values["weakest"] == {"en": "Statement 0"}
    assert "expectations" not in {f.dimension for f in findings.summary_findings(report)}


def test_statements_that_do_not_hang_together_say_so():
    # Answers that go opposite ways in the two statements: Cronbach's alpha is negative.
    opposite = ((5, 2), (2, 5), (5, 3), (3, 5))
    pairs = [(b, a, opposite[n % 4]) for n, (b, a, _l) in enumerate(LEARNED)]
    report = _report(pairs, likert_dimensions=("satisfaction", "satisfaction"))
    found = _finding(report, "satisfaction")
    assert report["likert"][0]["alpha"]["alpha"] < 0 and found.values["share"] == 0.5
    assert found.values["level"] == "mixed" and "low_reliability" in found.caveats


def test_a_follow_up_survey_gives_the_reported_use_at_work():
    follow_up = TakenTest((Item(900, None, "application", LIKERT, {"en": "I used it"}),),
                          {n: {900: "4" if n < 7 else "2"} for n in range(1, 13)})
    report = _report(LEARNED, likert_dimensions=("application",), follow_up=follow_up)
    use = _finding(report, "use")
    assert use.code == "one_statement" and abs(use.values["share"] - 0.5) < 1e-12 and use.values["level"] == "mixed"
    assert _finding(report, "application").values["test"] == "post"


def test_thresholds_read_as_documented():
    assert [findings.effect_size(d) for d in (0.1, -0.3, 0.6, 0.8, None)] == \
        ["negligible", "small", "medium", "large", None]
    assert [findings.agreement_level(share) for share in (0.49, 0.5, 0.79, 0.8)] == ["low", "mixed", "mixed", "high"]
