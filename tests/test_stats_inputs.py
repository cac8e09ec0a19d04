"""Bad and degenerate input to every statistic: a number, or None with the reason that names the cause; never NaN,
never an exception for data a user could upload; and zeros that rounding left as ±1e-17 are zeros."""
import dataclasses
import json
import math
from fractions import Fraction

import pytest

from assessments.impact.texts import REASONS
from assessments.stats import (
    benjamini_hochberg,
    compare_groups,
    cronbach_alpha,
    holm,
    item_analysis,
    mcnemar,
    paired_comparison,
)

pytestmark = pytest.mark.filterwarnings("error")  # a NaN or an overflow usually arrives with a RuntimeWarning

INF, NAN = float("inf"), float("nan")
# Equal on paper, not as floats: 0.1 + 0.2 is 0.30000000000000004.
POINT_3 = (0.1 + 0.2, 0.3, 0.3, 0.3)


def assert_reasoned(result, by_design=(), inherited=None):
    """Walk a result's fields (and the results nested in them): no float is NaN or infinite, values are plain
    Python types, and every None sits in a result whose reason is set — its own, or its parent's when it has none
    (GroupSummary). `by_design` names fields that are None when not asked for, which need no reason."""
    names = {field.name for field in dataclasses.fields(result)}
    reason = getattr(result, "reason", None) if "reason" in names else inherited
    for name in names - {"reason"}:
        value = getattr(result, name)
        if isinstance(value, tuple):
            for item in value:
                if dataclasses.is_dataclass(item):
                    assert_reasoned(item, by_design, reason)
            continue
        assert type(value) in (int, float, str, bool, type(None)), f"{name} = {value!r} is {type(value)}"
        if isinstance(value, float):
            assert math.isfinite(value), f"{name} = {value}"
        if value is None and name not in by_design:
            assert reason is not None, f"{type(result).__name__}.{name} is None without a reason"
    if reason is not None:
        assert reason in REASONS, f"{reason!r} has no words in the report"
    json.dumps(result.as_dict(), allow_nan=False)


# ---- paired comparison ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("pre, post, reason", [
    ([1, INF, 3, 4], [2, 3, 5, 4], "values_too_large"),
    ([1, 2, 3, 4], [2, -INF, 5, 4], "values_too_large"),
    ([1, INF, 3], [2, INF, 5], "values_too_large"),  # inf − inf: was a ValueError from numpy
    ([1, -INF, 3], [2, INF, 5], "values_too_large"),
    ([1e308, -1e308, 0], [-1e308, 1e308, 1], "values_too_large"),  # the differences overflow
    ([1e200, 2e200, 3e200], [2e200, 2e200, 5e200], "values_too_large"),  # the variances overflow
    ([1, NAN, 3, 4, 2], [2, 5, NAN, 6, 4], None),  # NaN is a missing value: its pairs are dropped
    ([1, None, 3, 4, 2], [2, 5, None, 6, 4], None),
    ([0, 1, 2], [-3, -3, -2], None),  # the upper limit of d_z was None, and the reason too
    ([0, 1], [10, 13], "fewer_than_3_pairs"),
    ([4], [6], "fewer_than_2_pairs"),
    ([], [], "fewer_than_2_pairs"),
    ([5, 5, 5, 5], [6, 8, 5, 9], "constant_pre_or_post"),
    ([*POINT_3, 1], [0.6, 0.9, 0.5, 1.2, 2], None),
    (list(POINT_3), [0.6, 0.9, 0.5, 1.2], "constant_pre_or_post"),  # constant on paper
    ([0.1, 0.2, 0.7], [0.4, 0.5, 1.0], "zero_variance"),  # each rose by 0.3, give or take the last bit
    ([3, 5, 7], [3, 5, 7], "all_differences_zero"),
])
def test_paired_comparison_on_every_class_of_input(pre, post, reason):
    result = paired_comparison(pre, post, max_score=10)
    assert result.reason == reason
    assert_reasoned(result)


def test_infinite_scores_still_count_who_rose_and_who_fell():
    result = paired_comparison([1, INF, 3, 5, 1e308], [2, INF, 5, -INF, -1e308], max_score=10)
    assert (result.n_pairs, result.n_improved, result.n_unchanged, result.n_declined) == (5, 2, 1, 2)
    assert result.wilcoxon_n == 4 and result.sign_test_p == 1.0  # 2 of 4 changes up: binom.test(2, 4) = 1
    assert result.mean_pre is None and result.sd_diff is None and result.reason == "values_too_large"


def test_an_infinite_maximum_score_is_reported():
    result = paired_comparison([1, 2, 3], [2, 4, 5], max_score=INF)
    assert result.hake_gain is None and result.reason == "values_too_large"


