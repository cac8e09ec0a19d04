"""What both spreadsheet readers share (tabular's CSV, xlsx_stream's XLSX): the error a file that cannot be read as a
table raises, and the cleaning of a cell's text (pure; its own module so that neither reader imports the other)."""
import re

# Never meant in a cell: C0 controls (NUL breaks PostgreSQL) and C1 ones (what bytes Windows-1252 leaves undefined
# become); tabs and line breaks are turned into spaces first.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class TableError(Exception):
    """The file cannot be read as a table; `code` and `details` say why, for a person."""

    def __init__(self, code, **details):
        super().__init__(code)
        self.code = code
        self.details = details


def clean_cell(value):
    """Trimmed text without control characters (tabs and line breaks become spaces)."""
    return _CONTROL.sub("", str(value).replace("\t", " ").replace("\r", " ").replace("\n", " ")).strip()
