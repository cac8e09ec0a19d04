"""Read a spreadsheet upload (CSV in any encoding and delimiter Excel uses, or XLSX) into header + rows."""
import csv
import io
import zipfile
from dataclasses import dataclass, field

DELIMITERS = (";", ",", "\t")
MAX_XLSX_UNCOMPRESSED = 200 * 1024 * 1024  # a zip bomb expands far beyond any real participant list


class TableError(Exception):
    """The file cannot be read as a table; the message says why, for a person."""

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
    warnings: list = field(default_factory=list)


def read_table(data, filename="", max_rows=20_000):
    """Parse `data` (bytes) as XLSX when it is one, else as CSV/TSV text; trailing blank rows are ignored."""
    if data[:4] == b"PK\x03\x04":
        table = _read_xlsx(data)
    elif _looks_binary(data):
        raise TableError("not_a_table")
    else:
        table = _read_csv(data)
    if not any(cell for cell in table.headers):
        raise TableError("empty")
    if len(table.rows) > max_rows:
        raise TableError("too_many_rows", rows=len(table.rows), limit=max_rows)
    return table


def _looks_binary(data):
    sample = data[:4096]
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False  # UTF-16 text has NULs by nature
    return b"\x00" in sample or sample[:5] in (b"%PDF-", b"\xd0\xcf\x11\xe0\xa1") or sample[:4] == b"\x89PNG"


def decode_text(data):
    """Bytes → (text, encoding): BOMs first, then strict UTF-8, then Windows-1252 as Excel writes it."""
    for bom, encoding in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return data.decode(encoding), encoding
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        # cp1252 leaves five bytes undefined; latin-1 maps every byte.
        return data.decode("latin-1"), "latin-1"


def sniff_delimiter(text):
    """The delimiter that splits the first lines most consistently into more than one column."""
    lines = [line for line in text.splitlines()[:20] if line.strip()]
    best, best_score = ",", -1
    for delimiter in DELIMITERS:
        counts = [len(row) for row in csv.reader(lines, delimiter=delimiter)]
        if not counts or counts[0] < 2:
            continue
        score = sum(1 for count in counts if count == counts[0]) * 100 + counts[0]
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _read_csv(data):
    text, encoding = decode_text(data)
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        records = [(number, [cell.strip() for cell in record]) for number, record in enumerate(reader, start=1)]
    except csv.Error as error:
        raise TableError("malformed_csv", reason=str(error)) from error
    return _table(records, encoding=encoding, delimiter=delimiter, kind="csv")


def _read_xlsx(data):
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
        sheet = workbook.worksheets[0]
        records = [(number, [_cell_text(cell) for cell in row])
                   for number, row in enumerate(sheet.iter_rows(values_only=True), start=1)]
        workbook.close()
    except Exception as error:  # openpyxl raises many kinds for damaged or hostile files
        raise TableError("broken_xlsx") from error
    return _table(records, kind="xlsx")


def _cell_text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value).strip()


def _table(records, **kwargs):
    records = [(number, cells) for number, cells in records]
    while records and not any(records[-1][1]):
        records.pop()
    # Leading blank lines happen (a title row left empty): the header is the first non-blank row.
    while records and not any(records[0][1]):
        records.pop(0)
    if not records:
        raise TableError("empty")
    header_number, headers = records[0]
    width = len(headers)
    while width and not headers[width - 1]:
        width -= 1
    rows = [(number, (cells + [""] * width)[:max(width, len(cells))]) for number, cells in records[1:]]
    return Table(headers=headers[:width], rows=rows, **kwargs)
