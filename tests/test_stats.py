"""assessments.stats against published reference values (source next to each) and first-principles computations."""
import itertools
import json
import math
import statistics

import pytest

from assessments.stats import (
    benjamini_hochberg,
    compare_groups,
    cronbach_alpha,
    holm,
    item_analysis,
    mcnemar,
    paired_comparison,
)

# A NaN or an inf usually arrives with a RuntimeWarning: make every warning a failure here.
pytestmark = pytest.mark.filterwarnings("error")

# R's `sleep` data (Cushny & Peebles 1905), extra hours of sleep of 10 patients under drug 1 and drug 2.
SLEEP_1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
SLEEP_2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]

# R's ?wilcox.test example: Hamilton depression scale at the first (x) and second (y) visit,
# Hollander & Wolfe (1973), p. 29f.
DEPRESSION_X = [1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30]
DEPRESSION_Y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29]

# pingouin.wilcoxon docstring example (pingouin-stats.org): ties and one zero difference.
PINGOUIN_X = [20, 22, 19, 20, 22, 18, 24, 20, 19, 24, 26, 13]
PINGOUIN_Y = [38, 37, 33, 29, 14, 12, 20, 22, 17, 25, 26, 16]


def plain_values(value):
    """Every leaf of an as_dict() result: JSON-ready Python values, no numpy scalars."""
    if isinstance(value, dict):
        for item in value.values():
            yield from plain_values(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from plain_values(item)
    else:
        yield value


def assert_plain_and_finite(result):
    """No NaN, no infinity, only plain Python types; and the dict survives JSON."""
    data = result.as_dict()
    for value in plain_values(data):
        assert type(value) in (int, float, str, bool, type(None)), f"{value!r} is {type(value)}"
        if isinstance(value, float):
            assert math.isfinite(value)
    json.dumps(data, allow_nan=False)


def with_mean_and_sd(mean, sd, n):
    """n evenly spaced values whose mean and sample SD (n − 1) are exactly the ones asked for."""
    centred = [i - (n - 1) / 2 for i in range(n)]
    scale = statistics.stdev(centred)
    return [mean + sd * c / scale for c in centred]


# ---- paired t-test and effect sizes -------------------------------------------------------------------------

def test_paired_t_test_matches_r_sleep_example():
    # R ?t.test example `with(sleep, t.test(extra[group == 1], extra[group == 2], paired = TRUE))` prints
    # t = -4.0621, df = 9, p-value = 0.002833, 95% CI -2.4598858 -0.7001142, mean difference -1.58.
    # Here post = drug 2 and pre = drug 1, so the signs flip.
    result = paired_comparison(SLEEP_1, SLEEP_2)
    assert result.n_pairs == 10 and result.df == 9
    assert result.mean_diff == pytest.approx(1.58, abs=1e-12)
    assert result.t == pytest.approx(4.0621, abs=5e-5)
    assert result.p_value == pytest.approx(0.002833, abs=5e-7)
    assert result.ci_low == pytest.approx(0.7001142, abs=5e-8)
    assert result.ci_high == pytest.approx(2.4598858, abs=5e-8)
    # one-sided p-values of a symmetric t: half the two-sided one, and its complement
    assert result.p_greater == pytest.approx(result.p_value / 2)
    assert result.p_less == pytest.approx(1 - result.p_value / 2)
    assert result.reason is None
    assert_plain_and_finite(result)


def test_descriptives_match_first_principles():
    result = paired_comparison(SLEEP_1, SLEEP_2)
    assert result.mean_pre == pytest.approx(statistics.mean(SLEEP_1))
    assert result.sd_post == pytest.approx(statistics.stdev(SLEEP_2))
    assert result.correlation == pytest.approx(statistics.correlation(SLEEP_1, SLEEP_2))
    diffs = [b - a for a, b in zip(SLEEP_1, SLEEP_2, strict=True)]
    assert result.sd_diff == pytest.approx(statistics.stdev(diffs))
    assert result.se_diff == pytest.approx(statistics.stdev(diffs) / math.sqrt(10))


def test_cohen_dz_interval_matches_mote():
    # MOTE (CRAN; doomlab/MOTE tests/testthat/test-d_dep_t_diff.R): d_dep_t_diff(mdiff = 1.14, sddiff = 2.12,
    # n = 7, a = .05) gives d = 0.5377358, dlow = -0.2791857, dhigh = 1.317321 (noncentral t, as MBESS).
    result = paired_comparison([0.0] * 7, with_mean_and_sd(1.14, 2.12, 7))
    assert result.cohen_dz == pytest.approx(0.5377358, abs=1e-6)
    assert result.cohen_dz_ci_low == pytest.approx(-0.2791857, abs=1e-6)
    assert result.cohen_dz_ci_high == pytest.approx(1.317321, abs=1e-6)


def test_cohen_dz_interval_from_t_matches_mote():
    # MOTE tests/testthat/test-d_dep_t_diff_t.R: d_dep_t_diff_t(t_value = 1.43, n = 7, a = .05) gives
    # d = 0.5404892, dlow = -0.2770679, dhigh = 1.320576. Differences with mean t/√7 and SD 1 have that t.
    result = paired_comparison([0.0] * 7, with_mean_and_sd(1.43 / math.sqrt(7), 1.0, 7))
    assert result.t == pytest.approx(1.43, abs=1e-12)
    assert result.cohen_dz == pytest.approx(0.5404892, abs=1e-6)
    assert result.cohen_dz_ci_low == pytest.approx(-0.2770679, abs=1e-6)
    assert result.cohen_dz_ci_high == pytest.approx(1.320576, abs=1e-6)


def test_hedges_and_dav_follow_their_definitions():
    # No published paired example with its raw data was found for g_z and d_av; these are checked against their
    # definitions: g_z = J · d_z with Hedges' (1981) J = Γ(df/2) / (√(df/2) Γ((df − 1)/2)), and
    # d_av = mean difference / mean(SD_pre, SD_post) (Cumming 2012; Lakens 2013).
    result = paired_comparison(SLEEP_1, SLEEP_2)
    df = 9
    j = math.gamma(df / 2) / (math.sqrt(df / 2) * math.gamma((df - 1) / 2))
    assert result.hedges_gz == pytest.approx(j * result.cohen_dz, rel=1e-12)
    assert j == pytest.approx(1 - 3 / (4 * df - 1), abs=1e-3)  # the usual shortcut is close, not equal
    average_sd = (statistics.stdev(SLEEP_1) + statistics.stdev(SLEEP_2)) / 2
    assert result.cohen_dav == pytest.approx(1.58 / average_sd, rel=1e-12)


def test_shapiro_wilk_matches_roystons_example():
    # Royston (1995, AS R94) example, as recorded in scipy's test suite (TestShapiro, "extracted from original
    # paper"): W = 0.83467, p = 0.000914. The differences are the data (pre = 0).
    data = [0.139, 0.157, 0.175, 0.256, 0.344, 0.413, 0.503, 0.577, 0.614, 0.655, 0.954, 1.392, 1.557, 1.648,
            1.690, 1.994, 2.174, 2.206, 3.245, 3.510, 3.571, 4.354, 4.980, 6.084, 8.351]
    result = paired_comparison([0.0] * len(data), data)
    assert result.shapiro_w == pytest.approx(0.83467, abs=5e-5)
    assert result.shapiro_p == pytest.approx(0.000914, abs=5e-6)


# ---- Wilcoxon signed-rank and its companions ----------------------------------------------------------------

def test_wilcoxon_exact_matches_r_depression_example():
    # R ?wilcox.test: wilcox.test(x, y, paired = TRUE, alternative = "greater") gives V = 40, p-value = 0.01953;
    # the two-sided exact p is twice that, 0.03906. Post = x, pre = y.
    result = paired_comparison(DEPRESSION_Y, DEPRESSION_X)
    assert result.wilcoxon_v == 40
    assert result.wilcoxon_n == 9
    assert result.wilcoxon_method == "exact"
    assert result.wilcoxon_p == pytest.approx(2 * 0.01953, abs=1e-5)
    assert result.wilcoxon_p == pytest.approx(20 / 512, rel=1e-12)  # 10 of the 512 sign patterns have V ≥ 40
    # without ties or zeros the conditional test is the same exact test
    assert result.wilcoxon_p_exact_conditional == pytest.approx(result.wilcoxon_p, rel=1e-12)


def test_wilcoxon_normal_approximation_matches_pingouin_example():
    # pingouin.wilcoxon docstring: W-val 20.5, p-val 0.285765, RBC -0.379, equal to
    # scipy.stats.wilcoxon(x, y, correction=True) = 0.2857652190231508 and to R's default
    # wilcox.test(x, y, paired = TRUE) (ties and a zero: normal approximation with both corrections).
    result = paired_comparison(PINGOUIN_Y, PINGOUIN_X)
    assert result.wilcoxon_v == 20.5  # R+ of x − y; here it is also the smaller rank sum pingouin reports
    assert result.wilcoxon_n == 11  # the zero difference (26 − 26) is dropped
    assert result.wilcoxon_method == "normal_approximation"
    assert result.wilcoxon_p == pytest.approx(0.2857652190231508, rel=1e-9)
    assert result.rank_biserial == pytest.approx(-0.379, abs=5e-4)
    assert result.rank_biserial == pytest.approx((20.5 - 45.5) / 66, rel=1e-12)  # Kerby (2014)


def test_wilcoxon_approximation_follows_rs_formula():
    # R's wilcox.test code: z = (V − n(n+1)/4 − sign·0.5) / sqrt(n(n+1)(2n+1)/24 − Σ(t³ − t)/48); p = 2·P(Z ≥ |z|)
    # On the sleep data: 9 non-zero differences, one tie of size 2 (1.3), V = 45.
    result = paired_comparison(SLEEP_1, SLEEP_2)
    n, v = 9, 45
    sigma = math.sqrt(n * (n + 1) * (2 * n + 1) / 24 - (2 ** 3 - 2) / 48)
    z = (v - n * (n + 1) / 4 - 0.5) / sigma
    assert (result.wilcoxon_v, result.wilcoxon_n, result.wilcoxon_method) == (45, 9, "normal_approximation")
    assert result.wilcoxon_p == pytest.approx(math.erfc(z / math.sqrt(2)), rel=1e-9)


def midranks(values):
    """Average ranks, computed by hand for the first-principles checks."""
    ordered = sorted(values)
    return [(ordered.index(v) + 1 + len(ordered) - ordered[::-1].index(v)) / 2 for v in values]


@pytest.mark.parametrize("pre, post", [
    (PINGOUIN_Y, PINGOUIN_X),
    (SLEEP_1, SLEEP_2),
    ([3, 5, 2, 8, 6, 4, 7, 5], [4, 5, 4, 7, 8, 6, 7, 4]),
    ([1, 2, 3, 4, 5, 6], [2, 1, 5, 2, 8, 4]),
])
def test_exact_conditional_p_equals_enumeration_of_sign_flips(pre, post):
    # First principles: every one of the 2**n sign patterns of the observed (tied) ranks is equally likely under
    # H0; the p-value is the share of patterns at least as far from n(n+1)/4-style centre as the observed V.
    diffs = [round(b - a, 10) for a, b in zip(pre, post, strict=True) if round(b - a, 10) != 0]
    ranks = midranks([abs(d) for d in diffs])
    observed = sum(r for r, d in zip(ranks, diffs, strict=True) if d > 0)
    centre = sum(ranks) / 2
    patterns = list(itertools.product((0, 1), repeat=len(ranks)))
    extreme = sum(abs(sum(r for r, s in zip(ranks, signs, strict=True) if s) - centre) >= abs(observed - centre)
                  - 1e-9 for signs in patterns)
    result = paired_comparison(pre, post)
    assert result.wilcoxon_p_exact_conditional == pytest.approx(extreme / len(patterns), rel=1e-12)


def test_exact_conditional_p_stops_above_20_differences():
    pre = list(range(21))
    post = [x + 1 + (i % 3) for i, x in enumerate(pre)]
    assert paired_comparison(pre, post).wilcoxon_p_exact_conditional is None


def test_hodges_lehmann_matches_r_and_walsh_averages():
    # R: wilcox.test(x, y, paired = TRUE, conf.int = TRUE) on the depression data prints (pseudo)median 0.46
    # (R 4.2.2; the help page runs it without printing). For the exact case R's estimate is the median of the
    # Walsh averages, which is checked here by listing them all.
    result = paired_comparison(DEPRESSION_Y, DEPRESSION_X)
    diffs = [round(x - y, 10) for x, y in zip(DEPRESSION_X, DEPRESSION_Y, strict=True)]
    walsh = [(a + b) / 2 for a, b in itertools.combinations_with_replacement(diffs, 2)]
    assert result.hodges_lehmann == pytest.approx(statistics.median(walsh), abs=1e-12)
    assert result.hodges_lehmann == pytest.approx(0.46, abs=5e-3)


# Up to 1,000 distinct differences the pairs are counted per value pair; beyond, found by selection (1,200).
@pytest.mark.parametrize("size", [1, 2, 3, 4, 7, 16, 33, 60, 1200])
def test_hodges_lehmann_lists_agree_on_tied_and_untied_data(size):
    tied = [(i * 7) % 5 - 2 for i in range(size)]  # few distinct values, many ties
    untied = [math.sin(i * 1.7) * 3 for i in range(size)]
    for diffs in (tied, untied):
        walsh = [(a + b) / 2 for a, b in itertools.combinations_with_replacement(diffs, 2)]
        result = paired_comparison([0.0] * size, diffs)
        assert result.hodges_lehmann == pytest.approx(statistics.median(walsh), abs=1e-9)


def test_floating_noise_does_not_break_ties():
    # 0.4 − 0.1 and 0.5 − 0.2 differ in the last bit; rounded, they tie, as the same data in tenths do.
    pre = [0.1, 0.2, 0.7, 0.1, 0.3, 0.6]
    post = [0.4, 0.5, 1.0, 0.2, 0.1, 0.9]
    in_tenths = paired_comparison([round(x * 10) for x in pre], [round(x * 10) for x in post])
    noisy = paired_comparison(pre, post)
    assert noisy.wilcoxon_method == in_tenths.wilcoxon_method == "normal_approximation"
    assert noisy.wilcoxon_v == in_tenths.wilcoxon_v
    assert noisy.wilcoxon_p == pytest.approx(in_tenths.wilcoxon_p, rel=1e-12)


def test_sign_test_and_direction_counts():
    # Sleep data: 9 improved, 1 unchanged, 0 declined; two-sided binomial p = 2 · 0.5**9 (R: binom.test(9, 9)
    # prints p-value = 0.003906).
    result = paired_comparison(SLEEP_1, SLEEP_2)
    assert (result.n_improved, result.n_unchanged, result.n_declined) == (9, 1, 0)
    assert result.sign_test_p == pytest.approx(2 * 0.5 ** 9, rel=1e-12)


# ---- gains, missing values and edge cases -------------------------------------------------------------------

def test_gains_by_hand():
    # Hake: (mean post − mean pre) / (max − mean pre) = (7.75 − 6.25) / (10 − 6.25) = 0.4.
    # Individual gains (post − pre) / (max − pre): 4/8, 0/5, 2/2; the participant with pre = 10 is excluded.
    result = paired_comparison([2, 5, 10, 8], [6, 5, 10, 10], max_score=10)
    assert result.hake_gain == pytest.approx(0.4)
    assert result.individual_gain_mean == pytest.approx(0.5)
    assert result.individual_gain_median == pytest.approx(0.5)
    assert result.n_gain_excluded == 1


def test_missing_values_drop_the_pair_and_are_counted():
    pre = [1, None, 3, float("nan"), None, 4, 2]
    post = [2, 5, None, 4, None, 6, 2]
    result = paired_comparison(pre, post)
    assert (result.n_pairs, result.n_pre_only, result.n_post_only) == (3, 1, 2)
    assert result.mean_diff == pytest.approx(1.0)
    assert_plain_and_finite(result)


@pytest.mark.parametrize("pre, post, reason", [
    ([], [], "fewer_than_2_pairs"),
    ([4], [6], "fewer_than_2_pairs"),
    ([None, 3], [5, None], "fewer_than_2_pairs"),
    ([3, 5, 7, 9], [3, 5, 7, 9], "all_differences_zero"),
    ([3, 5, 7, 9], [4, 6, 8, 10], "zero_variance"),
    ([5, 5, 5, 5], [6, 8, 5, 9], "constant_pre_or_post"),
    ([1, 2], [2, 4], "fewer_than_3_pairs"),
])
def test_edge_cases_give_values_and_a_reason(pre, post, reason):
    result = paired_comparison(pre, post, max_score=10)
    assert result.reason == reason
    assert_plain_and_finite(result)


def test_all_differences_zero_reports_what_it_can():
    result = paired_comparison([3, 5, 7], [3, 5, 7])
    assert (result.mean_diff, result.sd_diff, result.wilcoxon_v, result.wilcoxon_n) == (0.0, 0.0, 0.0, 0)
    assert result.t is None and result.p_value is None and result.wilcoxon_p is None and result.cohen_dz is None
    assert result.n_unchanged == 3 and result.sign_test_p is None


def test_everyone_at_the_maximum_has_no_gain():
    result = paired_comparison([10, 10, 10], [10, 9, 8], max_score=10)
    assert result.hake_gain is None and result.individual_gain_mean is None and result.n_gain_excluded == 3
    assert_plain_and_finite(result)


def test_bad_calls_raise():
    with pytest.raises(ValueError):
        paired_comparison([1, 2], [1])
    with pytest.raises(ValueError):
        paired_comparison([1, 2], [2, 3], confidence=95)


# ---- McNemar ------------------------------------------------------------------------------------------------

def test_mcnemar_matches_r_presidential_approval_example():
    # R ?mcnemar.test example, Agresti (1990) p. 350: approval in two surveys, 794 / 150 / 86 / 570.
    # mcnemar.test(Performance) prints McNemar's chi-squared = 16.818, df = 1, p-value = 4.115e-05; Agresti
    # reports the uncorrected statistic z² = (86 − 150)² / 236 = 17.36.
    result = mcnemar(150, 86)
    assert result.chi2_cc == pytest.approx(16.818, abs=5e-4)
    assert result.p_cc == pytest.approx(4.115e-05, abs=5e-9)
    assert result.chi2 == pytest.approx(17.36, abs=5e-3)
    assert result.p == pytest.approx(math.erfc(math.sqrt(result.chi2 / 2)), rel=1e-9)  # χ²(1) tail, by hand
    assert_plain_and_finite(result)


def test_mcnemar_exact_and_mid_p_follow_fagerland():
    # Fagerland, Lydersen & Laake (2013, BMC Med Res Methodol 13:91) and their supplement "How to calculate the
    # McNemar mid-p test", with the Bentur et al. data (n12 = 1, n21 = 7): exact p = 2·P(X ≤ 1), mid-p = exact p −
    # P(X = 1), X ~ Binomial(8, 1/2).
    result = mcnemar(1, 7)
    below = (math.comb(8, 0) + math.comb(8, 1)) / 2 ** 8
    assert result.p_exact == pytest.approx(2 * below, rel=1e-12)  # 0.0703
    assert result.p_midp == pytest.approx(2 * below - math.comb(8, 1) / 2 ** 8, rel=1e-12)  # 0.0391
    assert result.chi2 == pytest.approx(36 / 8) and result.chi2_cc == pytest.approx(25 / 8)


def test_mcnemar_equal_discordant_counts():
    # Fagerland et al. supplement: if n12 = n21 the exact p is 1 and the mid-p is 1 − ½·P(X = n12).
    # R's mcnemar.test applies no continuity correction when b = c, so both statistics are 0.
    result = mcnemar(3, 3)
    assert result.p_exact == 1.0
    assert result.p_midp == pytest.approx(1 - 0.5 * math.comb(6, 3) / 2 ** 6)
    assert (result.chi2, result.chi2_cc, result.p, result.p_cc) == (0.0, 0.0, 1.0, 1.0)


def test_mcnemar_without_discordant_pairs():
    result = mcnemar(0, 0)
    assert result.reason == "no_discordant_pairs"
    assert result.p_exact is None and result.chi2 is None
    assert_plain_and_finite(result)


# ---- multiple comparisons ------------------------------------------------------------------------------------

def test_holm_and_bh_match_pingouin_examples():
    # pingouin.multicomp docstring (pvals = [.50, .003, .32, .054, .0003]): holm [0.64, 0.012, 0.64, 0.162, 0.0015],
    # fdr_bh [0.5, 0.0075, 0.4, 0.09, 0.0015]; pingouin says it mirrors R's p.adjust.
    pvalues = [0.50, 0.003, 0.32, 0.054, 0.0003]
    assert holm(pvalues) == pytest.approx([0.64, 0.012, 0.64, 0.162, 0.0015])
    assert benjamini_hochberg(pvalues) == pytest.approx([0.5, 0.0075, 0.4, 0.09, 0.0015])


def test_missing_p_values_are_kept_and_not_counted():
    # pingouin.multicomp docstring, "Holm correction with missing values": [0.5, 0.009, nan, 0.108, 0.0012].
    # BH by hand with m = 4: sorted 0.0003·4/1, 0.003·4/2, 0.054·4/3, 0.5·4/4 → running minimum from the top.
    pvalues = [0.50, 0.003, None, 0.054, 0.0003]
    assert holm(pvalues) == pytest.approx([0.5, 0.009, None, 0.108, 0.0012])
    assert benjamini_hochberg(pvalues) == pytest.approx([0.5, 0.006, None, 0.072, 0.0012])
    assert holm([float("nan"), 0.01]) == pytest.approx([None, 0.01])


def test_adjusted_p_values_are_capped_and_monotone():
    # By hand: Holm 2·0.8 = 1.6 → 1, then max(1, 0.9) = 1; BH 2/1·0.8 = 1.6, 2/2·0.9 = 0.9 → min from the top.
    assert holm([0.9, 0.8]) == [1.0, 1.0]
    assert benjamini_hochberg([0.9, 0.8]) == [0.9, 0.9]
    assert holm([]) == [] and benjamini_hochberg([None]) == [None]
    with pytest.raises(ValueError):
        holm([1.2])


# ---- Moodle item analysis -----------------------------------------------------------------------------------

# Moodle's fixture mod/quiz/report/statistics/tests/fixtures/results00.csv: 25 attempts × 7 questions, each worth
# 1 mark (the 0.3333333 is as stored in the fixture).
MOODLE_MARKS = [
    [1, 1, 1, 1, 1, 0, 1], [1, 1, 1, 1, 0.5, 1, 0], [1, 1, 1, 1, 0.5, 0, 1], [0, 0, 1, 1, 1, 0, 0],
    [1, 0, 1, 0, 0, 1, 0.5], [1, 1, 1, 1, 0.5, 0, 0.5], [0, 1, 1, 1, 0.5, 1, 0.5], [1, 1, 1, 0, 0.5, 1, 0.5],
    [1, 0, 1, 1, 1, 1, 1], [0, 1, 1, 0, 0.5, 1, 0.5], [0.8, 0, 1, 1, 0.5, 1, 0.5], [1, 1, 1, 0, 0.5, 1, 1],
    [1, 0, 1, 1, 0.5, 1, 0.5], [1, 0, 1, 1, 1, 0, 0.5], [0, 0, 1, 1, 0, 1, 1], [1, 0, 1, 0, 0.5, 1, 1],
    [0.8, 0, 1, 1, 0.5, 0, 1], [1, 0, 1, 1, 0, 1, 0.5], [1, 0, 1, 1, 0.5, 0, 0.5], [0, 1, 1, 0, 0.5, 1, 0],
    [1, 1, 0.3333333, 1, 0.5, 0, 0.5], [1, 1, 1, 0, 0.5, 0, 0.5], [1, 1, 1, 1, 0, 1, 0.5],
    [0, 0, 1, 0, 0.5, 1, 1], [0, 0, 1, 1, 1, 1, 1],
]

# fixtures/qstats00.csv (Moodle's expected values, computed independently in a spreadsheet): facility, sd,
# effectiveweight, discriminationindex, discriminativeefficiency. Moodle prints the last three in percent.
MOODLE_ITEMS = [
    (0.704, 0.4513682901, 21.2922742344, -7.0650767526, -9.4550536967),
    (0.48, 0.5099019514, 18.8979800309, -28.8982125772, -36.7834118938),
    (0.973333332, 0.13333334, 4.443012573, -9.1230674268, -21.6545012165),
    (0.68, 0.4760952286, 18.9347251357, -22.6306444113, -31.4411395613),
    (0.52, 0.3055050463, 11.1450138688, -17.6997047674, -21.1794802584),
    (0.64, 0.4898979486, 9.8081339177, -45.3785178421, -56.9365974439),
    (0.62, 0.331662479, 15.4788602394, -5.6543166602, -6.5043742058),
]


def test_item_statistics_match_moodle_fixture():
    result = item_analysis(MOODLE_MARKS, [1] * 7)
    assert result.n_attempts == 25 and len(result.items) == 7
    for item, (facility, sd, weight, discrimination, efficiency) in zip(result.items, MOODLE_ITEMS, strict=True):
        # Moodle's own tolerance in stats_from_steps_walkthrough_test.php: 1e-6 relative, 1e-5 for these three
        assert item.facility == pytest.approx(facility, rel=1e-6)
        assert item.sd == pytest.approx(sd, rel=1e-6)
        assert item.effective_weight == pytest.approx(weight / 100, rel=1e-5)
        assert item.discrimination_index == pytest.approx(discrimination / 100, rel=1e-5)
        assert item.discriminative_efficiency == pytest.approx(efficiency / 100, rel=1e-5)
    assert_plain_and_finite(result)


def test_test_statistics_match_moodle_fixture():
    # Moodle's check_quiz_stats_for_quiz_00 (stats_from_steps_walkthrough_test.php) for the same attempts:
    # median 4.5, average 4.617333332, SD 0.8117265554, skewness -0.092502502, kurtosis -0.7073968557,
    # CIC -87.2230935542 %, error ratio 136.8294900795 %, standard error 1.1106813066 (tolerance 1.5e-5 relative).
    result = item_analysis(MOODLE_MARKS, [1] * 7)
    assert result.median == pytest.approx(4.5, rel=1.5e-5)
    assert result.mean == pytest.approx(4.617333332, rel=1.5e-5)
    assert result.sd == pytest.approx(0.8117265554, rel=1.5e-5)
    assert result.skewness == pytest.approx(-0.092502502, rel=1.5e-5)
    assert result.kurtosis == pytest.approx(-0.7073968557, rel=1.5e-5)
    assert result.cic == pytest.approx(-0.872230935542, rel=1.5e-5)
    assert result.error_ratio == pytest.approx(1.368294900795, rel=1.5e-5)
    assert result.standard_error == pytest.approx(1.1106813066, rel=1.5e-5)
    assert result.reason is None


def test_an_item_everyone_got_right():
    marks = [[1, 1, 0], [1, 0, 0], [1, 1, 1], [1, 0, 1], [1, 1, 1]]
    result = item_analysis(marks, [1, 1, 1])
    first = result.items[0]
    assert first.facility == 1.0 and first.sd == 0.0
    assert first.discrimination_index is None and first.discriminative_efficiency is None
    assert first.effective_weight == 0.0  # no covariance with the total
    assert first.reason == "zero_variance"
    assert_plain_and_finite(result)


def test_item_analysis_leaves_out_incomplete_attempts_and_scales_by_maximum():
    result = item_analysis([[2, 1], [None, 1], [1, 0], [0, float("nan")], [2, 1]], [2, 1])
    assert (result.n_attempts, result.n_excluded) == (3, 2)
    assert result.items[0].facility == pytest.approx(5 / 6)  # mean mark 5/3 of a maximum of 2
    assert result.items[0].sd == pytest.approx(statistics.stdev([2, 1, 2]) / 2)


def test_item_analysis_without_attempts():
    result = item_analysis([], [1, 1])
    assert result.reason == "no_complete_attempts" and result.mean is None
    assert [item.reason for item in result.items] == ["fewer_than_2_attempts"] * 2
    assert_plain_and_finite(result)


# ---- Cronbach's alpha ---------------------------------------------------------------------------------------

# pingouin's dataset cronbach_alpha.csv (Likert ratings, real-statistics.com), 15 respondents × 10 items.
PINGOUIN_LIKERT = list(zip(
    [3, 5, 7, 2, 6, 1, 4, 2, 6, 5, 4, 4, 5, 6, 4], [2, 4, 3, 4, 5, 2, 3, 4, 5, 4, 3, 2, 5, 5, 3],
    [4, 6, 5, 3, 6, 3, 5, 4, 5, 6, 5, 3, 6, 5, 5], [1, 3, 5, 3, 5, 4, 3, 3, 5, 4, 2, 2, 2, 4, 5],
    [4, 5, 6, 2, 4, 2, 5, 7, 1, 3, 5, 5, 3, 2, 3], [5, 1, 4, 2, 4, 5, 2, 2, 6, 5, 3, 3, 3, 2, 1],
    [1, 2, 3, 2, 4, 2, 1, 2, 5, 3, 2, 4, 2, 1, 3], [4, 5, 3, 6, 6, 3, 2, 4, 2, 1, 3, 2, 4, 4, 2],
    [3, 5, 6, 6, 7, 5, 4, 6, 3, 7, 4, 3, 4, 6, 3], [2, 5, 5, 3, 5, 2, 3, 5, 2, 2, 1, 4, 5, 5, 4],
    strict=True,
))

# pingouin's dataset cronbach_wide_missing.csv: binary answers, 12 respondents × 11 items, 3 with a gap.
PINGOUIN_BINARY = [
    [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 0], [None, 0, 1, 1, None, 1, 1, 1, 1, 0, 0],
    [1, 1, 1, 0, 1, 1, 0, 1, 1, 0, 0], [1, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0], [0, 1, None, 0, 1, 1, 1, 1, 0, 0, 0],
    [1, 1, 1, 1, 0, 0, 1, 0, 0, 0, 0], [1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0], [0, 1, 0, 1, 1, 0, 0, 0, 0, 1, 0],
    [1, 0, 0, 1, 0, 1, 0, 0, None, 0, 0], [1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0], [1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0],
]


def test_cronbach_alpha_matches_pingouin_likert_example():
    # pingouin.cronbach_alpha docstring: (0.5917188485995826, array([0.195, 0.84 ])) — Feldt's interval,
    # rounded by pingouin to 3 decimals.
    result = cronbach_alpha(PINGOUIN_LIKERT)
    assert result.alpha == pytest.approx(0.5917188485995826, rel=1e-9)
    assert round(result.ci_low, 3) == 0.195 and round(result.ci_high, 3) == 0.84
    assert (result.n_respondents, result.n_items, result.reason) == (15, 10, None)
    assert_plain_and_finite(result)


def test_cronbach_alpha_listwise_matches_pingouin():
    # pingouin.cronbach_alpha(data, nan_policy="listwise") docstring: alpha 0.8016949152542373 (psych::alpha with
    # use = "complete.obs"). Its interval [0.581, 0.933] is not compared: pingouin takes n before dropping rows
    # (12, not 9), while Feldt's interval belongs to the 9 respondents actually used.
    result = cronbach_alpha(PINGOUIN_BINARY)
    assert result.alpha == pytest.approx(0.8016949152542373, rel=1e-9)
    assert (result.n_respondents, result.n_excluded) == (9, 3)
    assert result.ci_low < result.alpha < result.ci_high


def test_cronbach_alpha_on_binary_items_is_kr20():
    # KR-20 by hand: k/(k − 1) · (1 − Σ p·q / σ²) with population variances on both sides.
    rows = [row for row in PINGOUIN_BINARY if None not in row]
    k, n = len(rows[0]), len(rows)
    p = [sum(row[i] for row in rows) / n for i in range(k)]
    kr20 = k / (k - 1) * (1 - sum(x * (1 - x) for x in p) / statistics.pvariance([sum(row) for row in rows]))
    assert cronbach_alpha(rows).alpha == pytest.approx(kr20, rel=1e-12)


@pytest.mark.parametrize("rows, reason", [
    ([[3, 4], [3, 4], [3, 4]], "zero_variance"),
    ([[1], [2], [3]], "fewer_than_2_items"),
    ([[1, 2]], "fewer_than_2_respondents"),
    ([[1, None], [None, 2]], "fewer_than_2_respondents"),
    ([], "fewer_than_2_items"),
])
def test_cronbach_alpha_edge_cases(rows, reason):
    result = cronbach_alpha(rows)
    assert result.reason == reason and result.alpha is None
    assert_plain_and_finite(result)


# ---- subgroups ----------------------------------------------------------------------------------------------

def test_two_groups_welch_matches_r_sleep_example():
    # R ?t.test example `t.test(extra ~ group, data = sleep)` (Welch): t = -1.8608, df = 17.776, p-value = 0.07939.
    result = compare_groups({"drug 1": SLEEP_1, "drug 2": SLEEP_2})
    assert result.welch_t == pytest.approx(-1.8608, abs=5e-5)
    assert result.welch_df == pytest.approx(17.776, abs=5e-4)
    assert result.welch_p == pytest.approx(0.07939, abs=5e-6)
    assert result.anova_f is None and result.reason is None
    assert [g.mean for g in result.groups] == pytest.approx([0.75, 2.33])


def test_anova_matches_scipy_mussel_example():
    # scipy.stats.f_oneway docstring (McDonald et al. 1991 mussel shell data, McDonald's Handbook of Biological
    # Statistics): F = 7.121019471642447, p = 0.0002812242314534544, with 4 and 34 degrees of freedom.
    groups = {
        "tillamook": [0.0571, 0.0813, 0.0831, 0.0976, 0.0817, 0.0859, 0.0735, 0.0659, 0.0923, 0.0836],
        "newport": [0.0873, 0.0662, 0.0672, 0.0819, 0.0749, 0.0649, 0.0835, 0.0725],
        "petersburg": [0.0974, 0.1352, 0.0817, 0.1016, 0.0968, 0.1064, 0.105],
        "magadan": [0.1033, 0.0915, 0.0781, 0.0685, 0.0677, 0.0697, 0.0764, 0.0689],
        "tvarminne": [0.0703, 0.1026, 0.0956, 0.0973, 0.1039, 0.1045],
    }
    result = compare_groups(groups)
    assert result.anova_f == pytest.approx(7.121019471642447, rel=1e-9)
    assert result.anova_p == pytest.approx(0.0002812242314534544, rel=1e-9)
    assert (result.anova_df_between, result.anova_df_within) == (4, 34)


def test_kruskal_wallis_matches_r_and_scipy_examples():
    # R ?kruskal.test, Hollander & Wolfe (1973) p. 116, mucociliary efficiency:
    # Kruskal-Wallis chi-squared = 0.77143, df = 2, p-value = 0.68.
    result = compare_groups({"normal": [2.9, 3.0, 2.5, 2.6, 3.2], "obstructive": [3.8, 2.7, 4.0, 2.4],
                             "asbestosis": [2.8, 3.4, 3.7, 2.2, 2.0]})
    assert result.kruskal_h == pytest.approx(0.77143, abs=5e-6)
    assert result.kruskal_df == 2
    assert result.kruskal_p == pytest.approx(0.68, abs=5e-3)
    # scipy.stats.kruskal docstring, heavy ties: H = 7.0, p = 0.0301973834223185
    tied = compare_groups({"x": [1, 1, 1], "y": [2, 2, 2], "z": [2, 2]})
    assert tied.kruskal_h == pytest.approx(7.0, rel=1e-12)
    assert tied.kruskal_p == pytest.approx(0.0301973834223185, rel=1e-9)


def test_small_groups_are_reported_and_skipped():
    result = compare_groups({"MX": [0.2, 0.5, 0.1], "CR": [0.3], "PA": [None, float("nan")], "GT": [0.4, 0.6]})
    assert result.skipped == ("CR", "PA")
    assert [(g.name, g.n) for g in result.groups] == [("MX", 3), ("CR", 1), ("PA", 0), ("GT", 2)]
    assert result.welch_t is not None
    assert result.reason == "groups_with_fewer_than_2_values_skipped"
    assert_plain_and_finite(result)


@pytest.mark.parametrize("groups, reason", [
    ({"only": [1, 2, 3]}, "fewer_than_2_groups"),
    ({}, "fewer_than_2_groups"),
    ({"a": [1, 1], "b": [2, 2]}, "zero_variance_within_groups"),
    ({"a": [4, 4], "b": [4, 4, 4]}, "all_values_identical"),
    ({"a": [1, 1], "b": [2, 2], "c": [3, 3]}, "zero_variance_within_groups"),
])
def test_group_edge_cases(groups, reason):
    result = compare_groups(groups)
    assert result.reason == reason
    assert_plain_and_finite(result)
