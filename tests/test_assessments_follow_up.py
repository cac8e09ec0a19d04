"""The follow-up survey months after the program, through the organizer's page, the scheduler's minute (a clock the
tests set) and the participant's link: its schedule, sent once to those who completed the program, reminders only
to them, links valid through its window, refusal once it closes, the post-test's intended-use items copied, its
sending record in personal data, and no revoked or withdrawn link kept alive by its window."""
import json
import re
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from assessments.models import Answer, Attempt, Question, Questionnaire
from assessments.models_reminders import FollowUpSent
from assessments.services_builder import set_window
from extensions import db
from tests.conftest import csrf_from, login, post_form
from tests.factories import make_question, make_questionnaire, make_section
from tests.helpers import erase_personal_data, export_personal_data, link_for, path_of, queued_of_kind, tick
from training.models import AuditEvent, OutboundMessage, Participant, Program, utcnow

UTC = timezone.utc
# The world's program ends on 3 March 2026: midnight after it in Mexico City is 06:00 UTC on the 4th.
PROGRAM_END = datetime(2026, 3, 4, 6, 0, tzinfo=UTC)
HOSTILE = '<script>alert(1)</script> {{7*7}} =HYPERLINK("http://x.example","y")'


@pytest.fixture
def survey(app, course):
    """`course` (mx1 and mx2 submitted the post-test, gt2 is still answering it) with an end date, a follow-up with
    one Likert question and no window, and two more people who submitted the post-test: gt1, who withdrew, and
    obs1, whose personal data was erased."""
    ids = course["ids"]
    with app.app_context():
        program = db.session.get(Program, ids["program"])
        program.end_date = date(2026, 3, 3)
        post = db.session.scalar(select(Questionnaire).where(Questionnaire.program_id == program.id,
                                                             Questionnaire.kind == "post"))
        for key in ("gt1", "obs1"):
            db.session.add(Attempt(questionnaire_id=post.id, participant_id=ids[key], status="submitted",
                                   submitted_at=datetime(2026, 3, 3, 22, 0, tzinfo=UTC)))
        db.session.get(Participant, ids["gt1"]).status = "withdrawn"
        db.session.get(Participant, ids["obs1"]).erased_at = utcnow()
        db.session.get(Participant, ids["mx2"]).language = "en"
        follow_up = make_questionnaire(program, "follow_up", {"es": "Seguimiento", "en": "Follow-up"})
        section = make_section(follow_up, {"es": "Uso"})
        question = make_question(section, "likert", "application", {"es": "Apliqué lo aprendido"}, item_key="U1",
                                 scale_labels={"es": ["Nada", "Mucho"]})
        db.session.commit()
        return {**ids, "follow_up": follow_up.id, "post": post.id, "question": question.id}


def schedule(client, survey, action="schedule", **fields):
    url = f"/questionnaires/{survey['follow_up']}"
    return post_form(client, f"{url}/follow-up-schedule", {"weeks_after": "12", "weeks_open": "4",
                                                            "action": action, **fields}, page=url)


def follow_ups(app):
    return queued_of_kind(app, "follow_up")


def window(app, survey):
    with app.app_context():
        questionnaire = db.session.get(Questionnaire, survey["follow_up"])
        return questionnaire.opens_at, questionnaire.closes_at, questionnaire.program.follow_up_until


SENT = [("fatima.gomez@example.mx", "en", "How has it helped you at work? Test program"),
        ("jose.nunez@example.mx", "es", "¿Cómo le ha servido en su trabajo? Programa de prueba")]


def test_the_schedule_sends_it_once_when_it_opens_to_those_who_completed_the_program(app, client, survey,
                                                                                    run_tasks):
    login(client, "org@example.org")
    assert schedule(client, survey, weeks_after="40", weeks_open="5").status_code == 302
    opens, closes, until = window(app, survey)
    assert (opens, closes) == (PROGRAM_END + timedelta(weeks=40), PROGRAM_END + timedelta(weeks=45))
    assert until == closes.date()
    page = client.get(f"/questionnaires/{survey['follow_up']}").get_data(as_text=True)
    assert re.search(r"<input[^>]*name=\"weeks_after\"[^>]*value=\"40\"", page)  # the schedule is shown as set
    assert "El programa terminó el martes, 3 de marzo de 2026" in page  # the day people know, not the midnight after
    tick(app, opens - timedelta(minutes=1))
    assert follow_ups(app) == []
    tick(app, opens + timedelta(minutes=1))
    # Not gt1 (withdrew), obs1 (erased) nor gt2 (never submitted the post-test); each in their language.
    assert follow_ups(app) == SENT
    for minute in (2, 3):  # the scheduler again, and again: nobody twice
        tick(app, opens + timedelta(minutes=minute))
    assert follow_ups(app) == SENT
    assert run_tasks() >= 1  # the send job the scheduler started
    with app.app_context():
        assert set(db.session.scalars(select(OutboundMessage.status)
                                      .where(OutboundMessage.kind == "follow_up"))) == {"outbox"}
        assert db.session.scalar(select(func.count()).select_from(FollowUpSent)) == 2
        body = db.session.scalar(select(OutboundMessage.body).where(OutboundMessage.to_address == SENT[1][0]))
    # The link is put in as the message leaves (the database holds none); when it closes is said.
    assert "completó el programa «Programa de prueba»" in body and "«Seguimiento»" in body and "{link}" in body
    assert "Cierra el" in body


