"""Read a spreadsheet upload (CSV in any encoding and delimiter Excel uses, or XLSX) into header + rows."""
import csv
import io
import itertools
import re
import zipfile
from dataclasses import dataclass

from .tabular_base import TableError, clean_cell  # here too: callers import them from tabular

DELIMITERS = (";", ",", "\t")
MAX_XLSX_UNCOMPRESSED = 200 * 1024 * 1024  # a zip bomb expands far beyond any real participant list
MAX_COLUMNS = 100  # a participant list has a dozen; more columns than this are never read
MAX_CELL_CHARS = 32_767  # the most Excel itself holds in a cell; a long written answer is a few thousand
# Text one file may put in memory, each cell counting CELL_COST more (a million tiny cells cost memory too):
# twice the text of the largest CSV accepted by default, so any upload under the size limit costs at most ~100 MB.
MAX_TEXT_CHARS = 10_000_000
CELL_COST = 16
MAX_XLSX_ELEMENTS = 3_000_000  # XML elements read from one workbook (empty ones cost time too): ~3 s at most
BLANK_ALLOWANCE = 1_000  # empty rows tolerated on top of the row limit (Excel keeps formatted empty rows)
_LINE_BREAK = re.compile(r"\r\n?|\n")


class TextBudget:
    """What one file may cost: no cell longer than `max_cell` characters, no more than `max_text` in all, no more
    than `max_elements` XML elements in a workbook (counted while reading, so a file past a limit stops before it
    fills memory or takes long)."""

    def __init__(self, max_cell=MAX_CELL_CHARS, max_text=MAX_TEXT_CHARS, max_elements=MAX_XLSX_ELEMENTS):
        self.max_cell, self.max_text, self.left = max_cell, max_text, max_text
        self.max_elements = self.elements_left = max_elements  # counted down by the XLSX reader

    def spend(self, text, row, column):
        """Count a cell's text (row number, column number), or raise the TableError it deserves."""
        if len(text) > self.max_cell:
            raise self.cell_too_long(row, column)
        self._take(len(text) + CELL_COST)

    def spend_shared(self, text):
        """Count an XLSX shared string (a cell shows it by reference; one past the cell limit counts nothing)."""
        self._take((len(text) if isinstance(text, str) else 0) + CELL_COST)

    def cell_too_long(self, row, column):
        letter = column if isinstance(column, str) else _column_letter(column)
        return TableError("cell_too_long", row=row, column=letter, limit=self.max_cell)

    def too_many_elements(self):
        return TableError("too_many_cells", limit=self.max_elements // 1_000_000)

    def _take(self, cost):
        self.left -= cost
        if self.left < 0:
            raise TableError("too_much_text", limit=self.max_text // 1_000_000)


@dataclass
class Table:
    headers: list
    rows: list  # each a (row_number, [cells]) pair; row numbers as a spreadsheet shows them
    encoding: str = ""
    delimiter: str = ""
    kind: str = "csv"


def read_table(data, filename="", max_rows=20_000):
    """Parse `data` (bytes) as XLSX when it is one, else as CSV/TSV text. Reading stops as soon as the file
    proves larger than `max_rows`, so a hostile file costs no more than a legitimate one."""
    records, details = _open(data)
    return _collect(records, max_rows, **details)


def table_rows(data):
    """The rows of `data` as (row number, cells), read one at a time with read_table's checks but no row limit (a
    workbook's rows holding nothing are skipped): for searches through stored files, which keep nothing."""
    return _open(data)[0]


def _open(data):
    """(the file's records, what read_table tells about it); TableError for files that are no table."""
    if data[:4] == b"PK\x03\x04":
        return _xlsx_records(data), {"kind": "xlsx"}
    if _looks_binary(data):
        raise TableError("not_a_table")
    text, encoding = decode_text(data)
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return _csv_records(reader, TextBudget()), {"kind": "csv", "encoding": encoding, "delimiter": delimiter}


def _looks_binary(data):
    sample = data[:4096]
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False  # UTF-16 text has NULs by nature
    return b"\x00" in sample or sample[:5] in (b"%PDF-", b"\xd0\xcf\x11\xe0\xa1") or sample[:4] == b"\x89PNG"


def decode_text(data, errors="strict"):
    """Bytes → (text, encoding): BOMs first, then strict UTF-8, then Windows-1252 as Excel writes it. Text whose BOM
    promises an encoding its bytes then break is a TableError naming the line (`errors="replace"` reads it anyway,
    for searches that must see every readable word)."""
    for bom, encoding, label in ((b"\xef\xbb\xbf", "utf-8-sig", "UTF-8"), (b"\xff\xfe", "utf-16", "UTF-16"),
                                 (b"\xfe\xff", "utf-16", "UTF-16")):
        if data.startswith(bom):
            try:
                return data.decode(encoding, errors), encoding
            except UnicodeDecodeError as error:
                line = 1 + len(_LINE_BREAK.findall(data[:error.start].decode(encoding, "replace")))
                raise TableError("undecodable", encoding=label, line=line) from error
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        # cp1252 leaves five bytes undefined; latin-1 maps every byte (to the C1 controls Windows maps them to,
        # which clean_cell removes).
        return data.decode("latin-1"), "latin-1"


def sniff_delimiter(text):
    """The delimiter that splits the first non-blank lines most consistently into more than one column."""
    lines = list(itertools.islice((line for line in io.StringIO(text) if line.strip()), 20))
    best, best_score = ",", -1
    for delimiter in DELIMITERS:
        try:
            counts = [len(row) for row in csv.reader(lines, delimiter=delimiter)]
        except csv.Error:
            continue
        if not counts or counts[0] < 2:
            continue
        score = sum(1 for count in counts if count == counts[0]) * 100 + counts[0]
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _csv_records(reader, budget):
    try:
        for number, record in enumerate(reader, start=1):
            cells = [clean_cell(cell) for cell in record[:MAX_COLUMNS]]
            for column, cell in enumerate(cells, start=1):
                if cell:
                    budget.spend(cell, number, column)
            yield number, cells
    except csv.Error as error:
        raise TableError("malformed_csv", reason=str(error)) from error


def _xlsx_records(data):
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        expanded = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as error:
        raise TableError("broken_xlsx") from error
    if "xl/workbook.xml" not in names:
        raise TableError("not_a_table")
    if expanded > MAX_XLSX_UNCOMPRESSED:
        raise TableError("broken_xlsx")
    from .xlsx_stream import xlsx_rows  # imported here: CSV-only callers never load openpyxl

    try:
        yield from xlsx_rows(data, MAX_COLUMNS, TextBudget())
    except TableError:
        raise
    except Exception as error:  # a damaged or hostile file breaks a parser in many ways
        raise TableError("broken_xlsx") from error


def _column_letter(number):
    # openpyxl's get_column_letter, without importing openpyxl for a CSV's message
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _collect(records, max_rows, **kwargs):
    """The first non-blank row is the header; blank rows are skipped; reading stops past the limit."""
    headers, rows = None, []
    for number, cells in records:  # the row number counts the blank rows before it, even those a workbook skips
        if number > max_rows + BLANK_ALLOWANCE + 1 or len(rows) >= max_rows:
            if any(cells) or number > max_rows + BLANK_ALLOWANCE + 1:
                raise TableError("too_many_rows", limit=max_rows)
        if not any(cells):
            continue
        if headers is None:
            headers = cells
        else:
            rows.append((number, cells))
    headers = headers or []
    width = len(headers)
    while width and not headers[width - 1]:
        width -= 1
    if not width:
        raise TableError("empty")
    rows = [(number, (cells + [""] * width)[:max(width, len(cells))]) for number, cells in rows]
    return Table(headers=headers[:width], rows=rows, **kwargs)
