"""The noncentral-t interval of d_z for small samples and large t, against a 20-digit integration (mpmath)."""
import math
import statistics

import mpmath
import pytest

from assessments.stats import paired_comparison

pytestmark = pytest.mark.filterwarnings("error")

DIGITS = 20


def reference_cdf(t, df, ncp):
    """P(T ≤ t) of the noncentral t, from its definition T = (Z + ncp) / S with S = √(χ²_df / df):
    ∫ Φ(t·s − ncp) f_S(s) ds, integrated by mpmath with breaks where either factor turns (independent of scipy)."""
    with mpmath.workdps(DIGITS):
        t, df, ncp = mpmath.mpf(t), mpmath.mpf(df), mpmath.mpf(ncp)
        half = df / 2

        def integrand(s):
            v = df * s * s  # f_S(s) = 2·df·s·f_χ²(df·s²)
            log_density = (half - 1) * mpmath.log(v) - v / 2 - half * mpmath.log(2) - mpmath.loggamma(half)
            return mpmath.ncdf(t * s - ncp) * 2 * df * s * mpmath.exp(log_density)

        spread = 12 / mpmath.sqrt(2 * df)  # S gathers within a few 1/√(2 df) of 1
        breaks = [0, 1, 1 + spread, 2 + 2 * spread] + ([1 - spread] if spread < 1 else [])
        if t != 0 and ncp / t > 0:  # Φ(t·s − ncp) climbs from 0 to 1 within 12/|t| of s = ncp/t
            centre, width = ncp / t, 12 / abs(t)
            breaks += [b for b in (centre - width, centre, centre + width) if b > 0]
        return mpmath.quad(integrand, sorted(set(breaks)) + [mpmath.inf])


def assert_is_the_ncp(ncp, t, df, probability, rel=1e-6):
    """The reference CDF crosses `probability` between ncp·(1 ∓ rel): the CDF falls as the ncp grows, so the exact
    root lies there, i.e. `ncp` matches it to `rel`."""
    margin = max(abs(ncp) * rel, 1e-9)
    assert reference_cdf(t, df, ncp - margin) > probability > reference_cdf(t, df, ncp + margin)


def with_t(t, n, sd=1e-3):
    """n evenly spaced differences with sample SD `sd` whose one-sample t is `t`."""
    offsets = [i - (n - 1) / 2 for i in range(n)]
    scale = statistics.stdev(offsets)
    return [t * sd / math.sqrt(n) + sd * o / scale for o in offsets]


def test_interval_of_the_audit_example_matches_r():
    # Issue 21, item 10: R (uniroot over pt) and a 50-digit computation give d_z's 95% interval [1.357708, 17.80194]
    # for these scores; scipy's nct.cdf returned NaN inside the old search bracket and the lower limit was None.
    result = paired_comparison([0, 1, 2], [10, 13, 12])
    assert result.cohen_dz == pytest.approx((32 / 3) / math.sqrt(4 / 3), rel=1e-12)  # differences 10, 12, 10
    assert result.cohen_dz_ci_low == pytest.approx(1.357708, abs=5e-7)
    assert result.cohen_dz_ci_high == pytest.approx(17.80194, abs=5e-6)
    assert result.reason is None


def varied(diffs):
    """(pre, post) with these differences and a pre-test that varies (a constant one has no correlation)."""
    return list(range(len(diffs))), [i + d for i, d in enumerate(diffs)]


@pytest.mark.parametrize("pre, post", [
    ([0, 1, 2], [10, 13, 12]),  # the audit's example, t = 16
    ([0, 1, 2], [-3, -3, -2]),  # t = −11: the upper limit was None, with no reason
    varied([10, 10.001]),  # n = 2, t ≈ 2·10⁴
    varied([5, 5.5]),  # n = 2, t = 21
    varied([-10, -10.0000001]),  # n = 2, t ≈ −2·10⁸
    varied([1, 1.000000001, 1.000000002]),  # n = 3, t ≈ 1.7·10⁹
    varied([1e6, 1e6 + 1, 1e6 + 2, 1e6 + 1]),  # n = 4, t ≈ 2.4·10⁶
    varied(with_t(40, 4)),  # n = 4, t = 40
    varied(with_t(-7.5, 5)),  # n = 5, t = −7.5
    varied(with_t(3e5, 5)),  # n = 5, t = 3·10⁵
    varied(with_t(2e4, 30)),  # n = 30, t = 2·10⁴
])
@pytest.mark.parametrize("confidence", [0.95, 0.99])
def test_small_samples_with_a_large_t_have_both_limits(pre, post, confidence):
    result = paired_comparison(pre, post, confidence=confidence)
    n, t = result.n_pairs, result.t
    assert math.isfinite(t) and result.cohen_dz == pytest.approx(t / math.sqrt(n), rel=1e-12)
    low, high = result.cohen_dz_ci_low, result.cohen_dz_ci_high
    assert isinstance(low, float) and isinstance(high, float)
    assert low < result.cohen_dz < high
    tail = (1 - confidence) / 2
    assert_is_the_ncp(low * math.sqrt(n), t, n - 1, 1 - tail)
    assert_is_the_ncp(high * math.sqrt(n), t, n - 1, tail)
    assert result.reason in (None, "fewer_than_3_pairs")  # n = 2 has no Shapiro-Wilk and no Hedges' g_z


def test_limits_mirror_when_the_differences_change_sign():
    # P(T ≤ t | ncp) = 1 − P(T ≤ −t | −ncp): the interval of −t is the mirror image of the interval of t.
    rising = paired_comparison([0, 0, 0], [4, 4.1, 4.3])
    falling = paired_comparison([0, 0, 0], [-4, -4.1, -4.3])
    assert falling.cohen_dz_ci_low == pytest.approx(-rising.cohen_dz_ci_high, rel=1e-12)
    assert falling.cohen_dz_ci_high == pytest.approx(-rising.cohen_dz_ci_low, rel=1e-12)
