"""The participant-list template: the import's headers in the program's languages, drop-down lists of the values the
importer accepts, a notes sheet, and a filled template imports as it is."""
import io

import openpyxl
from sqlalchemy import select

from extensions import db
from tests.conftest import login, post_form
from tests.helpers import upload_list
from training.importing import map_headers
from training.models import Participant


def _template(client, program_id, **args):
    response = client.get(f"/programs/{program_id}/participants/template.xlsx", query_string=args)
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    return openpyxl.load_workbook(io.BytesIO(response.get_data()))


def _choices(book):
    """Drop-down list per header of the first sheet: the values of the range its validation points to."""
    people = book.worksheets[0]
    headers = {cell.column_letter: cell.value for cell in people[1]}
    found = {}
    for validation in people.data_validations.dataValidation:
        sheet_name, cells = validation.formula1.rsplit("!", 1)
        sheet = book[sheet_name.strip("'")]
        first, last = cells.replace("$", "").split(":")
        values = [row[0].value for row in sheet[first:last]]
        column = str(validation.sqref).split(":")[0].rstrip("0123456789")
        found[headers[column]] = values
    return found


def _import(app, client, program_id, book, filename, emails):
    """Upload the filled template, confirm its preview; (country, gender, profile, language) of each e-mail."""
    buffer = io.BytesIO()
    book.save(buffer)
    response = upload_list(client, program_id, buffer.getvalue(), filename=filename)
    assert response.status_code == 302
    preview_url = response.headers["Location"]
    assert post_form(client, f"{preview_url}/confirm", {}, page=preview_url).status_code == 302
    with app.app_context():
        return {p.email: (p.delegation.country_code or p.delegation.organization, p.gender, p.profile, p.language)
                for p in db.session.scalars(select(Participant).where(Participant.email.in_(emails)))}


def test_the_template_has_the_import_columns_lists_and_notes(client, world):
    login(client, world["emails"]["admin"])
    book = _template(client, world["ids"]["program"])
    assert book.sheetnames == ["Participantes", "Listas", "Notas"] and book["Listas"].sheet_state == "hidden"
    headers = [cell.value for cell in book.worksheets[0][1]]
    assert headers == ["Nombres", "Apellidos", "Correo electrónico", "Cargo", "Institución", "País", "Género",
                       "Perfil", "Idioma"]
    columns, unknown = map_headers(headers)
    assert not unknown and set(columns) == {"given_names", "family_names", "email", "position", "institution",
                                            "country", "gender", "profile", "language"}
    choices = _choices(book)
    assert choices["País"] == ["Guatemala", "México", "Red Civil"]
    assert choices["Género"] == ["Mujer", "Hombre", "Otro", "Prefiere no decirlo"]
    assert "Inspección laboral" in choices["Perfil"] and len(choices["Perfil"]) == 6
    assert choices["Idioma"] == ["Español", "English"]
    notes = [[cell.value for cell in row] for row in book["Notas"].iter_rows(min_row=4)]
    assert [row[0] for row in notes] == headers and notes[2][1] == "Sí" and "Guatemala; México" in notes[5][3]
    english = _template(client, world["ids"]["program"], language="en")
    assert [cell.value for cell in english.worksheets[0][1]][:3] == ["Given names", "Family names", "E-mail"]
    assert _choices(english)["Gender"] == ["Female", "Male", "Other", "Prefers not to say"]
    # A language the program does not offer (or the importer does not read): the program's default.
    assert _template(client, world["ids"]["program"], language="fr").sheetnames[0] == "Participantes"


def test_a_filled_template_imports_as_it_is(app, client, world):
    login(client, world["emails"]["admin"])
    book = _template(client, world["ids"]["program"], language="en")
    choices = _choices(book)
    people = book.worksheets[0]
    people.append(["Luisa", "Ortega", "luisa.ortega@example.mx", "Advisor", "STPS", "Mexico",
                   choices["Gender"][0], choices["Profile"][2], "Español"])
    people.append(["Kevin", "Brown", "kevin.brown@example.gt", "", "", "Guatemala", choices["Gender"][3],
                   choices["Profile"][1], "English"])
    people.append(["Rosa", "Lema", "rosa.lema@example.org", "", "", "Red Civil", "", choices["Profile"][4], ""])
    found = _import(app, client, world["ids"]["program"], book, "template.xlsx",
                    ("luisa.ortega@example.mx", "kevin.brown@example.gt", "rosa.lema@example.org"))
    assert found["luisa.ortega@example.mx"] == ("MX", "female", "employer_liaison", "es")
    assert found["kevin.brown@example.gt"] == ("GT", "undisclosed", "labor_inspector", "en")
    rosa = found["rosa.lema@example.org"]  # no gender given: whatever the importer stores for "not recorded"
    assert (rosa[0], rosa[2], rosa[3]) == ("Red Civil", "recognition_official", "es")


def test_a_focal_point_s_template_lists_their_country_only(client, world):
    login(client, world["emails"]["focal_mx"])
    assert _choices(_template(client, world["ids"]["program"]))["País"] == ["México"]
    page = client.get(f"/programs/{world['ids']['program']}/participants/import").get_data(as_text=True)
    assert "/participants/template.xlsx?language=es" in page and "language=en" in page


def test_who_may_not_import_gets_no_template(client, world):
    login(client, world["emails"]["organizer"])
    assert client.get(f"/programs/{world['ids']['program']}/participants/template.xlsx").status_code == 403
    login(client, world["emails"]["admin"])
    assert client.get("/programs/999999/participants/template.xlsx").status_code == 404


def test_a_french_template_of_a_french_and_portuguese_program_imports_as_it_is(app, client, world):
    from training.models import Program

    with app.app_context():
        program = db.session.get(Program, world["ids"]["program"])
        program.languages = ["fr", "pt"]
        db.session.commit()
    login(client, world["emails"]["admin"])
    page = client.get(f"/programs/{world['ids']['program']}/participants/import").get_data(as_text=True)
    assert "template.xlsx?language=fr" in page and "language=pt" in page and "language=es" not in page
    book = _template(client, world["ids"]["program"])  # the program's default language: French
    headers = [cell.value for cell in book.worksheets[0][1]]
    choices = _choices(book)
    assert choices[headers[8]] == ["Français", "Português"]
    assert choices[headers[5]] == ["Guatemala", "Mexique", "Red Civil"]  # country names from CLDR, in French
    people = book.worksheets[0]
    people.append(["Zoé", "Tremblay", "zoe.tremblay@example.mx", "", "", "Mexique", choices[headers[6]][0],
                   choices[headers[7]][0], "Português"])
    people.append(["Luc", "Roy", "luc.roy@example.gt", "", "", "Guatemala", choices[headers[6]][1], "", ""])
    found = _import(app, client, world["ids"]["program"], book, "modele.xlsx",
                    ("zoe.tremblay@example.mx", "luc.roy@example.gt"))
    assert found["zoe.tremblay@example.mx"] == ("MX", "female", "employment_counselor", "pt")
    # No language given: Guatemala speaks none of the program's, so the program's default.
    assert found["luc.roy@example.gt"] == ("GT", "male", "not_recorded", "fr")
