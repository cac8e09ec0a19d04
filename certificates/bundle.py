"""The bulk download: certificate PDFs named by country and surname, with a register of serials and codes (pure)."""
import io
import re
import unicodedata
import zipfile

from training.exporting import csv_bytes


def slug(text, limit=40):
    """ASCII letters, digits and hyphens: 'Núñez Peña' → 'Nunez-Pena' (file names every system accepts)."""
    ascii_text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-")[:limit].strip("-") or "x"


def pdf_name(delegation, family_names, given_names, serial):
    """'MX_Nunez-Pena_Jose-Angel_CRM-CE-2021-0042.pdf': sorts by country, then surname; the serial keeps it unique.
    An observer organization goes by the acronym it ends with, '… Refugiados (ACNUR)' → 'ACNUR'."""
    acronym = re.search(r"\(([^()]{2,24})\)\s*$", delegation or "")
    where = acronym.group(1) if acronym else delegation
    return f"{slug(where, 24)}_{slug(family_names)}_{slug(given_names)}_{slug(serial, 60)}.pdf"


def zip_bytes(files, register_name, register_headers, register_rows, separator=","):
    """A ZIP of (name, PDF bytes) and the register as a CSV. PDFs are stored as they are: they are compressed
    already, and deflating them again costs time for nothing. `separator` splits the register's columns."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in sorted(files):
            archive.writestr(name, content, compress_type=zipfile.ZIP_STORED)
        archive.writestr(register_name, csv_bytes(register_headers, register_rows, separator=separator),
                         compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()
