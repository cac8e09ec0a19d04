"""Per-item statistics of the impact report, as R computes them (pure): McNemar's test of each knowledge item
before and after, and Holm's and Benjamini-Hochberg's adjusted p-values across items."""
from dataclasses import dataclass

import numpy as np
from scipy import stats

from .stats_base import Result, is_missing, number

MAX_EXACT_COUNT = 2 ** 53  # beyond, a count is no longer exact as a float


@dataclass(frozen=True)
class McNemar(Result):
    b: int | None
    c: int | None
    p_exact: float | None
    p_midp: float | None
    chi2_cc: float | None
    p_cc: float | None
    chi2: float | None
    p: float | None
    reason: str | None


def mcnemar(b, c):
    """McNemar's test for one item: b pairs went right → wrong, c wrong → right. The exact binomial p, its mid-p
    (Fagerland, Lydersen & Laake 2013) and the chi-squared statistic with and without R's continuity correction.
    A missing count (None, NaN) or one too large to be exact gives None and the reason; a negative or fractional
    one is the caller's mistake (ValueError)."""
    reason = _counts_problem(b, c)
    if reason:
        return McNemar(_count(b), _count(c), None, None, None, None, None, None, reason=reason)
    if b < 0 or c < 0 or int(b) != b or int(c) != c:
        raise ValueError("b and c are counts")
    b, c = int(b), int(c)
    n = b + c
    if n == 0:  # no discordant pair: nothing to test
        return McNemar(b, c, None, None, None, None, None, None, reason="no_discordant_pairs")
    smaller = min(b, c)
    point = stats.binom.pmf(smaller, n, 0.5)
    p_exact = stats.binomtest(b, n, p=0.5, alternative="two-sided").pvalue
    # mid-p: P(more extreme) + ½ P(as extreme); with b = c only the observed split is "as extreme"
    p_midp = 1 - point / 2 if b == c else 2 * stats.binom.cdf(smaller, n, 0.5) - point
    chi2_cc = (abs(b - c) - 1) ** 2 / n if b != c else 0.0  # R corrects only when b ≠ c
    chi2 = (b - c) ** 2 / n
    return McNemar(b, c, p_exact=number(min(p_exact, 1.0)), p_midp=number(min(p_midp, 1.0)),
                   chi2_cc=float(chi2_cc), p_cc=number(stats.chi2.sf(chi2_cc, 1)),
                   chi2=float(chi2), p=number(stats.chi2.sf(chi2, 1)), reason=None)


def _counts_problem(b, c):
    """Why b and c cannot be tested (None when they can): a missing count, or one past exact float counting."""
    if is_missing(b) or is_missing(c):
        return "missing_count"
    return None if abs(b) <= MAX_EXACT_COUNT and abs(c) <= MAX_EXACT_COUNT else "values_too_large"


def _count(value):
    """A count as an int, or None for what is not one (missing, infinite, too large, negative, fractional)."""
    usable = not is_missing(value) and 0 <= value <= MAX_EXACT_COUNT and int(value) == value
    return int(value) if usable else None


def holm(pvalues):
    """Holm's step-down adjusted p-values in input order, as R's p.adjust(p, "holm"); None stays None, uncounted."""
    return _adjust(pvalues, _holm_sorted)


def benjamini_hochberg(pvalues):
    """Benjamini-Hochberg adjusted p-values in input order, as R's p.adjust(p, "BH"); None stays None, uncounted."""
    return _adjust(pvalues, _bh_sorted)


def _adjust(pvalues, adjust_sorted):
    """Adjust the present p-values (sorted ascending, then put back in place); missing ones stay None."""
    present = [i for i, p in enumerate(pvalues) if not is_missing(p)]
    values = np.array([float(pvalues[i]) for i in present], dtype=float)
    if np.any((values < 0) | (values > 1)):
        raise ValueError("p-values must lie between 0 and 1")
    order = np.argsort(values, kind="stable")
    adjusted = np.empty_like(values)
    adjusted[order] = np.minimum(1.0, adjust_sorted(values[order]))
    result = [None] * len(pvalues)
    for position, value in zip(present, adjusted, strict=True):
        result[position] = float(value)
    return result


def _holm_sorted(ascending):
    """(m − i + 1) p_(i), made non-decreasing."""
    m = len(ascending)
    return np.maximum.accumulate((m - np.arange(m)) * ascending)


def _bh_sorted(ascending):
    """(m / i) p_(i), made non-decreasing by the running minimum from the largest p down."""
    m = len(ascending)
    scaled = m / np.arange(1, m + 1) * ascending
    return np.minimum.accumulate(scaled[::-1])[::-1]


