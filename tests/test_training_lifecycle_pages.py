"""The program page's lifecycle through HTTP: the phases, their states and the one next action for each viewer, at
several points of a program's life, and each next action leads to the page that does it."""
import html
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from assessments.models import Attempt
from certificates.services import settings_for
from extensions import db
from tests.conftest import login, post_form
from tests.factories import (
    make_activity,
    make_agenda_item,
    make_delegation,
    make_grant,
    make_participant,
    make_program,
    make_question,
    make_questionnaire,
    make_section,
    make_staff,
)
from tests.helpers import choose_english, upload_list
from training.models import Attendance, OutboundMessage, User, utcnow

NOTHING = "Por ahora no hay nada pendiente de su parte."


def next_step(page):
    """(the next action's words, where it leads, its method) from the page's "next step" box; None when empty."""
    box = re.search(r'<section class="next-step.*?</section>', page, re.S).group(0)
    link = re.search(r'<a class="button primary" href="([^"]+)">([^<]+)</a>', box)
    if link:
        return html.unescape(link.group(2)), html.unescape(link.group(1)), "get"
    form = re.search(r'<form method="post" action="([^"]+)".*?<button[^>]*>([^<]+)</button>', box, re.S)
    if form:
        return html.unescape(form.group(2)), html.unescape(form.group(1)), "post"
    assert NOTHING in box or "Nothing is waiting on you" in box
    return None


def steps(page):
    """{step title: state} of every step the page lists."""
    found = re.findall(r'<li class="step step-(\w+)[^"]*">\s*<span class="state[^"]*">[^<]*</span>\s*'
                       r'<span class="step-body"><strong>([^<]+)</strong>', page)
    return {html.unescape(title): state for state, title in found}


def phase_titles(page):
    return [html.unescape(t) for t in re.findall(r'<li class="phase phase-\w+">\s*<h3>([^<]+?) <span', page)]


def dashboard(client, program_id):
    response = client.get(f"/programs/{program_id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.fixture
def staff(app):
    with app.app_context():
        users = {"admin": make_staff("admin", "admin@example.org", "Admin"),
                 "organizer": make_staff("organizer", "org@example.org", "Org"),
                 "facilitator": make_staff("facilitator", "fac@example.org", "Fac"),
                 "focal_mx": make_staff("focal_point", "fp.mx@example.org", "FP MX", country_code="MX")}
        db.session.commit()
        return {key: user.email for key, user in users.items()}


def set_up_program(starts_in_days, code="VIDA-2027"):
    """A program starting `starts_in_days` from now (negative: it started already) whose set-up is complete: dates,
    both titles, session S1 at 15:00 UTC on its first day with an agenda, a pre-test and a post-test with one
    question each, certificate settings saved; Mexico (3 places) and Guatemala (2) with nobody registered yet."""
    start = utcnow().replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=starts_in_days)
    program = make_program(code, start_date=start.date(), end_date=(start + timedelta(days=4)).date())
    s1 = make_activity(program, "S1", {"es": "Sesión 1", "en": "Session 1"}, start + timedelta(hours=15))
    make_agenda_item(s1, "welcome", {"es": "Bienvenida"})
    tests = {}
    for kind in ("pre", "post"):
        tests[kind] = make_questionnaire(program, kind, {"es": f"Prueba {kind}"})
        make_question(make_section(tests[kind], {"es": "Aplicación"}), "long_text", "application",
                      {"es": "¿Qué aplicará?"})
    db.session.add(settings_for(program))
    mx, gt = make_delegation(program, "MX", quota=3), make_delegation(program, "GT", quota=2)
    focal_mx = db.session.scalar(select(User).where(User.email == "fp.mx@example.org"))
    if focal_mx is not None:  # `staff`'s focal point is Mexico's in each program made
        make_grant(focal_mx, "focal_point", program, "MX")
    db.session.flush()
    return {"program": program.id, "s1": s1.id, "pre": tests["pre"].id, "post": tests["post"].id, "mx": mx.id,
            "gt": gt.id}


@pytest.fixture
def ahead(app, staff):
    """set_up_program a month ahead."""
    with app.app_context():
        ids = set_up_program(30)
        db.session.commit()
    return ids


