"""Use at work (assessments/impact/use_at_work.py): intended (post-test) against reported (follow-up) use, paired per
person, checked against scipy called directly on the raw answers, and the edge cases a real follow-up has."""
import json

import numpy as np
import pytest
from scipy import stats

from assessments.impact import report as impact
from assessments.impact.findings import summary_findings, use_finding
from assessments.impact.report import Item, Respondent, TakenTest
from assessments.impact.use_at_work import NO_FOLLOW_UP, NO_SHARED_USE_ITEMS, use_at_work, use_keys
from assessments.question_types import QuestionSpec

LIKERT = QuestionSpec("likert", (), (), 0.0, False)
SCALE = QuestionSpec("scale", (), (), 0.0, False)
CHOICE = QuestionSpec("single_choice", ("a", "b"), ("b",), 1.0, True)
PEOPLE = [Respondent(n, "MX" if n % 2 else "GT", "female", "other") for n in range(1, 11)]

# Post-test: U1 and U2 (Likert, intended use), U3 on a 0–10 scale, a knowledge item.
POST_ITEMS = (Item(21, "U1", "application", LIKERT, {"es": "Usaré <script>alert(1)</script>"}),
              Item(22, "U2", "application", LIKERT, {"es": "=HYPERLINK(\"http://x\")"}),
              Item(23, "U3", "application", SCALE), Item(24, "K1", "knowledge", CHOICE))
# Follow-up: U2 and U1 again (other ids, other order), U3 asked as a Likert (not the same measure), its own F1.
FOLLOW_ITEMS = (Item(32, "U2", "application", LIKERT), Item(31, "U1", "application", LIKERT),
                Item(33, "U3", "application", LIKERT), Item(34, "F1", "application", LIKERT),
                Item(35, None, "application", QuestionSpec("long_text")))
POST = {1: (5, 4), 2: (4, 4), 3: (5, 5), 4: (None, 3), 5: (4, 5), 6: (3, 4), 7: (2, 3), 8: (3, 3), 10: (None, None)}
FOLLOW = {1: (4, 3), 2: (5, 4), 3: (3, 4), 4: (2, 2), 5: (2, None), 6: (None, None), 9: (5, 5), 11: (1, 1)}


def _tests():
    post = TakenTest(POST_ITEMS, {r: {q: v for q, v in zip((21, 22), values, strict=True) if v is not None}
                                  | {23: "9", 24: "b"} for r, values in POST.items()})
    follow = TakenTest(FOLLOW_ITEMS, {r: {q: str(v) for q, v in zip((31, 32), values, strict=True) if v is not None}
                                      | {33: "1", 34: "4", 35: "<b>sí</b>"} for r, values in FOLLOW.items()})
    return post, follow


def _reference_pairs():
    """Per responder, the means over the keys answered in both, computed here from the raw tables."""
    pairs = []
    for person in sorted(set(POST) & set(FOLLOW)):
        shared = [i for i in range(2) if POST[person][i] is not None and FOLLOW[person][i] is not None]
        if shared:
            pairs.append((np.mean([POST[person][i] for i in shared]), np.mean([FOLLOW[person][i] for i in shared])))
    return np.array(pairs)


def test_only_application_statements_repeated_on_the_same_scale_are_paired():
    post, follow = _tests()
    assert use_keys(post, follow) == ["U1", "U2"]


def test_counts_and_response_rate_follow_the_completers():
    post, follow = _tests()
    block = use_at_work(PEOPLE, post, follow)
    # Completers: 1–8 and 10 (submitted the post-test); 1–6 answered the follow-up; 9 answered without a post-test;
    # 11 is not among the people (withdrawn) and counts nowhere.
    assert (block["completers"], block["respondents"], block["other_respondents"]) == (9, 6, 1)
    assert block["response_rate"] == pytest.approx(6 / 9)
    assert block["reason"] is None and block["scale"] == {"low": 1, "high": 5}


