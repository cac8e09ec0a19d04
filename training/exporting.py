"""Write tables as CSV (UTF-8 with BOM, for Excel) and XLSX, with formula-like cells made inert."""
import csv
import io

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


def neutralize(value):
    """Prefix a cell a spreadsheet would evaluate with an apostrophe; Excel and LibreOffice then show it as text."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_bytes(headers, rows):
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=",", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow([neutralize(cell) for cell in headers])
    writer.writerows([neutralize(cell) for cell in row] for row in rows)
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def xlsx_bytes(headers, rows, sheet_title="Data"):
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title[:31])
    bold = Font(bold=True)

    def text_cell(value, font=None):
        # Control characters are illegal in XLSX XML; one stray byte must not break the whole export.
        cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", "" if value is None else str(value)))
        cell.data_type = "s"  # a string cell is never evaluated, whatever it starts with
        if font:
            cell.font = font
        return cell

    sheet.append([text_cell(header, bold) for header in headers])
    for row in rows:
        sheet.append([text_cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


MIMETYPES = {"csv": "text/csv; charset=utf-8",
             "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def table_bytes(file_format, headers, rows, sheet_title="Data"):
    """The table as a CSV or an XLSX file, by `file_format`."""
    return xlsx_bytes(headers, rows, sheet_title) if file_format == "xlsx" else csv_bytes(headers, rows)
