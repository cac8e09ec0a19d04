"""Text no database or page can hold: a lone UTF-16 surrogate (JSON's "\\ud800" escape) has no UTF-8 form, so storing
one breaks every page that later shows it."""
import re

LONE_SURROGATE = re.compile("[\ud800-\udfff]")  # JSON decodes a valid pair to one character: what is left is lone


def holds_lone_surrogate(value):
    """Whether any text in `value` (JSON's strings, lists and objects, keys included) holds a lone surrogate."""
    if isinstance(value, str):
        return LONE_SURROGATE.search(value) is not None
    if isinstance(value, dict):
        return any(holds_lone_surrogate(key) or holds_lone_surrogate(item) for key, item in value.items())
    if isinstance(value, list):
        return any(holds_lone_surrogate(item) for item in value)
    return False
