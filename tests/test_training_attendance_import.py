"""Zoom and course reports through the web (upload → review → confirm) and `import-attendance`."""
import json

from sqlalchemy import func, select

from extensions import db
from tests.conftest import ZOOM_S0, login, post_form
from tests.helpers import upload_report as upload
from training.models import Activity, Attendance, AttendanceImport, AuditEvent

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

