"""The impact report's assembly (assessments/impact.py) on small hand-checked data, without an app."""
import json
import math

import pytest

from assessments.impact import report as impact
from assessments.impact.report import Item, TakenTest
from assessments.question_types import QuestionSpec
from tests.impact_samples import PEOPLE, sample_data


def test_only_knowledge_items_both_tests_share_are_scored_in_the_pre_tests_order():
    pre, post = sample_data()
    assert impact.knowledge_keys(pre, post) == ["K1", "K2"]
    assert impact.marks(pre, ["K1", "K2"]) == {1: [0.0, 0.0], 2: [1.0, 0.0], 3: [0.0, 2.0], 4: [1.0, 2.0],
                                               5: [0.0, 0.0]}
    assert impact.max_marks(post, ["K1", "K2"]) == [1.0, 2.0]


def test_participation_counts_each_group_once():
    pre, post = sample_data()
    counts = impact.participation(PEOPLE, pre, post, ["K1", "K2"])
    assert {k: counts[k] for k in ("registered", "pre", "post", "both", "pre_only", "post_only", "none")} == {
        "registered": 6, "pre": 5, "post": 5, "both": 4, "pre_only": 1, "post_only": 1, "none": 0}
    # The attrition check compares the pre-test scores of those who stayed (0, 1, 2, 3) and who left (0).
    groups = {group["name"]: group for group in counts["attrition"]["groups"]}
    assert groups["both"]["mean"] == pytest.approx(1.5) and groups["both"]["n"] == 4
    assert groups["pre_only"]["n"] == 1


def test_the_paired_knowledge_comparison_uses_post_minus_pre_on_the_shared_items():
    pre, post = sample_data()
    result = impact.knowledge(PEOPLE, pre, post, ["K1", "K2"])
    # Differences 3, 2, 0, −2: mean 0.75, sd sqrt(((2.25)²+(1.25)²+(0.75)²+(2.75)²)/3) = sqrt(14.75/3).
    assert result["n_pairs"] == 4 and result["n_pre_only"] == 1 and result["n_post_only"] == 1
    assert result["mean_pre"] == pytest.approx(1.5) and result["mean_post"] == pytest.approx(2.25)
    assert result["mean_diff"] == pytest.approx(0.75)
    assert result["sd_diff"] == pytest.approx(math.sqrt(14.75 / 3))
    assert (result["n_improved"], result["n_unchanged"], result["n_declined"]) == (2, 1, 1)


def test_items_count_who_learned_and_who_forgot_on_the_paired_sample():
    pre, post = sample_data()
    rows = {row["item_key"]: row for row in impact.items(PEOPLE, pre, post, ["K1", "K2"])}
    # K1 right before/after for persons 1–4: (no, yes), (yes, yes), (no, no), (yes, yes).
    assert (rows["K1"]["b"], rows["K1"]["c"]) == (0, 1)
    assert rows["K1"]["facility_pre"] == pytest.approx(0.5) and rows["K1"]["facility_post"] == pytest.approx(0.75)
    # K2: (no, yes), (no, yes), (yes, yes), (yes, no).
    assert (rows["K2"]["b"], rows["K2"]["c"]) == (1, 2)
    assert rows["K1"]["text"] == {"es": "<b>¿Quién?</b>"}  # data, escaped where it is shown
    assert rows["K1"]["mcnemar"]["p_exact"] == pytest.approx(1.0)  # one discordant pair: 2 × 0.5
    assert rows["K1"]["p_holm"] == pytest.approx(1.0) and rows["K2"]["p_holm"] == pytest.approx(1.0)


def test_filters_narrow_every_block():
    pre, post = sample_data()
    figures = impact.report(PEOPLE, pre, post, {"country": "GT", "gender": "", "unknown": "x"})
    assert figures["filters"] == {"country": "GT"}
    assert figures["participation"]["registered"] == 3 and figures["participation"]["both"] == 2
    assert figures["knowledge"]["n_pairs"] == 2
    assert [row["value"] for row in figures["subgroups"][0]["rows"]] == ["GT"]


def test_subgroups_flag_small_groups_and_compare_gains():
    pre, post = sample_data()
    block = impact.subgroups(PEOPLE, pre, post, ["K1", "K2"], "country")
    rows = {row["value"]: row for row in block["rows"]}
    assert set(rows) == {"", "GT", "MX"} and all(row["small_n"] for row in rows.values())
    assert rows["MX"]["result"]["mean_diff"] == pytest.approx(2.5)  # 3 and 2
    gains = {group["name"]: group["n"] for group in block["difference"]["groups"]}
    assert gains["MX"] == 2 and gains["GT"] == 2


def test_likert_distribution_median_quartiles_and_share_agreeing():
    pre, post = sample_data()
    block = impact.likert(PEOPLE, pre, "expectations")
    (row,) = block["questions"]
    assert row["counts"] == [0, 1, 0, 2, 1] and row["n"] == 4  # answers 5, 4, 2, 4
    assert row["median"] == 4 and row["agreeing"] == pytest.approx(0.75)
    assert (row["q1"], row["q3"]) == (3.5, 4.25)  # inclusive quartiles of 2, 4, 4, 5
    assert block["alpha"] is None  # one Likert question: no scale to measure


def test_open_answers_skip_blanks_and_keep_the_text_as_written():
    pre, post = sample_data()
    (question,) = impact.open_answers(PEOPLE, pre)
    assert question["answers"] == ["Aprender <script>"]


def test_a_program_without_a_post_test_still_gets_a_report_with_reasons():
    pre, _post = sample_data()
    figures = impact.report(PEOPLE, pre, TakenTest((), {}))
    assert figures["knowledge_keys"] == [] and figures["participation"]["post"] == 0
    assert figures["knowledge"]["n_pairs"] == 0 and figures["knowledge"]["reason"]
    text = json.dumps(figures, allow_nan=False)  # no NaN anywhere: the JSON export would refuse it
    assert '"reason"' in text


def test_the_whole_report_is_json_without_nan():
    pre, post = sample_data()
    figures = impact.report(PEOPLE, pre, post)
    json.dumps(figures, allow_nan=False)
    assert figures["paired"] == [{"id": 1, "pre": 0.0, "post": 3.0}, {"id": 2, "pre": 1.0, "post": 3.0},
                                 {"id": 3, "pre": 2.0, "post": 2.0}, {"id": 4, "pre": 3.0, "post": 1.0}]


def test_an_item_scored_differently_in_the_post_test_is_not_compared():
    pre, post = sample_data()
    heavier = tuple(Item(i.question_id, i.item_key, i.dimension, QuestionSpec("true_false", (), ("true",), 3.0, False))
                    if i.item_key == "K2" else i for i in post.items)
    assert impact.knowledge_keys(pre, TakenTest(heavier, post.answers)) == ["K1"]


def test_tests_without_shared_knowledge_items_say_so_instead_of_comparing_zeros():
    pre, post = sample_data()
    unkeyed = TakenTest(tuple(Item(i.question_id, None, i.dimension, i.spec, i.text) for i in post.items),
                        post.answers)
    figures = impact.report(PEOPLE, pre, unkeyed)
    assert figures["knowledge_keys"] == [] and figures["paired"] == [] and figures["items"] == []
    assert figures["knowledge"]["reason"] == "no_shared_knowledge_items" and figures["knowledge"]["n_pairs"] == 0
    assert figures["participation"]["attrition"]["reason"] == "no_shared_knowledge_items"
    assert figures["participation"]["both"] == 4  # who took what is still counted