def test_the_paired_comparison_matches_scipy_on_the_raw_answers():
    post, follow = _tests()
    result = use_at_work(PEOPLE, post, follow)["comparison"]
    pairs = _reference_pairs()
    intended, reported = pairs[:, 0], pairs[:, 1]
    # Person 4 counts on U2 only (no U1 in the post-test), 5 on U1 only, 6 answered neither: 5 pairs.
    assert result["n_pairs"] == 5 == len(pairs)
    assert result["mean_pre"] == pytest.approx(4.1) and result["mean_post"] == pytest.approx(3.1)
    t = stats.ttest_rel(reported, intended)
    interval = t.confidence_interval(0.95)
    assert result["mean_diff"] == pytest.approx(-1.0)
    assert (result["ci_low"], result["ci_high"]) == (pytest.approx(interval.low), pytest.approx(interval.high))
    assert result["p_value"] == pytest.approx(t.pvalue)
    diffs = reported - intended
    # Ties among |d| (two people fell by 1): R's wilcox.test uses the normal approximation with continuity correction.
    wilcoxon = stats.wilcoxon(diffs[diffs != 0], correction=True, method="approx")
    assert result["wilcoxon_p"] == pytest.approx(wilcoxon.pvalue)


def test_each_statement_is_compared_with_holm_across_statements():
    post, follow = _tests()
    rows = {row["item_key"]: row for row in use_at_work(PEOPLE, post, follow)["items"]}
    raw = {}
    for index, key in enumerate(("U1", "U2")):
        pairs = [(POST[r][index], FOLLOW[r][index]) for r in sorted(set(POST) & set(FOLLOW))
                 if POST[r][index] is not None and FOLLOW[r][index] is not None]
        diffs = np.array([b - a for a, b in pairs], dtype=float)
        raw[key] = stats.wilcoxon(diffs[diffs != 0], correction=True, method="approx").pvalue
        assert rows[key]["result"]["n_pairs"] == len(pairs)
        assert rows[key]["result"]["mean_diff"] == pytest.approx(diffs.mean())
    smaller, larger = sorted(raw.values())
    holm = {key: min(1.0, (2 * smaller if p == smaller else max(2 * smaller, larger))) for key, p in raw.items()}
    assert rows["U1"]["p_holm"] == pytest.approx(holm["U1"]) and rows["U2"]["p_holm"] == pytest.approx(holm["U2"])
    assert rows["U1"]["text"] == {"es": "Usaré <script>alert(1)</script>"}  # kept as written, escaped by each sink


def test_the_non_response_check_compares_intended_use_with_welch():
    post, follow = _tests()
    check = use_at_work(PEOPLE, post, follow)["non_response"]
    # Intended use per completer over the statements they answered: responders 1–6, non-responders 7 and 8
    # (10 answered none, so has no intended use to compare).
    responders = [np.mean([v for v in POST[r] if v is not None]) for r in range(1, 7)]
    others = [np.mean(POST[r]) for r in (7, 8)]
    welch = stats.ttest_ind(responders, others, equal_var=False)
    assert [group["n"] for group in check["groups"]] == [6, 2]
    assert check["welch_t"] == pytest.approx(welch.statistic) and check["welch_p"] == pytest.approx(welch.pvalue)


def test_people_rows_carry_each_persons_means_over_the_statements_they_answered_in_both():
    post, follow = _tests()
    rows = {row["id"]: row for row in use_at_work(PEOPLE, post, follow)["people"]}
    assert set(rows) == {1, 2, 3, 4, 5}
    assert (rows[4]["intended"], rows[4]["reported"], rows[4]["statements"]) == (3.0, 2.0, 1)
    assert (rows[1]["intended"], rows[1]["reported"], rows[1]["statements"]) == (4.5, 3.5, 2)


def test_without_a_follow_up_the_block_says_why():
    post, _follow = _tests()
    block = use_at_work(PEOPLE, post, TakenTest((), {}))
    assert block["reason"] == NO_FOLLOW_UP and block["respondents"] == 0 and block["comparison"]["n_pairs"] == 0
    assert block["non_response"]["reason"] == NO_FOLLOW_UP and block["items"] == []


def test_a_follow_up_without_a_statement_in_common_says_so():
    post, follow = _tests()
    unkeyed = TakenTest(tuple(Item(i.question_id, None, i.dimension, i.spec) for i in follow.items), follow.answers)
    block = use_at_work(PEOPLE, post, unkeyed)
    assert block["reason"] == NO_SHARED_USE_ITEMS and block["keys"] == [] and block["people"] == []
    assert block["respondents"] == 6  # who answered is still counted
    assert block["non_response"]["reason"] == NO_SHARED_USE_ITEMS


def test_fewer_than_two_non_responders_is_a_reason_not_a_number():
    post, follow = _tests()
    few = [person for person in PEOPLE if person.id not in (8, 10)]
    check = use_at_work(few, post, follow)["non_response"]
    assert check["welch_p"] is None and check["reason"] == "fewer_than_2_groups"


