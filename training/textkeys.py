"""Keys for comparing people's text: case- and accent-insensitive, whitespace-normalized."""
import unicodedata


def squash_spaces(text):
    """'  Ana   Lucía ' → 'Ana Lucía'."""
    return " ".join((text or "").split())


def fold(text):
    """A case- and accent-insensitive form, so 'Álvarez' sorts with the A and 'angel' finds 'Ángel'."""
    decomposed = unicodedata.normalize("NFKD", squash_spaces(text))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def email_key(email):
    """How e-mails are compared: 'Ana.Perez@MX.example ' and 'ana.perez@mx.example' are the same person."""
    return (email or "").strip().casefold()


def person_search_key(given_names, family_names, email, institution=""):
    """What the participant list sorts by (family names first) and searches in."""
    return " | ".join(fold(part) for part in (family_names, given_names, email, institution))


def as_id(text):
    """'42' → 42; anything else (empty, '-1', '4.2', '²', '٤٢') → None. For ids read from form fields."""
    text = text or ""
    return int(text) if text.isascii() and text.isdecimal() and len(text) < 19 else None
