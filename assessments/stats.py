"""Statistics of the impact report, as R and Moodle compute them (pure): the paired pre/post comparison here;
McNemar and adjusted p-values in stats_items, item analysis, reliability and group comparisons in stats_scales, both
re-exported."""
import math
from dataclasses import dataclass
from dataclasses import fields as fields_of

import numpy as np
from scipy import stats

from .stats_base import (
    ROUND_DECIMALS,
    Result,
    check_confidence,
    first_reason,
    number,
    sample_variance,
    too_large,
)
from .stats_conventions import EXACT_CONDITIONAL_MAX, EXACT_WILCOXON_BELOW, SHAPIRO_MAX, SHAPIRO_MIN
from .stats_items import McNemar, benjamini_hochberg, holm, mcnemar  # noqa: F401  (part of this module's API)
from .stats_noncentral import noncentral_interval
from .stats_scales import (  # noqa: F401  (part of this module's public API)
    CronbachAlpha,
    GroupComparison,
    GroupSummary,
    ItemAnalysis,
    ItemStatistics,
    compare_groups,
    cronbach_alpha,
    item_analysis,
)

COUNTED_WALSH_MAX = 1000  # distinct differences up to which Walsh averages are counted per value pair (≤ 10⁶ cells)


@dataclass(frozen=True)
class PairedComparison(Result):
    n_pairs: int
    n_pre_only: int
    n_post_only: int
    confidence: float
    mean_pre: float | None
    sd_pre: float | None
    mean_post: float | None
    sd_post: float | None
    correlation: float | None
    mean_diff: float | None
    sd_diff: float | None
    se_diff: float | None
    ci_low: float | None
    ci_high: float | None
    t: float | None
    df: int | None
    p_value: float | None
    p_greater: float | None
    p_less: float | None
    cohen_dz: float | None
    cohen_dz_ci_low: float | None
    cohen_dz_ci_high: float | None
    hedges_gz: float | None
    cohen_dav: float | None
    shapiro_w: float | None
    shapiro_p: float | None
    wilcoxon_v: float | None  # sum of the ranks of the positive differences, zeros dropped (R's V)
    wilcoxon_n: int  # non-zero differences
    wilcoxon_p: float | None
    wilcoxon_method: str | None  # "exact" or "normal_approximation" (tie- and continuity-corrected)
    wilcoxon_p_exact_conditional: float | None
    rank_biserial: float | None
    hodges_lehmann: float | None
    n_improved: int
    n_unchanged: int
    n_declined: int
    sign_test_p: float | None
    hake_gain: float | None
    individual_gain_mean: float | None
    individual_gain_median: float | None
    n_gain_excluded: int | None
    reason: str | None


# ---- paired comparison ------------------------------------------------------------------------------------------

def paired_comparison(pre, post, confidence=0.95, max_score=None):
    """Compare paired pre/post scores (differences are post − pre): t-test, effect sizes, Wilcoxon, signs, gains.
    A pair with a missing value (None or NaN) is dropped and counted; what cannot be computed is None, see `reason`."""
    check_confidence(confidence)
    if len(pre) != len(post):
        raise ValueError("pre and post must have the same length")
    before, after, counts = _complete_pairs(pre, post)
    with np.errstate(over="ignore", invalid="ignore"):  # infinite or huge scores still have a direction
        diffs = after - before
        rounded = np.round(diffs, ROUND_DECIMALS)
    fields = {**counts, "confidence": float(confidence), **_signs(rounded)}
    if too_large(np.concatenate([before, after, [] if max_score is None else [max_score]])):
        return _directions_only(fields)
    fields.update(_descriptives(before, after))
    fields.update(_t_test(before, after, rounded, confidence))
    fields.update(_effect_sizes(fields, confidence))
    fields.update(_normality(diffs, rounded))
    fields.update(_wilcoxon(rounded))
    fields.update(_gains(before, after, max_score))
    fields["reason"] = first_reason((
        (len(diffs) < 2, "fewer_than_2_pairs"),
        (not rounded.any(), "all_differences_zero"),
        (len(diffs) >= 2 and np.ptp(rounded) == 0, "zero_variance"),
        (fields["correlation"] is None, "constant_pre_or_post"),
        (fields["cohen_dz"] is not None and None in (fields["cohen_dz_ci_low"], fields["cohen_dz_ci_high"]),
         "noncentral_interval_not_found"),
        (len(diffs) < SHAPIRO_MIN, "fewer_than_3_pairs"),
        (len(diffs) > SHAPIRO_MAX, "more_than_5000_pairs"),
        (max_score is not None and fields["hake_gain"] is None, "all_pre_at_maximum"),
    ))
    return PairedComparison(**fields)


