"""Item analysis as Moodle's quiz statistics, Cronbach's alpha with Feldt's interval, and group comparisons (pure)."""
import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

from .stats_base import (
    Result,
    check_confidence,
    first_reason,
    is_missing,
    number,
    sample_variance,
    too_large,
    varies,
)

EPSILON = float(np.finfo(float).eps)


@dataclass(frozen=True)
class ItemStatistics(Result):
    facility: float | None  # mean mark / maximum mark (Moodle shows it × 100)
    sd: float | None  # SD of the marks / maximum mark
    discrimination_index: float | None  # correlation with the rest of the test, −1..1 (Moodle: × 100)
    discriminative_efficiency: float | None  # covariance / the largest possible covariance (Moodle: × 100)
    effective_weight: float | None  # share of the total's spread, the items sum to 1 (Moodle: × 100)
    reason: str | None


@dataclass(frozen=True)
class ItemAnalysis(Result):
    n_attempts: int
    n_excluded: int
    items: tuple  # ItemStatistics, in column order
    mean: float | None  # mean, median, sd and standard_error are in marks
    median: float | None
    sd: float | None
    skewness: float | None
    kurtosis: float | None  # excess kurtosis (0 for a normal distribution)
    cic: float | None  # coefficient of internal consistency (Cronbach's alpha), a proportion (Moodle: × 100)
    error_ratio: float | None  # √(1 − cic), a proportion (Moodle: × 100)
    standard_error: float | None
    reason: str | None


@dataclass(frozen=True)
class CronbachAlpha(Result):
    alpha: float | None
    ci_low: float | None
    ci_high: float | None
    confidence: float
    n_respondents: int
    n_items: int
    n_excluded: int
    reason: str | None


@dataclass(frozen=True)
class GroupSummary(Result):
    name: str
    n: int
    mean: float | None
    sd: float | None
    median: float | None


@dataclass(frozen=True)
class GroupComparison(Result):
    groups: tuple  # GroupSummary for every group given, in order
    skipped: tuple  # names of the groups with fewer than 2 values
    welch_t: float | None  # first group minus second
    welch_df: float | None
    welch_p: float | None
    anova_f: float | None
    anova_df_between: int | None
    anova_df_within: int | None
    anova_p: float | None
    kruskal_h: float | None
    kruskal_df: int | None
    kruskal_p: float | None
    reason: str | None


# ---- items and reliability ---------------------------------------------------------------------------------------

def _complete_rows(rows, width=None):
    """Rows without a missing value as a float matrix, and how many rows were left out (listwise deletion)."""
    grid = np.array(rows, dtype=float)  # None becomes NaN; ragged rows raise ValueError
    if grid.size == 0:
        grid = grid.reshape(0, width or 0)
    if grid.ndim != 2 or (width is not None and grid.shape[1] != width):
        raise ValueError("every row needs one value per item")
    complete = ~np.isnan(grid).any(axis=1)
    return grid[complete], int((~complete).sum())


def _covariance(a, b):
    """Sample covariance (n − 1), as Moodle accumulates it; exactly 0 when it is 0 within rounding."""
    if not (varies(a) and varies(b)):
        return 0.0
    products = (a - a.mean()) * (b - b.mean())
    total = products.sum()
    # Adding n products errs by at most about n·ε·Σ|product| (Higham 2002, §4.2): a sum within that is a zero
    # covariance left as ±1e-17, which would make an item's weight 3.6e-10, or its covariance "negative".
    if abs(total) <= len(a) * EPSILON * np.abs(products).sum():
        return 0.0
    return float(total / (len(a) - 1))


def item_analysis(marks, max_marks):
    """Moodle's quiz statistics (docs.moodle.org/dev/Quiz_statistics_calculations): rows are attempts, columns
    items; an attempt with a missing mark is left out. Proportions where Moodle shows percentages; totals in marks."""
    grid, excluded = _complete_rows(marks, len(max_marks))
    maxima = np.asarray(max_marks, dtype=float)
    if len(grid) and (too_large(grid, width=grid.shape[1]) or too_large(maxima)):
        return _too_large_analysis(grid, excluded)
    items = _item_statistics(grid, maxima, grid.sum(axis=1))
    return ItemAnalysis(n_attempts=len(grid), n_excluded=excluded, items=items, **_test_statistics(grid))


