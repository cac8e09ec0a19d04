"""Attendance sheets and the matrix: marks saved per person, scoped by country, exported, and what is missing."""
import csv
import io
from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select

from extensions import db
from tests.conftest import login, post_form
from training.attendance.rules import missing_required
from training.models import Activity, Attendance, AuditEvent


def test_missing_required_counts_only_attending_marks():
    marks = {"S1": "present", "S2": "excused", "C1": "completed", "S3": "late"}
    assert missing_required(["S1", "S2", "S3", "C1", "C2"], marks) == ["S2", "C2"]
    assert missing_required(["S1", "S2"], marks, count_excused=True) == []


def test_a_facilitator_marks_the_sheet(app, client, world):
    login(client, world["emails"]["facilitator"])
    url = f"/activities/{world['ids']['activity']}/attendance"
    ids = world["ids"]
    response = post_form(client, url, {f"status-{ids['mx1']}": "present", f"status-{ids['gt1']}": "excused",
                                        f"comment-{ids['gt1']}": "Cita médica", f"status-{ids['gt2']}": "absent"})
    assert response.status_code == 302
    html = client.get(url).get_data(as_text=True)
    assert "Cita médica" in html and "3 marcas guardadas." in html
    # "All present" fills in only those left unmarked; explicit marks stay.
    post_form(client, url, {"action": "all_present", f"status-{ids['gt2']}": "absent"})
    with app.app_context():
        marks = {a.participant_id: a.status for a in db.session.scalars(select(Attendance))}
    assert marks == {ids["mx1"]: "present", ids["gt1"]: "present", ids["gt2"]: "absent", ids["mx2"]: "present",
                     ids["obs1"]: "present"}


def test_focal_points_mark_only_their_country(app, client, world):
    login(client, world["emails"]["focal_gt"])
    url = f"/activities/{world['ids']['activity']}/attendance"
    html = client.get(url).get_data(as_text=True)
    assert "Tzul Batz" in html and "Núñez" not in html
    forged = post_form(client, url, {f"status-{world['ids']['mx1']}": "absent"})
    assert forged.status_code == 404
    bad_status = post_form(client, url, {f"status-{world['ids']['gt1']}": "teleported"})
    assert bad_status.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(Attendance)) is None


def test_matrix_shows_what_each_person_lacks_and_exports_it(app, client, world):
    with app.app_context():
        course = Activity(program_id=world["ids"]["program"], code="C1", kind="online_course", title={"es": "Curso"})
        db.session.add(course)
        db.session.flush()
        db.session.add_all([
            Attendance(participant_id=world["ids"]["mx1"], activity_id=world["ids"]["activity"], status="present"),
            Attendance(participant_id=world["ids"]["mx1"], activity_id=course.id, status="completed"),
            Attendance(participant_id=world["ids"]["gt1"], activity_id=world["ids"]["activity"], status="late"),
        ])
        db.session.commit()
    login(client, world["emails"]["organizer"])
    base = f"/programs/{world['ids']['program']}/attendance"
    incomplete = client.get(base, query_string={"only": "incomplete"}).get_data(as_text=True)
    assert "Tzul Batz" in incomplete and "Núñez Peña" not in incomplete
    complete = client.get(base, query_string={"only": "complete", "program_id": "9"}).get_data(as_text=True)
    assert "Núñez Peña" in complete and "1 participante" in complete
    exported = client.get(f"{base}.csv").get_data().decode("utf-8-sig")
    rows = {row[0]: row for row in csv.reader(io.StringIO(exported), delimiter=";")}
    assert rows["Núñez Peña"][4:7] == ["Presente", "Completado", ""]
    assert rows["Tzul Batz"][-1] == "C1"
    # Filtered by delegation, on screen and in the export.
    guatemala = client.get(base, query_string={"delegation": world["ids"]["gt"]}).get_data(as_text=True)
    assert "Tzul Batz" in guatemala and "Cojtí" in guatemala and "Núñez Peña" not in guatemala
    assert f'<option value="{world["ids"]["gt"]}" selected>' in guatemala
    exported = client.get(f"{base}.csv", query_string={"delegation": world["ids"]["gt"]}).get_data().decode("utf-8-sig")
    names = sorted(row[0] for row in csv.reader(io.StringIO(exported), delimiter=";"))
    assert names == ["Apellidos", "Cojtí", "Tzul Batz"]


def test_cli_exports_the_matrix(app, world, tmp_path):
    import openpyxl

    output = tmp_path / "asistencia.xlsx"
    result = app.test_cli_runner().invoke(args=["export-attendance", "--program", "TEST-2026", "--format", "xlsx",
                                                "--output", str(output)])
    assert result.exit_code == 0 and "5 participants, 1 activities" in result.output
    rows = list(openpyxl.load_workbook(output).active.iter_rows(values_only=True))
    assert rows[0][4] == "S0" and rows[0][-1] == "Actividades obligatorias que faltan"
    assert all(row[-1] == "S0" for row in rows[1:])


def test_everyone_else_is_marked_absent_once_and_audited(app, client, world):
    ids = world["ids"]
    login(client, world["emails"]["facilitator"])
    sheet = f"/activities/{ids['activity']}/attendance"
    post_form(client, sheet, {f"status-{ids['mx1']}": "present", f"status-{ids['gt1']}": "excused"})
    assert "Marcar al resto como ausente" in client.get(sheet).get_data(as_text=True)
    response = post_form(client, f"{sheet}/absent", {}, page=sheet)
    assert response.status_code == 302
    assert "3 personas marcadas como ausentes." in client.get(sheet).get_data(as_text=True)
    with app.app_context():
        marks = {a.participant_id: (a.status, a.source) for a in db.session.scalars(select(Attendance))}
    assert marks == {ids["mx1"]: ("present", "manual"), ids["gt1"]: ("excused", "manual"),
                     ids["mx2"]: ("absent", "manual"), ids["gt2"]: ("absent", "manual"),
                     ids["obs1"]: ("absent", "manual")}
    # Pressed again (a second tab): nothing left to mark, nothing written, no second event.
    post_form(client, f"{sheet}/absent", {}, page=sheet)
    html = client.get(sheet).get_data(as_text=True)
    assert "Todas las personas ya tienen una marca: no se marcó a nadie como ausente." in html
    assert "Marcar al resto como ausente" not in html
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "attendance.absent_marked")).all()
        assert [(e.user_id, e.details["count"]) for e in events] == [(ids["facilitator"], 3)]


def test_a_focal_point_marks_absent_only_their_country_and_nobody_before_the_session_ends(app, client, world):
    ids = world["ids"]
    login(client, world["emails"]["focal_gt"])
    sheet = f"/activities/{ids['activity']}/attendance"
    post_form(client, f"{sheet}/absent", {}, page=sheet)
    with app.app_context():
        assert {a.participant_id for a in db.session.scalars(select(Attendance))} == {ids["gt1"], ids["gt2"]}
        later = Activity(program_id=ids["program"], code="S9", kind="virtual_session", title={"es": "Futura"},
                         starts_at=datetime.now(timezone.utc) + timedelta(days=1),
                         ends_at=datetime.now(timezone.utc) + timedelta(days=1, hours=2))
        db.session.add(later)
        db.session.commit()
        later_id = later.id
    later_sheet = f"/activities/{later_id}/attendance"
    assert "Marcar al resto como ausente" not in client.get(later_sheet).get_data(as_text=True)
    response = post_form(client, f"{later_sheet}/absent", {}, page=later_sheet)
    assert "Esta actividad aún no ha terminado" in client.get(response.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Attendance)
                                 .where(Attendance.activity_id == later_id)) == 0
