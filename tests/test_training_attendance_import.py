"""Zoom and course reports through the web (upload → review → confirm) and `import-attendance`."""
import json

from sqlalchemy import func, select

from extensions import db
from tests.conftest import ZOOM_S0, login, post_form
from tests.helpers import erase_personal_data, export_personal_data
from tests.helpers import upload_report as upload
from training.attendance.views_imports import choice_field
from training.models import Activity, Attendance, AttendanceImport, AttendanceNameLink, AuditEvent

MOODLE = """First name,Surname,Email address,Course complete,Completion date
José Ángel,Núñez Peña,jose.nunez@example.mx,Completed,2/11/26 10:00
Fátima,Gómez Díaz,FATIMA.GOMEZ@example.mx,In progress,
Ixchel,Tzul Batz,ixchel.tzul@example.gt,Not completed,
"""


def marks(app, activity_id):
    with app.app_context():
        return {row.participant_id: (row.status, row.minutes, row.source)
                for row in db.session.scalars(select(Attendance).where(Attendance.activity_id == activity_id))}


def review(client, location, **data):
    return post_form(client, location, data)


def host_field(client, location):
    """The review select for the unmatched host row (named after a digest of the person's key)."""
    html = client.get(location).get_data(as_text=True)
    start = html.index("host@example.org")
    return html[html.index('<select id="', start) + len('<select id="'):].split('"')[0]


def test_zoom_report_is_reviewed_before_anything_is_written(app, client, world):
    ids = world["ids"]
    login(client, world["emails"]["organizer"])
    response = upload(client, ids["activity"], ZOOM_S0)
    assert response.status_code == 302
    location = response.headers["Location"]
    html = client.get(location).get_data(as_text=True)
    assert marks(app, ids["activity"]) == {}
    assert "Núñez Peña, José Ángel" in html and "Tzul Batz, Ixchel" in html and "Secretaría" in html
    assert "por correo" in html and "por nombre" in html
    # The organizer ignores the host and confirms: 115 of 120 minutes is present, 60 is partial.
    response = review(client, location, action="confirm", **{host_field(client, location): "ignore"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/activities/{ids['activity']}/attendance")
    assert marks(app, ids["activity"]) == {ids["mx1"]: ("present", 115, "zoom"), ids["gt1"]: ("partial", 60, "zoom")}
    sheet = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Asistencia importada: 2 personas encontradas, 1 presentes, 1 parciales, 0 sin encontrar." in sheet
    assert "115 min conectado" in sheet
    # A second confirmation of the same upload (double click, second tab) changes nothing.
    again = review(client, location, action="confirm")
    assert again.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEvent)
                                 .where(AuditEvent.action == "attendance.imported")) == 1


def test_reimporting_the_same_report_does_not_double_count(app, client, world):
    ids = world["ids"]
    login(client, world["emails"]["organizer"])
    for attempt in range(2):
        location = upload(client, ids["activity"], ZOOM_S0).headers["Location"]
        if attempt:
            assert "ya se importó para esta actividad" in client.get(location).get_data(as_text=True)
        review(client, location, action="confirm")
    assert marks(app, ids["activity"])[ids["mx1"]] == ("present", 115, "zoom")


def test_linking_an_unmatched_person_adds_their_minutes(app, client, world):
    ids = world["ids"]
    login(client, world["emails"]["admin"])
    location = upload(client, ids["activity"], ZOOM_S0).headers["Location"]
    field = host_field(client, location)
    review(client, location, action="review", **{field: str(ids["gt2"])})
    html = client.get(location).get_data(as_text=True)
    assert "vinculada por usted" in html
    assert marks(app, ids["activity"]) == {}
    review(client, location, action="confirm", **{field: str(ids["gt2"])})
    assert marks(app, ids["activity"])[ids["gt2"]] == ("present", 125, "zoom")


def test_a_link_to_someone_of_another_program_is_refused(app, client, world):
    from training.models import Delegation, Participant, Program

    ids = world["ids"]
    with app.app_context():
        other = Program(code="OTRO-2026", title={"es": "Otro"}, timezone="America/Mexico_City", languages=["es"])
        delegation = Delegation(program=other, kind="member", country_code="MX")
        stranger = Participant(program=other, delegation=delegation, given_names="Ajeno", family_names="Otro",
                               email="ajeno@example.org", email_key="ajeno@example.org", search_key="otro",
                               timezone="America/Mexico_City")
        db.session.add_all([other, delegation, stranger])
        db.session.commit()
        stranger_id = stranger.id
    login(client, world["emails"]["admin"])
    location = upload(client, ids["activity"], ZOOM_S0).headers["Location"]
    for value in (str(stranger_id), "999999", "²", "-1"):
        assert review(client, location, action="review", **{host_field(client, location): value}).status_code == 302
    review(client, location, action="confirm", **{host_field(client, location): str(stranger_id)})
    assert set(marks(app, ids["activity"])) == {ids["mx1"], ids["gt1"]}


