"""Reading XLSX uploads with bounded memory (pure modules, no app): what openpyxl reads, read the same; a small file
that expands into huge text, endless tags or millions of cells stops with its reason before it fills memory."""
import datetime
import io
import tracemalloc
import zipfile

import openpyxl
import pytest
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.utils.datetime import MAC_EPOCH

from tests.upload_files import (
    HEADER_ROW,
    MAIN,
    MB,
    SHEET_HEAD,
    SHEET_TAIL,
    WORKBOOK,
    huge_inline_cell,
    huge_shared_string,
    inline,
    repeated,
    sheet_xml,
    workbook,
)
from training.tabular import MAX_CELL_CHARS, TableError, read_table, table_rows

# --- the same values openpyxl reads ----------------------------------------------------------------------------


def openpyxl_rows(data):
    """What the import read through openpyxl before (read-only, cached values, 100 columns), trailing blanks cut."""
    from training.xlsx_stream import cell_text

    sheet = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
    rows = [(number, [cell_text(value) for value in row])
            for number, row in enumerate(sheet.iter_rows(values_only=True, max_col=100), start=1)]
    return [(number, _trimmed(cells)) for number, cells in rows if any(cells)]


def _trimmed(cells):
    while cells and not cells[-1]:
        cells = cells[:-1]
    return cells


def saved(workbook_object):
    buffer = io.BytesIO()
    workbook_object.save(buffer)
    return buffer.getvalue()


def test_values_read_as_openpyxl_reads_them():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Nombre(s)", "Fecha", "Hora", "Duración", "Número", "Decimal", "Sí/No", "Fórmula", "Nota"])
    sheet.append(["José Ángel", datetime.datetime(2026, 3, 3, 14, 5), datetime.time(9, 30), None, 42, 0.5, True,
                  "=1+1", "tab\there\nline"])
    sheet.append([])
    sheet.append(["Zoë Côté", datetime.date(2026, 2, 11), None, datetime.timedelta(minutes=95), 3.0, -1e-7, False])
    sheet["D4"].number_format = "[h]:mm:ss"
    sheet["J2"] = CellRichText(["en ", TextBlock(InlineFont(b=True), "negrita")])
    sheet.cell(row=7, column=100, value="última columna leída")
    sheet.cell(row=7, column=101, value="nunca leída")
    data = saved(book)
    rows = [(number, _trimmed(cells)) for number, cells in table_rows(data) if any(cells)]
    assert rows == openpyxl_rows(data)
    assert rows[1] == (2, ["José Ángel", "2026-03-03T14:05:00", "09:30:00", "", "42", "0.5", "True", "",
                           "tab here line", "en negrita"])
    assert rows[2][1][3] == "1:35:00" and rows[3] == (7, [""] * 99 + ["última columna leída"])


def test_a_workbook_of_the_1904_calendar_and_a_hidden_first_sheet():
    book = openpyxl.Workbook()
    book.epoch = MAC_EPOCH
    book.active.sheet_state = "hidden"  # openpyxl (and so the import) reads the first worksheet, hidden or not
    book.active.append(["Fecha"])
    book.active.append([datetime.date(2026, 2, 11)])
    book.create_sheet("Otra").append(["nunca leída"])
    data = saved(book)
    assert [cells for _number, cells in table_rows(data)] == [["Fecha"], ["2026-02-11T00:00:00"]]
    assert [(n, _trimmed(c)) for n, c in table_rows(data)] == openpyxl_rows(data)


def test_cells_and_rows_without_references_and_numbered_rows_with_gaps():
    sheet = (f'<?xml version="1.0"?><worksheet {MAIN}><sheetData>'
             f'<row>{inline("a")}{inline("b")}</row>'
             f'<row r="5"><c r="C5" t="inlineStr"><is><t>c</t></is></c>{inline("d")}</row>'
             f'<row><c t="s"><v>0</v></c><c t="str"><v>calculado</v></c><c t="e"><v>#N/A</v></c></row>'
             '</sheetData></worksheet>').encode()
    shared = (f"<sst {MAIN}><si><r><t>ri</t></r><r><t>co</t></r><rPh sb='0' eb='1'><t>fonética</t></rPh></si>"
              "</sst>").encode()
    data = workbook(sheet, shared)
    assert list(table_rows(data)) == [(1, ["a", "b"]), (5, ["", "", "c", "d"]), (6, ["rico", "calculado", "#N/A"])]
    assert [(n, _trimmed(c)) for n, c in table_rows(data)] == openpyxl_rows(data)
    table = read_table(data)
    assert table.kind == "xlsx" and table.rows == [(5, ["", "", "c", "d"]), (6, ["rico", "calculado", "#N/A"])]


# --- hostile workbooks -------------------------------------------------------------------------------------------


def peak_megabytes(action):
    """What `action()` allocated at its peak (Python's own allocations, expat's and zlib's included)."""
    tracemalloc.start()
    try:
        action()
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak / MB


def refusal(data, **options):
    with pytest.raises(TableError) as error:
        read_table(data, **options)
    return error.value.code, error.value.details


def test_a_150_mb_inline_cell_stops_at_the_cell_limit_without_filling_memory():
    data = huge_inline_cell()
    assert len(data) < 200 * 1024
    assert peak_megabytes(lambda: refusal(data)) < 10
    assert refusal(data) == ("cell_too_long", {"row": 2, "column": "A", "limit": MAX_CELL_CHARS})
    with pytest.raises(TableError):  # the privacy search reads with the same limits
        list(table_rows(data))