def test_a_side_constant_on_paper_has_no_spread():
    # 0.1 + 0.2 and 0.3 are one score: the SD is 0, not 2.8e-17, and there is no correlation (R's cor() gives NA
    # for a zero SD); scipy warned about a nearly constant input before.
    result = paired_comparison(list(POINT_3), [0.6, 0.9, 0.5, 1.2])
    assert result.sd_pre == 0.0 and result.correlation is None and result.cohen_dav is not None
    rose = paired_comparison([0.1, 0.2, 0.7], [0.4, 0.5, 1.0])
    assert rose.sd_diff == 0.0 and rose.se_diff == 0.0 and rose.t is None


# ---- McNemar and adjusted p-values ----------------------------------------------------------------------------

@pytest.mark.parametrize("b, c, reason", [
    (None, 1, "missing_count"),
    (3, None, "missing_count"),
    (NAN, 2, "missing_count"),
    (INF, 1, "values_too_large"),
    (2, -INF, "values_too_large"),
    (1e308, 1, "values_too_large"),
    (2 ** 60, 1, "values_too_large"),  # past 2**53 a count is no longer exact as a float
    (0, 0, "no_discordant_pairs"),
    (4, 1, None),
])
def test_mcnemar_on_every_class_of_input(b, c, reason):
    result = mcnemar(b, c)
    assert result.reason == reason
    assert (result.p_exact is None) == (reason is not None)
    assert_reasoned(result)


def test_mcnemar_keeps_the_usable_count():
    assert (mcnemar(None, 1).b, mcnemar(None, 1).c) == (None, 1)


@pytest.mark.parametrize("b, c", [(-1, 2), (0.5, 2)])
def test_mcnemar_refuses_what_is_no_count(b, c):
    # b and c are counted by the report, never typed or uploaded: a negative or fractional one is a caller's bug.
    with pytest.raises(ValueError):
        mcnemar(b, c)


def test_adjusted_p_values_keep_missing_ones_and_refuse_impossible_ones():
    assert holm([None, NAN, 0.02]) == [None, None, 0.02]
    assert benjamini_hochberg([0.04, None, NAN]) == [0.04, None, None]
    with pytest.raises(ValueError):  # p-values come from the tests above, never from a user: inf is a bug
        holm([INF])


# ---- Cronbach's alpha --------------------------------------------------------------------------------------

@pytest.mark.parametrize("rows, reason", [
    ([[1, 2], [INF, 3], [2, 2]], "values_too_large"),
    ([[1, 2], [-INF, 3], [2, 2]], "values_too_large"),
    ([[1e308, 1e308], [1, 2], [3, 4]], "values_too_large"),  # the totals overflow
    ([[1, 2], [None, 3], [2, 2], [3, 3], [NAN, 1]], None),  # left out, listwise
    ([[0.1, 0.2], [0.2, 0.1], [0.15, 0.15]], "zero_variance"),  # every total 0.3 on paper; alpha was -6.5e30
    ([[3, 4], [3, 4], [3, 4]], "zero_variance"),
    ([[1, 2]], "fewer_than_2_respondents"),
    ([[1], [2], [3]], "fewer_than_2_items"),
])
def test_cronbach_alpha_on_every_class_of_input(rows, reason):
    result = cronbach_alpha(rows)
    assert result.reason == reason
    assert (result.alpha is None) == (reason is not None)
    assert_reasoned(result)


# ---- Moodle item analysis -------------------------------------------------------------------------------------

@pytest.mark.parametrize("marks, max_marks, reason, item_reasons", [
    ([[1, 0], [INF, 1], [0, 1]], [1, 1], "values_too_large", ["values_too_large"] * 2),
    ([[1, 0], [0, -INF], [0, 1]], [1, 1], "values_too_large", ["values_too_large"] * 2),
    ([[1e308, 1e308], [0, 1], [1, 0]], [1e308, 1e308], "values_too_large", ["values_too_large"] * 2),
    ([[1, 0], [0, 1], [1, 1]], [1, INF], "values_too_large", ["values_too_large"] * 2),
    ([[1, 0], [0, 1], [1, 1], [0, 0]], [1, None], None, [None, "no_maximum_mark"]),
    ([[1, NAN], [None, 1], [0, 1], [1, 0], [1, 1], [0, 0]], [1, 1], None, [None, None]),
    ([[1, 0], [0, 1], [1, 0], [0, 1]], [1, 1], "zero_variance", ["zero_variance_total"] * 2),
    ([[0.25, 0.1], [0.1, 0.25], [0.25, 0.1], [0.1, 0.25]], [1, 1], "zero_variance", ["zero_variance_total"] * 2),
    ([[1, 1], [0, 1], [1, 1], [0, 1]], [1, 1], None, ["zero_variance_rest", "zero_variance"]),
    ([[1, 0], [0, 1], [1, 1]], [1, 1], "fewer_than_4_attempts", [None, None]),
    ([[1, 0]], [1, 1], "fewer_than_2_attempts", ["fewer_than_2_attempts"] * 2),
    ([[None, 0]], [1, 1], "no_complete_attempts", ["fewer_than_2_attempts"] * 2),
])
def test_item_analysis_on_every_class_of_input(marks, max_marks, reason, item_reasons):
    result = item_analysis(marks, max_marks)
    assert result.reason == reason
    assert [item.reason for item in result.items] == item_reasons
    assert_reasoned(result)