def _too_large_analysis(grid, excluded):
    """Infinite or overflowing marks (or maximum marks): nothing but the counts, and the reason."""
    items = tuple(ItemStatistics(None, None, None, None, None, "values_too_large") for _ in range(grid.shape[1]))
    test = dict.fromkeys(("mean", "median", "sd", "skewness", "kurtosis", "cic", "error_ratio", "standard_error"))
    return ItemAnalysis(n_attempts=len(grid), n_excluded=excluded, items=items, **test, reason="values_too_large")


def _item_statistics(grid, maxima, totals):
    """Each item's statistics; effective weights need every item's covariance with the total first."""
    if len(grid) < 2:
        return tuple(ItemStatistics(number(grid[:, i].mean() / maxima[i]) if len(grid) and maxima[i] > 0 else None,
                                    None, None, None, None, "fewer_than_2_attempts") for i in range(len(maxima)))
    with_total = [_covariance(grid[:, i], totals) for i in range(len(maxima))]
    root_sum = sum(math.sqrt(c) for c in with_total if c >= 0)  # Moodle leaves negative covariances out
    return tuple(_one_item(grid[:, i], maxima[i], totals, with_total[i], root_sum) for i in range(len(maxima)))


def _one_item(marks, maximum, totals, with_total, root_sum):
    """Facility, SD, discrimination (item against the rest of the test), discriminative efficiency, weight."""
    rest = totals - marks
    variance, rest_variance = sample_variance(marks), sample_variance(rest)
    covariance = _covariance(marks, rest)
    best_covariance = _covariance(np.sort(marks), np.sort(rest))  # the largest covariance these marks allow
    scaled, spread = maximum > 0, variance * rest_variance
    return ItemStatistics(
        facility=number(marks.mean() / maximum) if scaled else None,
        sd=number(math.sqrt(variance) / maximum) if scaled else None,
        discrimination_index=number(covariance / math.sqrt(spread)) if spread else None,
        discriminative_efficiency=number(covariance / best_covariance) if best_covariance else None,
        effective_weight=number(math.sqrt(with_total) / root_sum) if with_total >= 0 and root_sum else None,
        reason=first_reason(((not scaled, "no_maximum_mark"), (variance == 0, "zero_variance"),
                              (rest_variance == 0, "zero_variance_rest"),
                              (with_total < 0, "negative_covariance_with_total"),
                              (not root_sum, "zero_variance_total"))))


def _test_statistics(grid):
    """Mean, median, SD, skewness and kurtosis of the totals, and Moodle's CIC, error ratio and standard error."""
    (s, p), totals = grid.shape, grid.sum(axis=1)
    fields = dict.fromkeys(("mean", "median", "sd", "skewness", "kurtosis", "cic", "error_ratio", "standard_error"))
    if s:
        fields.update(mean=number(totals.mean()), median=number(np.median(totals)))
    variance = sample_variance(totals) if s > 1 else 0.0
    if variance > 0:
        fields["sd"] = math.sqrt(variance)
        # Moodle's k3 / k2^1.5 and k4 / k2^2 are the bias-corrected G1 and G2 (excess) moments
        fields["skewness"] = number(stats.skew(totals, bias=False)) if s > 2 else None
        fields["kurtosis"] = number(stats.kurtosis(totals, fisher=True, bias=False)) if s > 3 else None
    if variance > 0 and p > 1:
        cic = p / (p - 1) * (1 - np.var(grid, axis=0, ddof=1).sum() / variance)
        error_ratio = math.sqrt(max(0.0, 1 - cic))  # cic ≤ 1 in exact arithmetic; max() absorbs rounding
        fields.update(cic=number(cic), error_ratio=error_ratio, standard_error=error_ratio * fields["sd"])
    fields["reason"] = first_reason(((s == 0, "no_complete_attempts"), (s < 2, "fewer_than_2_attempts"),
                                      (variance == 0, "zero_variance"), (p < 2, "fewer_than_2_items"),
                                      (s < 4, "fewer_than_4_attempts")))
    return fields


