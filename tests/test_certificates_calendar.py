"""Certificates follow the calendar and the program: nothing is issued before the last counted activity ends
(unless someone overrides, with a reason the audit log keeps), and the rules ask only for the tests that exist."""
import re
from datetime import datetime, time, timedelta

from sqlalchemy import select

from assessments.models import Attempt, Questionnaire
from certificates.models import Certificate
from extensions import db
from tests.conftest import login, post_form
from tests.factories import make_activity, make_questionnaire
from tests.helpers import enter, link_for
from training.models import Activity, Attendance, AuditEvent, Program, utcnow
from training.schedule import clock, day, to_local, to_utc


def screen(client, program_id, **args):
    return client.get(f"/programs/{program_id}/certificates", query_string=args).get_data(as_text=True)


def issue(client, program_id, **data):
    page = f"/programs/{program_id}/certificates"
    return post_form(client, f"/programs/{program_id}/certificates/issue", data, page=page)


def valid_holders(app, world):
    names = {value: key for key, value in world["ids"].items()}
    with app.app_context():
        return sorted(names[pid] for pid in db.session.scalars(
            select(Certificate.participant_id).where(Certificate.revoked_at.is_(None))))


def course_due_in(app, course, days):
    """A required online course due `days` from today (program's zone), completed by mx1 and mx2: the moment it
    ends (its due date's last minute) as the pages write it, in Spanish and in English."""
    with app.app_context():
        program = db.session.get(Program, course["ids"]["program"])
        zone = program.timezone
        due_day = to_local(utcnow(), zone).date() + timedelta(days=days)
        due_at = to_utc(datetime.combine(due_day, time(23, 59, 59)), zone)
        activity = Activity(program_id=program.id, code="C1", kind="online_course", due_at=due_at,
                            title={"es": "Curso 1", "en": "Course 1"})
        db.session.add(activity)
        db.session.flush()
        for key in ("mx1", "mx2"):
            db.session.add(Attendance(participant_id=course["ids"][key], activity_id=activity.id, status="completed"))
        db.session.commit()
        return {language: f"{day(due_at, zone, language)}, {clock(due_at, zone, language)}"
                for language in ("es", "en")}


def test_issuing_before_the_last_counted_activity_ends_is_refused_with_its_date(app, client, course):
    ends = course_due_in(app, course, 3)
    login(client, course["emails"]["organizer"])
    program = course["ids"]["program"]
    page = screen(client, program)
    assert ends["es"] in page and "C1 · Curso 1" in page and "(Ciudad de México)" in page
    refused = issue(client, program, everyone="y")
    assert refused.status_code == 302
    after = client.get(refused.location).get_data(as_text=True)
    assert "No se emitió ningún certificado" in after and ends["es"] in after
    assert valid_holders(app, course) == ["gt1"]  # world's certificate only
    # Ticking the override without a reason is refused as well.
    issue(client, program, everyone="y", override="y")
    assert valid_holders(app, course) == ["gt1"]


def test_an_override_with_a_reason_issues_and_the_audit_log_keeps_it(app, client, course):
    course_due_in(app, course, 3)
    login(client, course["emails"]["organizer"])
    program = course["ids"]["program"]
    reason = "Entrega anticipada acordada con la Secretaría"
    assert issue(client, program, everyone="y", override="y", override_reason=reason).status_code == 302
    assert valid_holders(app, course) == ["gt1", "mx1", "mx2"]
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "certificates.issued_early"))
        assert event.object_id == program and event.details["reason"] == reason
        assert event.details["activity"] == "C1" and event.details["count"] == 2
        issued = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "certificate.issued")).all()
        assert len(issued) == 2 and all(e.details["override_reason"] == reason for e in issued)


def test_the_participant_page_does_not_say_ready_before_the_certificate_is_issued(app, course):
    ends = course_due_in(app, course, 3)
    staff = app.test_client()
    login(staff, course["emails"]["admin"])
    issue(staff, course["ids"]["program"], everyone="y")
    participant = app.test_client()
    enter(participant, link_for(app, course["ids"]["mx1"]))
    page = participant.get("/me").get_data(as_text=True)
    assert "Su certificado está listo." not in page and "/me/certificate.pdf" not in page
    assert ends["es"] in page  # when it can be issued


