"""Keys for comparing people's text (case- and accent-insensitive, whitespace-normalized), and ids read from text."""
import unicodedata

# The largest id the id columns hold (INTEGER: 32 bits on PostgreSQL): a larger number reaching a query is refused by
# PostgreSQL ("integer out of range") or, from 2^63, overflows in SQLite's driver, instead of finding nothing.
MAX_ID = 2**31 - 1


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


def database_id(text):
    """int(text) when a database id column could hold it, else ValueError: WTForms' coerce turns that into "not a
    valid choice", and `request.args.get(..., type=database_id)` into an absent filter."""
    number = int(text)
    if not 0 <= number <= MAX_ID:
        raise ValueError(f"{number} is not an id")
    return number