def _directions_only(fields):
    """The result for infinite or overflowing scores: who rose, stayed or fell, and the sign test; every other
    figure would overflow (or is NaN), so it is None with the reason."""
    known = {**fields, "wilcoxon_n": fields["n_improved"] + fields["n_declined"], "reason": "values_too_large"}
    return PairedComparison(**{field.name: known.get(field.name) for field in fields_of(PairedComparison)})


def _complete_pairs(pre, post):
    """The pairs with both values as float arrays, and how many pairs had only the pre or only the post value."""
    before, after = np.array(pre, dtype=float), np.array(post, dtype=float)  # None becomes NaN
    has_before, has_after = ~np.isnan(before), ~np.isnan(after)
    both = has_before & has_after
    counts = {"n_pairs": int(both.sum()), "n_pre_only": int((has_before & ~has_after).sum()),
              "n_post_only": int((has_after & ~has_before).sum())}
    return before[both], after[both], counts


def _descriptives(before, after):
    """Means, standard deviations (n − 1) and the pre/post correlation."""
    n = len(before)
    sd_pre = math.sqrt(sample_variance(before)) if n > 1 else None
    sd_post = math.sqrt(sample_variance(after)) if n > 1 else None
    varies = bool(sd_pre) and bool(sd_post)  # a constant side (on paper) has no correlation
    correlation = stats.pearsonr(before, after, alternative="two-sided").statistic if varies else None
    return {"mean_pre": number(before.mean()) if n else None, "sd_pre": sd_pre,
            "mean_post": number(after.mean()) if n else None, "sd_post": sd_post,
            "correlation": number(correlation)}


def _t_test(before, after, rounded, confidence):
    """Paired t-test as R's t.test(post, pre, paired = TRUE): mean difference, its CI, t, df and p-values."""
    n = len(before)
    diffs = after - before
    fields = dict.fromkeys(("sd_diff", "se_diff", "ci_low", "ci_high", "t", "df", "p_value", "p_greater", "p_less"))
    fields["mean_diff"] = number(diffs.mean()) if n else None
    if n < 2:
        return fields
    sd = math.sqrt(sample_variance(diffs))
    fields.update(sd_diff=number(sd), se_diff=number(sd / math.sqrt(n)), df=n - 1)
    if np.ptp(rounded) == 0:  # constant differences: R stops with "data are essentially constant"
        return fields
    two_sided = stats.ttest_rel(after, before, alternative="two-sided")
    interval = two_sided.confidence_interval(confidence_level=confidence)
    fields.update(ci_low=number(interval.low), ci_high=number(interval.high), t=number(two_sided.statistic),
                  p_value=number(two_sided.pvalue),
                  # The one-sided tails of the same t, as ttest_rel(alternative="greater"/"less") would give.
                  p_greater=number(stats.t.sf(two_sided.statistic, n - 1)),
                  p_less=number(stats.t.cdf(two_sided.statistic, n - 1)))
    return fields


