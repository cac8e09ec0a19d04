"""Copying a program: each part carried over at the new dates in the program's zone, nothing of its people, no
row shared with the source, only by the secretariat and only with good input."""
import time
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.orm.attributes import flag_modified

from assessments.models import Attempt, Question, Questionnaire
from assessments.models_reminders import ReminderRule
from certificates.models import Certificate, CertificateLogo, CertificateSettings, CertificateSignatory
from extensions import db
from tests.conftest import csrf_from, login, post_form
from tests.helpers import load_demo
from training.models import (
    Activity,
    AgendaItem,
    Attendance,
    AuditEvent,
    Delegation,
    MessageTemplate,
    Participant,
    Program,
)
from training.models_grants import ProgramRole
from training.models_groups import GroupMember, GroupWork
from training.services_copy import copy_program

DEMO_ADMIN = "admin@capacita.example"
DEMO_PASSWORD = "capacita-demo"
EVERY_PART = ["activities", "messages", "delegations", "grants", "questionnaires", "certificates"]


def copy_form(**changes):
    return {"code": "crm-ce-2025", "start_date": "2022-10-24", "title_es": "Programa 2022",
            "title_en": "Program 2022", "parts": EVERY_PART, **changes}


def copy_of(app, code="CRM-CE-2025"):
    with app.app_context():
        return db.session.scalar(select(Program.id).where(Program.code == code))


def count(model, *where):
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def local_clock(moment, zone):
    return moment.astimezone(ZoneInfo(zone)).strftime("%a %H:%M")


@pytest.fixture
def demo(app):
    """The demo program (dates 2021-10-25…29), with a message text and a reminder rule to carry over too."""
    program_id = load_demo(app)
    with app.app_context():
        db.session.add(MessageTemplate(program_id=program_id, kind="invitation", language="es",
                                       subject="Invitación {program}", body="Hola {name}"))
        pre = db.session.scalar(select(Questionnaire).where(Questionnaire.program_id == program_id,
                                                            Questionnaire.kind == "pre"))
        db.session.add(ReminderRule(questionnaire_id=pre.id, hours_before=24, audience="not_started"))
        db.session.commit()
    return program_id


def a_year_on(app, program_id):
    """The source's start 52 weeks later (same weekday): its sessions fall on the same weekdays."""
    with app.app_context():
        start = db.session.get(Program, program_id).start_date
    return start + timedelta(days=364)


def test_a_copy_carries_every_part_at_the_new_dates_and_none_of_the_people(app, client, demo):
    login(client, DEMO_ADMIN, DEMO_PASSWORD)
    start = a_year_on(app, demo)
    started = time.perf_counter()
    response = post_form(client, f"/programs/{demo}/copy", copy_form(start_date=start.isoformat()))
    print(f"copy of the demo program: {time.perf_counter() - started:.2f} s")
    assert response.status_code == 302
    new = copy_of(app)
    assert response.headers["Location"].endswith(f"/programs/{new}")
    with app.app_context():
        source, copy = db.session.get(Program, demo), db.session.get(Program, new)
        assert copy.title == {"es": "Programa 2022", "en": "Program 2022"}
        assert (copy.start_date, copy.end_date) == (start, source.end_date + timedelta(days=364))
        assert copy.description == source.description and copy.timezone == source.timezone
        old = {a.code: a for a in db.session.scalars(select(Activity).where(Activity.program_id == demo))}
        new_activities = db.session.scalars(select(Activity).where(Activity.program_id == new)).all()
        assert sorted(a.code for a in new_activities) == sorted(old) == ["C1", "C2", "C3", "S1", "S2", "S3"]
        for activity in new_activities:
            before = old[activity.code]
            assert activity.title == before.title and activity.recording_link == ""
            if before.starts_at:  # Monday 09:00 local stays Monday 09:00 local, a year on
                assert local_clock(activity.starts_at, copy.timezone) == local_clock(before.starts_at,
                                                                                    copy.timezone)
                assert (activity.starts_at.date() - before.starts_at.date()).days == 364
            assert [local_clock(i.starts_at, copy.timezone) for i in activity.items] == \
                [local_clock(i.starts_at, copy.timezone) for i in before.items]
        assert count(AgendaItem, AgendaItem.activity_id.in_([a.id for a in new_activities])) == \
            count(AgendaItem, AgendaItem.activity_id.in_([a.id for a in old.values()]))
        works = db.session.scalars(select(GroupWork).join(AgendaItem).join(Activity)
                                   .where(Activity.program_id == new)).all()
        assert len(works) == 2 and all(w.groups for w in works)
        assert count(GroupMember, GroupMember.group_work_id.in_([w.id for w in works])) == 0
        assert [(d.country_code, d.organization, d.quota, d.focal_point_email, d.status)
                for d in copy.delegations] == [(d.country_code, d.organization, d.quota, d.focal_point_email,
                                                "invited") for d in source.delegations]
        assert db.session.scalar(select(MessageTemplate.subject).where(MessageTemplate.program_id == new)) == \
            "Invitación {program}"
        _questionnaires_copied(demo, new)
        _certificate_design_copied(demo, new)
        for model in (Participant, Certificate):
            assert count(model, model.program_id == new) == 0
        assert count(Attempt, Attempt.questionnaire.has(Questionnaire.program_id == new)) == 0
        assert count(Attendance, Attendance.activity_id.in_([a.id for a in new_activities])) == 0
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "program.copied"))
        assert event.program_id == new and event.details["source"] == "CRM-CE-2021"
        assert event.details["parts"] == EVERY_PART


