"""Bytes of the files people upload, as the tests need them: lists as Excel saves them, text that breaks its own
encoding, and XLSX workbooks built by hand (small files that expand into huge text). Pure: no app."""
import io
import zipfile

import openpyxl


def csv_bytes(rows, delimiter=";", encoding="cp1252", bom=b""):
    lines = []
    for row in rows:
        cells = [f'"{cell}"' if delimiter in cell or "," in cell else cell for cell in row]
        lines.append(delimiter.join(cells))
    return bom + ("\r\n".join(lines) + "\r\n\r\n" + delimiter * 2 + "\r\n").encode(encoding)


def xlsx_bytes(rows):
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# Bytes that claim an encoding and then break it, as a careless or hostile upload holds them.
HEADER_UTF16LE = "Nombre;Apellidos;Correo\r\n".encode("utf-16-le")
BAD_ENCODINGS = {
    "UTF-16 BOM, lone surrogate": (b"\xff\xfe" + HEADER_UTF16LE + b"\x00\xd8\x41", "UTF-16", 2),
    "UTF-16 BOM, lone surrogate mid-row": (
        b"\xff\xfe" + HEADER_UTF16LE + "Ana;".encode("utf-16-le") + b"\x00\xd8" + "Ríos;a@x.org\r\n"
        .encode("utf-16-le"), "UTF-16", 2),
    "UTF-16 big-endian BOM, lone surrogate": (
        b"\xfe\xff" + "Nombre;Correo\r\n".encode("utf-16-be") + b"\xdc\x00\x00\x41", "UTF-16", 2),
    "UTF-16 BOM, odd length": (b"\xff\xfe" + HEADER_UTF16LE + "Ana;a@x.org".encode("utf-16-le") + b"A", "UTF-16", 2),
    "UTF-8 BOM, invalid byte": (b"\xef\xbb\xbfNombre;Correo\r\nAna;a@x.org\r\nLuz;\xff@x.org\r\n", "UTF-8", 3),
    "UTF-8 BOM, truncated sequence": (b"\xef\xbb\xbfNombre;Correo\r\nPe\xc3", "UTF-8", 2),
}


# --- XLSX built by hand -----------------------------------------------------------------------------------------

MAIN = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
SPREADSHEETML = "application/vnd.openxmlformats-officedocument.spreadsheetml"
TYPES = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
         'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
         'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
         f'<Override PartName="/xl/workbook.xml" ContentType="{SPREADSHEETML}.sheet.main+xml"/>'
         f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{SPREADSHEETML}.worksheet+xml"/>%s</Types>')
SHARED_TYPE = f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SPREADSHEETML}.sharedStrings+xml"/>'
WORKBOOK = (f'<?xml version="1.0" encoding="UTF-8"?><workbook {MAIN} xmlns:r="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships"><sheets><sheet name="Hoja1" sheetId="1" r:id="rId1"/></sheets>'
            '</workbook>')
RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.'
        'openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
        '</Relationships>')
MB = 1024 * 1024


def workbook(sheet, shared=None, workbook_xml=WORKBOOK):
    """An XLSX built by hand: `sheet` and `shared` are the XML of the worksheet and of the shared strings, as bytes
    or as an iterable of byte chunks (compressed as they are written, so a test never holds the expanded text)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", TYPES % (SHARED_TYPE if shared is not None else ""))
        archive.writestr("xl/workbook.xml", workbook_xml)
        archive.writestr("xl/_rels/workbook.xml.rels", RELS)
        for name, content in (("xl/worksheets/sheet1.xml", sheet), ("xl/sharedStrings.xml", shared)):
            if content is not None:
                with archive.open(name, "w", force_zip64=True) as part:
                    for chunk in ([content] if isinstance(content, bytes) else content):
                        part.write(chunk)
    return buffer.getvalue()


def sheet_xml(*rows):
    """A worksheet whose rows are given as XML text (the <c> elements)."""
    body = "".join(f"<row>{cells}</row>" for cells in rows)
    return f'<?xml version="1.0" encoding="UTF-8"?><worksheet {MAIN}><sheetData>{body}</sheetData></worksheet>'.encode()


def inline(text):
    return f'<c t="inlineStr"><is><t>{text}</t></is></c>'


def repeated(head, piece, times, tail):
    """`head`, then `piece` `times` times, then `tail`: the expanded text of a bomb, produced a piece at a time."""
    yield head
    for _ in range(times):
        yield piece
    yield tail


HEADER_ROW = inline("Nombre") + inline("Correo")
SHEET_HEAD = f'<?xml version="1.0"?><worksheet {MAIN}><sheetData><row r="1">{HEADER_ROW}</row>'.encode()
SHEET_TAIL = b"</sheetData></worksheet>"


def huge_inline_cell(megabytes=150):
    """The audit's file: ~155 KB holding one inline-string cell of 150 MB."""
    return workbook(repeated(SHEET_HEAD + b'<row r="2"><c r="A2" t="inlineStr"><is><t>', b"A" * MB, megabytes,
                             b"</t></is></c></row>" + SHEET_TAIL))


def huge_shared_string(megabytes=150, shown=True):
    """A 150 MB shared string, shown in B2 (or by no cell)."""
    cells = '<c r="A2" t="s"><v>0</v></c>' + ('<c r="B2" t="s"><v>1</v></c>' if shown else "")
    shared = repeated(f"<sst {MAIN}><si><t>Ana</t></si><si><t>".encode(), b"A" * MB, megabytes, b"</t></si></sst>")
    return workbook(SHEET_HEAD + f'<row r="2">{cells}</row>'.encode() + SHEET_TAIL, shared)
