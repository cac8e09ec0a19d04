"""Exports open cleanly in a spreadsheet: accents intact, nothing evaluated, same columns the import reads."""
import csv
import io

import openpyxl

from extensions import db
from tests.conftest import login
from training.exporting import csv_bytes, neutralize, xlsx_bytes
from training.importing import map_headers
from training.models import Participant


def test_formula_like_cells_are_neutralized():
    assert neutralize("=1+1") == "'=1+1"
    assert neutralize("+52 55 1234") == "'+52 55 1234"
    assert neutralize("-x") == "'-x" and neutralize("@SUM(A1)") == "'@SUM(A1)"
    assert neutralize("Peña") == "Peña" and neutralize(None) == ""


def test_csv_has_a_bom_and_quotes_commas():
    data = csv_bytes(["Nombre", "Institución"], [["Núñez", "STPS, SNE"], ["=cmd|' /C calc'!A0", "x"]])
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [["Nombre", "Institución"], ["Núñez", "STPS, SNE"], ["'=cmd|' /C calc'!A0", "x"]]


def test_control_characters_cannot_break_an_xlsx_export():
    data = xlsx_bytes(["Nombre"], [["Ana\x07Bell\x00"]])
    assert openpyxl.load_workbook(io.BytesIO(data)).active["A2"].value == "AnaBell"


def test_xlsx_cells_are_text_and_never_formulas():
    data = xlsx_bytes(["Nombre"], [["=HYPERLINK(\"http://evil\",\"x\")"], ["Zúñiga"]])
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet["A2"].data_type == "s" and sheet["A2"].value == '=HYPERLINK("http://evil","x")'
    assert sheet["A3"].value == "Zúñiga"


def test_export_through_the_web_follows_filters_and_scope(app, client, world):
    with app.app_context():
        db.session.get(Participant, world["ids"]["gt1"]).family_names = "=2+3"
        db.session.commit()
    login(client, world["emails"]["admin"])
    program = world["ids"]["program"]
    response = client.get(f"/programs/{program}/participants/export.csv", query_string={"q": "tzul"})
    assert response.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig")), delimiter=";"))  # Spanish program
    assert rows[0][:6] == ["Nombres", "Apellidos", "Cargo", "Institución", "Correo electrónico", "País"]
    assert rows[1][:2] == ["Ixchel", "'=2+3"] and rows[1][5] == "Guatemala" and len(rows) == 2
    columns, _unknown = map_headers(rows[0])
    assert {"given_names", "family_names", "email", "country", "gender", "profile", "language"} <= columns.keys()

    login(client, world["emails"]["focal_mx"])
    workbook = openpyxl.load_workbook(io.BytesIO(client.get(f"/programs/{program}/participants/export.xlsx").data))
    names = [row[1] for row in workbook.active.iter_rows(min_row=2, values_only=True)]
    assert sorted(names) == ["Gómez Díaz", "Núñez Peña"]


def test_cli_export(app, world, tmp_path):
    output = tmp_path / "all.xlsx"
    result = app.test_cli_runner().invoke(args=["export-participants", "--program", "TEST-2026", "--format", "xlsx",
                                                "--output", str(output)])
    assert result.exit_code == 0
    rows = list(openpyxl.load_workbook(output).active.iter_rows(values_only=True))
    assert len(rows) == 6 and rows[0][0] == "Nombres"
    missing = app.test_cli_runner().invoke(args=["export-participants", "--program", "NOPE"])
    assert missing.exit_code == 1
