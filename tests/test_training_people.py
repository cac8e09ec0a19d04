"""People across programs (the same e-mail in another program) and honest data ("not recorded" is never an answer)."""
import io
import zipfile
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import select

from assessments.impact.report import Respondent, composition, subgroups
from assessments.impact.summary_texts import composition_lines
from assessments.models import Attempt
from extensions import db
from tests.conftest import csrf_from, login, post_form
from tests.factories import (
    make_activity,
    make_certificate,
    make_delegation,
    make_participant,
    make_program,
    make_questionnaire,
)
from tests.helpers import as_admin, choose_english, erase_personal_data, export_personal_data
from tests.helpers import upload_list as upload
from tests.impact_samples import sample_data
from tests.upload_files import csv_bytes
from training.importing import RowResult, _gender, _profile
from training.models import Attendance, Participant

UTC = timezone.utc


@pytest.fixture
def returning(app, world):
    """A 2021 program where world's José Ángel (mx1, his e-mail capitalized differently) attended one of two
    sessions, scored 40 % then 90 % and holds a certificate; where Ixchel (gt1's e-mail) was registered for Mexico;
    and where Carla, not in world's program, took part."""
    with app.app_context():
        program = make_program("PREV-2021", {"es": "Programa 2021", "en": "2021 program"},
                               start_date=date(2021, 5, 3), end_date=date(2021, 6, 30))
        mx = make_delegation(program, country_code="MX")
        make_delegation(program, country_code="GT")
        jose = make_participant(mx, "José Ángel", "Núñez", "Jose.Nunez@Example.MX")
        ixchel = make_participant(mx, "Ixchel", "Tzul", "ixchel.tzul@example.gt")
        carla = make_participant(mx, "Carla", "Ortiz", "carla.ortiz@example.mx")
        first = make_activity(program, "S1", {"es": "Sesión 1"}, datetime(2021, 5, 3, 15, tzinfo=UTC))
        make_activity(program, "S2", {"es": "Sesión 2"}, datetime(2021, 5, 10, 15, tzinfo=UTC))
        db.session.add(Attendance(participant_id=jose.id, activity_id=first.id, status="present", minutes=120))
        for kind, score in (("pre", 4), ("post", 9)):
            test = make_questionnaire(program, kind, {"es": kind})
            db.session.add(Attempt(questionnaire_id=test.id, participant_id=jose.id, status="submitted", score=score,
                                   max_score=10, submitted_at=datetime(2021, 5, 3, 16, tzinfo=UTC)))
        make_certificate(jose, serial_number=7, code="returning-certificate-code-" + "y" * 20)
        db.session.commit()
        ids = {"program": program.id, "jose": jose.id, "ixchel": ixchel.id, "carla": carla.id}
    return {**world, "prev": ids}


# --- the person's history on their page ----------------------------------------------------------------------


def test_the_participant_page_shows_the_persons_other_programs(client, returning):
    as_admin(client, returning)
    page = client.get(f"/participants/{returning['ids']['mx1']}/edit").get_data(as_text=True)
    history = page.split('id="history-title"')[1].split("</section>")[0]
    assert "PREV-2021" in history and "2021 program" in history
    assert "1 of 2 activities attended" in history
    assert "Pre-test 40 % · post-test 90 %" in history
    assert "PREV-2021-0007" in history
    assert f"/participants/{returning['prev']['jose']}/edit" in history
    # Someone only in this program has no history.
    alone = client.get(f"/participants/{returning['ids']['mx2']}/edit").get_data(as_text=True)
    assert "No other registration with this e-mail" in alone and "PREV-2021" not in alone


def test_a_focal_point_sees_no_registration_of_another_country(client, returning):
    login(client, returning["emails"]["focal_gt"])
    choose_english(client)
    # Ixchel is Guatemalan here, but was registered for Mexico in 2021: Guatemala's focal point does not see that.
    page = client.get(f"/participants/{returning['ids']['gt1']}/edit").get_data(as_text=True)
    assert "No other registration with this e-mail" in page and "PREV-2021" not in page
    assert client.get(f"/participants/{returning['prev']['ixchel']}/edit").status_code == 404