def test_hand_marks_are_not_lowered_and_keep_their_comment(app, client, world):
    ids = world["ids"]
    login(client, world["emails"]["organizer"])
    sheet = f"/activities/{ids['activity']}/attendance"
    post_form(client, sheet, {f"status-{ids['gt1']}": "present", f"comment-{ids['gt1']}": "Conexión inestable"})
    location = upload(client, ids["activity"], ZOOM_S0).headers["Location"]
    assert "se mantiene: marcada a mano" in client.get(location).get_data(as_text=True)
    review(client, location, action="confirm")
    assert marks(app, ids["activity"])[ids["gt1"]] == ("present", 60, "manual")
    assert "Conexión inestable" in client.get(sheet).get_data(as_text=True)


def test_unusable_reports_show_every_problem_and_offer_no_confirmation(app, client, world):
    ids = world["ids"]
    login(client, world["emails"]["organizer"])
    html = client.get(upload(client, ids["activity"], "Fecha;Tema\n2026-03-03;Sesión\n").headers["Location"]) \
        .get_data(as_text=True)
    assert "No se puede importar el informe" in html and 'value="confirm"' not in html
    bad = "Name,Duration (Minutes)\nAna,cuarenta\nLuis,30\n,15\n"
    html = client.get(upload(client, ids["activity"], bad).headers["Location"]).get_data(as_text=True)
    assert "Fila 2 (Ana): “cuarenta” no es un número de minutos." in html
    assert "Fila 4: La fila no tiene nombre ni correo electrónico." in html and 'value="confirm"' not in html
    html = client.get(upload(client, ids["activity"], b"%PDF-1.4 binary").headers["Location"]).get_data(as_text=True)
    assert "Este archivo no es una hoja de cálculo CSV ni de Excel (XLSX)." in html
    forced = review(client, client.get(upload(client, ids["activity"], bad).headers["Location"]).request.path,
                    action="confirm")
    assert forced.status_code == 200 and marks(app, ids["activity"]) == {}


def test_a_session_without_times_cannot_take_a_zoom_report(app, client, world):
    with app.app_context():
        undated = Activity(program_id=world["ids"]["program"], code="S9", kind="virtual_session",
                           title={"es": "Sin fecha"})
        db.session.add(undated)
        db.session.commit()
        undated_id = undated.id
    login(client, world["emails"]["organizer"])
    response = upload(client, undated_id, ZOOM_S0)
    assert response.status_code == 200
    assert "Esta sesión aún no tiene hora de inicio y de fin" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AttendanceImport)) == 1  # the world's own


def test_course_report_marks_completion(app, client, world):
    ids = world["ids"]
    with app.app_context():
        course = Activity(program_id=ids["program"], code="C1", kind="online_course", title={"es": "Curso"})
        db.session.add(course)
        db.session.commit()
        course_id = course.id
    login(client, world["emails"]["organizer"])
    response = upload(client, course_id, MOODLE.encode("utf-8-sig"), filename="moodle.csv")
    review(client, response.headers["Location"], action="confirm")
    assert marks(app, course_id) == {ids["mx1"]: ("completed", None, "course_report"),
                                     ids["mx2"]: ("partial", None, "course_report"),
                                     ids["gt1"]: ("absent", None, "course_report")}


