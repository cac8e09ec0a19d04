"""Time the impact report's statistics (paired, items, subgroups, alpha) next to the bare scipy calls they wrap.

Run: .venv/bin/python benchmarks/impact_stats.py [--participants 1000 10000] [--runs 5] [--seed 6]
Synthetic programs of N participants × 20 knowledge items; `assessments.impact.report.report` is timed (the median of
--runs runs after one warm-up), then the same statistics computed directly with scipy and numpy on ready-made
arrays. Targets (issue 6): the report within 1 s for 10,000 × 20, and within 3 × the bare scipy time.
"""
import argparse
import dataclasses
import gc
import math
import statistics
import sys
import time
from pathlib import Path

import numpy as np
from scipy import optimize, stats

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from targets import verdicts  # noqa: E402  (benchmarks/, this script's folder)

from assessments.impact import report as impact  # noqa: E402
from assessments.impact.report import Item, Respondent, TakenTest  # noqa: E402
from assessments.question_types import QuestionSpec  # noqa: E402

COUNTRIES = ("MX", "GT", "HN", "SV", "NI", "CR", "PA", "DO", "BZ", "CA", "US")
GENDERS, GENDER_SHARES = ("female", "male", "undisclosed"), (0.55, 0.42, 0.03)
PROFILES = ("employment_counselor", "consular_staff", "other")
ITEMS, LIKERT_ITEMS = 20, 4
TOOK_PRE, TOOK_POST = 0.90, 0.85
OPTIONS, RIGHT = ("a", "b", "c", "d"), "b"
CHOICE = QuestionSpec("single_choice", OPTIONS, (RIGHT,), 1.0, True)
LIKERT = QuestionSpec("likert", (), (), 0.0, False)
TARGET_SECONDS, TARGET_SIZE, TARGET_RATIO = 1.0, 10_000, 3.0
CONFIDENCE = 0.95
SHAPIRO_MAX = 5000  # as the report: Shapiro-Wilk only up to 5,000 differences (R's shapiro.test limit)


# --- synthetic data ------------------------------------------------------------------------------------------

def generate(participants, seed):
    """(people, pre, post) as the report takes them, and the same data as arrays for the bare computation.

    A Rasch-like model: ability θ ~ N(0, 1), item difficulty ~ U(−1.5, 1.5), P(right) = logistic(θ − difficulty),
    plus a learning boost after the course, so items correlate (KR-20 is meaningful) and post beats pre; 2% of the
    knowledge questions are left unanswered (0 points). Likert answers (post-test, "satisfaction") follow a latent
    satisfaction, so their alpha is meaningful too."""
    rng = np.random.default_rng(seed)
    n = participants
    ids = np.arange(1, n + 1)
    country = rng.integers(len(COUNTRIES), size=n)
    gender = rng.choice(len(GENDERS), size=n, p=GENDER_SHARES)
    profile = rng.integers(len(PROFILES), size=n)
    people = [Respondent(int(i), COUNTRIES[c], GENDERS[g], PROFILES[p])
              for i, c, g, p in zip(ids, country, gender, profile, strict=True)]

    ability = rng.normal(size=(n, 1))
    difficulty = rng.uniform(-1.5, 1.5, size=(1, ITEMS))
    learning = rng.normal(0.6, 0.5, size=(n, 1)) + rng.uniform(0.0, 0.6, size=(1, ITEMS))
    took_pre, took_post = rng.random(n) < TOOK_PRE, rng.random(n) < TOOK_POST
    right_pre = rng.random((n, ITEMS)) < 1 / (1 + np.exp(-(ability - difficulty)))
    right_post = rng.random((n, ITEMS)) < 1 / (1 + np.exp(-(ability + learning - difficulty)))
    blank_pre, blank_post = rng.random((n, ITEMS)) < 0.02, rng.random((n, ITEMS)) < 0.02
    wrong_pre, wrong_post = rng.choice(["a", "c", "d"], size=(n, ITEMS)), rng.choice(["a", "c", "d"], size=(n, ITEMS))
    satisfaction = rng.normal(size=(n, 1)) + rng.normal(scale=0.8, size=(n, LIKERT_ITEMS))
    likert = np.clip(np.rint(3.6 + satisfaction), 1, 5).astype(int)
    blank_likert = rng.random((n, LIKERT_ITEMS)) < 0.03

    keys = [f"K{k:02d}" for k in range(1, ITEMS + 1)]
    pre_items = tuple(Item(k + 1, keys[k], "knowledge", CHOICE, {"en": f"Question {k + 1}"}) for k in range(ITEMS))
    # the post-test asks the same items under other question ids (and, to be realistic, in reverse order)
    post_items = tuple(Item(101 + k, keys[k], "knowledge", CHOICE, {"en": f"Question {k + 1}"})
                       for k in reversed(range(ITEMS)))
    post_items += tuple(Item(201 + j, None, "satisfaction", LIKERT, {"en": f"Satisfaction {j + 1}"})
                        for j in range(LIKERT_ITEMS))

    def choices(right, blank, wrong, row, first_id):
        return {first_id + k: (RIGHT if right[row, k] else str(wrong[row, k]))
                for k in range(ITEMS) if not blank[row, k]}

    pre_answers = {int(ids[r]): choices(right_pre, blank_pre, wrong_pre, r, 1) for r in range(n) if took_pre[r]}
    post_answers = {}
    for r in np.flatnonzero(took_post):
        values = choices(right_post, blank_post, wrong_post, r, 101)
        values.update({201 + j: str(likert[r, j]) for j in range(LIKERT_ITEMS) if not blank_likert[r, j]})
        post_answers[int(ids[r])] = values
    pre, post = TakenTest(pre_items, pre_answers), TakenTest(post_items, post_answers)

    arrays = {"pre_marks": (right_pre & ~blank_pre).astype(float),
              "post_marks": (right_post & ~blank_post).astype(float),
              "took_pre": took_pre, "took_post": took_post, "country": country, "gender": gender,
              "likert": np.where(blank_likert, np.nan, likert.astype(float))}
    return people, pre, post, arrays