def test_the_report_carries_the_block_as_json():
    post, follow = _tests()
    pre = TakenTest((Item(1, "K1", "knowledge", CHOICE),), {r: {1: "a"} for r in POST})
    figures = impact.report(PEOPLE, pre, post, follow_up=follow, filters={"country": "MX"})
    text = json.dumps(figures, allow_nan=False)
    block = json.loads(text)["use_at_work"]
    # MX: the odd ids. Completers 1, 3, 5, 7; responders 1, 3, 5.
    assert (block["completers"], block["respondents"], block["comparison"]["n_pairs"]) == (4, 3, 3)


def test_an_erased_person_is_not_among_those_who_completed():
    post, follow = _tests()
    people = [Respondent(p.id, p.country, p.gender, p.profile, erased=p.id == 1) for p in PEOPLE]
    block = use_at_work(people, post, follow)
    # Person 1 submitted both, but is no longer sent a follow-up: out of the rate and the pairs, named as left out.
    assert (block["completers"], block["respondents"], block["other_respondents"]) == (8, 5, 2)
    assert block["comparison"]["n_pairs"] == 4 and 1 not in {row["id"] for row in block["people"]}


def test_person_means_stay_on_one_scale_while_each_statement_keeps_its_row():
    post, follow = _tests()
    ten = QuestionSpec("scale", (), (), 0.0, False)
    post = TakenTest((*post.items, Item(25, "U4", "application", ten)),
                     {r: {**values, 25: "10"} for r, values in post.answers.items()})
    follow = TakenTest((*follow.items, Item(36, "U4", "application", ten)),
                       {r: {**values, 36: "0"} for r, values in follow.answers.items()})
    block = use_at_work(PEOPLE, post, follow)
    assert block["keys"] == ["U1", "U2", "U4"] and block["person_keys"] == ["U1", "U2"]
    rows = {row["id"]: row for row in block["people"]}
    assert (rows[1]["intended"], rows[1]["reported"]) == (4.5, 3.5)  # the 0–10 answers (10 → 0) left out
    u4 = next(row for row in block["items"] if row["item_key"] == "U4")
    assert u4["result"]["mean_diff"] == -10 and u4["result"]["n_pairs"] == 6  # 1–6 answered both; 9 is no completer


def test_the_summary_finding_reads_the_paired_comparison_with_its_caveats():
    post, follow = _tests()
    pre = TakenTest((Item(1, "K1", "knowledge", CHOICE),), {r: {1: "a"} for r in POST})
    figures = impact.report(PEOPLE, pre, post, follow_up=follow)
    finding = next(f for f in summary_findings(figures) if f.dimension == "use")
    t = stats.ttest_rel(_reference_pairs()[:, 1], _reference_pairs()[:, 0])
    expected = "below" if t.confidence_interval().high < 0 else "unclear"
    assert finding.code == expected and finding.chart == "use"
    responders = [np.mean([v for v in POST[r] if v is not None]) for r in range(1, 7)]
    welch = stats.ttest_ind(responders, [np.mean(POST[r]) for r in (7, 8)], equal_var=False)
    assert welch.pvalue < 0.05  # those who answered had intended more use than those who did not
    assert finding.caveats == ("few_pairs", "response_bias")  # 5 pairs; 6 of 9 answered (67 %): not a low rate
    low = [person for person in PEOPLE if person.id not in (2, 3, 4)]  # 3 of 6 completers answered: half
    sparse = impact.report(low, pre, post, follow_up=TakenTest(follow.items, {
        r: v for r, v in follow.answers.items() if r != 5}))
    use = sparse["use_at_work"]
    assert use["response_rate"] == pytest.approx(2 / 6)
    assert use_finding(sparse).code == "too_few_pairs"  # 2 pairs: no claim


def test_a_low_response_rate_is_a_caveat_of_the_finding():
    post, follow = _tests()
    extra = [Respondent(n, "MX", "female", "other") for n in range(12, 22)]  # completed, never answered
    post = TakenTest(post.items, {**post.answers, **{n: {21: 4, 22: 4} for n in range(12, 22)}})
    block = use_at_work(PEOPLE + extra, post, follow)
    assert block["response_rate"] == pytest.approx(6 / 19)
    finding = use_finding({"use_at_work": block, "likert": []})
    assert "low_response" in finding.caveats
