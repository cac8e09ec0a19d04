"""Whether an uploaded spreadsheet mentions a person, by e-mail address or full name, read as the imports read it."""
from .tabular import TableError, decode_text, table_rows
from .textkeys import fold


def person_needles(given_names, family_names, email):
    """What finds a person in a file: their e-mail and their full name both ways round, folded (case and accents
    ignored). A name of one word alone is too common to be a mention; e-mails always are."""
    needles = {fold(email)} if (email or "").strip() else set()
    given, family = fold(given_names), fold(family_names)
    if given and family:
        needles |= {f"{given} {family}", f"{family} {given}", f"{family}, {given}"}
    return frozenset(needles)


def table_mentions(content, filename, needles):
    """True when a row of the file (`content`, bytes) contains one of the `needles`. Text that is no table (a
    report with lines above it, bytes its encoding does not allow…) is searched as a whole, whatever cannot be
    decoded replaced; raises TableError when the file cannot be searched at all (a damaged or oversized workbook)."""
    if not content or not needles:
        return False
    try:
        return any(_holds(fold(" ".join(cells)), needles) for _number, cells in table_rows(content))
    except TableError:
        if content.startswith(b"PK\x03\x04"):
            raise
        return _holds(fold(decode_text(content, errors="replace")[0]), needles)


def _holds(text, needles):
    return any(needle in text for needle in needles)