def test_a_schedule_is_validated_with_clear_messages(app, client, survey):
    login(client, "org@example.org")
    for fields, message in (({"weeks_after": "-1"}, "Entre 0 y 104 semanas después del final."),
                            ({"weeks_open": "0"}, "Entre 1 y 26 semanas abierto."),
                            ({"weeks_open": ""}, "Indique cuántas semanas queda abierto."),
                            # Twelve weeks after 3 March is long past: it would already have closed.
                            ({}, "Con estas semanas el seguimiento ya habría cerrado el")):
        response = schedule(client, survey, **fields)
        assert message in client.get(response.headers["Location"]).get_data(as_text=True), fields
    with app.app_context():
        program = db.session.get(Program, survey["program"])
        program.end_date = None
        db.session.execute(db.delete(db.metadata.tables["activities"]).where(
            db.metadata.tables["activities"].c.program_id == program.id))
        db.session.commit()
    response = schedule(client, survey, weeks_after="1")
    assert "Indique primero la fecha de término del programa" in client.get(response.headers["Location"]).get_data(
        as_text=True)
    with app.app_context():
        db.session.execute(db.delete(Question).where(Question.questionnaire_id == survey["follow_up"]))
        db.session.commit()
    response = schedule(client, survey, action="send_now")  # nothing to answer yet: nobody is sent it
    assert "Añada primero las preguntas del seguimiento" in client.get(response.headers["Location"]).get_data(
        as_text=True)
    assert window(app, survey) == (None, None, None) and follow_ups(app) == []


def test_send_now_opens_it_and_sends_it_and_the_scheduler_adds_nobody(app, client, survey):
    login(client, "org@example.org")
    before = utcnow()
    response = schedule(client, survey, action="send_now", weeks_open="3")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Enviado a 2 personas que completaron el programa." in page
    opens, closes, until = window(app, survey)
    assert before <= opens <= utcnow() and closes - opens == timedelta(weeks=3) and until == closes.date()
    assert follow_ups(app) == SENT
    tick(app, utcnow() + timedelta(minutes=1))
    schedule(client, survey, action="send_now", weeks_open="3")  # pressed twice
    assert follow_ups(app) == SENT


def test_reminders_go_only_to_those_sent_it_who_have_not_answered(app, client, survey):
    login(client, "org@example.org")
    schedule(client, survey, action="send_now", weeks_open="2")
    with app.app_context():
        db.session.add(Attempt(questionnaire_id=survey["follow_up"], participant_id=survey["mx1"],
                               status="submitted", submitted_at=utcnow()))
        db.session.commit()
    url = f"/questionnaires/{survey['follow_up']}"
    post_form(client, f"{url}/reminder-schedule", {"hours": "24", "audience": "unfinished"}, page=f"{url}/progress")
    _opens, closes, _until = window(app, survey)
    tick(app, closes - timedelta(hours=23))
    with app.app_context():
        reminded = db.session.scalars(select(OutboundMessage.to_address).where(OutboundMessage.kind == "reminder"))
        assert list(reminded) == ["fatima.gomez@example.mx"]  # not gt2, who was never sent the survey
    progress = client.get(f"{url}/progress").get_data(as_text=True)
    assert "Óscar" not in progress and "Fátima" in progress