# --- the bare computation ------------------------------------------------------------------------------------
# Every statistic the report computes, each scipy/numpy call made once, directly, on numpy arrays built in advance
# (building them from the answers is the report's bookkeeping, so it is not part of this time):
#   participation: Welch t (ttest_ind) on the pre scores of completers vs drop-outs;
#   every paired block (the whole sample, each of the 11 countries, each gender): ttest_rel with its CI (the
#     one-sided p-values from the same t), pearsonr, shapiro (3–5,000 differences, as the report), wilcoxon
#     (asymptotic with tie and continuity corrections, as R with ties and n ≥ 50), binomtest (sign test), the
#     noncentral-t interval of d_z (brentq on nct.cdf, twice), Hake's and the individual gains;
#   items: for each of the 20 items on the paired sample, McNemar (binomtest exact, binom pmf/cdf for the mid-p,
#     chi2.sf with and without the correction), then Holm and Benjamini-Hochberg;
#   test quality, pre and post: Moodle's facility, SD, discrimination (covariance with the rest), discriminative
#     efficiency (sorted covariance), effective weight, skew, kurtosis, CIC, and KR-20 with Feldt's interval (f.ppf);
#   subgroups: Holm per family and f_oneway + kruskal on the gains (11 countries, 3 genders);
#   Likert: per question counts, median and quartiles, and Cronbach's alpha with Feldt's interval.
# Left out: the Hodges-Lehmann estimator (no scipy call computes it; the report's own numpy selection does, so its
# time counts against the report), the exact conditional Wilcoxon p (only for ≤ 20 non-zero differences, never at
# these sizes), scoring the answers, the wrapping in dataclasses and JSON-ready dicts, edge-case checks and reasons.

