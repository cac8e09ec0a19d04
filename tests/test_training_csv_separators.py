"""CSV exports Excel opens as they are: ";" and a BOM for Spanish (pt, fr) programs, "," for English ones, the
other one on request (?sep=, --separator) and offered on every page that exports a CSV."""
import csv
import io

import pytest

from extensions import db
from tests.conftest import login
from tests.factories import make_delegation, make_participant, make_program
from training.exporting import csv_bytes, default_separator, separator_for


@pytest.mark.parametrize("language, expected", [("es", "semicolon"), ("pt", "semicolon"), ("fr", "semicolon"),
                                                ("en", "comma"), ("", "comma"), (None, "comma")])
def test_the_default_separator_follows_the_language(language, expected):
    assert default_separator(language) == expected


def test_a_chosen_separator_wins_and_a_bad_choice_falls_back():
    assert separator_for("comma", "es") == "," and separator_for("semicolon", "en") == ";"
    assert separator_for("tab", "es") == ";" and separator_for(None, "en") == ","


def test_a_semicolon_csv_quotes_semicolons_and_keeps_the_bom():
    data = csv_bytes(["Nombre", "Nota"], [["Peña; Ana", "=1+1"], ["Ríos", 2.5]], separator=";")
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0] == "Nombre;Nota"
    assert list(csv.reader(io.StringIO(text), delimiter=";")) == [["Nombre", "Nota"], ["Peña; Ana", "'=1+1"],
                                                                  ["Ríos", "2.5"]]


def _header(response):
    assert response.status_code == 200 and response.get_data().startswith(b"\xef\xbb\xbf")
    return response.get_data().decode("utf-8-sig").splitlines()[0]


def test_numbers_take_the_decimal_mark_of_the_separator_s_locale():
    rows = [[12.5, 3, -0.25, "1.5"]]  # the last is text, written as it is
    semicolon = csv_bytes(["a", "b", "c", "d"], rows, numbers=True, separator=";").decode("utf-8-sig")
    comma = csv_bytes(["a", "b", "c", "d"], rows, numbers=True, separator=",").decode("utf-8-sig")
    assert semicolon.splitlines()[1] == "12,5;3;-0,25;1.5"
    assert comma.splitlines()[1] == "12.5,3,-0.25,1.5"


def test_a_spanish_program_exports_with_semicolons_unless_asked_for_commas(client, world):
    login(client, world["emails"]["admin"])
    base = f"/programs/{world['ids']['program']}"
    assert _header(client.get(f"{base}/participants/export.csv")).startswith("Nombres;Apellidos;Cargo;")
    assert _header(client.get(f"{base}/participants/export.csv?sep=comma")).startswith("Nombres,Apellidos,Cargo,")
    assert _header(client.get(f"{base}/participants/export.csv?sep=bogus")).startswith("Nombres;Apellidos;")
    assert _header(client.get(f"{base}/attendance.csv")).count(";") >= 3
    assert _header(client.get(f"{base}/attendance.csv?sep=comma")).count(";") == 0
    assert _header(client.get(f"{base}/messages/export.csv")) == "Fecha;Para;Asunto;Estado;Mensaje;Error"
    assert _header(client.get(f"{base}/messages/export.csv?sep=comma")) == "Fecha,Para,Asunto,Estado,Mensaje,Error"
    assert ";" in _header(client.get(f"{base}/certificates.csv"))
    assert ";" not in _header(client.get(f"{base}/certificates.csv?sep=comma"))


def test_an_english_program_exports_with_commas_unless_asked_for_semicolons(app, client, world):
    with app.app_context():
        program = make_program("EN-2026", {"en": "English program"}, languages=("en", "es"))
        make_participant(make_delegation(program, "MX"), "Ana", "Ríos; Peña", "ana.rios@example.mx")
        db.session.commit()
        program_id = program.id
    login(client, world["emails"]["admin"])
    rows = list(csv.reader(io.StringIO(client.get(f"/programs/{program_id}/participants/export.csv")
                                       .get_data().decode("utf-8-sig"))))
    assert rows[1][:2] == ["Ana", "Ríos; Peña"]
    semicolons = client.get(f"/programs/{program_id}/participants/export.csv?sep=semicolon").get_data()
    assert list(csv.reader(io.StringIO(semicolons.decode("utf-8-sig")), delimiter=";"))[1][:2] == ["Ana", "Ríos; Peña"]
    # The page offers both, the one Excel expects here first.
    page = client.get(f"/programs/{program_id}/participants").get_data(as_text=True)
    assert page.index("sep=comma") < page.index("sep=semicolon")


def test_pages_offer_both_separators_the_program_s_first(client, world):
    login(client, world["emails"]["admin"])
    base = f"/programs/{world['ids']['program']}"
    for url in (f"{base}/participants", f"{base}/attendance", f"{base}/messages", f"{base}/certificates"):
        page = client.get(url).get_data(as_text=True)
        assert "sep=semicolon" in page and "sep=comma" in page, url
        assert page.index("sep=semicolon") < page.index("sep=comma"), url
    audit = client.get("/audit").get_data(as_text=True)  # no program: the reader's language (Spanish here)
    assert audit.index("sep=semicolon") < audit.index("sep=comma")


def test_the_command_line_export_follows_the_program_or_the_option(app, world, tmp_path):
    runner = app.test_cli_runner()
    default = tmp_path / "default.csv"
    commas = tmp_path / "commas.csv"
    assert runner.invoke(args=["export-participants", "--program", "TEST-2026",
                               "--output", str(default)]).exit_code == 0
    assert runner.invoke(args=["export-participants", "--program", "TEST-2026", "--output", str(commas),
                               "--separator", "comma"]).exit_code == 0
    assert default.read_text(encoding="utf-8-sig").startswith("Nombres;Apellidos;")
    assert commas.read_text(encoding="utf-8-sig").startswith("Nombres,Apellidos,")
    refused = runner.invoke(args=["export-participants", "--program", "TEST-2026", "--separator", "tab"])
    assert refused.exit_code != 0
