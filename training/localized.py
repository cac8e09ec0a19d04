"""Localized text stored as {"es": ..., "en": ...} with a fallback order."""

SUPPORTED_LANGUAGES = ("es", "en")
DEFAULT_LANGUAGE = "es"


def pick(texts, language, fallback=DEFAULT_LANGUAGE):
    """Return the text in `language`, else in `fallback`, else any non-empty one, else ''."""
    if not texts:
        return ""
    for code in (language, fallback):
        value = texts.get(code)
        if value:
            return value
    return next((value for value in texts.values() if value), "")


def compact(texts):
    """Drop empty translations and strip the rest, so {"es": " A ", "en": ""} becomes {"es": "A"}."""
    return {code: value.strip() for code, value in (texts or {}).items() if value and value.strip()}
