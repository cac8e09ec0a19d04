"""The statistician's annex in words: the methods as named conventions; what a reliability or discrimination means."""
from flask_babel import format_decimal
from flask_babel import gettext as _

from ..question_types import REGISTRY
from ..stats_conventions import EXACT_CONDITIONAL_MAX, EXACT_WILCOXON_BELOW, ROUND_DECIMALS, SHAPIRO_MAX, SHAPIRO_MIN
from .findings import SMALL_N
from .provenance import versions_line
from .verdicts import (
    ALPHA,
    QUESTIONABLE_BELOW,
    UNACCEPTABLE_BELOW,
    discrimination_verdict,
    reliability_verdict,
)


def _decimal(value):
    """A threshold or a level as the reader writes it (0.05, 0,05; 5,000, 5.000), without float noise."""
    return format_decimal(round(value, 6))


def _r(value):
    """A number inside R code: always with a decimal point, whatever the reader's language (0.975)."""
    return format(round(value, 6), "g")


def _span(question_type):
    """The points a question type counts as agreeing, as a range: 4–5."""
    agreeing = REGISTRY[question_type].agreeing
    return f"{agreeing[0]}–{agreeing[-1]}"


def method_conventions(confidence):
    """[(term, sentence)]: every convention a statistician needs to reproduce the report's figures in R, each
    stated as assessments/stats*.py computes it; the page, the PDF and the workbook show this same list."""
    tail = (1 - confidence) / 2
    upper, lower = _r(1 - tail), _r(tail)
    return [(str(term), str(sentence)) for term, sentence in (
        (_("Confidence level"), _(
            "Every interval is a %(level)s%% interval (conf.level = %(confidence)s in R).",
            level=_decimal(100 * confidence), confidence=_r(confidence))),
        (_("Significance level"), _(
            "Marks and verdicts use %(alpha)s: an item's change is marked when its Holm-adjusted p is below it, and "
            "the attrition check says those who left started differently when Welch's p is below it.",
            alpha=_decimal(ALPHA))),
        (_("Scores"), _(
            "Only submitted attempts of participants who have not withdrawn count. A score is the sum of the points "
            "of the knowledge items both tests share (same item key and same points); an unanswered item earns 0; "
            "an item counts as right (McNemar, KR-20) only with its full points.")),
        (_("Paired sample"), _(
            "Differences are post-test minus pre-test (d = post − pre) for those who took both tests; whoever took "
            "only one is left out of the paired figures and counted under participation.")),
        (_("Rounding"), _(
            "Differences are rounded to %(decimals)s decimals before they are ranked, compared or counted as zero "
            "(Wilcoxon, Hodges–Lehmann, sign test, improved/unchanged/declined), so 2.5 and 2.5000000000000004 are "
            "one value and tie; R compares the raw floats, so use d <- round(post - pre, %(decimals)s). Values equal "
            "after this rounding have a standard deviation of 0; the t-test and Shapiro–Wilk use the unrounded "
            "differences.", decimals=ROUND_DECIMALS)),
        (_("Paired t-test"), _(
            "t.test(post, pre, paired = TRUE): the mean difference ± qt(%(upper)s, n − 1) · SD/√n and the two-sided "
            "p; not computed when the differences are constant, where R stops with \"data are essentially "
            "constant\".", upper=upper)),
        (_("Cohen's d_z"), _(
            "Mean difference / SD of the differences (n − 1). Its interval inverts the noncentral t (Steiger & "
            "Fouladi 1997): the noncentrality parameters λ with pt(t, n − 1, λ) = %(upper)s and %(lower)s, divided "
            "by √n (MBESS::conf.limits.nct(t, n − 1) / √n).", upper=upper, lower=lower)),
        (_("Hedges' g_z and d_av"), _(
            "g_z = d_z · J with Hedges' exact J = Γ(df/2) / (√(df/2) · Γ((df − 1)/2)), df = n − 1, in R "
            "exp(lgamma(df/2) - lgamma((df - 1)/2)) / sqrt(df/2), not the 1 − 3/(4df − 1) shortcut; from 3 pairs "
            "on. Cohen's d_av = mean difference / the mean of the pre-test and post-test SDs.")),
        (_("Normality"), _(
            "shapiro.test(post - pre) on the unrounded differences, only with %(min)s to %(max)s pairs (the sizes R "
            "accepts) whose differences are not constant.", min=SHAPIRO_MIN, max=_decimal(SHAPIRO_MAX))),
        (_("Wilcoxon signed-rank test"), _(
            "wilcox.test(d) with R's defaults on the rounded differences, zeros dropped: the exact p with fewer than "
            "%(below)s non-zero differences and neither ties nor zeros, otherwise the normal approximation with the "
            "tie and continuity corrections. V is the sum of the ranks of the positive differences; the "
            "rank-biserial correlation is (2V − S)/S, S the sum of all ranks (Kerby 2014).",
            below=EXACT_WILCOXON_BELOW)),
        (_("Exact conditional p"), _(
            "With at most %(max)s non-zero differences, also the two-sided p over all 2ⁿ sign patterns of the "
            "observed average ranks (ties kept, zeros dropped): the share of patterns whose |2V − S| is at least the "
            "observed one. No base-R function gives it.", max=EXACT_CONDITIONAL_MAX)),
        (_("Hodges–Lehmann estimate"), _(
            "The median of the Walsh averages (dᵢ + dⱼ)/2, i ≤ j, of all the rounded differences, zeros included, "
            "while the Wilcoxon test drops them: w <- outer(d, d, \"+\") / 2; median(w[upper.tri(w, diag = "
            "TRUE)]). wilcox.test(d, conf.int = TRUE) drops the zeros and, when not exact, searches its estimate "
            "numerically, so it can differ.")),
        (_("Sign test"), _(
            "binom.test(improved, improved + declined, 0.5): the unchanged (a zero difference after rounding) are "
            "left out.")),
        (_("Normalized gain"), _(
            "Hake's class average: (mean post − mean pre) / (maximum − mean pre), the maximum being the shared "
            "items' points; not computed when the pre-test mean is the maximum. Individual gains (post − pre) / "
            "(maximum − pre), negative for a fall, are summarized by their mean and median over those below the "
            "maximum in the pre-test; those at the maximum are left out and counted.")),
        (_("McNemar's test per item"), _(
            "Among those who took both tests, b = right → wrong and c = wrong → right. Exact p = binom.test(b, b + c, "
            "0.5)$p.value; mid-p = 2·pbinom(min(b, c), b + c, 0.5) − dbinom(min(b, c), b + c, 0.5) (Fagerland, "
            "Lydersen & Laake 2013), except when b = c, where it is 1 − dbinom(b, 2b, 0.5)/2 rather than the 1 that "
            "formula gives; when b + c = 0 nothing is tested. The workbook's χ² is mcnemar.test's, which corrects "
            "for continuity only when b ≠ c.")),
        (_("Multiple comparisons"), _(
            "p.adjust(p, \"holm\") and p.adjust(p, \"BH\") over the items' exact McNemar p-values (one family per "
            "report); Holm over the paired t-tests' p-values of the groups in each subgroup table (countries, "
            "genders: one family each). An item or group with nothing to test is left out of its family, as R does "
            "with NA.")),
        (_("Item statistics"), _(
            "As Moodle's quiz statistics, on each test's marks: facility = mean mark / maximum; discrimination = "
            "cor(item, total − item), the item against the rest of the test; discriminative efficiency = that "
            "covariance over the largest the marks allow.")),
        (_("KR-20"), _(
            "Cronbach's alpha of the items scored right (1) or wrong (0), per test: k/(k − 1) · (1 − Σ var(item) / "
            "var(total)), variances with n − 1. Feldt's interval: 1 − (1 − α) · qf(c(%(upper)s, %(lower)s), n − 1, "
            "(n − 1)(k − 1)).", upper=upper, lower=lower)),
        (_("Cronbach's alpha"), _(
            "Per dimension and test, over its 5-point Likert statements (0–10 questions are left out), from 2 "
            "statements on; answers 1 to 5, none reversed; a respondent who skipped any of them is left out "
            "(listwise deletion: x <- na.omit(x)). Same formula and Feldt interval as KR-20.")),
        (_("Likert summaries"), _(
            "Median and quartiles as quantile(x, type = 7); agreeing is the share of the answers at %(likert)s "
            "(Likert) or %(scale)s (0–10).", likert=_span("likert"), scale=_span("scale"))),
        (_("Subgroups"), _(
            "The same paired comparison within each country and gender, Holm within the table; fewer than %(small)s "
            "pairs is marked small n. Whether the gains (post − pre) differ: Welch's t.test(g1, g2) for two groups, "
            "one-way ANOVA (anova(lm(gain ~ group))) and kruskal.test for more; a group with fewer than 2 gains is "
            "left out.", small=SMALL_N)),
        (_("Attrition check"), _(
            "The pre-test scores of those who took both tests against those of whoever took only the pre-test: "
            "Welch's t.test(both, pre_only), with at least 2 in each group.")),
        (_("Use at work"), _(
            "The follow-up's statements that repeat a post-test application statement (same item key and scale) "
            "are paired: each person's intended and reported use are their means over the statements they answered "
            "in both; reported − intended is compared as above (t.test and wilcox.test, paired), per statement with "
            "Holm's adjustment of the Wilcoxon p-values. Response rate: those who answered the follow-up among "
            "those who submitted the post-test. Non-response check: the intended use of those who answered against "
            "those who did not, Welch's t.test(responders, non_responders).")),
    )]


