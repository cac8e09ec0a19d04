"""The pure helpers behind certificates: uploaded images checked and normalized, bulk-download names and the ZIP."""
import io
import zipfile

import pytest
from PIL import Image

from certificates.bundle import pdf_name, slug, zip_bytes
from certificates.images import MAX_SIDE, ImageProblem, normalized_png


def image_bytes(fmt, size=(40, 20), mode="RGB"):
    out = io.BytesIO()
    Image.new(mode, size, (200, 30, 30) if mode == "RGB" else (200, 30, 30, 128)).save(out, format=fmt)
    return out.getvalue()


@pytest.mark.parametrize("fmt, mode", [("PNG", "RGB"), ("PNG", "RGBA"), ("JPEG", "RGB")])
def test_png_and_jpeg_become_png_keeping_transparency(fmt, mode):
    result = Image.open(io.BytesIO(normalized_png(image_bytes(fmt, mode=mode))))
    assert result.format == "PNG" and result.size == (40, 20)
    assert result.mode == ("RGBA" if mode == "RGBA" else "RGB")


def test_large_images_are_scaled_down_to_the_side_limit():
    result = Image.open(io.BytesIO(normalized_png(image_bytes("PNG", size=(3000, 1000)))))
    assert result.size == (MAX_SIDE, MAX_SIDE // 3)


@pytest.mark.parametrize("data, code", [
    (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "not_an_image"),
    (b"%PDF-1.7 not an image", "not_an_image"),
    (image_bytes("GIF"), "wrong_format"),
    (image_bytes("BMP"), "wrong_format"),
    (image_bytes("PNG")[:60], "not_an_image"),  # truncated
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00", "not_an_image"),  # a header cut inside IHDR
    (b"\x89PNG" + b"0" * (2 * 1024 * 1024), "too_large"),
])
def test_anything_else_is_refused_with_its_reason(data, code):
    with pytest.raises(ImageProblem) as problem:
        normalized_png(data)
    assert problem.value.code == code


def test_a_decompression_bomb_is_refused_before_it_is_decoded():
    out = io.BytesIO()
    Image.new("1", (5000, 5000)).save(out, format="PNG")  # tiny file, 25 million pixels
    assert len(out.getvalue()) < 2 * 1024 * 1024
    with pytest.raises(ImageProblem) as problem:
        normalized_png(out.getvalue())
    assert problem.value.code == "too_large"


@pytest.mark.parametrize("text, expected", [("Núñez Peña", "Nunez-Pena"), ("O'Connor  Ångström", "O-Connor-Angstrom"),
                                            ("../../etc/passwd", "etc-passwd"), ("李", "x"), ("", "x")])
def test_slugs_are_safe_ascii_file_names(text, expected):
    assert slug(text) == expected


def test_pdf_names_sort_by_country_then_surname_and_observers_go_by_their_acronym():
    assert pdf_name("MX", "Núñez Peña", "José Ángel", "CRM-CE-2021-0042") == \
        "MX_Nunez-Pena_Jose-Angel_CRM-CE-2021-0042.pdf"
    assert pdf_name("Alto Comisionado de las Naciones Unidas para los Refugiados (ACNUR)", "Ruiz", "Marta",
                    "CRM-CE-2021-0007") == "ACNUR_Ruiz_Marta_CRM-CE-2021-0007.pdf"
    assert pdf_name("Red Civil", "Ruiz", "Marta", "X-1") == "Red-Civil_Ruiz_Marta_X-1.pdf"


def test_the_zip_holds_the_pdfs_as_they_are_and_a_register_with_inert_cells():
    files = [("b.pdf", b"%PDF-b"), ("a.pdf", b"%PDF-a")]
    archive = zipfile.ZipFile(io.BytesIO(zip_bytes(files, "register.csv", ["serial", "name"],
                                                   [["S-1", "=HYPERLINK(\"http://x\")"]])))
    assert archive.namelist() == ["a.pdf", "b.pdf", "register.csv"]
    assert archive.read("a.pdf") == b"%PDF-a" and archive.getinfo("a.pdf").compress_type == zipfile.ZIP_STORED
    register = archive.read("register.csv").decode("utf-8-sig").splitlines()
    assert register == ["serial,name", "S-1,\"'=HYPERLINK(\"\"http://x\"\")\""]