def _questionnaires_copied(source_id, new_id):
    pairs = {q.kind: q for q in db.session.scalars(select(Questionnaire).where(Questionnaire.program_id == source_id))}
    copies = db.session.scalars(select(Questionnaire).where(Questionnaire.program_id == new_id)).all()
    assert sorted(q.kind for q in copies) == sorted(pairs)
    for copy in copies:
        source = pairs[copy.kind]
        keys = [q.item_key for s in copy.sections for q in s.questions]
        assert keys == [q.item_key for s in source.sections for q in s.questions] and any(keys)
        assert [q.options for s in copy.sections for q in s.questions] == \
            [q.options for s in source.sections for q in s.questions]
        if source.opens_at:
            assert (copy.opens_at - source.opens_at).days in (363, 364)  # a change of clocks may lie in between
        if source.agenda_item_id:  # tied to the copy of its slot
            assert copy.agenda_item.activity.program_id == new_id
            assert copy.agenda_item.title == source.agenda_item.title
    rules = db.session.scalars(select(ReminderRule).join(Questionnaire)
                               .where(Questionnaire.program_id == new_id)).all()
    assert [(r.hours_before, r.audience) for r in rules] == [(24, "not_started")]


def _certificate_design_copied(source_id, new_id):
    source, copy = db.session.get(CertificateSettings, source_id), db.session.get(CertificateSettings, new_id)
    assert copy.issuer == source.issuer and copy.last_serial == 0 and copy.hours == source.hours
    if source.required_activity_ids is not None:
        codes = dict(db.session.execute(select(Activity.id, Activity.code)).all())
        assert sorted(codes[i] for i in copy.required_activity_ids) == \
            sorted(codes[i] for i in source.required_activity_ids)
        assert all(db.session.get(Activity, i).program_id == new_id for i in copy.required_activity_ids)
    for model in (CertificateSignatory, CertificateLogo):
        olds = db.session.scalars(select(model).where(model.program_id == source_id).order_by(model.position)).all()
        news = db.session.scalars(select(model).where(model.program_id == new_id).order_by(model.position)).all()
        assert [o.image for o in olds] == [n.image for n in news] and olds


def test_the_copy_shares_no_objects_editing_one_leaves_the_other(app, demo):
    with app.app_context():
        source = db.session.get(Program, demo)
        # Every object loaded or made is held, so the session keeps the very objects the copy read and made, as
        # a request that goes on to edit them would (it forgets unchanged ones nobody holds).
        held = []
        event.listen(db.session(), "after_attach", lambda _session, obj: held.append(obj))
        event.listen(db.session(), "loaded_as_persistent", lambda _session, obj: held.append(obj))
        copy = copy_program(source, None, code="COPIA", start_date=source.start_date, title={"es": "Copia"},
                            options=set(EVERY_PART))
        # In the session that made it, every mapping and list of the copy is an object of its own, so editing one
        # in place can never change the other.
        pairs = list(zip(json_values(demo), json_values(copy.id), strict=True))
        assert len(pairs) > 150
        assert [(a, b) for a, b in pairs if a is b] == [] and all(a == b for a, b in pairs)
        question = next(q for q in questions_of(copy.id) if q.options)
        question.options[0]["es"] = "CAMBIADO"
        flag_modified(question, "options")
        settings = db.session.get(CertificateSettings, copy.id)
        settings.issuer["es"] = "CAMBIADO"
        flag_modified(settings, "issuer")
        db.session.commit()
    with app.app_context():
        assert all(q.options[0]["es"] != "CAMBIADO" for q in questions_of(demo) if q.options)
        assert db.session.get(CertificateSettings, demo).issuer.get("es") != "CAMBIADO"
        # No row of the source points into the copy.
        assert count(Questionnaire, Questionnaire.program_id == demo,
                     Questionnaire.agenda_item.has(AgendaItem.activity.has(Activity.program_id != demo))) == 0


