"""The impact report's numbers, p-values and reasons in the reader's language, for every text module of the report."""
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

REASONS = {
    "fewer_than_2_pairs": _l("fewer than two participants took both tests"),
    "all_differences_zero": _l("every participant had the same score in both tests"),
    "zero_variance": _l("every participant changed by exactly the same amount"),
    "constant_pre_or_post": _l("everyone had the same score in one of the tests"),
    "fewer_than_3_pairs": _l("too few pairs for a normality check"),
    "more_than_5000_pairs": _l("too many pairs for a normality check"),
    "noncentral_interval_not_found": _l("the effect size's interval could not be computed"),
    "all_pre_at_maximum": _l("everyone already had the maximum score in the pre-test"),
    "no_discordant_pairs": _l("nobody changed between right and wrong"),
    "no_shared_knowledge_items": _l("the pre-test and the post-test share no knowledge item with the same key "
                                    "and points"),
    "all_values_identical": _l("every score is the same"),
    "fewer_than_2_groups": _l("fewer than two groups have two or more participants"),
    "values_too_large": _l("some values are infinite or too large to compute with"),
    "missing_count": _l("a count is missing"),
    "no_complete_attempts": _l("no attempt has a mark for every item"),
    "fewer_than_2_attempts": _l("fewer than two complete attempts"),
    "fewer_than_4_attempts": _l("fewer than four complete attempts, which the kurtosis needs"),
    "fewer_than_2_items": _l("fewer than two items"),
    "fewer_than_2_respondents": _l("fewer than two people answered every question"),
    "no_maximum_mark": _l("the item has no maximum mark"),
    "zero_variance_rest": _l("everyone had the same score in the rest of the test"),
    "zero_variance_total": _l("every attempt has the same total score"),
    "negative_covariance_with_total": _l("the item's marks go against the total (negative covariance), so it "
                                         "has no effective weight"),
    "zero_variance_within_groups": _l("the values do not vary within any group"),
    "groups_with_fewer_than_2_values_skipped": _l("groups with fewer than two values were left out"),
    "no_follow_up": _l("the program has no follow-up questionnaire"),
    "no_shared_use_items": _l("the follow-up repeats none of the post-test's intended-use statements (same item "
                              "key and scale)"),
}


def number(value, digits=2):
    """A figure in the reader's language ('—' when it could not be computed)."""
    if value is None:
        return "—"
    return format_decimal(round(value, digits), format="#,##0." + "0" * digits if digits else "#,##0")


def percent(share, digits=0):
    return "—" if share is None else number(100 * share, digits) + " %"


def p_value(p):
    """p as journals print it: 'p < 0.001' below a thousandth, else to three decimals."""
    if p is None:
        return "—"
    return _("p < %(limit)s", limit=number(0.001, 3)) if p < 0.001 else _("p = %(p)s", p=number(p, 3))


def p_short(p):
    """A p-value in a table cell: '< 0.001' below a thousandth, else to three decimals."""
    if p is None:
        return "—"
    return "< " + number(0.001, 3) if p < 0.001 else number(p, 3)


def reason_text(reason):
    return str(REASONS.get(reason, reason or ""))