def test_cli_dry_run_json_then_import(app, world, tmp_path):
    report = tmp_path / "zoom.csv"
    report.write_bytes(ZOOM_S0.encode("cp1252"))
    runner = app.test_cli_runner()
    args = ["import-attendance", str(report), "--program", "TEST-2026", "--activity", "s0"]
    result = runner.invoke(args=args + ["--dry-run", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {"matched": 2, "present": 1, "partial": 1, "unmatched": 1,
                                         "unmatched_names": ["Secretaría"], "dry_run": True}
    assert marks(app, world["ids"]["activity"]) == {}
    result = runner.invoke(args=args + ["--min-share", "50"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["imported S0: 2 matched (2 present, 0 partial), 1 unmatched",
                                          "unmatched: Secretaría"]
    assert marks(app, world["ids"]["activity"])[world["ids"]["gt1"]] == ("present", 60, "zoom")


def test_cli_reports_unusable_files_one_line_per_problem(app, world, tmp_path):
    report = tmp_path / "zoom.csv"
    report.write_text("Name,Duration (Minutes)\nAna,cuarenta\n,15\n")
    runner = app.test_cli_runner()  # click ≥ 8.2 keeps stderr apart
    result = runner.invoke(args=["import-attendance", str(report), "--program", "TEST-2026", "--activity", "S0"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == ["row 2: “cuarenta” no es un número de minutos.",
                                          "row 3: La fila no tiene nombre ni correo electrónico."]
    result = runner.invoke(args=["import-attendance", str(report), "--program", "TEST-2026", "--activity", "S7"])
    assert result.exit_code == 1 and "no activity 'S7' in TEST-2026" in result.stderr
    assert marks(app, world["ids"]["activity"]) == {}



# A Zoom report of session 1 (8 December, meeting 812 3456 7890), hosted by host@example.org.
S1_REPORT = """Meeting ID,Topic,Start Time,End Time,User Email,Duration (Minutes),Participants,
812 3456 7890,Sesión 1,12/08/2026 01:55:00 PM,12/08/2026 04:00:00 PM,host@example.org,125,3,

Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest
Secretaría,host@example.org,12/08/2026 01:55:00 PM,12/08/2026 04:00:00 PM,125,No
José Ángel Núñez,jose.nunez@example.mx,12/08/2026 02:00:00 PM,12/08/2026 04:00:00 PM,120,Yes
"""


def session(app, world, code, day, title, link=""):
    """A two-hour session of world's program at 14:00 in Mexico City (20:00 UTC) on `day` of December 2026."""
    from datetime import datetime, timezone

    with app.app_context():
        activity = Activity(program_id=world["ids"]["program"], code=code, kind="virtual_session",
                            title={"es": title}, link=link,
                            starts_at=datetime(2026, 12, day, 20, 0, tzinfo=timezone.utc),
                            ends_at=datetime(2026, 12, day, 22, 0, tzinfo=timezone.utc))
        db.session.add(activity)
        db.session.commit()
        return activity.id


def test_a_report_of_another_session_is_warned_about_and_saved_only_when_the_reviewer_confirms_it(app, client,
                                                                                                  world):
    s2 = session(app, world, "S2", 10, "Sesión 2", link="https://us02web.zoom.us/j/89876543210?pwd=abc")
    login(client, world["emails"]["organizer"])
    location = upload(client, s2, S1_REPORT).headers["Location"]
    html = client.get(location).get_data(as_text=True)
    assert "Puede que este informe no sea de esta sesión" in html
    assert ("El informe es de una reunión del martes, 8 de diciembre de 2026, 13:55; esta sesión empieza el "
            "jueves, 10 de diciembre de 2026, 14:00 (hora de Ciudad de México).") in html
    assert ("El informe es de la reunión de Zoom 81234567890; el enlace de esta sesión es de la reunión "
            "89876543210.") in html
    assert "El tema del informe, “Sesión 1”, no es el título de esta sesión, “Sesión 2”." in html
    # Confirming without saying the report was checked writes nothing.
    response = review(client, location, action="confirm")
    assert response.status_code == 302 and marks(app, s2) == {}
    assert "No se importó nada: puede que este informe no sea de esta sesión." in \
        client.get(response.headers["Location"]).get_data(as_text=True)
    review(client, location, action="confirm", fits_anyway="yes")
    assert marks(app, s2) == {world["ids"]["mx1"]: ("present", 120, "zoom")}
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "attendance.imported"))
        assert event.details["warnings"] == ["date", "meeting_id", "topic"]


def test_a_report_that_fits_its_session_has_no_warning_and_the_hosts_rows_are_ignored(app, client, world):
    s1 = session(app, world, "S1", 8, "Sesión 1: Migración laboral",
                 link="https://us02web.zoom.us/j/81234567890?pwd=abc")
    login(client, world["emails"]["organizer"])
    location = upload(client, s1, S1_REPORT).headers["Location"]
    html = client.get(location).get_data(as_text=True)
    assert "Puede que este informe no sea" not in html and 'name="fits_anyway"' not in html
    assert "Se ignora 1 fila del anfitrión de la reunión (Secretaría)" in html
    review(client, location, action="confirm")
    assert marks(app, s1) == {world["ids"]["mx1"]: ("present", 120, "zoom")}
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "attendance.imported"))
        assert (event.details["hosts"], event.details["ignored"], event.details["unmatched"]) == (1, 1, 0)


def test_a_link_made_once_is_remembered_for_the_programs_other_sessions(app, client, world):
    ids = world["ids"]
    phone = "Name,Join Time,Leave Time\nÓscar (iPhone),{day} 02:00 PM,{day} 04:00 PM\n"
    s1, s2, s3 = (session(app, world, f"S{n}", 7 + n, f"Sesión {n}") for n in (1, 2, 3))
    login(client, world["emails"]["organizer"])
    location = upload(client, s1, phone.format(day="12/08/2026")).headers["Location"]
    field = choice_field("name:oscar iphone")
    review(client, location, action="confirm", **{field: str(ids["gt2"])})
    assert marks(app, s1) == {ids["gt2"]: ("present", 120, "zoom")}
    # The next session's report matches the name by itself, and says why.
    location = upload(client, s2, phone.format(day="12/09/2026")).headers["Location"]
    html = client.get(location).get_data(as_text=True)
    assert "recordada: vinculada en una importación anterior" in html
    review(client, location, action="confirm")
    assert marks(app, s2) == {ids["gt2"]: ("present", 120, "zoom")}
    # A reviewer who undoes it leaves the name unmatched, and the program forgets the link.
    location = upload(client, s3, phone.format(day="12/10/2026")).headers["Location"]
    review(client, location, action="confirm", **{field: ""})
    assert marks(app, s3) == {}
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AttendanceNameLink)) == 0
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "attendance.imported")
                                    .order_by(AuditEvent.id)).all()
        assert [(e.details["links_remembered"], e.details["remembered"], e.details["links_forgotten"])
                for e in events] == [(1, 0, 0), (0, 1, 0), (0, 0, 1)]