def test_an_empty_program_asks_its_planners_for_the_activities_and_everyone_sees_the_phases(app, client, staff):
    with app.app_context():
        start = utcnow() + timedelta(days=40)
        program = make_program("VACIO-2027", start_date=start.date(), end_date=(start + timedelta(days=3)).date())
        db.session.commit()
        program_id = program.id
    login(client, staff["admin"])
    page = dashboard(client, program_id)
    assert next_step(page) == ("Agregar las actividades", f"/programs/{program_id}/activities/new", "get")
    assert phase_titles(page) == ["Preparación", "Inscripción", "Sesiones", "Evaluación", "Certificados", "Cierre"]
    assert steps(page)["Actividades y agenda"] == "not_yet" and steps(page)["Datos del programa"] == "done"
    # The pages the 11 buttons opened stay reachable, below.
    for path in ("participants/import", "messages", "delegations/new", "edit", "certificates", "impact"):
        assert f'href="/programs/{program_id}/{path}"' in page
    choose_english(client)
    assert next_step(dashboard(client, program_id))[0] == "Add the activities"

    organizer = app.test_client()
    login(organizer, staff["organizer"])
    assert next_step(dashboard(organizer, program_id))[0] == "Agregar las actividades"
    facilitator = app.test_client()  # plans nothing: nothing is asked of them, and no planning link is offered
    login(facilitator, staff["facilitator"])
    page = dashboard(facilitator, program_id)
    assert next_step(page) is None and f"/programs/{program_id}/activities/new" not in page


def test_after_a_list_is_imported_the_secretariat_is_asked_to_send_the_invitations(app, client, staff, ahead,
                                                                                     run_tasks):
    program = ahead["program"]
    login(client, staff["admin"])
    assert next_step(dashboard(client, program)) == ("Importar la lista de participantes",
                                                     f"/programs/{program}/participants/import", "get")
    content = ("Nombre;Apellidos;Correo;País\nLuz;Ríos;luz.rios@example.mx;México\n"
               "Ana;Paz;ana.paz@example.mx;México\n").encode("cp1252")
    preview = upload_list(client, program, content).headers["Location"]
    assert post_form(client, f"{preview}/confirm", {}, page=preview).status_code == 302

    page = dashboard(client, program)
    assert next_step(page) == ("Enviar las invitaciones", f"/programs/{program}/messages", "get")
    assert steps(page)["Listas de participantes"] == "in_progress" and steps(page)["Invitaciones"] == "not_yet"
    assert "2 registradas de 5 lugares" in page and "0 de 2 invitadas" in page

    post_form(client, f"/programs/{program}/invitations", {"audience": "not_invited"},
              page=f"/programs/{program}/messages")
    run_tasks()
    page = dashboard(client, program)
    assert steps(page)["Invitaciones"] == "done" and "2 de 2 invitadas" in page
    assert next_step(page) == ("Abrir la evaluación previa", f"/questionnaires/{ahead['pre']}", "get")


def test_a_focal_point_is_shown_their_delegation_s_list_and_the_secretariat_then_confirms_it(app, client, staff,
                                                                                              ahead):
    program, mx = ahead["program"], ahead["mx"]
    login(client, staff["focal_mx"])
    assert next_step(dashboard(client, program)) == ("Importar la lista de participantes",
                                                     f"/programs/{program}/participants/import", "get")
    with app.app_context():
        from training.models import Delegation

        for delegation_id, given, email in ((mx, "Luz", "luz@example.mx"), (mx, "Ana", "ana@example.mx"),
                                            (ahead["gt"], "Ixchel", "ixchel@example.gt")):
            make_participant(db.session.get(Delegation, delegation_id), given, "Prueba", email)
        db.session.commit()

    page = dashboard(client, program)
    assert next_step(page) == ("Marcar su lista (México) como enviada a la secretaría", f"/delegations/{mx}/submit",
                               "post")
    assert "2 registradas de 3 lugares" in page  # Mexico's alone: Guatemala's person is not counted
    assert "Su siguiente paso" in page
    # Nothing the secretariat or the organizers do is offered or counted for them.
    titles = steps(page)
    assert "Invitaciones" not in titles and "Reglas y diseño del certificado" not in titles
    for path in (f"/programs/{program}/messages", f"/questionnaires/{ahead['pre']}", f"/delegations/{mx}/confirm"):
        assert f'"{path}"' not in page

    post_form(client, f"/delegations/{mx}/submit", {}, page=f"/programs/{program}")
    assert next_step(dashboard(client, program)) is None

    admin = app.test_client()
    login(admin, staff["admin"])
    assert next_step(dashboard(admin, program)) == ("Confirmar la lista de México", f"/delegations/{mx}/confirm",
                                                    "post")


def started_program(app, ago_days=2):
    """set_up_program started `ago_days` ago, with two people of Mexico invited (in the outbox)."""
    with app.app_context():
        from training.models import Delegation

        ids = set_up_program(-ago_days, code="CORRE-2026")
        mx = db.session.get(Delegation, ids["mx"])
        people = [make_participant(mx, given, "Prueba", f"{given.lower()}@example.mx") for given in ("Luz", "Ana")]
        for person in people:
            db.session.add(OutboundMessage(program_id=ids["program"], participant_id=person.id, kind="invitation",
                                           language="es", to_address=person.email, subject="Invitación", body="…",
                                           status="outbox"))
        db.session.commit()
        return {**ids, "people": [person.id for person in people]}


