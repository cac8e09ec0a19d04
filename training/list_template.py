"""The participant-list template: an XLSX with the import's columns, drop-down lists of allowed values, and notes."""
import io
from dataclasses import dataclass

ROWS = 500  # rows the drop-down lists cover: more than any delegation's quota


@dataclass(frozen=True)
class TemplateColumn:
    header: str  # a header the importer recognizes, in the template's language
    note: str  # what to write in it
    required: bool = False
    choices: tuple = ()  # the values the importer accepts: a drop-down list


@dataclass(frozen=True)
class ListTemplate:
    columns: tuple
    sheet_title: str  # the first sheet (the importer reads the first one): the people
    notes_title: str
    lists_title: str  # a hidden sheet holding the drop-down lists' values
    notes_headers: tuple  # (column, required, what to write, allowed values)
    intro: str  # the notes sheet's first line
    yes: str
    choose_message: str  # shown when a typed value is not in a drop-down list


def template_bytes(template):
    """The template as XLSX bytes: every cell a string (a name starting with "=" is never evaluated)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    people = workbook.active
    people.title = _sheet_name(template.sheet_title)
    for number, column in enumerate(template.columns, start=1):
        _text(people.cell(row=1, column=number), column.header).font = Font(bold=True)
        people.column_dimensions[_letter(number)].width = max(16, len(column.header) + 4)
    people.freeze_panes = "A2"
    lists = workbook.create_sheet(_sheet_name(template.lists_title))
    _add_drop_downs(template, people, lists)
    lists.sheet_state = "hidden"
    notes = workbook.create_sheet(_sheet_name(template.notes_title))
    _text(notes.cell(row=1, column=1), template.intro).font = Font(bold=True)
    for number, header in enumerate(template.notes_headers, start=1):
        _text(notes.cell(row=3, column=number), header).font = Font(bold=True)
    for row, column in enumerate(template.columns, start=4):
        for number, value in enumerate((column.header, template.yes if column.required else "", column.note,
                                        "; ".join(column.choices)), start=1):
            _text(notes.cell(row=row, column=number), value).alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCD", (24, 12, 60, 60), strict=True):
        notes.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _add_drop_downs(template, people, lists):
    from openpyxl.worksheet.datavalidation import DataValidation

    list_column = 0
    for number, column in enumerate(template.columns, start=1):
        if not column.choices:
            continue
        list_column += 1
        for row, value in enumerate(column.choices, start=1):
            _text(lists.cell(row=row, column=list_column), value)
        # A range on another sheet, not an inline list: inline lists break on commas and stop at 255 characters.
        source = f"{_quoted(lists.title)}!${_letter(list_column)}$1:${_letter(list_column)}${len(column.choices)}"
        validation = DataValidation(type="list", formula1=source, allow_blank=True, showErrorMessage=True,
                                    error=template.choose_message, errorStyle="stop")
        people.add_data_validation(validation)
        validation.add(f"{_letter(number)}2:{_letter(number)}{ROWS + 1}")


def _text(cell, value):
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    cell.value = ILLEGAL_CHARACTERS_RE.sub("", value or "")
    cell.data_type = "s"
    return cell


def _letter(number):
    from openpyxl.utils import get_column_letter

    return get_column_letter(number)


def _sheet_name(title):
    """A valid sheet name: Excel refuses []:*?/\\ and more than 31 characters."""
    return "".join(" " if character in "[]:*?/\\" else character for character in title)[:31] or "Sheet"


def _quoted(title):
    return "'" + title.replace("'", "''") + "'"