# --- imports: returning people, what an update changes, the confirmation ---------------------------------------


def test_the_import_preview_names_returning_people_and_each_change(app, client, returning):
    as_admin(client, returning)
    content = csv_bytes([["Nombre", "Apellidos", "Cargo", "Correo", "País", "Sexo"],
                         ["Carla", "Ortiz", "Consejera", "CARLA.ORTIZ@example.mx", "México", ""],
                         ["José Ángel", "Núñez Peña", "Inspector", "jose.nunez@example.mx", "México", "M"]])
    preview = client.get(upload(client, returning["ids"]["program"], content).headers["Location"])
    html = preview.get_data(as_text=True)
    rows = html.split("<tbody>")[1].split("</tr>")
    assert "Took part in PREV-2021" in rows[0]  # Carla: new here, known from 2021
    assert "Took part in PREV-2021" in rows[1]  # an update of someone known from 2021 says so too
    assert "Position: — → Inspector" in rows[1] and "Gender: Not recorded → Male" in rows[1]
    assert "Register 1 new and update 1" in html


@pytest.mark.parametrize(("rows", "label"), [
    ([["Carla", "Ortiz", "carla.ortiz@example.mx", "México"], ["Rosa", "Paz", "rosa.paz@example.gt", "GT"]],
     "Register 2 new participants"),
    ([["José", "Núñez Peña", "jose.nunez@example.mx", "México"]], "Update 1 participant"),
])
def test_the_confirmation_says_how_many_are_new_and_updated(client, returning, rows, label):
    as_admin(client, returning)
    content = csv_bytes([["Nombre", "Apellidos", "Correo", "País"], *rows])
    html = client.get(upload(client, returning["ids"]["program"], content).headers["Location"]).get_data(as_text=True)
    assert f">{label}</button>" in html


def test_a_focal_point_is_not_told_of_programs_of_another_country(client, returning):
    login(client, returning["emails"]["focal_gt"])
    choose_english(client)
    # Ixchel took part in 2021 for Mexico only: Guatemala's focal point re-importing her hears nothing of it.
    content = csv_bytes([["Nombre", "Apellidos", "Correo"], ["Ixchel", "Tzul Batz", "ixchel.tzul@example.gt"]])
    response = upload(client, returning["ids"]["program"], content, delegation=str(returning["ids"]["gt"]))
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Ixchel" in html and "PREV-2021" not in html


def test_an_empty_gender_and_profile_are_not_recorded_and_counted_as_such(app, client, world):
    as_admin(client, world)
    content = csv_bytes([["Nombre", "Apellidos", "Correo", "País", "Sexo", "Perfil"],
                         ["Rosa", "Paz", "rosa.paz@example.gt", "Guatemala", "", ""],
                         ["Ema", "Sol", "ema.sol@example.org", "Red Civil", "Prefiero no decir", "Otro"]])
    preview = upload(client, world["ids"]["program"], content).headers["Location"]
    assert post_form(client, f"{preview}/confirm", {}, page=preview).status_code == 302
    with app.app_context():
        rosa = db.session.scalar(select(Participant).where(Participant.email_key == "rosa.paz@example.gt"))
        ema = db.session.scalar(select(Participant).where(Participant.email_key == "ema.sol@example.org"))
        assert (rosa.gender, rosa.profile) == ("not_recorded", "not_recorded")
        assert (ema.gender, ema.profile) == ("undisclosed", "other")  # answers people gave stay answers
    impact = client.get(f"/programs/{world['ids']['program']}/impact").get_data(as_text=True)
    by_gender = impact.split("By gender")[1].split("</table>")[0]
    # world's five people were registered without a gender (the model's default): Rosa is the sixth.
    assert "<th scope=\"row\">Not recorded</th><td>6</td>" in by_gender
    assert "<th scope=\"row\">Prefers not to say</th><td>1</td>" in by_gender
    listing = client.get(f"/programs/{world['ids']['program']}/participants",
                         query_string={"gender": "not_recorded"}).get_data(as_text=True)
    assert "Paz, Rosa" in listing and "Sol, Ema" not in listing and "Not recorded" in listing
    bad = client.get(f"/programs/{world['ids']['program']}/participants", query_string={"gender": "nonsense"})
    assert bad.status_code == 200 and "Sol, Ema" in bad.get_data(as_text=True)  # a bad value drops its filter