def _effect_sizes(fields, confidence):
    """Cohen's d_z with its noncentral-t interval, Hedges' g_z and Cohen's d_av."""
    n, t = fields["n_pairs"], fields["t"]
    dz = fields["mean_diff"] / fields["sd_diff"] if t is not None else None
    low, high = noncentral_interval(t, n - 1, confidence) if t is not None else (None, None)
    sds = (fields["sd_pre"], fields["sd_post"])
    average_sd = (sds[0] + sds[1]) / 2 if None not in sds else None
    return {"cohen_dz": number(dz),
            "cohen_dz_ci_low": number(low / math.sqrt(n)) if low is not None else None,
            "cohen_dz_ci_high": number(high / math.sqrt(n)) if high is not None else None,
            "hedges_gz": number(dz * _hedges_correction(n - 1)) if dz is not None and n >= 3 else None,
            "cohen_dav": number(fields["mean_diff"] / average_sd) if average_sd else None}


def _hedges_correction(df):
    """Hedges' (1981) exact factor J = Γ(df/2) / (√(df/2) Γ((df−1)/2)), rather than the 1 − 3/(4df − 1) shortcut."""
    return math.exp(math.lgamma(df / 2) - math.log(math.sqrt(df / 2)) - math.lgamma((df - 1) / 2))


def _normality(diffs, rounded):
    """Shapiro-Wilk on the differences, within the sample sizes R accepts and only if they vary."""
    if not SHAPIRO_MIN <= len(diffs) <= SHAPIRO_MAX or np.ptp(rounded) == 0:
        return {"shapiro_w": None, "shapiro_p": None}
    result = stats.shapiro(diffs)
    return {"shapiro_w": number(result.statistic), "shapiro_p": number(result.pvalue)}


def _wilcoxon(rounded):
    """Signed-rank test as R's wilcox.test(post, pre, paired = TRUE) decides by default, with its companions."""
    nonzero = rounded[rounded != 0]  # R's default drops zero differences
    n = len(nonzero)
    fields = {"wilcoxon_v": 0.0 if len(rounded) else None, "wilcoxon_n": n, "wilcoxon_p": None,
              "wilcoxon_method": None, "wilcoxon_p_exact_conditional": None, "rank_biserial": None,
              "hodges_lehmann": _hodges_lehmann(rounded)}
    if n == 0:
        return fields
    ranks = stats.rankdata(np.abs(nonzero), method="average")
    v = float(ranks[nonzero > 0].sum())
    exact = n < EXACT_WILCOXON_BELOW and len(np.unique(ranks)) == n and n == len(rounded)
    result = stats.wilcoxon(nonzero, zero_method="wilcox", correction=True, alternative="two-sided",
                            method="exact" if exact else "asymptotic")
    fields.update(wilcoxon_v=v, wilcoxon_p=number(result.pvalue),
                  wilcoxon_method="exact" if exact else "normal_approximation",
                  rank_biserial=number((2 * v - ranks.sum()) / ranks.sum()),  # Kerby's (R+ − R−) / (R+ + R−)
                  wilcoxon_p_exact_conditional=_sign_flip_p(ranks, v) if n <= EXACT_CONDITIONAL_MAX else None)
    return fields


def _sign_flip_p(ranks, v):
    """Two-sided p over all 2**n sign patterns of the observed (tied) ranks: the exact conditional test."""
    doubled = np.rint(2 * ranks).astype(np.int64)  # average ranks are multiples of 1/2
    ways = np.zeros(int(doubled.sum()) + 1, dtype=np.int64)
    ways[0] = 1
    for rank in doubled:  # ways[s] = how many sign patterns give 2·V = s
        ways[rank:] = ways[rank:] + ways[:-rank]
    total = int(doubled.sum())
    as_extreme = np.abs(2 * np.arange(total + 1) - total) >= abs(2 * round(2 * v) - total)
    return float(ways[as_extreme].sum() / 2 ** len(ranks))