def test_the_link_works_through_the_window_and_expires_after_it(app, client, survey):
    link = path_of(link_for(app, survey["mx1"]))
    assert client.get(link).status_code == 404  # the program ended in March: 90 days of grace are long over
    organizer = app.test_client()
    login(organizer, "org@example.org")
    schedule(organizer, survey, action="send_now", weeks_open="4")
    page = client.get(link)
    assert page.status_code == 200
    client.post(link, data={"csrf_token": csrf_from(page.get_data(as_text=True))})
    my_page = client.get("/me").get_data(as_text=True)
    assert "Seguimiento" in my_page and "Abierto hasta el" in my_page
    assert client.get("/me/tests/follow_up").status_code == 200
    with app.app_context():  # the window moved back: closed 91 days ago, so its links' grace ended yesterday
        questionnaire = db.session.get(Questionnaire, survey["follow_up"])
        set_window(questionnaire, utcnow() - timedelta(days=120), utcnow() - timedelta(days=91), None, False)
        db.session.commit()
    assert client.get("/me").status_code in (302, 403)  # the session started with the link ends with it
    assert client.get(link).status_code == 404


def test_those_it_was_not_sent_to_neither_see_it_nor_open_it(app, client, survey):
    organizer = app.test_client()
    login(organizer, "org@example.org")
    schedule(organizer, survey, action="send_now")
    page = client.get(path_of(link_for(app, survey["gt2"])))  # still answering the post-test
    client.post(path_of(link_for(app, survey["gt2"])), data={"csrf_token": csrf_from(page.get_data(as_text=True))})
    assert "Seguimiento" not in client.get("/me").get_data(as_text=True)
    assert client.get("/me/tests/follow_up").status_code == 404


def enter(client, app, participant_id):
    link = path_of(link_for(app, participant_id))
    page = client.get(link)
    client.post(link, data={"csrf_token": csrf_from(page.get_data(as_text=True))})


def test_answers_after_the_window_closes_are_refused_with_a_clear_page_and_not_saved(app, client, survey):
    organizer = app.test_client()
    login(organizer, "org@example.org")
    schedule(organizer, survey, action="send_now")
    enter(client, app, survey["mx1"])
    page = client.get("/me/tests/follow_up").get_data(as_text=True)
    client.post("/me/tests/follow_up/start", data={"csrf_token": csrf_from(page)})
    page = client.get("/me/tests/follow_up").get_data(as_text=True)
    headers = {"X-CSRFToken": csrf_from(page), "Content-Type": "application/json"}
    saved = client.post("/me/tests/follow_up/answers", headers=headers,
                        data=json.dumps({"question": survey["question"], "value": 2, "seq": 1}))
    assert saved.get_json()["status"] == "saved"
    url = f"/questionnaires/{survey['follow_up']}"
    post_form(organizer, f"{url}/close", {}, page=url)
    late = client.post("/me/tests/follow_up/answers", headers=headers,
                       data=json.dumps({"question": survey["question"], "value": 5, "seq": 99}))
    assert late.status_code == 409 and late.get_json()["status"] == "closed"
    form = client.post("/me/tests/follow_up", data={"csrf_token": csrf_from(page), f"q{survey['question']}": "4",
                                                    "seq": "100"})
    assert form.status_code == 302  # to the confirmation of what was saved before the closing
    with app.app_context():
        assert list(db.session.scalars(select(Answer.value))) == [2]
    other = app.test_client()  # someone it was sent to who never started
    enter(other, app, survey["mx2"])
    other.post("/me/tests/follow_up/start", data={"csrf_token": csrf_from(other.get("/me").get_data(as_text=True))})
    closed = other.get("/me/tests/follow_up").get_data(as_text=True)
    assert "This questionnaire no longer takes answers. It closed on" in closed  # mx2 reads English
    assert "Nothing you send now is saved." in closed
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Attempt).where(
            Attempt.participant_id == survey["mx2"], Attempt.questionnaire_id == survey["follow_up"])) == 0


