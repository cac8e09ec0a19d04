"""Stream the first worksheet of an XLSX upload, row by row, with bounded memory and work. openpyxl builds each
cell's text whole and loads the shared strings and styles entirely, so a 155 KB file holding one 150 MB cell cost
over 600 MB; here every part is fed to expat in chunks from the zip stream, no text grows past the cell limit, the
text and the elements read are budgeted, and an unending tag is refused. openpyxl's helpers still read dates.
A tighter cap on the parts' uncompressed size, keeping openpyxl, would not bound memory as well: openpyxl holds
about four times the XML it reads, and a legitimate 20,000-row list is already ~15 MB of XML. Streaming is also
2.4 times faster on a 10,000-row list (benchmarks/import_participants.py)."""
import io
import posixpath
import zipfile
from xml.parsers import expat

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.cell import column_index_from_string
from openpyxl.utils.datetime import MAC_EPOCH, WINDOWS_EPOCH, from_excel, from_ISO8601

from .tabular_base import TableError, clean_cell

CHUNK = 64 * 1024
MAX_TOKEN = 1024 * 1024  # a tag, comment or attribute this long is no spreadsheet: expat would hold it whole
MAX_SHEETS = 1_000  # sheets looked through for the first worksheet
MAX_STYLES = 65_536  # cell formats read (Excel allows 64,000); cells of others read as plain numbers
MAX_NAME = 255  # ids, paths and number formats longer than this are no Excel's (its formats stop at 255)
TOO_LONG = object()  # a shared string past the cell limit: an error only where a cell shows it
RELATIONSHIP_ID = "http://schemas.openxmlformats.org/officeDocument/2006/relationships id"
MAIN_NAMESPACE = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRICT_NAMESPACE = "http://purl.oclc.org/ooxml/spreadsheetml/main"