def test_the_command_refuses_before_the_end_and_issues_with_an_override_reason(app, course):
    ends = course_due_in(app, course, 3)
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["issue-certificates", "--program", "TEST-2026"])
    assert refused.exit_code == 1 and ends["en"] in refused.output and "C1" in refused.output
    assert "--override-reason" in refused.output
    assert valid_holders(app, course) == ["gt1"]
    done = runner.invoke(args=["issue-certificates", "--program", "TEST-2026",
                               "--override-reason", "Closing ceremony moved forward"])
    assert done.exit_code == 0, done.output
    assert "Issued 2 certificates" in done.output
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "certificates.issued_early"))
        assert event.user_id is None and event.details["reason"] == "Closing ceremony moved forward"


def test_a_session_still_under_way_holds_issuing_until_its_end(app, client, course):
    with app.app_context():
        program = db.session.get(Program, course["ids"]["program"])
        session = make_activity(program, "S1", {"es": "Sesión 1"}, utcnow() - timedelta(hours=1))
        for key in ("mx1", "mx2"):
            db.session.add(Attendance(participant_id=course["ids"][key], activity_id=session.id, status="present"))
        db.session.commit()
        ends = f"{day(session.ends_at, program.timezone, 'es')}, {clock(session.ends_at, program.timezone, 'es')}"
    login(client, course["emails"]["organizer"])
    refused = issue(client, course["ids"]["program"], participant_ids=[str(course["ids"]["mx1"])])
    assert ends in client.get(refused.location).get_data(as_text=True)
    assert valid_holders(app, course) == ["gt1"]


def test_activities_that_do_not_count_do_not_hold_issuing(app, client, course):
    with app.app_context():
        program = db.session.get(Program, course["ids"]["program"])
        make_activity(program, "S5", {"es": "Sesión optativa"}, utcnow() + timedelta(days=2), required=False)
        db.session.commit()
    login(client, course["emails"]["organizer"])
    issue(client, course["ids"]["program"], everyone="y")
    assert valid_holders(app, course) == ["gt1", "mx1", "mx2"]


# --- the rules fit the program's questionnaires ------------------------------------------------------------------


def mark_present(app, world, *keys):
    with app.app_context():
        for key in keys:
            db.session.add(Attendance(participant_id=world["ids"][key], activity_id=world["ids"]["activity"],
                                      status="present"))
        db.session.commit()


def test_a_program_without_a_post_test_does_not_ask_for_one(app, client, world):
    mark_present(app, world, "mx1")
    login(client, world["emails"]["organizer"])
    page = screen(client, world["ids"]["program"], status="eligible")
    assert "Núñez Peña" in page and "Evaluación posterior no enviada" not in page
    assert "Evaluación posterior no enviada" not in screen(client, world["ids"]["program"])


def test_a_pre_test_counts_once_the_program_has_one_and_can_be_left_out(app, client, world):
    mark_present(app, world, "mx1", "mx2")
    with app.app_context():
        pre = make_questionnaire(db.session.get(Program, world["ids"]["program"]), "pre")
        db.session.add(Attempt(questionnaire_id=pre.id, participant_id=world["ids"]["mx2"], status="submitted",
                               submitted_at=utcnow()))
        db.session.commit()
    login(client, world["emails"]["organizer"])
    program = world["ids"]["program"]
    not_yet = screen(client, program, status="not_yet")
    assert "Núñez Peña" in not_yet and "Evaluación previa no enviada" in not_yet
    assert "Gómez Díaz" in screen(client, program, status="eligible")
    settings = f"/programs/{program}/certificates/settings"
    settings_page = client.get(settings).get_data(as_text=True)
    assert re.search(r'<input[^>]* checked [^>]*name="pre_test_required"', settings_page)
    assert post_form(client, settings, {"required_activities": [str(world["ids"]["activity"])],
                                        "post_test_required": "y",
                                        "language_mode": "participant"}).status_code == 302
    assert "Núñez Peña" in screen(client, program, status="eligible")


def test_the_settings_page_says_which_tests_the_program_has(app, client, world):
    with app.app_context():
        make_questionnaire(db.session.get(Program, world["ids"]["program"]), "post", {"es": "Prueba de salida"})
        db.session.commit()
    login(client, world["emails"]["organizer"])
    page = client.get(f"/programs/{world['ids']['program']}/certificates/settings").get_data(as_text=True)
    assert "Este programa no tiene evaluación previa" in page
    assert "Este programa no tiene evaluación posterior" not in page


def test_the_post_test_counts_again_once_the_program_has_one(app, client, world):
    mark_present(app, world, "mx1")
    with app.app_context():
        db.session.add(Questionnaire(program_id=world["ids"]["program"], kind="post", title={"es": "Salida"}))
        db.session.commit()
    login(client, world["emails"]["organizer"])
    assert "Evaluación posterior no enviada" in screen(client, world["ids"]["program"], status="not_yet")