def test_the_post_test_s_intended_use_items_are_copied_once_with_their_keys(app, client, survey):
    with app.app_context():
        post = db.session.get(Questionnaire, survey["post"])
        section = make_section(post, {"es": "Aplicación", "en": "Application"})
        make_question(section, "likert", "application", {"es": "Aplicaré el enfoque", "en": "I will apply it"},
                      item_key="A1", scale_labels={"es": ["Nada", "Mucho"], "en": ["Not at all", "A lot"]})
        make_question(section, "single_choice", "application", {"es": "¿Con quién?", "en": "With whom?"},
                      position=2, item_key="A2", options=[{"key": "a", "es": "Empleadores", "en": "Employers"}])
        make_question(section, "long_text", "application", {"es": "¿Qué más?"}, position=3)  # no key: pairs nothing
        make_question(section, "true_false", "knowledge", {"es": "Verdadero"}, position=4, item_key="K1")
        db.session.commit()
    login(client, "org@example.org")
    url = f"/questionnaires/{survey['follow_up']}"
    assert "Añadir las preguntas de uso previsto de la evaluación posterior" in client.get(url).get_data(as_text=True)
    for expected in ("2 preguntas de uso previsto añadidas", "ya tiene todas las preguntas de uso previsto"):
        response = post_form(client, f"{url}/copy-intended-use", {}, page=url)
        assert expected in client.get(response.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        copied = {q.item_key: q for q in db.session.scalars(select(Question).where(
            Question.questionnaire_id == survey["follow_up"]))}
        assert sorted(copied) == ["A1", "A2", "U1"]
        assert copied["A1"].text == {"es": "Aplicaré el enfoque", "en": "I will apply it"}
        assert copied["A1"].scale_labels == {"es": ["Nada", "Mucho"], "en": ["Not at all", "A lot"]}
        assert copied["A2"].options == [{"key": "a", "es": "Empleadores", "en": "Employers"}]
        assert copied["A1"].dimension == "application"


def test_hostile_titles_stay_literal_in_the_message_and_the_page(app, client, survey):
    with app.app_context():
        db.session.get(Program, survey["program"]).title = {"es": HOSTILE, "en": HOSTILE}
        db.session.get(Questionnaire, survey["follow_up"]).title = {"es": HOSTILE}
        db.session.commit()
    login(client, "org@example.org")
    response = schedule(client, survey, action="send_now")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    with app.app_context():
        for subject, body in db.session.execute(select(OutboundMessage.subject, OutboundMessage.body)
                                                .where(OutboundMessage.kind == "follow_up")):
            assert subject.endswith(HOSTILE) and body.count(HOSTILE) == 2


def test_the_lifecycle_shows_whom_it_was_sent_to(app, client, survey):
    login(client, "org@example.org")
    dashboard = f"/programs/{survey['program']}"
    assert "Programar el cuestionario de seguimiento" in client.get(dashboard).get_data(as_text=True)
    schedule(client, survey, action="send_now")
    page = client.get(dashboard).get_data(as_text=True)
    assert "Enviado a 2 personas que completaron el programa" in page and "0 de 2 respondieron" in page


def _sent_rows(app, participant_id):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(FollowUpSent)
                                 .where(FollowUpSent.participant_id == participant_id))


def test_the_export_says_when_the_follow_up_was_sent_and_erasure_removes_the_record(app, client, survey):
    login(client, "org@example.org")
    schedule(client, survey, action="send_now", weeks_open="3")
    assert _sent_rows(app, survey["mx1"]) == 1
    login(client, "admin@example.org")
    archive = export_personal_data(client, survey["mx1"])
    data = json.loads(archive.read(next(name for name in archive.namelist() if name.endswith(".json"))))
    (sent,) = data["follow_up_surveys"]
    assert sent["questionnaire"] == "follow_up" and sent["title"]["es"] == "Seguimiento" and sent["sent_at"]
    assert erase_personal_data(client, survey["mx1"], reason="Lo pidió", confirm="y").status_code == 302
    assert _sent_rows(app, survey["mx1"]) == 0 and _sent_rows(app, survey["mx2"]) == 1
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "participant.erased"))
        assert event.details["follow_ups_sent"] == 1


def test_the_follow_up_window_keeps_no_revoked_or_withdrawn_link_alive(app, client, survey):
    from tests.conftest import csrf_from
    from tests.helpers import link_for, path_of
    from training.models import Participant
    from training.services_links import revoke_link

    organizer = app.test_client()
    login(organizer, "org@example.org")
    schedule(organizer, survey, action="send_now", weeks_open="4")
    revoked, withdrawn = path_of(link_for(app, survey["mx1"])), path_of(link_for(app, survey["mx2"]))
    page = client.get(withdrawn)
    assert page.status_code == 200  # the window keeps the ended program's links working
    client.post(withdrawn, data={"csrf_token": csrf_from(page.get_data(as_text=True))})
    assert client.get("/me/tests/follow_up").status_code == 200
    with app.app_context():
        revoke_link(db.session.get(Participant, survey["mx1"]), None)
        db.session.get(Participant, survey["mx2"]).status = "withdrawn"
        db.session.commit()
    assert client.get("/me/tests/follow_up").status_code in (302, 403)  # the session ends with the withdrawal
    assert app.test_client().get(revoked).status_code == 404 and app.test_client().get(withdrawn).status_code == 404
