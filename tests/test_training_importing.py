"""Reading and checking participant lists as focal points really send them (pure modules, no app)."""
import io
import zipfile

import openpyxl
import pytest

from tests.upload_files import BAD_ENCODINGS, csv_bytes, xlsx_bytes
from training.importing import DelegationSlot, Existing, ImportContext, map_headers, plan_import, split_full_name
from training.tabular import TableError, decode_text, read_table, sniff_delimiter

ROWS = [
    ["Nombre(s)", "Apellido(s)", "Cargo/Puesto", "Afiliación institucional", "Correo electrónico", "País"],
    ["José Ángel", "Núñez Peña", "Consejero de empleo", "STPS, Servicio Nacional de Empleo", "jose@stps.gob.mx",
     "México"],
    ["Fátima", "Gómez", "Inspectora", "Ministerio de Trabajo", "fatima@mintrab.gob.gt", "Guatemala"],
]


@pytest.mark.parametrize("data, encoding, delimiter", [
    (csv_bytes(ROWS, ";", "cp1252"), "cp1252", ";"),
    (csv_bytes(ROWS, ",", "utf-8", b"\xef\xbb\xbf"), "utf-8-sig", ","),
    (csv_bytes(ROWS, "\t", "utf-16"), "utf-16", "\t"),
    (csv_bytes(ROWS, ",", "utf-8"), "utf-8", ","),
])
def test_csv_encodings_and_delimiters_are_detected(data, encoding, delimiter):
    table = read_table(data)
    assert (table.encoding, table.delimiter) == (encoding, delimiter)
    assert table.headers[1] == "Apellido(s)"
    assert table.rows[0][1][:2] == ["José Ángel", "Núñez Peña"]
    assert table.rows[0][1][3] == "STPS, Servicio Nacional de Empleo"  # quoted comma kept in one cell
    assert len(table.rows) == 2  # blank trailing rows ignored
    assert [number for number, _cells in table.rows] == [2, 3]


def test_xlsx_is_read_whatever_the_file_is_called():
    table = read_table(xlsx_bytes(ROWS), filename="lista.csv")
    assert table.kind == "xlsx" and table.rows[1][1][0] == "Fátima"


def test_mojibake_never_happens_on_latin1_bytes():
    text, encoding = decode_text("Peña Núñez".encode("cp1252"))
    assert (text, encoding) == ("Peña Núñez", "cp1252")


@pytest.mark.parametrize("data, code", [
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "not_a_table"),
    (b"%PDF-1.7\n%\xe2\xe3", "not_a_table"),
    (b"PK\x03\x04 this is not really a zip", "broken_xlsx"),
    (b"", "empty"),
    (b"\r\n\r\n", "empty"),
])
def test_files_that_are_not_tables_get_a_reason(data, code):
    with pytest.raises(TableError) as error:
        read_table(data)
    assert error.value.code == code


def test_a_zip_that_is_not_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(TableError) as error:
        read_table(buffer.getvalue())
    assert error.value.code == "not_a_table"


def test_a_zip_bomb_is_refused_before_it_expands():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (210 * 1024 * 1024))
    assert len(buffer.getvalue()) < 1024 * 1024
    with pytest.raises(TableError) as error:
        read_table(buffer.getvalue())
    assert error.value.code == "broken_xlsx"


def test_an_xlsx_with_an_xml_entity_bomb_is_refused():
    data = xlsx_bytes(ROWS)
    source, target = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    bomb = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">&lol2;</workbook>')
    with zipfile.ZipFile(target, "w") as archive:
        for item in source.infolist():
            archive.writestr(item, bomb if item.filename == "xl/workbook.xml" else source.read(item.filename))
    with pytest.raises(TableError) as error:
        read_table(target.getvalue())
    assert error.value.code == "broken_xlsx"


def test_row_limit():
    data = csv_bytes([ROWS[0]] + [ROWS[1]] * 30)
    with pytest.raises(TableError) as error:
        read_table(data, max_rows=20)
    assert error.value.details == {"limit": 20}