def test_a_session_that_ended_with_no_attendance_is_late_until_its_sheet_is_filled(app, client, staff):
    ids = started_program(app)
    login(client, staff["organizer"])
    page = dashboard(client, ids["program"])
    assert next_step(page) == ("Registrar la asistencia de S1", f"/activities/{ids['s1']}/attendance", "get")
    assert "Atrasado" in re.search(r'<section class="next-step.*?</section>', page, re.S).group(0)
    assert steps(page)["Asistencia"] == "late"

    post_form(client, f"/activities/{ids['s1']}/attendance", {"action": "all_present"})
    page = dashboard(client, ids["program"])
    assert steps(page)["Asistencia"] == "done"
    # Next: the pre-test, which nobody opened although the first session has started.
    assert next_step(page) == ("Abrir la evaluación previa", f"/questionnaires/{ids['pre']}", "get")
    assert steps(page)["Evaluación previa (pre-test)"] == "late"


def test_a_post_test_closed_with_attempts_left_is_late_until_its_progress_page_submits_them(app, client, staff,
                                                                                            run_tasks):
    ids = started_program(app, ago_days=6)
    now = utcnow()
    with app.app_context():
        from assessments.models import Questionnaire

        for kind, closes in (("pre", now - timedelta(days=5)), ("post", now - timedelta(hours=1))):
            test = db.session.get(Questionnaire, ids[kind])
            test.opens_at, test.closes_at = now - timedelta(days=6), closes
        luz, ana = ids["people"]
        for person in (luz, ana):
            db.session.add(Attendance(participant_id=person, activity_id=ids["s1"], status="present"))
            db.session.add(Attempt(questionnaire_id=ids["pre"], participant_id=person, status="submitted",
                                   submitted_at=now - timedelta(days=5, hours=1), score=0, max_score=0))
        db.session.add(Attempt(questionnaire_id=ids["post"], participant_id=luz, status="submitted",
                               submitted_at=now - timedelta(hours=2), score=0, max_score=0))
        db.session.add(Attempt(questionnaire_id=ids["post"], participant_id=ana, status="in_progress",
                               started_at=now - timedelta(hours=3)))
        db.session.commit()
    login(client, staff["organizer"])
    page = dashboard(client, ids["program"])
    assert next_step(page) == ("Enviar los intentos de la evaluación posterior que quedaron abiertos",
                               f"/questionnaires/{ids['post']}/progress", "get")
    assert steps(page)["Evaluación posterior (post-test)"] == "late"
    assert "1 de 2 respondieron (50 %)" in page and "1 aún respondiendo" in page

    assert client.get(f"/questionnaires/{ids['post']}/progress").status_code == 200  # submits what was saved
    with app.app_context():
        assert db.session.scalar(select(Attempt.status).where(Attempt.questionnaire_id == ids["post"],
                                                              Attempt.participant_id == ana)) == "submitted"
    page = dashboard(client, ids["program"])
    assert steps(page)["Evaluación posterior (post-test)"] == "done" and "2 de 2 respondieron (100 %)" in page
    # Both took the post-test and attended: the certificates are what is left to do.
    assert next_step(page) == ("Emitir los certificados", f"/programs/{ids['program']}/certificates?status=eligible",
                               "get")
    post_form(client, f"/programs/{ids['program']}/certificates/issue", {"everyone": "y"},
              page=f"/programs/{ids['program']}/certificates")
    run_tasks()  # the worker draws their PDFs
    page = dashboard(client, ids["program"])
    assert steps(page)["Certificados"] == "done" and "2 emitidos" in page
    assert next_step(page) == ("Leer el informe de impacto", f"/programs/{ids['program']}/impact", "get")


def test_a_missing_title_is_asked_for_with_the_language_named_in_the_page_s_language(app, client, staff):
    with app.app_context():
        start = utcnow() + timedelta(days=40)
        program = make_program("FR-2027", {"es": "Programa"}, languages=("es", "fr"), start_date=start.date(),
                               end_date=(start + timedelta(days=3)).date())
        db.session.commit()
        program_id = program.id
    login(client, staff["admin"])
    page = dashboard(client, program_id)
    assert next_step(page) == ("Escribir el título en francés", f"/programs/{program_id}/edit", "get")
    assert "español, francés" in page
    choose_english(client)
    assert next_step(dashboard(client, program_id))[0] == "Write the title in French"
