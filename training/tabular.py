"""Read a spreadsheet upload (CSV in any encoding and delimiter Excel uses, or XLSX) into header + rows."""
import csv
import io
import itertools
import re
import zipfile
from dataclasses import dataclass

DELIMITERS = (";", ",", "\t")
MAX_XLSX_UNCOMPRESSED = 200 * 1024 * 1024  # a zip bomb expands far beyond any real participant list
MAX_COLUMNS = 100  # a participant list has a dozen; more columns than this are never read
BLANK_ALLOWANCE = 1_000  # empty rows tolerated on top of the row limit (Excel keeps formatted empty rows)
# Never meant in a cell: C0 controls (NUL breaks PostgreSQL) and C1 ones (what bytes Windows-1252 leaves undefined
# become); tabs and line breaks are turned into spaces first.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_LINE_BREAK = re.compile(r"\r\n?|\n")


class TableError(Exception):
    """The file cannot be read as a table; `code` and `details` say why, for a person."""

    def __init__(self, code, **details):
        super().__init__(code)
        self.code = code
        self.details = details


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
    """Every row of `data` as (row number, cells), read one at a time with read_table's checks but no row limit:
    for searches through stored files, which keep nothing but what they look for."""
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
    return _csv_records(reader), {"kind": "csv", "encoding": encoding, "delimiter": delimiter}


def clean_cell(value):
    """Trimmed text without control characters (tabs and line breaks become spaces)."""
    return _CONTROL.sub("", str(value).replace("\t", " ").replace("\r", " ").replace("\n", " ")).strip()


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


def _csv_records(reader):
    try:
        for number, record in enumerate(reader, start=1):
            yield number, [clean_cell(cell) for cell in record[:MAX_COLUMNS]]
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
    import openpyxl  # imported here: CSV-only callers never pay for it

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = next(ws for ws in workbook.worksheets if hasattr(ws, "iter_rows"))
        rows = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)
        for number, row in enumerate(rows, start=1):
            yield number, [_cell_text(cell) for cell in row]
        workbook.close()
    except TableError:
        raise
    except Exception as error:  # openpyxl raises many kinds for damaged or hostile files
        raise TableError("broken_xlsx") from error


def _cell_text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return clean_cell(value)


def _collect(records, max_rows, **kwargs):
    """The first non-blank row is the header; blank rows are skipped; reading stops past the limit."""
    headers, rows, seen = None, [], 0
    for number, cells in records:
        seen += 1
        if seen > max_rows + BLANK_ALLOWANCE + 1 or len(rows) >= max_rows:
            if any(cells) or seen > max_rows + BLANK_ALLOWANCE + 1:
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