def bare_scipy(arrays):
    pre_marks, post_marks = arrays["pre_marks"], arrays["post_marks"]
    took_pre, took_post = arrays["took_pre"], arrays["took_post"]
    both = took_pre & took_post
    pre_total, post_total = pre_marks.sum(axis=1), post_marks.sum(axis=1)
    max_score = float(pre_marks.shape[1])

    stats.ttest_ind(pre_total[both], pre_total[took_pre & ~took_post], equal_var=False)  # attrition
    bare_paired(pre_total[both], post_total[both], max_score)

    # items: McNemar per item on the paired sample, then the adjustments
    right_before, right_after = pre_marks[both] >= 1, post_marks[both] >= 1
    b_counts = (right_before & ~right_after).sum(axis=0)
    c_counts = (~right_before & right_after).sum(axis=0)
    p_exact = []
    for b, c in zip(b_counts.tolist(), c_counts.tolist(), strict=True):
        n = b + c
        p_exact.append(stats.binomtest(b, n, 0.5).pvalue)
        smaller = min(b, c)
        point = stats.binom.pmf(smaller, n, 0.5)
        2 * stats.binom.cdf(smaller, n, 0.5) - point  # mid-p
        stats.chi2.sf((abs(b - c) - 1) ** 2 / n, 1), stats.chi2.sf((b - c) ** 2 / n, 1)
    holm(np.array(p_exact)), benjamini_hochberg(np.array(p_exact))
    right_before.mean(axis=0), right_after.mean(axis=0)  # facility before and after

    bare_quality(pre_marks[took_pre])
    bare_quality(post_marks[took_post])

    # subgroups: the paired block per group, Holm within the family, and whether gains differ
    gains = post_total - pre_total
    for labels, count in ((arrays["country"], len(COUNTRIES)), (arrays["gender"], len(GENDERS))):
        p_values, samples = [], []
        for value in range(count):
            member = both & (labels == value)
            p_values.append(bare_paired(pre_total[member], post_total[member], max_score))
            samples.append(gains[member])
        holm(np.array(p_values))
        stats.f_oneway(*samples)
        stats.kruskal(*samples)

    # Likert (post-test satisfaction): distribution, median, quartiles per question, alpha of the scale
    likert = arrays["likert"][took_post]
    for column in likert.T:
        answered = column[~np.isnan(column)]
        np.bincount(answered.astype(int), minlength=6), np.percentile(answered, [25, 50, 75])
    alpha_with_interval(likert[~np.isnan(likert).any(axis=1)])


def bare_paired(before, after, max_score):
    """The paired comparison's scipy calls on one group; returns the two-sided t-test p (for Holm)."""
    n, diffs = len(before), after - before
    result = stats.ttest_rel(after, before)
    result.confidence_interval(CONFIDENCE)
    stats.t.sf(result.statistic, n - 1), stats.t.cdf(result.statistic, n - 1)  # p greater, p less
    stats.pearsonr(before, after)
    if 3 <= n <= SHAPIRO_MAX:
        stats.shapiro(diffs)
    nonzero = diffs[diffs != 0]
    stats.wilcoxon(nonzero, zero_method="wilcox", correction=True, method="asymptotic")
    stats.binomtest(int((diffs > 0).sum()), len(nonzero), 0.5)  # sign test
    t, tail = float(result.statistic), (1 - CONFIDENCE) / 2
    for probability in (1 - tail, tail):  # noncentral-t interval of d_z
        step = 4 * math.sqrt(1 + t * t / (2 * (n - 1)))
        optimize.brentq(lambda ncp, p=probability: stats.nct.cdf(t, n - 1, ncp) - p, t - step, t + step,
                        xtol=1e-12, rtol=1e-12)
    room = max_score - before
    (after.mean() - before.mean()) / (max_score - before.mean())  # Hake's gain
    individual = diffs[room > 0] / room[room > 0]
    individual.mean(), np.median(individual)
    return result.pvalue


def bare_quality(grid):
    """Moodle's item statistics and KR-20 of one test with numpy (variance and covariance sums)."""
    totals = grid.sum(axis=1)
    centred, centred_totals = grid - grid.mean(axis=0), totals - totals.mean()
    rest = totals[:, None] - grid
    centred_rest = rest - rest.mean(axis=0)
    s = len(grid)
    variances, rest_variances = grid.var(axis=0, ddof=1), rest.var(axis=0, ddof=1)
    with_total = (centred * centred_totals[:, None]).sum(axis=0) / (s - 1)
    with_rest = (centred * centred_rest).sum(axis=0) / (s - 1)
    sorted_marks, sorted_rest = np.sort(grid, axis=0), np.sort(rest, axis=0)
    best = ((sorted_marks - sorted_marks.mean(axis=0)) * (sorted_rest - sorted_rest.mean(axis=0))).sum(axis=0) / (s - 1)
    grid.mean(axis=0), np.sqrt(variances)  # facility, SD
    with_rest / np.sqrt(variances * rest_variances), with_rest / best  # discrimination, discriminative efficiency
    np.sqrt(with_total) / np.sqrt(with_total).sum()  # effective weight
    totals.mean(), np.median(totals), totals.std(ddof=1)
    stats.skew(totals, bias=False), stats.kurtosis(totals, bias=False)
    alpha_with_interval(grid)  # CIC and KR-20 (the report computes both)


