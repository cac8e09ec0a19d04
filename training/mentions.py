"""Whether an uploaded spreadsheet mentions a person, by e-mail address or full name, read as the imports read it."""
from .tabular import TableError, decode_text, read_table
from .textkeys import fold

NO_ROW_LIMIT = 10_000_000  # uploads were held to the import limit when they came in; here every row is read


def person_needles(given_names, family_names, email):
    """What finds a person in a file: their e-mail and their full name both ways round, folded (case and accents
    ignored). A name of one word alone is too common to be a mention; e-mails always are."""
    needles = {fold(email)} if (email or "").strip() else set()
    given, family = fold(given_names), fold(family_names)
    if given and family:
        needles |= {f"{given} {family}", f"{family} {given}", f"{family}, {given}"}
    return frozenset(needles)


def table_mentions(content, filename, needles):
    """True when a cell or a row of the file (`content`, bytes) contains one of the `needles`."""
    if not content or not needles:
        return False
    try:
        table = read_table(content, filename, max_rows=NO_ROW_LIMIT)
        lines = [table.headers, *(cells for _number, cells in table.rows)]
        texts = [fold(" ".join(str(cell) for cell in cells)) for cells in lines]
    except TableError:  # unreadable as a table (a report with text above it…): search the text as a whole
        texts = [fold(decode_text(content)[0])] if not content.startswith(b"PK\x03\x04") else []
    return any(needle in text for text in texts for needle in needles)
