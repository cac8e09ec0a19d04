"""The statistics' conventions as plain numbers (pure, no numpy): what stats*.py compute with and what the methods
text states, readable by a page without loading numpy and scipy."""

# Scores are compared as they are on paper: 0.1 + 0.2 and 0.3 are the same score, however the floats end.
ROUND_DECIMALS = 10
EXACT_WILCOXON_BELOW = 50  # R's wilcox.test: exact p only below 50 non-zero differences (and no ties or zeros)
EXACT_CONDITIONAL_MAX = 20  # 2**20 sign patterns is where exhaustive enumeration stops being instant
SHAPIRO_MIN, SHAPIRO_MAX = 3, 5000  # the range R's shapiro.test accepts (Royston's approximation)

# The two groups of the use-at-work non-response check (use_at_work computes it, texts_use words it).
RESPONDERS, NON_RESPONDERS = "responders", "non_responders"