# --- privacy: every program of the person at once --------------------------------------------------------------


def test_the_personal_data_export_covers_every_program_when_asked(client, returning):
    as_admin(client, returning)
    mx1, jose = returning["ids"]["mx1"], returning["prev"]["jose"]
    page = client.get(f"/participants/{mx1}/personal-data").get_data(as_text=True)
    assert f"/participants/{jose}/personal-data" in page and "PREV-2021" in page
    assert sorted(export_personal_data(client, mx1).namelist()) == ["personal-data.json"]  # this program only
    response = client.post(f"/participants/{mx1}/personal-data.zip",
                           data={"csrf_token": csrf_from(page), "all_programs": "y"})
    names = set(zipfile.ZipFile(io.BytesIO(response.data)).namelist())
    assert {f"TEST-2026-participant-{mx1}/personal-data.json", f"PREV-2021-participant-{jose}/personal-data.json"} \
        <= names


def test_erasure_covers_every_program_only_when_asked(app, client, returning):
    as_admin(client, returning)
    mx1, jose, gt1 = returning["ids"]["mx1"], returning["prev"]["jose"], returning["ids"]["gt1"]
    erase_personal_data(client, gt1, reason="asked by e-mail", confirm="y")
    erase_personal_data(client, mx1, reason="asked by e-mail", confirm="y", all_programs="y")
    with app.app_context():
        erased = {p.id: p.erased_at is not None for p in db.session.scalars(select(Participant).where(
            Participant.id.in_([mx1, jose, gt1, returning["prev"]["ixchel"]])))}
    assert erased == {mx1: True, jose: True, gt1: True, returning["prev"]["ixchel"]: False}


# --- pure: the importer and the report --------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "code"), [("", "not_recorded"), ("Sin dato", "not_recorded"),
                                            ("N/A", "not_recorded"), ("Prefiero no decir", "undisclosed"),
                                            ("Otro", "other"), ("F", "female")])
def test_genders_read_from_a_file(text, code):
    assert _gender(text, RowResult(1, "new")) == code


def test_an_empty_profile_is_not_recorded_and_an_unknown_one_is_other_with_a_warning():
    row = RowResult(1, "new")
    assert _profile("", row) == "not_recorded" and not row.warnings
    assert _profile("Jefe de oficina", row) == "other" and row.warnings[0][0] == "profile_as_other"


def test_not_recorded_is_its_own_group_and_no_gender_the_gains_are_compared_between():
    pre, post = sample_data()
    people = [Respondent(1, "MX", "female", "x"), Respondent(2, "MX", "not_recorded", "x"),
              Respondent(3, "GT", "", "x"), Respondent(4, "GT", "female", "x")]
    assert composition(people, pre, post)["gender"] == {"female": {"registered": 2, "both": 2},
                                                        "not_recorded": {"registered": 2, "both": 2}}
    block = subgroups(people, pre, post, ["K1", "K2"], "gender")
    assert [row["value"] for row in block["rows"]] == ["female", "not_recorded"]
    assert [group["name"] for group in block["difference"]["groups"]] == ["female"]


def test_the_summary_names_the_not_recorded_group(app):
    with app.test_request_context():
        from flask_babel import force_locale

        with force_locale("en"):
            lines = composition_lines({"gender": {"not_recorded": {"registered": 2, "both": 1}}}, "en")
    assert lines == ["By gender (registered / took both tests): Not recorded 2 / 1"]