def reliability_text(kind, value):
    """What an alpha ('alpha', Likert statements) or a KR-20 ('kr20', a knowledge test) means for the reader, in
    one sentence ('' when it was not computed)."""
    verdict = reliability_verdict(value)
    return verdict_texts()[f"verdict_{kind}_{verdict}"] if verdict else ""


def discrimination_text(value):
    """What an item's negative or weak discrimination means ('' when it is fine or missing)."""
    verdict = discrimination_verdict(value)
    return verdict_texts()[f"verdict_discrimination_{verdict}"] if verdict else ""


def verdict_texts():
    """verdict key → sentence, the thresholds written in the reader's number format (the PDF and the workbook take
    them by key, as their other texts)."""
    low, high = _decimal(UNACCEPTABLE_BELOW), _decimal(QUESTIONABLE_BELOW)
    return {
        "verdict_alpha_unacceptable": _(
            "The answers to these statements do not move together (α below %(low)s): their average should not be "
            "read as one measure.", low=low),
        "verdict_alpha_questionable": _(
            "The answers to these statements move together only loosely (α between %(low)s and %(high)s): read "
            "their average with care, next to each statement.", low=low, high=high),
        "verdict_alpha_acceptable": _(
            "The answers to these statements move together (α of %(high)s or more): their average can be read as "
            "one measure.", high=high),
        "verdict_kr20_unacceptable": _(
            "The items of this test do not measure one thing consistently (KR-20 below %(low)s): its total score is "
            "a rough measure, so read the results item by item.", low=low),
        "verdict_kr20_questionable": _(
            "The items of this test agree only loosely (KR-20 between %(low)s and %(high)s): read its total score "
            "with care, next to the items.", low=low, high=high),
        "verdict_kr20_acceptable": _(
            "The items of this test agree well enough (KR-20 of %(high)s or more) for its total score to be read as "
            "one measure.", high=high),
        "verdict_discrimination_negative": _(
            "Participants who did better on the rest of the test got this item wrong more often: check its wording "
            "or its key."),
        "verdict_discrimination_weak": _(
            "This item barely separates participants who did better on the rest of the test from those who did "
            "worse: it adds little to the score."),
    }


def annex_texts():
    """The annex's words the PDF and the workbook take by key: what a reliability or a discrimination means, the
    labels that go with them and the methods sheet's headers."""
    return {**verdict_texts(), "reading": _("What it means"), "convention": _("Convention"),
            "method": _("How it is computed"), "kr20_pre": _("KR-20 of the pre-test"),
            "kr20_post": _("KR-20 of the post-test"), "discrimination_pre": _("Discrimination in the pre-test"),
            "discrimination_post": _("Discrimination in the post-test")}


# What the report's templates call for the annex (texts.TEMPLATE_HELPERS takes them in).
ANNEX_HELPERS = {"method_conventions": method_conventions, "reliability_text": reliability_text,
                 "reliability_verdict": reliability_verdict, "discrimination_text": discrimination_text,
                 "discrimination_verdict": discrimination_verdict, "versions_line": versions_line}