# Found by search: sets of marks where an item's covariance with the total is exactly 0 in exact arithmetic on the
# binary values, but numpy sums it to ±1e-18 (item 2 of the first got an effective weight of 3.6e-9, item 1 of the
# second and item 3 of the third were "negative covariance with the total").
ZERO_COVARIANCE_MARKS = [
    [[0.1, 0.2], [0.5, 0.0], [0.25, 0.1], [0.5, 0.2], [0.5, 0.0]],
    [[0.1, 0.0, 0.5], [0.1, 0.5, 0.0], [0.2, 1.0, 0.5], [0.5, 0.1, 0.1]],
    [[1.0, 0.5, 0.0], [0.5, 0.5, 0.5], [1.0, 0.25, 0.0], [0.5, 0.0, 0.25], [0.25, 1.0, 0.0]],
]


def exact_covariance(a, b):
    """Sample covariance in exact rational arithmetic on the floats' binary values."""
    a, b = [Fraction(x) for x in a], [Fraction(x) for x in b]
    mean_a, mean_b = sum(a) / len(a), sum(b) / len(b)
    return sum((x - mean_a) * (y - mean_b) for x, y in zip(a, b, strict=True)) / (len(a) - 1)


@pytest.mark.parametrize("marks", ZERO_COVARIANCE_MARKS)
def test_a_zero_covariance_with_the_total_is_zero(marks):
    # Moodle: effective weight = √cov(item, total) / Σ √cov(item_j, total), negative covariances left out.
    columns = list(zip(*marks, strict=True))
    totals = [sum(row) for row in marks]
    covariances = [exact_covariance(column, totals) for column in columns]
    assert 0 in covariances  # the case this test is about
    roots = [math.sqrt(c) if c >= 0 else None for c in covariances]
    root_sum = sum(r for r in roots if r is not None)
    result = item_analysis(marks, [1] * len(columns))
    for item, covariance, root, column in zip(result.items, covariances, roots, columns, strict=True):
        if covariance == 0:
            assert item.effective_weight == 0.0 and item.reason is None
        elif root is None:
            assert item.effective_weight is None and item.reason == "negative_covariance_with_total"
        else:
            assert item.effective_weight == pytest.approx(root / root_sum, rel=1e-12)
        rest = [t - m for t, m in zip(totals, column, strict=True)]
        spread = math.sqrt(exact_covariance(column, column) * exact_covariance(rest, rest))
        assert item.discrimination_index == pytest.approx(float(exact_covariance(column, rest)) / spread, rel=1e-12)
    assert_reasoned(result)


WELCH = ("welch_t", "welch_df", "welch_p")
ANOVA_AND_KRUSKAL = ("anova_f", "anova_df_between", "anova_df_within", "anova_p", "kruskal_h", "kruskal_df",
                     "kruskal_p")


# ---- subgroups -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("groups, reason", [
    ({"a": [1, 2, INF], "b": [1, 3]}, "values_too_large"),
    ({"a": [1, 2], "b": [-INF, 3], "c": [2, 2]}, "values_too_large"),
    ({"a": [1e308, -1e308], "b": [1, 3]}, "values_too_large"),
    ({"a": [1, None, 2, NAN], "b": [1, 3]}, None),
    ({"a": [0.1 + 0.2, 0.3], "b": [0.3, 0.3]}, "all_values_identical"),  # equal on paper
    ({"a": [0.1 + 0.2, 0.3], "b": [1, 1]}, "zero_variance_within_groups"),
    ({"a": [1, 1], "b": [2, 2], "c": [3, 3]}, "zero_variance_within_groups"),
    ({"a": [1, 2], "b": [3]}, "fewer_than_2_groups"),
    ({"a": [1, 2], "b": [3, 5], "c": [None]}, "groups_with_fewer_than_2_values_skipped"),
])
def test_compare_groups_on_every_class_of_input(groups, reason):
    result = compare_groups(groups)
    assert result.reason == reason
    # Welch's t is for two groups, ANOVA and Kruskal-Wallis for more: the other family is None by design.
    two = sum(len([v for v in values if v is not None and v == v]) >= 2 for values in groups.values()) == 2
    assert_reasoned(result, by_design=ANOVA_AND_KRUSKAL if two else WELCH)


def test_a_group_with_infinite_gains_keeps_its_size():
    result = compare_groups({"a": [1, 2, INF], "b": [1, 3]})
    assert [(g.n, g.mean) for g in result.groups] == [(3, None), (2, 2.0)]
    assert result.welch_t is None
