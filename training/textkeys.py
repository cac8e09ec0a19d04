"""Keys for comparing people's text (case- and accent-insensitive, whitespace-normalized), and ids read from text."""
import re
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


def name_key(text):
    """'  PÉREZ-Zúñiga,  Ana ' → 'perez zuniga ana': accents, case and punctuation ignored."""
    return " ".join(re.sub(r"[^\w\s]", " ", fold(text)).split())


def email_key(email):
    """How e-mails are compared: 'Ana.Perez@MX.example ' and 'ana.perez@mx.example' are the same person."""
    return (email or "").strip().casefold()


def person_search_key(given_names, family_names, email, institution=""):
    """What the participant list sorts by (family names first) and searches in."""
    return " | ".join(fold(part) for part in (family_names, given_names, email, institution))


def as_id(text):
    """'42' → 42; anything else (empty, '-1', ' 7', '4.2', '²', '٤٢', a number beyond MAX_ID) → None. For ids read
    from form fields, the query string and the session."""
    text = text or ""
    if not (text.isascii() and text.isdecimal() and len(text) <= len(str(MAX_ID))):
        return None
    return int(text) if int(text) <= MAX_ID else None


def database_id(value):
    """`as_id` of a text (an int, as a form's stored data, is checked as it is), or ValueError where there is no id:
    WTForms' coerce turns that into "not a valid choice", `request.args.get(..., type=database_id)` into an absent
    filter."""
    number = value if type(value) is int else as_id(value) if isinstance(value, str) else None
    if number is None or not 0 <= number <= MAX_ID:
        raise ValueError(f"{value!r} is not an id")
    return number