def test_hostile_shapes_are_bounded_and_clean():
    # Thousands of blank lines before the header: found quickly, and split on the right delimiter.
    table = read_table(b"\n" * 5000 + csv_bytes(ROWS))
    assert table.delimiter == ";" and table.rows[0][0] == 5002
    # Millions of one-character lines stop at the limit instead of filling memory.
    with pytest.raises(TableError) as error:
        read_table(b"a;b\n" + b"x;y\n" * 2_000_000, max_rows=20_000)
    assert error.value.code == "too_many_rows"
    # A cell larger than the CSV module allows is a clear error, not a crash.
    with pytest.raises(TableError) as error:
        read_table(b'a;b\n"' + b"x" * 200_000 + b'";y\n')
    assert error.value.code == "malformed_csv"
    # Control characters (NUL included, anywhere in the file) never reach a cell.
    late_nul = csv_bytes(ROWS) + b"Ana\x00;Bell\x07;x;y;ana@x.org;MX\r\n"
    assert read_table(b"a;b\n" + b"z;z\n" * 2000 + late_nul).rows[-1][1][:2] == ["Ana", "Bell"]


def test_an_xlsx_with_one_far_away_cell_stays_bounded():
    workbook = openpyxl.Workbook()
    workbook.active.append(ROWS[0])
    workbook.active.cell(row=300_000, column=2000, value="x")  # past the columns read: never read
    buffer = io.BytesIO()
    workbook.save(buffer)
    table = read_table(buffer.getvalue(), max_rows=20_000)
    assert (table.headers, table.rows) == (ROWS[0], [])
    workbook.active.cell(row=300_000, column=5, value="x")  # its number says the file has 300,000 rows
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(TableError) as error:
        read_table(buffer.getvalue(), max_rows=20_000)
    assert error.value.code == "too_many_rows"


def test_delimiter_sniffing_prefers_the_consistent_split():
    assert sniff_delimiter("a;b;c\n1;2,5;3\n") == ";"
    assert sniff_delimiter("a,b\n1,2\n") == ","


@pytest.mark.parametrize("header, field", [
    ("Nombre", "given_names"), ("NOMBRES", "given_names"), ("Apellido(s)", "family_names"),
    ("Cargo / Puesto", "position"), ("Puesto", "position"), ("Institución", "institution"),
    ("Afiliación institucional", "institution"), ("Correo", "email"), ("Correo electrónico", "email"),
    ("E-mail", "email"), ("País", "country"), ("Sexo", "gender"), ("Género", "gender"), ("Perfil", "profile"),
    ("Nombre completo", "full_name"), ("Last name", "family_names"), ("Primer apellido", "family_name_1"),
])
def test_header_variants(header, field):
    columns, unknown = map_headers([header])
    assert columns == {field: 0} and unknown == []


def test_unknown_columns_are_reported():
    columns, unknown = map_headers(["Nombre", "Apellidos", "Correo", "Teléfono", "Observaciones", ""])
    assert unknown == ["Teléfono", "Observaciones"]


@pytest.mark.parametrize("full, expected", [
    ("Ana Pérez", ("Ana", "Pérez")),
    ("Ana Pérez Zúñiga", ("Ana", "Pérez Zúñiga")),
    ("Ana Lucía Pérez Zúñiga", ("Ana Lucía", "Pérez Zúñiga")),
    ("Pérez Zúñiga, Ana Lucía", ("Ana Lucía", "Pérez Zúñiga")),
    ("  Ana   Lucía  Pérez  Zúñiga ", ("Ana Lucía", "Pérez Zúñiga")),
])
def test_full_names_are_split_sensibly(full, expected):
    assert split_full_name(full) == expected


MX = DelegationSlot(id=1, label="México", country_code="MX", organization=None, places_left=2)
GT = DelegationSlot(id=2, label="Guatemala", country_code="GT", organization=None, places_left=10)
RROCM = DelegationSlot(id=3, label="RROCM", country_code=None, organization="RROCM", places_left=1)


def context(**overrides):
    existing = {"ya@stps.gob.mx": Existing(id=7, delegation_id=1, values={
        "given_names": "Ya", "family_names": "Registrada", "email": "ya@stps.gob.mx", "position": "",
        "institution": "", "gender": "female", "profile": "other", "language": "es"})}
    return ImportContext(**{"delegations": [MX, GT, RROCM], "existing": existing, **overrides})