def _hodges_lehmann(diffs):
    """Median of the Walsh averages (d_i + d_j) / 2, i ≤ j, found by selection rather than listing n(n+1)/2 of them."""
    if len(diffs) == 0:
        return None
    ordered = np.sort(diffs)
    count = len(ordered) * (len(ordered) + 1) // 2
    values, counts = np.unique(ordered, return_counts=True)
    kth = _kth_pair_sum_counted if len(values) <= COUNTED_WALSH_MAX else _kth_pair_sum
    source = (values, counts) if kth is _kth_pair_sum_counted else ordered
    low = kth(source, (count - 1) // 2)
    high = low if count % 2 else kth(source, count // 2)
    return number((low / 2 + high / 2) / 2)


def _kth_pair_sum_counted(values_and_counts, k):
    """The k-th smallest (0-based) d_i + d_j, i ≤ j, when the differences take few distinct values (scores on a
    scale): count the pairs per pair of values instead of listing them."""
    values, counts = values_and_counts
    sums = np.add.outer(values, values).ravel()
    # Twice the number of unordered pairs i ≤ j per cell: both orders off the diagonal, c(c + 1) on it.
    doubled = (np.outer(counts, counts) + np.diag(counts)).ravel()
    order = np.argsort(sums, kind="stable")
    position = int(np.searchsorted(np.cumsum(doubled[order]), 2 * k, side="right"))
    return sums[order][position]


def _kth_pair_sum(ordered, k):
    """The k-th smallest (0-based) d_i + d_j, i ≤ j: randomized selection over the sorted rows of the sum matrix."""
    n = len(ordered)
    start, stop = np.arange(n), np.full(n, n)  # row i still holds candidates d_i + d_j for start_i ≤ j < stop_i
    below = 0  # sums already known to be smaller than every candidate
    rng = np.random.default_rng(0)  # the pivots change how fast, never what is found
    while True:
        sizes = stop - start
        ends = np.cumsum(sizes)
        pick = int(rng.integers(ends[-1]))
        row = int(np.searchsorted(ends, pick, side="right"))
        pivot = ordered[row] + ordered[start[row] + pick - (ends[row] - sizes[row])]
        less = np.clip(_row_positions(ordered, pivot, strict=True), start, stop)
        upto = np.clip(_row_positions(ordered, pivot, strict=False), start, stop)
        n_less, n_upto = below + int((less - start).sum()), below + int((upto - start).sum())
        if n_less <= k < n_upto:
            return pivot
        if k < n_less:
            stop = less
        else:
            below, start = n_upto, upto


def _row_positions(ordered, pivot, strict):
    """Per row i, the first j ≥ i whose d_i + d_j is not below the pivot (strict) or is above it; floats stay exact."""
    n = len(ordered)
    low, high = np.arange(n), np.full(n, n)
    while np.any(low < high):
        middle = (low + high) // 2
        sums = ordered + ordered[np.minimum(middle, n - 1)]
        before = (sums < pivot) if strict else (sums <= pivot)
        active = low < high
        low = np.where(active & before, middle + 1, low)
        high = np.where(active & ~before, middle, high)
    return low


def _signs(rounded):
    """How many improved, stayed and declined, and the two-sided sign test on improved against declined."""
    improved, declined = int((rounded > 0).sum()), int((rounded < 0).sum())
    changed = improved + declined
    p = stats.binomtest(improved, changed, p=0.5, alternative="two-sided").pvalue if changed else None
    return {"n_improved": improved, "n_unchanged": len(rounded) - changed, "n_declined": declined,
            "sign_test_p": number(p)}


def _gains(before, after, max_score):
    """Hake's class-average normalized gain and individual gains; a pre score at the maximum has no room to gain."""
    if max_score is None:
        return dict.fromkeys(("hake_gain", "individual_gain_mean", "individual_gain_median", "n_gain_excluded"))
    room = max_score - before
    has_room = room > 0
    gains = (after - before)[has_room] / room[has_room]
    mean_pre = before.mean() if len(before) else None
    hake = (after.mean() - mean_pre) / (max_score - mean_pre) if mean_pre is not None and mean_pre < max_score else None
    return {"hake_gain": number(hake),
            "individual_gain_mean": number(gains.mean()) if len(gains) else None,
            "individual_gain_median": number(np.median(gains)) if len(gains) else None,
            "n_gain_excluded": int((~has_room).sum())}