def xlsx_rows(data, max_columns, budget):
    """(row number, [cell texts]) of the rows of the workbook's first worksheet that hold something, in order.
    `budget` (tabular.TextBudget) counts the text kept and the elements read, and raises past a limit."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    sheet, strings, styles, epoch = _workbook(archive, budget)
    shared = _shared_strings(archive, strings, budget) if strings else []
    dates, durations = _date_styles(archive, styles, budget) if styles else (frozenset(), frozenset())
    reader = _SheetReader(max_columns, budget, shared, dates, durations, epoch)
    last = 0
    for _ in _feed(archive, sheet, reader.handlers(), budget):
        for number, cells in reader.take_rows():
            if number > last:  # a row numbered before the last one is skipped, as openpyxl does
                last = number
                yield number, cells


def _feed(archive, name, handlers, budget):
    """Parse the member `name` with expat in chunks, yielding after each so rows found so far can be handed out.
    Every element counts against the budget: a small file of millions of empty elements costs no more time."""
    start, end, text = handlers

    def counted(element, attrs):
        budget.elements_left -= 1
        if budget.elements_left < 0:
            raise budget.too_many_elements()
        start(element, attrs)

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text, parser.buffer_size = True, CHUNK
    parser.StartDoctypeDeclHandler = _refuse  # no DTD, so no entity can expand
    parser.StartElementHandler, parser.EndElementHandler, parser.CharacterDataHandler = counted, end, text
    fed = 0
    with archive.open(name) as source:
        while chunk := source.read(CHUNK):
            parser.Parse(chunk, False)
            fed += len(chunk)
            if fed - parser.CurrentByteIndex > MAX_TOKEN:  # expat buffers an unfinished tag whole
                raise TableError("broken_xlsx")
            yield
    parser.Parse(b"", True)
    yield


def _parse(archive, name, budget, start, end=None, text=None):
    for _ in _feed(archive, name, (start, end, text), budget):
        pass


def _refuse(*_args):
    raise TableError("broken_xlsx")


def _local(name):
    return name.rpartition(" ")[2]


def _workbook(archive, budget):
    """(first worksheet's part, shared strings' part or None, styles' part or None, date epoch)."""
    sheets, properties = [], {}

    def start(element, attrs):
        local = _local(element)
        if local == "sheet" and len(sheets) < MAX_SHEETS and len(attrs.get(RELATIONSHIP_ID, "")) <= MAX_NAME:
            sheets.append(attrs.get(RELATIONSHIP_ID))
        elif local == "workbookPr":
            properties["date1904"] = attrs.get("date1904", "0")[:5].lower()

    _parse(archive, "xl/workbook.xml", budget, start)
    targets = _relationships(archive, "xl/_rels/workbook.xml.rels", set(sheets), budget)
    names = set(archive.namelist())
    sheet = next((targets[rid][1] for rid in sheets if rid in targets and targets[rid][1] in names
                  and targets[rid][0] == "worksheet"), None)
    if sheet is None:
        raise TableError("broken_xlsx")
    parts = {kind: path for kind, path in targets.values() if path in names}
    strings = parts.get("sharedStrings", "xl/sharedStrings.xml" if "xl/sharedStrings.xml" in names else None)
    styles = parts.get("styles", "xl/styles.xml" if "xl/styles.xml" in names else None)
    epoch = MAC_EPOCH if properties.get("date1904", "0") not in ("false", "f", "0", "") else WINDOWS_EPOCH
    return sheet, strings, styles, epoch


def _relationships(archive, name, wanted, budget):
    """Id → (kind, part path) of the wanted relationships and of the first shared strings and styles; targets
    are resolved against the xl/ folder."""
    found, kinds = {}, set()

    def start(element, attrs):
        rid, kind, target = attrs.get("Id"), attrs.get("Type", "").rpartition("/")[2], attrs.get("Target", "")
        if _local(element) != "Relationship" or len(target) > MAX_NAME:
            return
        if rid in wanted or (kind in ("sharedStrings", "styles") and kind not in kinds):
            kinds.add(kind)
            path = target[1:] if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
            found[rid if rid in wanted else kind] = (kind, path)

    if name in archive.namelist():
        _parse(archive, name, budget, start)
    return found


def _date_styles(archive, name, budget):
    """(cell style indexes whose number format shows a date or time, those showing a duration), as openpyxl
    reads them: a custom format's code, else the built-in one of its id."""
    custom, formats, inside = {}, [], [0]

    def start(element, attrs):
        local = _local(element)
        if local == "numFmt" and len(custom) < MAX_STYLES and len(attrs.get("formatCode", "")) <= MAX_NAME:
            custom[attrs.get("numFmtId", "")[:MAX_NAME]] = attrs.get("formatCode")
        elif local == "cellXfs":
            inside[0] += 1
        elif local == "xf" and inside[0] and len(formats) < MAX_STYLES:
            number = attrs.get("numFmtId", "0")
            formats.append(custom.get(number) or BUILTIN_FORMATS.get(int(number) if number.isdigit() else -1))

    def end(element):
        if _local(element) == "cellXfs":
            inside[0] -= 1

    _parse(archive, name, budget, start, end)
    return (frozenset(i for i, code in enumerate(formats) if is_date_format(code)),
            frozenset(i for i, code in enumerate(formats) if is_timedelta_format(code)))


def _shared_strings(archive, name, budget):
    """The workbook's shared strings; one longer than a cell may hold becomes TOO_LONG, its text never kept."""
    strings, state = [], {"parts": [], "length": 0, "capture": False, "phonetic": 0}

    def start(element, _attrs):
        local = _local(element)
        if local == "si":
            state.update(parts=[], length=0)
        elif local == "rPh":
            state["phonetic"] += 1
        elif local == "t" and not state["phonetic"]:
            state["capture"] = True

    def end(element):
        local = _local(element)
        if local == "si":
            text = TOO_LONG if state["parts"] is None else "".join(state["parts"]).replace("x005F_", "")
            budget.spend_shared(text)
            strings.append(text)
        elif local == "rPh":
            state["phonetic"] -= 1
        elif local == "t":
            state["capture"] = False

    def text(data):
        if state["capture"] and state["parts"] is not None:
            state["length"] += len(data)
            if state["length"] > budget.max_cell:
                state["parts"] = None
            else:
                state["parts"].append(data)

    _parse(archive, name, budget, start, end, text)
    return strings


class _SheetReader:
    """expat handlers that turn a worksheet's XML into rows of cell texts, as openpyxl's read-only mode reads them
    with data_only (a formula shows its last computed value)."""

    def __init__(self, max_columns, budget, shared, dates, durations, epoch):
        self.max_columns, self.budget, self.shared = max_columns, budget, shared
        self.dates, self.durations, self.epoch = dates, durations, epoch
        self.ready, self.number, self.cells, self.column = [], 0, {}, 0
        self.kind, self.style, self.parts, self.length = "n", 0, [], 0
        self.capture, self.inline, self.phonetic = False, False, 0

    def handlers(self):
        return self.start, self.end, self.text

    def take_rows(self):
        rows, self.ready = self.ready, []
        return rows

    def start(self, name, attrs):
        handler = _SHEET_STARTS.get(name)
        if handler is not None:
            handler(self, attrs)

    def end(self, name):
        handler = _SHEET_ENDS.get(name)
        if handler is not None:
            handler(self)

    def start_row(self, attrs):
        self.number = _row_number(attrs.get("r"), self.number)
        self.cells, self.column = {}, 0

    def start_cell(self, attrs):
        reference = attrs.get("r")
        self.column = column_index_from_string(reference.rstrip("0123456789")) if reference else self.column + 1
        self.kind, self.parts, self.length = attrs.get("t", "n"), [], 0
        style = attrs.get("s")
        self.style = int(style) if style else 0

    def start_value(self, _attrs):
        self.capture = self.kind != "inlineStr"

    def start_text(self, _attrs):
        self.capture = self.inline and not self.phonetic

    def start_inline(self, _attrs):
        self.inline = True

    def start_phonetic(self, _attrs):
        self.phonetic += 1

    def end_row(self):
        if self.cells:  # a row holding nothing is not handed out: its number says enough
            width = max(self.cells)
            self.ready.append((self.number, [self.cells.get(column, "") for column in range(1, width + 1)]))

    def end_text(self):
        self.capture = False

    def end_inline(self):
        self.inline = False

    def end_phonetic(self):
        self.phonetic -= 1

    def text(self, data):
        if self.capture and self.column <= self.max_columns:
            self.length += len(data)
            if self.length > self.budget.max_cell:
                raise self.budget.cell_too_long(self.number, self.column)
            self.parts.append(data)

    def end_cell(self):
        if self.column > self.max_columns:
            return
        text = cell_text(self.value("".join(self.parts)))
        if text:
            self.budget.spend(text, self.number, self.column)
            self.cells[self.column] = text

    def value(self, text):
        """The cell's value as openpyxl gives it: numbers, dates by their style, booleans, shared strings."""
        kind = self.kind
        if kind in ("inlineStr", "str", "e"):
            return text
        if not text:
            return None
        if kind == "s":
            value = self.shared[int(text)]
            if value is TOO_LONG:
                raise self.budget.cell_too_long(self.number, self.column)
            return value
        if kind == "b":
            return bool(int(text))
        if kind == "d":
            return from_ISO8601(text)
        return self.number_value(text)

    def number_value(self, text):
        number = float(text) if "." in text or "E" in text or "e" in text else int(text)
        if self.style not in self.dates:
            return number
        try:
            return from_excel(number, self.epoch, timedelta=self.style in self.durations)
        except (OverflowError, ValueError):
            return "#VALUE!"


def _by_name(handlers):
    """Handlers by the element's full name as expat gives it: in the main namespace (transitional or strict), or in
    none; the sheet's millions of elements are dispatched without splitting their names."""
    return {f"{namespace}{local}": handler for local, handler in handlers.items()
            for namespace in (MAIN_NAMESPACE + " ", STRICT_NAMESPACE + " ", "")}


_SHEET_STARTS = _by_name({"row": _SheetReader.start_row, "c": _SheetReader.start_cell, "v": _SheetReader.start_value,
                          "t": _SheetReader.start_text, "is": _SheetReader.start_inline,
                          "rPh": _SheetReader.start_phonetic})
_SHEET_ENDS = _by_name({"row": _SheetReader.end_row, "c": _SheetReader.end_cell, "v": _SheetReader.end_text,
                        "t": _SheetReader.end_text, "is": _SheetReader.end_inline, "rPh": _SheetReader.end_phonetic})


def _row_number(attribute, previous):
    if not attribute:
        return previous + 1
    number = float(attribute)
    if not number.is_integer():
        raise TableError("broken_xlsx")
    return int(number)


def cell_text(value):
    """A cell's value as the text the import reads: whole numbers without ".0", dates in ISO 8601."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return clean_cell(value)
