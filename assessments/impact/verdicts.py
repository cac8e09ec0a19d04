"""The annex's rules for a p-value, a reliability and an item's discrimination: number → verdict code (pure)."""

from .findings import ALPHA, LOW_RELIABILITY  # noqa: F401  (ALPHA: part of this module's rules)

# The summary's rules (findings.py) hold the significance level of the report's marks and verdicts (ALPHA: an item's
# change after Holm, the attrition check) and where a reliability becomes a worry: the annex grades with the same.
# Cronbach's alpha and KR-20, graded as George & Mallery (2003, p. 231) do — below .5 unacceptable, .5 to .7 poor or
# questionable, .7 and above acceptable (their .8 "good" and .9 "excellent" need no warning) — and .7 is also
# Nunnally's (1978) minimum for a scale in early research. Three grades say what a reader needs: whether an
# average (a total score) may be read as one measure.
UNACCEPTABLE_BELOW = LOW_RELIABILITY
QUESTIONABLE_BELOW = 0.7
RELIABILITY_VERDICTS = ("unacceptable", "questionable", "acceptable")
# The discrimination index (the item's correlation with the rest of the test): Ebel's guideline calls an item below
# .2 poor — it barely separates stronger from weaker participants — and a negative one works against the test.
WEAK_DISCRIMINATION = 0.2
DISCRIMINATION_VERDICTS = ("negative", "weak")


def reliability_verdict(value):
    """'unacceptable', 'questionable' or 'acceptable' for an alpha or a KR-20; None when it was not computed."""
    if value is None:
        return None
    if value < UNACCEPTABLE_BELOW:
        return "unacceptable"
    return "questionable" if value < QUESTIONABLE_BELOW else "acceptable"


def discrimination_verdict(value):
    """'negative' or 'weak' for an item's discrimination index worth a word; None when it is fine or missing."""
    if value is None or value >= WEAK_DISCRIMINATION:
        return None
    return "negative" if value < 0 else "weak"
