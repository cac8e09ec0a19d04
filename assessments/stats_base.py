"""What the statistics modules share: results as plain data, missing values, reasons, confidence checks, spread on
paper and values too large to compute with (pure)."""
import dataclasses
import math
import sys
from dataclasses import asdict

import numpy as np

from .stats_conventions import ROUND_DECIMALS

NOISE = 2 * 10.0 ** -ROUND_DECIMALS  # values this far apart differ on paper whatever their rounding


class Result:
    """A statistics result: a frozen dataclass whose values are plain floats, ints, strings or None."""

    def as_dict(self):
        """The result as plain dicts, lists, floats, ints, strings and None (JSON, spreadsheets, templates)."""
        return asdict(self)


def number(value):
    """A plain float, or None for what cannot be reported (missing, NaN, infinite)."""
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def is_missing(value):
    """None and NaN both mean "no answer"."""
    return value is None or value != value  # NaN alone is unequal to itself; no float() to overflow on a huge int


def first_reason(checks):
    """The first reason whose condition holds: the most basic problem explains the others."""
    return next((reason for condition, reason in checks if condition), None)


def check_confidence(confidence):
    """Reject a confidence level outside (0, 1): that is a caller's mistake, not a property of the data."""
    if not 0 < confidence < 1:
        raise ValueError("confidence must be between 0 and 1")


def varies(values):
    """Whether the values differ on paper (rounded to ROUND_DECIMALS); checked on the raw spread first, which is
    all a real spread needs."""
    spread = float(np.ptp(values)) if len(values) else 0.0
    return spread > NOISE or (spread > 0 and bool(np.ptp(np.round(values, ROUND_DECIMALS)) > 0))


def sample_variance(values):
    """Variance (n − 1), exactly 0 for values equal on paper: their float noise (1e-34) is no spread."""
    return float(np.var(values, ddof=1)) if varies(values) else 0.0


def too_large(values, width=1):
    """Whether a value is infinite, or so large that fourth powers (kurtosis) of the deviations of sums of `width`
    of them, added up over all of them, could overflow: such values are reported, not computed with."""
    values = np.asarray(values, dtype=float)
    if not values.size:
        return False
    limit = (sys.float_info.max / values.size) ** 0.25 / (4 * width)
    return bool(np.any(np.abs(values) > limit))  # a NaN (a missing value) is never too large


def plain(value):
    """A stats result as JSON-ready data: dataclasses to dicts, NaN and infinities to None."""
    if dataclasses.is_dataclass(value):
        value = dataclasses.asdict(value)
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