def plan(rows, **overrides):
    header = ["Nombre", "Apellidos", "Correo", "País", "Sexo", "Perfil"]
    return plan_import(read_table(csv_bytes([header] + rows)), context(**overrides))


def test_every_bad_row_is_named_with_its_reason():
    result = plan([
        ["Ana", "Pérez", "ana@stps.gob.mx", "México", "F", "Consejera de empleo"],    # 2 new
        ["Luis", "", "luis@", "México", "M", ""],                                     # 3 two errors
        ["Ana", "Otra", "ANA@stps.gob.mx ", "México", "F", ""],                       # 4 duplicate in file
        ["Eva", "Ruiz", "eva@x.org", "Narnia", "F", ""],                              # 5 unknown country
        ["Eva", "Ruiz", "eva2@x.org", "Honduras", "F", ""],                           # 6 country not in program
        ["Ya", "Registrada", "ya@stps.gob.mx", "Guatemala", "F", ""],                 # 7 registered elsewhere
        ["Raúl", "Soto", "raul@x.org", "Guatemala", "robot", ""],                     # 8 unknown gender
    ])
    errors = {row.number: [code for code, _params in row.errors] for row in result.rows}
    assert errors == {
        2: [], 3: ["missing_field", "invalid_email"], 4: ["duplicate_in_file"], 5: ["unknown_country"],
        6: ["country_not_in_program"], 7: ["registered_elsewhere"], 8: ["unknown_gender"],
    }
    assert [row.status for row in result.rows] == ["new"] + ["error"] * 6
    assert not result.clean


def test_updates_duplicates_and_quota():
    result = plan([
        ["Ya", "Registrada", "YA@stps.gob.mx", "México", "F", "Otro"],                # 2 nothing new
        ["Ya", "Registrada", "ya@stps.gob.mx", "", "F", "Inspectora laboral"],        # 3 duplicate in file
        ["Uno", "Nuevo", "uno@x.mx", "MX", "M", ""],
        ["Dos", "Nuevo", "dos@x.mx", "mexico", "M", ""],
        ["Tres", "Nuevo", "tres@x.mx", "MEX", "M", ""],                               # 6 MX has 2 places
        ["Obs", "Ervadora", "obs@rrocm.org", "rrocm", "", ""],                        # observer by name
    ])
    statuses = {row.number: row.status for row in result.rows}
    assert statuses == {2: "duplicate", 3: "error", 4: "new", 5: "new", 6: "error", 7: "new"}
    assert result.rows[4].errors == [("over_quota", {"delegation": "México", "country_code": "MX"})]
    assert result.rows[5].values["delegation_id"] == 3


def test_a_quota_problem_names_the_country_in_the_readers_language(app):
    """The import is checked with the labels of one language; the sentence is written in the page's."""
    from flask_babel import force_locale

    from training.labels import IMPORT_PROBLEMS, problem_text

    params = {"delegation": "México", "country_code": "MX"}
    with app.test_request_context():
        with force_locale("en"):
            assert problem_text(IMPORT_PROBLEMS, "over_quota", params) == \
                "The delegation of Mexico has no places left for this person."
        with force_locale("es"):
            assert "delegación de México" in problem_text(IMPORT_PROBLEMS, "over_quota", params)
        with force_locale("en"):  # an observer organization keeps its own name
            assert "of Red Civil has" in problem_text(IMPORT_PROBLEMS, "over_quota",
                                                      {"delegation": "Red Civil", "country_code": ""})


def test_an_existing_person_with_new_details_is_an_update():
    result = plan([["Ya", "Registrada Díaz", "ya@stps.gob.mx", "México", "F", ""]])
    row = result.rows[0]
    assert (row.status, row.existing_id, row.changes) == ("update", 7, ["family_names"])


def test_empty_cells_and_defaults_never_count_as_changes():
    result = plan([["Ya", "Registrada", "ya@stps.gob.mx", "México", "", ""]])
    assert (result.rows[0].status, result.rows[0].changes) == ("duplicate", [])