def alpha_with_interval(grid):
    n, k = grid.shape
    alpha = k / (k - 1) * (1 - grid.var(axis=0, ddof=1).sum() / grid.sum(axis=1).var(ddof=1))
    tail = (1 - CONFIDENCE) / 2
    return (1 - (1 - alpha) * stats.f.ppf(1 - tail, n - 1, (n - 1) * (k - 1)),
            1 - (1 - alpha) * stats.f.ppf(tail, n - 1, (n - 1) * (k - 1)))


def holm(p):
    order = np.argsort(p, kind="stable")
    adjusted = np.empty_like(p)
    adjusted[order] = np.minimum(1, np.maximum.accumulate((len(p) - np.arange(len(p))) * p[order]))
    return adjusted


def benjamini_hochberg(p):
    order = np.argsort(p, kind="stable")
    scaled = len(p) / np.arange(1, len(p) + 1) * p[order]
    adjusted = np.empty_like(p)
    adjusted[order] = np.minimum(1, np.minimum.accumulate(scaled[::-1])[::-1])
    return adjusted


# --- the run -------------------------------------------------------------------------------------------------

def unscored(test):
    """The same test without the marks an earlier report left on it."""
    return dataclasses.replace(test, scored={})


def median_seconds(function, runs):
    """Median wall time of `runs` calls after one warm-up call (imports, scipy's lazy set-up, caches), and what the
    warm-up returned. As timeit does, the garbage collector is off while a call is timed (and collects in between),
    so that a collection owed to earlier allocations does not land at random on one side of the comparison."""
    result = function()
    times = []
    for _ in range(runs):
        gc.collect()
        gc.disable()
        try:
            started = time.perf_counter()
            function()
            times.append(time.perf_counter() - started)
        finally:
            gc.enable()
    return statistics.median(times), result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, nargs="+", default=[1000, 10_000])
    parser.add_argument("--runs", type=int, default=5, help="timed runs per size (the median is shown)")
    parser.add_argument("--seed", type=int, default=6)
    args = parser.parse_args()
    print(f"Impact report statistics, {ITEMS} knowledge items + {LIKERT_ITEMS} Likert items; ~{TOOK_PRE:.0%} take "
          f"the pre-test, ~{TOOK_POST:.0%} the post-test; median of {args.runs} runs after a warm-up")
    print(f"{'participants':>12}{'pairs':>8}{'data':>9}{'report':>10}{'bare scipy':>12}{'ratio':>8}")
    checks = []
    for size in args.participants:
        started = time.perf_counter()
        people, pre, post, arrays = generate(size, args.seed)
        data_seconds = time.perf_counter() - started
        # Fresh test objects each run: a report scores each test once and keeps the marks on it.
        report_seconds, figures = median_seconds(
            lambda: impact.report(people, unscored(pre), unscored(post)), args.runs)  # noqa: B023
        bare_seconds, _ = median_seconds(lambda: bare_scipy(arrays), args.runs)  # noqa: B023
        ratio = report_seconds / bare_seconds
        print(f"{size:>12,}{figures['knowledge']['n_pairs']:>8,}{data_seconds:>8.2f}s{report_seconds:>9.3f}s"
              f"{bare_seconds:>11.3f}s{ratio:>7.1f}×")
        if size == TARGET_SIZE:
            checks.append((f"report for {size:,} × {ITEMS} ≤ {TARGET_SECONDS:g} s ({report_seconds:.3f} s)",
                           report_seconds <= TARGET_SECONDS))
        checks.append((f"report ≤ {TARGET_RATIO:g} × bare scipy at {size:,} ({ratio:.1f}×)", ratio <= TARGET_RATIO))
    print("(data: generating the synthetic program, not counted)")
    sys.exit(0 if verdicts(checks) else 1)


if __name__ == "__main__":
    main()
