"""Localized text stored as {language: text} (es, en, fr, pt) with a fallback order."""

# The languages of the Americas the interface and content come in; a program offers a subset of them.
SUPPORTED_LANGUAGES = ("es", "en", "fr", "pt")
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