def questions_of(program_id):
    return db.session.scalars(select(Question).join(Questionnaire).where(Questionnaire.program_id == program_id)
                              .order_by(Questionnaire.kind, Question.position, Question.id)).all()


def json_values(program_id):
    """Every JSON value of a program's parts, in an order its copy shares."""
    program = db.session.get(Program, program_id)
    values = [program.description, program.general_objective, program.specific_objectives, program.languages]
    activities = db.session.scalars(select(Activity).where(Activity.program_id == program_id)
                                    .order_by(Activity.code)).all()
    for activity in activities:
        values += [activity.title, activity.description, *[i.title for i in activity.items]]
        for item in activity.items:
            work = db.session.scalar(select(GroupWork).where(GroupWork.agenda_item_id == item.id))
            if work:
                values += [work.questions, *[v for g in work.groups for v in (g.perspective, g.countries)]]
    for q in db.session.scalars(select(Questionnaire).where(Questionnaire.program_id == program_id)
                                .order_by(Questionnaire.kind)):
        values += [q.title, q.intro, *[s.title for s in q.sections]]
    values += [v for q in questions_of(program_id) for v in (q.text, q.options, q.correct, q.scale_labels)]
    settings = db.session.get(CertificateSettings, program_id)
    values += [settings.place, settings.issuer, settings.required_activity_ids or []]
    signatories = db.session.scalars(select(CertificateSignatory).where(CertificateSignatory.program_id == program_id)
                                     .order_by(CertificateSignatory.position))
    return values + [s.title for s in signatories]


def test_a_session_keeps_its_local_time_across_a_change_of_clocks(app, client, world):
    """The world's program has no start date: it is measured from its session (3 March 2026, 15:00 in New York, before
    the clocks go forward on 8 March); two weeks on, the copy's session is at 15:00 local again, 19:00 UTC."""
    source = world["ids"]["program"]
    with app.app_context():
        db.session.get(Program, source).timezone = "America/New_York"
        db.session.commit()
    login(client, world["emails"]["admin"])
    post_form(client, f"/programs/{source}/copy", copy_form(code="dos-semanas", start_date="2026-03-17"))
    with app.app_context():
        copy = db.session.scalar(select(Program).where(Program.code == "DOS-SEMANAS"))
        session = db.session.scalar(select(Activity).where(Activity.program_id == copy.id))
        assert copy.start_date.isoformat() == "2026-03-17" and copy.end_date is None
        assert session.starts_at == datetime(2026, 3, 17, 19, 0, tzinfo=timezone.utc)
        assert session.ends_at == datetime(2026, 3, 17, 21, 0, tzinfo=timezone.utc)
        assert [(i.kind, i.starts_at.astimezone(ZoneInfo("America/New_York")).strftime("%d %H:%M"))
                for i in session.items] == [("welcome", "17 15:00"), ("group_work", "17 16:00")]


def test_only_the_parts_chosen_are_copied(app, client, world):
    login(client, world["emails"]["admin"])
    source = world["ids"]["program"]
    response = post_form(client, f"/programs/{source}/copy",
                         copy_form(code="solo-delegaciones", start_date="2027-03-02", parts=["delegations"]))
    assert response.status_code == 302
    new = copy_of(app, "SOLO-DELEGACIONES")
    with app.app_context():
        copy = db.session.get(Program, new)
        assert [d.country_code or d.organization for d in copy.delegations] == ["MX", "GT", "Red Civil"]
        for model in (Activity, MessageTemplate, Questionnaire, CertificateSettings, Participant):
            assert count(model, model.program_id == new) == 0
        assert count(Delegation, Delegation.program_id == source) == 3  # the source keeps its own


