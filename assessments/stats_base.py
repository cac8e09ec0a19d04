"""What the statistics modules share: results as plain data, missing values, reasons, confidence checks (pure)."""
import math
from dataclasses import asdict


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
    return value is None or math.isnan(float(value))


def first_reason(checks):
    """The first reason whose condition holds: the most basic problem explains the others."""
    return next((reason for condition, reason in checks if condition), None)


def check_confidence(confidence):
    """Reject a confidence level outside (0, 1): that is a caller's mistake, not a property of the data."""
    if not 0 < confidence < 1:
        raise ValueError("confidence must be between 0 and 1")