def test_a_focal_points_import_stays_in_their_delegation():
    result = plan([["Ana", "Pérez", "ana@x.mx", "", "F", ""], ["Eva", "Ruiz", "eva@x.gt", "Guatemala", "F", ""]],
                  target_delegation_id=1, locked=True)
    assert result.rows[0].values["delegation_id"] == 1 and result.rows[0].status == "new"
    assert result.rows[1].errors == [("other_delegation", {"value": "Guatemala"})]


def test_values_are_normalized_but_formulas_kept_verbatim():
    result = plan([["  María   José ", "=HYPERLINK(\"http://x\")", "mj@x.mx", "México", "Mujer", "Enlace con "
                                                                                            "empleadores"]])
    values = result.rows[0].values
    assert values["given_names"] == "María José"
    assert values["family_names"] == '=HYPERLINK("http://x")'
    assert (values["gender"], values["profile"], values["language"]) == ("female", "employer_liaison", "es")


def test_language_defaults_from_the_country():
    slots = [DelegationSlot(id=9, label="Belize", country_code="BZ", organization=None, places_left=5)]
    result = plan_import(read_table(csv_bytes([["Nombre completo", "Correo", "País"],
                                               ["Kevin Usher", "kevin@x.bz", "Belice"]])),
                         ImportContext(delegations=slots, existing={}))
    assert result.rows[0].values["language"] == "en"
    assert (result.rows[0].values["given_names"], result.rows[0].values["family_names"]) == ("Kevin", "Usher")


def test_missing_columns_stop_the_plan():
    result = plan_import(read_table(csv_bytes([["Nombre", "Cargo"], ["Ana", "X"]])), context())
    assert result.missing_columns == ["email", "names"] and not result.clean


@pytest.mark.parametrize("data, encoding, line", BAD_ENCODINGS.values(), ids=BAD_ENCODINGS.keys())
def test_text_that_breaks_its_own_encoding_is_a_table_error_naming_the_line(data, encoding, line):
    with pytest.raises(TableError) as error:
        read_table(data)
    assert (error.value.code, error.value.details) == ("undecodable", {"encoding": encoding, "line": line})


def test_bytes_windows_1252_leaves_undefined_are_read_and_never_reach_a_cell():
    # 0x81, 0x8D, 0x8F, 0x90 and 0x9D mean nothing in Windows-1252: Windows maps them to invisible C1 control
    # characters, which (like the C0 ones) are never meant in a cell.
    table = read_table(b"Nombre;Correo\r\nPe\x81\x8d\xf1a;ana\x8f\x90\x9d@x.org\r\n")
    assert table.encoding == "latin-1"
    assert table.rows == [(2, ["Peña", "ana@x.org"])]


def test_french_and_portuguese_lists_as_people_type_them():
    french = ["Prénom", "Nom de famille", "Courriel", "Poste", "Organisme", "Pays", "Genre", "Profil", "Langue"]
    portuguese = ["Nome", "Sobrenome", "E-mail", "Cargo", "Instituição", "País", "Gênero", "Perfil", "Idioma"]
    for headers in (french, portuguese):
        columns, unknown = map_headers(headers)
        assert not unknown and list(columns) == ["given_names", "family_names", "email", "position", "institution",
                                                 "country", "gender", "profile", "language"]
    table = read_table(csv_bytes([french, ["Zoé", "Tremblay", "zoe@example.mx", "", "", "Mexique", "Femme",
                                           "Conseillère d'emploi", "français"],
                                  ["João", "Silva", "joao@example.gt", "", "", "Guatemala", "Homem",
                                   "Inspetor do trabalho", "Português"],
                                  ["Ana", "Lima", "ana@example.mx", "", "", "México", "Prefere não dizer",
                                   "Reconhecimento de qualificações", "francês"]]))
    plan = plan_import(table, ImportContext(delegations=[MX, GT], existing={}, languages=("fr", "pt")))
    assert [(row.values["gender"], row.values["profile"], row.values["language"]) for row in plan.rows] == [
        ("female", "employment_counselor", "fr"), ("male", "labor_inspector", "pt"),
        ("undisclosed", "recognition_official", "fr")]
    assert not plan.error_rows