@pytest.mark.parametrize("parts, focal_point_sees_it", [(["delegations", "grants"], True), (["delegations"], False)])
def test_the_roles_held_in_the_program_are_held_in_the_copy_when_chosen(app, client, world, parts,
                                                                         focal_point_sees_it):
    login(client, world["emails"]["admin"])
    post_form(client, f"/programs/{world['ids']['program']}/copy",
              copy_form(code="con-roles", start_date="2027-03-02", parts=parts))
    new = copy_of(app, "CON-ROLES")
    with app.app_context():
        roles = db.session.execute(select(ProgramRole.user_id, ProgramRole.role, ProgramRole.country_code)
                                   .where(ProgramRole.program_id == new)).all()
        expected = {(world["ids"]["focal_mx"], "focal_point", "MX"), (world["ids"]["focal_gt"], "focal_point", "GT")}
        assert set(roles) == (expected if focal_point_sees_it else set())
        assert count(AuditEvent, AuditEvent.action == "user.role_granted") == (2 if focal_point_sees_it else 0)
    login(client, world["emails"]["focal_mx"])
    assert client.get(f"/programs/{new}").status_code == (200 if focal_point_sees_it else 404)


def test_nothing_but_the_program_when_no_part_is_chosen(app, client, world):
    login(client, world["emails"]["admin"])
    response = post_form(client, f"/programs/{world['ids']['program']}/copy",
                         copy_form(code="vacio", start_date="2027-03-02", parts=[]))
    assert response.status_code == 302
    with app.app_context():
        new = db.session.scalar(select(Program).where(Program.code == "VACIO"))
        assert new.delegations == [] and count(Activity, Activity.program_id == new.id) == 0


def test_the_form_offers_every_part_checked_and_the_title_to_change(client, world):
    login(client, world["emails"]["admin"])
    html = client.get(f"/programs/{world['ids']['program']}/copy").get_data(as_text=True)
    for part in EVERY_PART:
        assert f'value="{part}" checked' in html or 'checked id="parts-' in html
    assert html.count('type="checkbox"') == len(EVERY_PART) and 'value="Programa de prueba"' in html
    dashboard = client.get(f"/programs/{world['ids']['program']}").get_data(as_text=True)
    assert f"/programs/{world['ids']['program']}/copy" in dashboard


@pytest.mark.parametrize("changes, field, message", [
    ({"code": "test-2026"}, "code", "Otro programa ya usa este código."),
    ({"code": "mal código"}, "code", "Use solo letras"),
    ({"start_date": "2027-02-30"}, "start_date", ""),
    ({"start_date": ""}, "start_date", ""),
    ({"start_date": "9999-12-01"}, "start_date", "Elija una fecha de inicio entre los años 2000 y 2199."),
    ({"start_date": "0001-01-01"}, "start_date", "Elija una fecha de inicio"),
    ({"title_es": ""}, "title_es", ""),
    ({"parts": ["participants"]}, "parts", ""),
])
def test_bad_input_is_shown_next_to_its_field_and_copies_nothing(app, client, world, changes, field, message):
    login(client, world["emails"]["admin"])
    response = post_form(client, f"/programs/{world['ids']['program']}/copy", copy_form(**changes))
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and f'id="{field}-error">{message}' in html
    with app.app_context():
        assert count(Program) == 2  # the world's two programs, no third


@pytest.mark.parametrize("role", ["organizer", "facilitator", "focal_mx"])
def test_only_the_secretariat_copies_a_program(app, client, world, role):
    login(client, world["emails"][role])
    url = f"/programs/{world['ids']['program']}/copy"
    assert client.get(url).status_code == 403
    dashboard = client.get(f"/programs/{world['ids']['program']}").get_data(as_text=True)
    assert url not in dashboard
    assert client.post(url, data={**copy_form(), "csrf_token": csrf_from(dashboard)}).status_code == 403
    with app.app_context():
        assert count(Program) == 2


def test_an_unknown_program_is_a_404(client, world):
    login(client, world["emails"]["admin"])
    assert client.get("/programs/999999/copy").status_code == 404