def test_a_150_mb_shared_string_is_never_kept_and_refused_where_a_cell_shows_it():
    data = huge_shared_string()
    assert peak_megabytes(lambda: refusal(data)) < 10
    assert refusal(data) == ("cell_too_long", {"row": 2, "column": "B", "limit": MAX_CELL_CHARS})
    unused = huge_shared_string(megabytes=2, shown=False)
    assert read_table(unused).rows == [(2, ["Ana", ""])]


def test_a_cell_as_long_as_excel_allows_is_read():
    text = "é" * MAX_CELL_CHARS
    assert read_table(workbook(sheet_xml(HEADER_ROW, inline(text)))).rows == [(2, [text, ""])]


@pytest.mark.parametrize("name, data", [
    ("400 cells of 30,000 characters", workbook(repeated(SHEET_HEAD, ("<row>" + inline("x" * 30_000) + "</row>")
                                                         .encode(), 400, SHEET_TAIL))),
    ("20,000 rows of 100 numbers", workbook(repeated(SHEET_HEAD, b"<row>" + b"<c><v>12</v></c>" * 100 + b"</row>",
                                                     20_000, SHEET_TAIL))),
    ("5 million empty shared strings", workbook(SHEET_HEAD + SHEET_TAIL,
                                                repeated(f"<sst {MAIN}>".encode(), b"<si/>" * 1000, 5000, b"</sst>"))),
    ("400 shared strings of 30,000 characters", workbook(SHEET_HEAD + SHEET_TAIL, repeated(
        f"<sst {MAIN}>".encode(), b"<si><t>" + b"x" * 30_000 + b"</t></si>", 400, b"</sst>"))),
])
def test_more_text_than_a_file_may_hold_stops_the_reading(name, data):
    assert len(data) < 1024 * 1024
    assert refusal(data) == ("too_much_text", {"limit": 10})


def test_a_csv_cell_longer_than_a_spreadsheet_cell_is_named():
    data = b"Nombre;Correo\r\nAna;a@x.org\r\nLuz;" + b"x" * (MAX_CELL_CHARS + 1) + b"\r\n"
    assert refusal(data) == ("cell_too_long", {"row": 3, "column": "B", "limit": MAX_CELL_CHARS})


def _zip_of(names_and_contents):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in names_and_contents:
            archive.writestr(name, content)
    return buffer.getvalue()


DAMAGED = {
    "an endless attribute": workbook(repeated(SHEET_HEAD + b'<row r="2"><c r="A2" t="', b"A" * MB, 20,
                                              b'"/></row>' + SHEET_TAIL)),
    "an endless comment": workbook(repeated(SHEET_HEAD + b"<!--", b"A" * MB, 20, b"-->" + SHEET_TAIL)),
    "an endless tag name": workbook(repeated(SHEET_HEAD + b"<", b"A" * MB, 20, b"/>" + SHEET_TAIL)),
    "a document type": workbook(b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>' + sheet_xml(HEADER_ROW)[21:]),
    "XML cut short": workbook(sheet_xml(HEADER_ROW)[:-30]),
    "a shared string that does not exist": workbook(sheet_xml('<c t="s"><v>7</v></c>'), f"<sst {MAIN}/>".encode()),
    "a number that is none": workbook(sheet_xml("<c><v>doce</v></c>")),
    "a fractional row number": workbook(f'<worksheet {MAIN}><sheetData><row r="1.5">{HEADER_ROW}</row></sheetData>'
                                        "</worksheet>".encode()),
    "no worksheet": workbook(sheet_xml(HEADER_ROW), workbook_xml=f"<workbook {MAIN}><sheets/></workbook>"),
    "a workbook cut in half": workbook(sheet_xml(HEADER_ROW, inline("Ana")))[:300],
    "a zip holding a workbook part only": _zip_of([("xl/workbook.xml", WORKBOOK)]),
    "an encrypted-looking member": _zip_of([("xl/workbook.xml", "<workbook")]),
}


@pytest.mark.parametrize("data", DAMAGED.values(), ids=DAMAGED.keys())
def test_damaged_workbooks_are_broken_xlsx_without_filling_memory(data):
    assert peak_megabytes(lambda: refusal(data)) < 10
    assert refusal(data)[0] == "broken_xlsx"


def test_a_row_numbered_far_away_is_too_many_rows_at_once():
    data = workbook(f'<worksheet {MAIN}><sheetData><row r="1">{HEADER_ROW}</row><row r="999999999">'
                    f'{inline("x")}</row></sheetData></worksheet>'.encode())
    assert refusal(data, max_rows=20_000) == ("too_many_rows", {"limit": 20_000})
    assert list(table_rows(data))[-1] == (999_999_999, ["x"])  # a search reads it without counting the rows between


def test_millions_of_empty_elements_stop_at_the_element_limit():
    # 40 KB that expand into 10 million empty cells past the columns read: no text, but each costs time to parse.
    data = workbook(repeated(SHEET_HEAD + b"<row>", b"<c/>" * 100_000, 100, b"</row>" + SHEET_TAIL))
    assert len(data) < 200 * 1024
    assert refusal(data) == ("too_many_cells", {"limit": 3})
