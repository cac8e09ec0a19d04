"""Localized text stored as {language: text} (es, en, fr, pt) with a fallback order."""

# The languages of the Americas the interface and content come in; a program offers a subset of them.
SUPPORTED_LANGUAGES = ("es", "en", "fr", "pt")
DEFAULT_LANGUAGE = "es"


def offered(languages):
    """The supported languages among `languages`, in their order and once each (a program's: its default first);
    the default language when none is, so a stored list with an unknown code or none still has a default."""
    return list(dict.fromkeys(code for code in languages or () if code in SUPPORTED_LANGUAGES)) or [DEFAULT_LANGUAGE]


def reader_language(language, languages):
    """The language a person is written to in: theirs when `languages` offers it, else the first (the default)."""
    codes = offered(languages)
    return language if language in codes else codes[0]


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