def cronbach_alpha(items, confidence=0.95):
    """Cronbach's alpha (KR-20 on 0/1 items) with Feldt's interval: rows are respondents, columns items;
    a respondent with a missing answer is left out (listwise deletion)."""
    check_confidence(confidence)
    grid, excluded = _complete_rows(items)
    n, k = grid.shape
    large = too_large(grid, width=k)
    total_variance = sample_variance(grid.sum(axis=1)) if n > 1 and not large else 0.0
    reason = first_reason(((large, "values_too_large"), (k < 2, "fewer_than_2_items"),
                           (n < 2, "fewer_than_2_respondents"), (total_variance == 0, "zero_variance")))
    if reason:
        return CronbachAlpha(None, None, None, float(confidence), n, k, excluded, reason)
    alpha = k / (k - 1) * (1 - np.var(grid, axis=0, ddof=1).sum() / total_variance)
    tail = (1 - confidence) / 2
    # Feldt, Woodruff & Salih (1987): (1 − alpha) / (1 − α̂) follows F(n − 1, (n − 1)(k − 1))
    low = 1 - (1 - alpha) * stats.f.ppf(1 - tail, n - 1, (n - 1) * (k - 1))
    high = 1 - (1 - alpha) * stats.f.ppf(tail, n - 1, (n - 1) * (k - 1))
    return CronbachAlpha(number(alpha), number(low), number(high), float(confidence), n, k, excluded, None)


# ---- subgroups ---------------------------------------------------------------------------------------------------

def compare_groups(groups):
    """Do gains differ between subgroups? `groups` maps a name to its gains. Welch's t for two groups (first minus
    second), one-way ANOVA and Kruskal-Wallis for more; a group with fewer than 2 values is listed and skipped."""
    cleaned = [(str(name), np.array([float(v) for v in values if not is_missing(v)], dtype=float))
               for name, values in groups.items()]
    large = too_large(np.concatenate([np.zeros(0), *(values for _name, values in cleaned)]))
    usable = [values for _name, values in cleaned if len(values) >= 2]
    skipped = tuple(name for name, values in cleaned if len(values) < 2)
    fields = dict.fromkeys(("welch_t", "welch_df", "welch_p", "anova_f", "anova_df_between", "anova_df_within",
                            "anova_p", "kruskal_h", "kruskal_df", "kruskal_p"))
    varies_within = not large and any(varies(g) for g in usable)  # Welch and ANOVA need spread inside groups
    spread = not large and len(usable) > 1 and varies(np.concatenate(usable))  # Kruskal-Wallis: two values
    if len(usable) == 2 and varies_within:
        fields.update(_welch(*usable))
    if len(usable) > 2:
        fields.update(_anova(usable) if varies_within else {})
        fields.update(_kruskal(usable) if spread else {})
    reason = first_reason(((large, "values_too_large"), (len(usable) < 2, "fewer_than_2_groups"),
                           (not spread, "all_values_identical"), (not varies_within, "zero_variance_within_groups"),
                           (bool(skipped), "groups_with_fewer_than_2_values_skipped")))
    return GroupComparison(groups=tuple(_summary(name, values) for name, values in cleaned), skipped=skipped,
                           **fields, reason=reason)


def _summary(name, values):
    """A group's size, mean, SD and median; only the size for infinite or overflowing gains (the comparison's
    reason says so)."""
    n = len(values)
    if too_large(values):
        return GroupSummary(name, n, None, None, None)
    return GroupSummary(name, n, number(values.mean()) if n else None,
                        math.sqrt(sample_variance(values)) if n > 1 else None, number(np.median(values)) if n else None)


def _welch(first, second):
    """Welch's unequal-variances t-test, as R's t.test(first, second); from summaries, since scipy's raw-data
    version warns about a group whose gains are all equal, which is a legitimate group here."""
    (n1, n2), (v1, v2) = (len(first), len(second)), (sample_variance(first), sample_variance(second))
    result = stats.ttest_ind_from_stats(first.mean(), math.sqrt(v1), n1, second.mean(), math.sqrt(v2), n2,
                                        equal_var=False, alternative="two-sided")
    df = (v1 / n1 + v2 / n2) ** 2 / ((v1 / n1) ** 2 / (n1 - 1) + (v2 / n2) ** 2 / (n2 - 1))  # Welch-Satterthwaite
    return {"welch_t": number(result.statistic), "welch_df": number(df), "welch_p": number(result.pvalue)}


def _anova(samples):
    """Classic one-way ANOVA (equal variances), as R's anova(lm(gain ~ group))."""
    result = stats.f_oneway(*samples, equal_var=True)
    return {"anova_f": number(result.statistic), "anova_df_between": len(samples) - 1,
            "anova_df_within": sum(len(s) for s in samples) - len(samples), "anova_p": number(result.pvalue)}


def _kruskal(samples):
    """Kruskal-Wallis H with the tie correction, as R's kruskal.test."""
    result = stats.kruskal(*samples)
    return {"kruskal_h": number(result.statistic), "kruskal_df": len(samples) - 1,
            "kruskal_p": number(result.pvalue)}
