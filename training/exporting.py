"""Write tables as CSV (UTF-8 with BOM, for Excel) and XLSX, with formula-like cells made inert."""
import csv
import io
import math
import re

SHEET_NAME_REFUSES = re.compile(r"[\\/*?:\[\]]")  # characters Excel does not allow in a sheet's name
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


def neutralize(value):
    """Prefix a cell a spreadsheet would evaluate with an apostrophe; Excel and LibreOffice then show it as text."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def is_number(value):
    """Whether `value` is a finite int or float (not a bool): a cell that can only ever be read as a number."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


# Excel splits a double-clicked CSV by the list separator of the reader's locale: ";" where the decimal mark is a
# comma (Spanish, Portuguese, French), "," in English locales.
SEPARATORS = {"semicolon": ";", "comma": ","}
SEMICOLON_LANGUAGES = ("es", "pt", "fr")


def default_separator(language):
    """The separator name ("semicolon" or "comma") Excel expects in the locale of `language`."""
    return "semicolon" if (language or "")[:2] in SEMICOLON_LANGUAGES else "comma"


def separator_for(choice, language):
    """The delimiter character: `choice` ("semicolon"/"comma") when it is one, else the default for `language`."""
    return SEPARATORS.get(choice) or SEPARATORS[default_separator(language)]


def csv_bytes(headers, rows, numbers=False, separator=","):
    """The table as CSV split by `separator`; with `numbers`, int and float cells are written as they are (a number
    is never a formula, and a negative one must stay a number), every other cell neutralized. Split by ";", a
    decimal number takes a comma: where Excel splits by ";" the point separates thousands (12.5 would not be
    twelve and a half)."""
    decimal_comma = separator == ";"

    def cell(value):
        if not (numbers and is_number(value)):
            return neutralize(value)
        return str(value).replace(".", ",") if decimal_comma and isinstance(value, float) else str(value)

    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=separator, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow([neutralize(header) for header in headers])
    writer.writerows([cell(value) for value in row] for row in rows)
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def xlsx_bytes(headers, rows, sheet_title="Data", numbers=False):
    """The table as XLSX, every cell a string (never evaluated); with `numbers`, int and float cells are numbers."""
    return xlsx_book_bytes([(sheet_title, headers, rows)], numbers)


def xlsx_book_bytes(sheets, numbers=False):
    """[(title, headers, rows)] as one XLSX workbook, one sheet each, cells as xlsx_bytes writes them."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for sheet_title, headers, rows in sheets:
        title = ILLEGAL_CHARACTERS_RE.sub("", str(sheet_title))
        sheet = workbook.create_sheet(SHEET_NAME_REFUSES.sub(" ", title)[:31])

        def text_cell(value, font=None, sheet=sheet):
            # Control characters are illegal in XLSX XML; one stray byte must not break the whole export.
            cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", "" if value is None else str(value)))
            cell.data_type = "s"  # a string cell is never evaluated, whatever it starts with
            if font:
                cell.font = font
            return cell

        def cell(value, sheet=sheet, text_cell=text_cell):
            return WriteOnlyCell(sheet, value=value) if numbers and is_number(value) else text_cell(value)

        sheet.append([text_cell(header, bold) for header in headers])
        for row in rows:
            sheet.append([cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


MIMETYPES = {"csv": "text/csv; charset=utf-8",
             "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def table_bytes(file_format, headers, rows, sheet_title="Data", numbers=False, separator=","):
    """The table as a CSV (split by `separator`) or an XLSX file, by `file_format` (`numbers`: see csv_bytes)."""
    if file_format == "xlsx":
        return xlsx_bytes(headers, rows, sheet_title, numbers)
    return csv_bytes(headers, rows, numbers, separator)