def test_unmatched_names_get_suggestions_never_matches(app, client, world):
    ids = world["ids"]
    login(client, world["emails"]["organizer"])
    report = "Name,Duration (Minutes)\nMX - Fátima Gomes Díaz,120\n"
    location = upload(client, ids["activity"], report).headers["Location"]
    html = client.get(location).get_data(as_text=True)
    suggested = html[html.index('<optgroup label="Sugeridas">'):].split("</optgroup>")[0]
    assert f'<option value="{ids["mx2"]}">Gómez Díaz, Fátima' in suggested and suggested.count("<option") == 1
    review(client, location, action="confirm")
    assert marks(app, ids["activity"]) == {}


def test_cli_prints_the_warnings_and_imports_only_despite_them(app, world, tmp_path):
    s2 = session(app, world, "S2", 10, "Sesión 2")
    report = tmp_path / "zoom.csv"
    report.write_text(S1_REPORT)
    args = ["import-attendance", str(report), "--program", "TEST-2026", "--activity", "S2"]
    runner = app.test_cli_runner()
    result = runner.invoke(args=args)
    assert result.exit_code == 1 and marks(app, s2) == {}
    assert result.stderr.splitlines() == [
        "warning: El informe es de una reunión del martes, 8 de diciembre de 2026, 13:55; esta sesión empieza el "
        "jueves, 10 de diciembre de 2026, 14:00 (hora de Ciudad de México).",
        "warning: El tema del informe, “Sesión 1”, no es el título de esta sesión, “Sesión 2”.",
        "nothing imported: the report may not be of this session (--despite-warnings imports it)"]
    assert runner.invoke(args=args + ["--dry-run"]).exit_code == 0 and marks(app, s2) == {}
    result = runner.invoke(args=args + ["--despite-warnings"])
    assert result.exit_code == 0, result.output
    assert marks(app, s2) == {world["ids"]["mx1"]: ("present", 120, "zoom")}


def test_a_remembered_name_is_personal_data_exported_and_erased(app, client, world):
    ids = world["ids"]
    login(client, world["emails"]["admin"])
    location = upload(client, ids["activity"], ZOOM_S0).headers["Location"]
    review(client, location, action="confirm", **{host_field(client, location): str(ids["gt2"])})
    data = json.loads(export_personal_data(client, ids["gt2"]).read("personal-data.json"))
    assert data["attendance_report_names"] == ["secretaria"]
    erase_personal_data(client, ids["gt2"], reason="Pidió la supresión", confirm="y")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AttendanceNameLink)) == 0
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "participant.erased"))
        assert event.details["report_names"] == 1
