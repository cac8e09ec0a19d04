"""In Chromium: a facilitator marks a session on a tablet, an organizer imports a Zoom report and runs group work."""
import io
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from extensions import db
from tests.conftest import DEMO_PASSWORD, sign_in
from tests.helpers import DEMO
from training.models import Activity, Attendance, Participant, Program

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(app):
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0


def demo_ids(app, code):
    with app.app_context():
        activity = db.session.scalar(select(Activity).join(Program).where(Activity.code == code, Program.code == DEMO))
        people = db.session.scalars(select(Participant).where(Participant.program_id == activity.program_id)
                                    .order_by(Participant.search_key)).all()
        return activity.id, [(p.id, p.family_names, p.given_names, p.email) for p in people]


def demo_day(app, code):
    """The session's date in the demo program's zone, as Zoom's Spanish export writes it (day first)."""
    with app.app_context():
        activity = db.session.scalar(select(Activity).join(Program).where(Activity.code == code, Program.code == DEMO))
        return activity.starts_at.astimezone(ZoneInfo(activity.program.timezone)).strftime("%d/%m/%Y")


def mark_of(app, activity_id, participant_id):
    with app.app_context():
        row = db.session.scalar(select(Attendance).where(Attendance.activity_id == activity_id,
                                                         Attendance.participant_id == participant_id))
        return (row.status, row.comment, row.source) if row else None


def test_a_facilitator_marks_a_session_on_a_tablet(page, app, demo, artifacts):
    activity_id, people = demo_ids(app, "S2")
    person_id, family, given, _email = people[0]
    page.set_viewport_size({"width": 768, "height": 1024})
    sign_in(page, "facilitadora@capacita.example", DEMO_PASSWORD)
    page.goto(f"/activities/{activity_id}")
    page.get_by_role("link", name="Asistencia", exact=True).click()
    card = page.locator("fieldset", has_text=f"{family}, {given}")
    card.get_by_label("Justificada").check()
    card.get_by_placeholder("Comentario (p. ej., motivo de la justificación)").fill("Cita médica <urgente>")
    page.get_by_role("button", name="Guardar la hoja").first.click()
    assert page.get_by_text("1 marca guardada.").is_visible()
    assert mark_of(app, activity_id, person_id) == ("excused", "Cita médica <urgente>", "manual")
    assert page.evaluate("document.documentElement.scrollWidth") <= 768
    page.screenshot(path=str(artifacts / "attendance-sheet-tablet.png"), full_page=False)


def test_an_organizer_imports_a_zoom_report_and_reviews_who_was_not_matched(page, app, demo, tmp_path,
                                                                           artifacts):
    activity_id, people = demo_ids(app, "S1")
    (first_id, family, given, email), (second_id, _family_2, given_2, _e) = people[0], people[1]
    report = tmp_path / "zoom-s1.csv"
    day = demo_day(app, "S1")
    report.write_text(
        "Nombre (nombre original);Correo electrónico del usuario;Hora de entrada;Hora de salida;Duración (minutos)\n"
        f"{given} {family};{email};{day} 02:00:00 p. m.;{day} 04:00:00 p. m.;120\n"
        f"Tablet de {given_2};;{day} 02:00:00 p. m.;{day} 02:30:00 p. m.;30\n"
        f"Anfitrión OIM;host@oim.example;{day} 01:50:00 p. m.;{day} 04:10:00 p. m.;140\n",
        encoding="cp1252")
    page.set_viewport_size({"width": 360, "height": 740})
    sign_in(page, "organizadora@capacita.example", DEMO_PASSWORD)
    page.goto(f"/activities/{activity_id}/attendance")
    page.get_by_role("link", name="Importar un informe de Zoom").click()
    page.get_by_label("Informe (CSV o XLSX)").set_input_files(str(report))
    page.get_by_role("button", name="Revisar el informe").click()
    assert page.get_by_text("Personas sin encontrar").is_visible()
    assert mark_of(app, activity_id, first_id)[2] == "manual"  # nothing written yet (the demo's own mark)
    page.get_by_label(f"Persona inscrita para Tablet de {given_2}").select_option(str(second_id))
    page.get_by_label("Persona inscrita para Anfitrión OIM").select_option("ignore")
    page.screenshot(path=str(artifacts / "zoom-review-360.png"), full_page=True)
    page.get_by_role("button", name="Aplicar los vínculos y revisar de nuevo").click()
    assert page.get_by_text("vinculada por usted").is_visible()
    page.get_by_role("button", name="Guardar la asistencia de 2 personas").click()
    assert page.get_by_text("Asistencia importada: 2 personas encontradas").is_visible()
    assert mark_of(app, activity_id, first_id)[0] == "present"
    assert mark_of(app, activity_id, second_id)[0] in ("present", "late")  # a hand mark is never lowered
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_an_organizer_forms_groups_moves_someone_and_names_a_rapporteur(page, app, demo, artifacts):
    activity_id, people = demo_ids(app, "S3")
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, "organizadora@capacita.example", DEMO_PASSWORD)
    page.goto(f"/activities/{activity_id}")
    page.get_by_role("link", name="Grupos").click()
    assert page.get_by_role("heading", name="Grupo 4").is_visible()
    page.get_by_role("link", name="Formar los grupos de nuevo").click()
    page.get_by_label("Semilla").fill("99")
    page.get_by_role("button", name="Formar los grupos").click()
    assert page.get_by_text("Grupos formados.").is_visible()
    assert page.get_by_text("Grupos mixtos equilibrados, semilla 99").is_visible()
    page.screenshot(path=str(artifacts / "groups-1280.png"), full_page=True)

    person_id, family, given, _email = people[0]
    page.get_by_role("link", name="Cambiar personas de grupo").click()
    page.get_by_label(f"Grupo de {given} {family}").select_option(label="Grupo 2 · Inclusión laboral")
    page.get_by_role("button", name="Guardar los cambios").click()
    assert page.get_by_text("1 persona cambiada de grupo.").is_visible()
    group_2 = page.locator("section.group-card", has_text="Inclusión laboral")
    assert group_2.get_by_text(f"{family}, {given}").is_visible()

    group_2.get_by_role("link", name="Editar el grupo, relator/a y conclusiones").click()
    page.get_by_label("Relator/a").select_option(label=f"{given} {family}")
    page.get_by_label("Conclusiones para la plenaria").fill("La inclusión empieza por reconocer competencias.")
    page.get_by_role("button", name="Guardar").click()
    group_2 = page.locator("section.group-card", has_text="Inclusión laboral")
    assert group_2.get_by_text("La inclusión empieza por reconocer competencias.").is_visible()
    assert group_2.locator("li", has_text=f"{family}, {given}").get_by_text("Relator/a").is_visible()

    page.set_viewport_size({"width": 360, "height": 740})
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(artifacts / "groups-360.png"), full_page=True)
    page.get_by_role("link", name="Lista para imprimir").click()
    assert page.get_by_role("heading", name="Preguntas orientadoras").is_visible()
    # The whole list, 113 people in four groups, prints on one A4 page.
    pdf = page.pdf(path=str(artifacts / "groups-print.pdf"), format="A4")
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
