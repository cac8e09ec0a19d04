"""Building questionnaires through HTTP: sections, questions, order, windows, files, copying, follow-up."""
import io
import json
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from assessments.models import Attempt, Question, Questionnaire
from assessments.services import save_answer, start_attempt
from assessments.services_builder import import_plain
from extensions import db
from tests.conftest import csrf_from, login, post_form
from tests.helpers import PLAIN
from training.models import AuditEvent, OutboundMessage, Participant, Program, utcnow


@pytest.fixture
def organizer(client, world):
    login(client, world["emails"]["organizer"])
    return client


def _new_pre_test(client, program_id):
    response = post_form(client, f"/programs/{program_id}/questionnaires", {"kind": "pre"})
    assert response.status_code == 302
    return int(response.location.rsplit("/", 1)[1])


def _question_values(**changes):
    values = {"type": "single_choice", "dimension": "knowledge", "text_es": "¿Quién paga?", "text_en": "Who pays?",
              "options": "a | El trabajador | The worker\nb | El empleador | The employer", "correct": "b",
              "points": "2", "item_key": "K01", "required": "y"}
    return {**values, **changes}


def _section_id(app, questionnaire_id, index=0):
    with app.app_context():
        return db.session.get(Questionnaire, questionnaire_id).sections[index].id


def test_organizer_builds_a_questionnaire_question_by_question(app, organizer, world):
    questionnaire_id = _new_pre_test(organizer, world["ids"]["program"])
    section_id = _section_id(app, questionnaire_id)
    url = f"/sections/{section_id}/questions/new"
    assert post_form(organizer, url, _question_values()).status_code == 302
    assert post_form(organizer, url, _question_values(item_key="K02", text_es="¿Verdad?", type="true_false",
                                                      options="", correct="true", points="1")).status_code == 302
    # Mistakes are explained next to the field and nothing is saved.
    bad = post_form(organizer, url, _question_values(item_key="K01", correct="c", options="a | Sí\nb | x | y | z"))
    page = bad.get_data(as_text=True)
    assert bad.status_code == 400
    # The organizer's interface is in Spanish; the example follows the program's languages (Spanish, then English).
    assert "Línea 2: escriba la clave y luego un texto por idioma: «a | Sí | Yes»" in page
    assert post_form(organizer, url, _question_values(item_key="K01", text_es="Otra")).status_code == 400
    with app.app_context():
        questions = db.session.scalars(select(Question).where(Question.questionnaire_id == questionnaire_id)
                                       .order_by(Question.position)).all()
        assert [(q.type, q.item_key, q.correct, q.points) for q in questions] == \
            [("single_choice", "K01", ["b"], 2.0), ("true_false", "K02", ["true"], 1.0)]
        assert questions[0].options[1] == {"key": "b", "es": "El empleador", "en": "The employer"}
        ids = [q.id for q in questions]
    # Reorder: the second question moves up.
    post_form(organizer, f"/questions/{ids[1]}/move", {"direction": "up"}, page=f"/questionnaires/{questionnaire_id}")
    with app.app_context():
        assert db.session.scalars(select(Question.id).where(Question.questionnaire_id == questionnaire_id)
                                  .order_by(Question.position)).all() == ids[::-1]
    preview = organizer.get(f"/questionnaires/{questionnaire_id}/preview?lang=en").get_data(as_text=True)
    assert "Who pays?" in preview and "The employer" in preview
    assert "right answer" not in preview and "badge-confirmed" not in preview  # the key stays with the staff


def test_window_settings_use_the_program_zone_and_refuse_closing_before_opening(app, organizer, world):
    questionnaire_id = _new_pre_test(organizer, world["ids"]["program"])
    url = f"/questionnaires/{questionnaire_id}"
    bad = post_form(organizer, url, {"title_es": "Previa", "opens_at": "2026-03-03T14:00",
                                     "closes_at": "2026-03-03T13:00"})
    assert bad.status_code == 400
    ok = post_form(organizer, url, {"title_es": "Previa", "title_en": "Pre", "opens_at": "2026-03-03T14:00",
                                    "closes_at": "2026-03-03T16:00", "time_limit_minutes": "20"})
    assert ok.status_code == 302
    with app.app_context():
        questionnaire = db.session.get(Questionnaire, questionnaire_id)
        # Mexico City is UTC−6 in March 2026.
        assert questionnaire.opens_at.isoformat() == "2026-03-03T20:00:00+00:00"
        assert (questionnaire.title, questionnaire.time_limit_minutes) == ({"es": "Previa", "en": "Pre"}, 20)


def test_open_and_close_buttons_and_closing_finalizes_attempts(app, organizer, world):
    with app.app_context():
        questionnaire = import_plain(db.session.get(Program, world["ids"]["program"]), None, PLAIN)
        questionnaire_id = questionnaire.id
        db.session.commit()
    page = f"/questionnaires/{questionnaire_id}"
    post_form(organizer, f"/questionnaires/{questionnaire_id}/open", {}, page=page)
    with app.app_context():
        questionnaire = db.session.get(Questionnaire, questionnaire_id)
        assert questionnaire.opens_at <= utcnow() and questionnaire.closes_at is None
        attempt = start_attempt(questionnaire, db.session.get(Participant, world["ids"]["mx1"]))
        save_answer(attempt, questionnaire.sections[0].questions[0], "b", 1)
        db.session.commit()
    post_form(organizer, f"/questionnaires/{questionnaire_id}/close", {}, page=page)
    with app.app_context():
        attempt = db.session.scalar(select(Attempt))
        assert (attempt.status, attempt.finalized_by, attempt.score) == ("submitted", "window_closed", 2.0)


def test_answered_questionnaires_keep_their_structure(app, organizer, world):
    with app.app_context():
        questionnaire = import_plain(db.session.get(Program, world["ids"]["program"]), None, PLAIN)
        questionnaire.opens_at = utcnow() - timedelta(hours=1)
        start_attempt(questionnaire, db.session.get(Participant, world["ids"]["mx1"]))
        question = questionnaire.sections[0].questions[0]
        ids = (questionnaire.id, question.id)
        db.session.commit()
    page = f"/questionnaires/{ids[0]}"
    post_form(organizer, f"/questions/{ids[1]}/delete", {}, page=page)
    changed = post_form(organizer, f"/questions/{ids[1]}/edit", _question_values(
        text_es="¿Quién paga el reclutamiento?", options="a | El trabajador\nb | El empleador", correct="a",
        item_key="K1"))
    assert changed.status_code == 400
    reworded = post_form(organizer, f"/questions/{ids[1]}/edit", _question_values(
        text_es="¿Quién debe pagar el reclutamiento?", options="a | El trabajador\nb | El empleador", correct="b",
        item_key="K1"))
    assert reworded.status_code == 302
    with app.app_context():
        question = db.session.get(Question, ids[1])
        assert question.text["es"] == "¿Quién debe pagar el reclutamiento?" and question.correct == ["b"]


def test_export_import_and_copy_of_knowledge_items(app, organizer, world):
    with app.app_context():
        pre = import_plain(db.session.get(Program, world["ids"]["program"]), None, PLAIN)
        pre_id = pre.id
        db.session.commit()
    exported = organizer.get(f"/questionnaires/{pre_id}/export.json")
    assert exported.headers["Content-Disposition"].endswith('TEST-2026-pre.json"')
    document = json.loads(exported.data)
    assert document["sections"][0]["questions"][0]["correct"] == ["b"]
    page = organizer.get(f"/programs/{world['ids']['program']}/questionnaires").get_data(as_text=True)
    broken = organizer.post(f"/programs/{world['ids']['program']}/questionnaires/import", data={
        "csrf_token": csrf_from(page), "file-kind": "post",
        "file-file": (io.BytesIO(b'{"format": "capacita-questionnaire", "version": 1, "kind": "post", '
                                 b'"title": {"es": "x"}, "sections": [{"questions": [{"type": "essay"}]}]}'),
                      "bad.json")}, content_type="multipart/form-data")
    assert broken.status_code == 400 and "sections[1].questions[1]" in broken.get_data(as_text=True)
    imported = organizer.post(f"/programs/{world['ids']['program']}/questionnaires/import", data={
        "csrf_token": csrf_from(page), "file-kind": "post",
        "file-file": (io.BytesIO(exported.data), "pre.json")}, content_type="multipart/form-data")
    assert imported.status_code == 302, imported.get_data(as_text=True)[-3000:]
    created = post_form(organizer, f"/programs/{world['ids']['program']}/questionnaires", {"kind": "follow_up"})
    post_id = int(created.location.rsplit("/", 1)[1])
    post_form(organizer, f"/questionnaires/{post_id}/copy-knowledge", {}, page=f"/questionnaires/{post_id}")
    post_form(organizer, f"/questionnaires/{post_id}/copy-knowledge", {}, page=f"/questionnaires/{post_id}")
    with app.app_context():
        keys = db.session.scalars(select(Question.item_key).where(Question.questionnaire_id == post_id)
                                  .order_by(Question.position)).all()
        assert keys == ["K1", "K2", "K3"]  # copied once, item keys kept
        assert db.session.scalar(select(func.count(Questionnaire.id))
                                 .where(Questionnaire.program_id == world["ids"]["program"])) == 3


def test_progress_by_delegation_reminders_and_answer_exports(app, client, organizer, world, run_tasks):
    with app.app_context():
        questionnaire = import_plain(db.session.get(Program, world["ids"]["program"]), None, PLAIN)
        questionnaire.opens_at = utcnow() - timedelta(hours=1)
        attempt = start_attempt(questionnaire, db.session.get(Participant, world["ids"]["gt1"]))
        save_answer(attempt, questionnaire.sections[1].questions[1], "=HYPERLINK(\"x\") <b>", 1)
        questionnaire_id = questionnaire.id
        db.session.commit()
    page = organizer.get(f"/questionnaires/{questionnaire_id}/progress").get_data(as_text=True)
    assert "Guatemala" in page
    sent = post_form(organizer, f"/questionnaires/{questionnaire_id}/reminders", {"audience": "not_started"},
                     page=f"/questionnaires/{questionnaire_id}/progress")
    assert sent.status_code == 302
    run_tasks()
    with app.app_context():
        messages = db.session.scalars(select(OutboundMessage).where(OutboundMessage.kind == "reminder")).all()
        people = {m.participant_id for m in messages}
        assert world["ids"]["gt1"] not in people and len(people) == 4
        assert all(m.status == "outbox" and "Prueba previa" in m.body and "{link}" in m.body for m in messages)
    table = organizer.get(f"/questionnaires/{questionnaire_id}/answers.xlsx")
    sheet = load_workbook(io.BytesIO(table.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == "ixchel.tzul@example.gt" and '=HYPERLINK("x") <b>' in rows[1]  # a text cell
    assert sheet.cell(2, rows[0].index("5. ¿Qué espera?") + 1).data_type == "s"
    csv = organizer.get(f"/questionnaires/{questionnaire_id}/answers.csv").get_data(as_text=True)
    assert "1. K1 · ¿Quién paga el reclutamiento?" in csv.splitlines()[0]
    assert "'=HYPERLINK(\"\"x\"\") <b>" in csv  # neutralized for spreadsheets


def test_focal_points_follow_their_country_only(app, client, world):
    with app.app_context():
        questionnaire = import_plain(db.session.get(Program, world["ids"]["program"]), None, PLAIN)
        questionnaire_id = questionnaire.id
        db.session.commit()
    login(client, world["emails"]["focal_mx"])
    page = client.get(f"/questionnaires/{questionnaire_id}/progress").get_data(as_text=True)
    assert "José Ángel" in page and "Ixchel" not in page
    assert client.get(f"/questionnaires/{questionnaire_id}").status_code == 403
    assert client.get(f"/questionnaires/{questionnaire_id}/answers.csv").status_code == 403


def test_overdue_attempts_are_finalized_by_the_progress_page_and_the_cli(app, organizer, world):
    with app.app_context():
        questionnaire = import_plain(db.session.get(Program, world["ids"]["program"]), None, PLAIN)
        questionnaire.opens_at = utcnow() - timedelta(hours=3)
        questionnaire.time_limit_minutes = 60
        for key in ("mx1", "gt1"):
            attempt = start_attempt(questionnaire, db.session.get(Participant, world["ids"][key]),
                                    now=utcnow() - timedelta(hours=2))
            save_answer(attempt, questionnaire.sections[0].questions[0], "b", 1)
        questionnaire_id = questionnaire.id
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["finalize-attempts"])
    assert result.exit_code == 0 and "Finalized 2 attempts." in result.output
    with app.app_context():
        attempts = db.session.scalars(select(Attempt)).all()
        assert {(a.status, a.finalized_by, a.score) for a in attempts} == {("submitted", "time_limit", 2.0)}
        # One more, then the progress page finalizes it while showing the table.
        questionnaire = db.session.get(Questionnaire, questionnaire_id)
        late = db.session.get(Participant, world["ids"]["mx2"])
        start_attempt(questionnaire, late, now=utcnow() - timedelta(hours=2))
        db.session.commit()
    page = organizer.get(f"/questionnaires/{questionnaire_id}/progress").get_data(as_text=True)
    assert "En curso: 0" in page


def test_reminders_are_sent_by_the_worker_in_the_recipients_language(app, client, world, run_tasks):
    with app.app_context():
        questionnaire = import_plain(db.session.get(Program, world["ids"]["program"]), None, PLAIN)
        questionnaire.opens_at = utcnow() - timedelta(hours=1)
        questionnaire.closes_at = utcnow() + timedelta(days=2)
        db.session.get(Participant, world["ids"]["gt1"]).language = "en"
        questionnaire_id = questionnaire.id
        db.session.commit()
    login(client, world["emails"]["organizer"])
    post_form(client, "/language", {"language": "en", "next": "/"})
    response = post_form(client, f"/questionnaires/{questionnaire_id}/reminders", {"audience": "unfinished"},
                         page=f"/questionnaires/{questionnaire_id}/progress")
    assert "5 messages are being prepared and sent." in client.get(response.location).get_data(as_text=True)
    with app.app_context():  # the request only recorded the decision: the worker writes and sends them
        assert db.session.scalars(select(OutboundMessage.status)).all() == []
    assert run_tasks() == 2  # preparing, then sending
    with app.app_context():
        messages = db.session.scalars(select(OutboundMessage).order_by(OutboundMessage.id)).all()
        assert [m.status for m in messages] == ["outbox"] * 5
        by_person = {m.participant_id: m for m in messages}
        spanish = by_person[world["ids"]["mx1"]].body
        assert "Cierra el" in spanish and "closes" not in spanish
        assert "It closes on" in by_person[world["ids"]["gt1"]].body


def test_far_off_dates_are_refused_next_to_the_field(app, organizer, world):
    questionnaire_id = _new_pre_test(organizer, world["ids"]["program"])
    response = post_form(organizer, f"/questionnaires/{questionnaire_id}", {"title_es": "P",
                                                                            "opens_at": "9999-12-31T23:59"})
    assert response.status_code == 400 and 'id="opens_at-error"' in response.get_data(as_text=True)


def _audit_actions(app, questionnaire_id):
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.object_type == "Questionnaire",
                                                             AuditEvent.object_id == questionnaire_id)
                                    .order_by(AuditEvent.id))
        return [(event.action, event.user_id) for event in events]


def test_every_edit_of_the_builder_is_recorded_in_the_audit_log(app, organizer, world):
    program_id = world["ids"]["program"]
    organizer_id = world["ids"]["organizer"]
    questionnaire_id = _new_pre_test(organizer, program_id)
    section_id = _section_id(app, questionnaire_id)
    page = f"/questionnaires/{questionnaire_id}"
    post_form(organizer, page, {"title_es": "Previa", "opens_at": "2026-03-03T14:00",
                                "closes_at": "2026-03-03T16:00"})
    post_form(organizer, f"/sections/{section_id}/edit", {"title_es": "Conocimientos", "title_en": "Knowledge"})
    post_form(organizer, f"/sections/{section_id}/questions/new", _question_values())
    post_form(organizer, f"/sections/{section_id}/questions/new", _question_values(item_key="K02"))
    with app.app_context():
        first, second = db.session.scalars(select(Question.id).where(Question.questionnaire_id == questionnaire_id)
                                           .order_by(Question.position)).all()
    post_form(organizer, f"/questions/{first}/edit", _question_values(text_es="¿Quién paga la visa?"))
    post_form(organizer, f"/questions/{second}/move", {"direction": "up"}, page=page)
    post_form(organizer, f"/questions/{first}/delete", {}, page=page)
    post_form(organizer, f"/questionnaires/{questionnaire_id}/sections", {"title_es": "Expectativas"}, page=page)
    second_section = _section_id(app, questionnaire_id, 1)
    post_form(organizer, f"/sections/{second_section}/delete", {}, page=page)
    assert _audit_actions(app, questionnaire_id) == [(action, organizer_id) for action in (
        "questionnaire.created", "questionnaire.settings_saved", "questionnaire.section_renamed",
        "questionnaire.question_added", "questionnaire.question_added", "questionnaire.question_changed",
        "questionnaire.reordered", "questionnaire.question_deleted", "questionnaire.section_added",
        "questionnaire.section_deleted")]
    with app.app_context():
        window = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "questionnaire.settings_saved"))
        assert (window.details["opens_at"], window.details["closes_at"]) == \
            ("2026-03-03T20:00:00+00:00", "2026-03-03T22:00:00+00:00")  # Mexico City is UTC−6 in March 2026
    post_form(organizer, f"/questionnaires/{questionnaire_id}/delete", {}, page=page)
    assert _audit_actions(app, questionnaire_id)[-1] == ("questionnaire.deleted", organizer_id)


def test_deleting_a_questionnaire_is_decided_by_the_database_not_by_an_earlier_look(app, world, monkeypatch):
    """A participant who starts between the check and the DELETE keeps their attempt: the DELETE itself is
    conditional on there being none (the check is made to miss it here, as a concurrent start would)."""
    import assessments.services_builder as builder

    with app.app_context():
        questionnaire = import_plain(db.session.get(Program, world["ids"]["program"]), None, PLAIN)
        questionnaire.opens_at = utcnow() - timedelta(hours=1)
        start_attempt(questionnaire, db.session.get(Participant, world["ids"]["mx1"]))
        db.session.commit()
        monkeypatch.setattr(builder, "has_attempts", lambda _questionnaire: False)
        with pytest.raises(builder.Locked):
            builder.delete_questionnaire(questionnaire, None)
        db.session.rollback()
        assert db.session.scalar(select(func.count()).select_from(Attempt)) == 1
        assert db.session.get(Questionnaire, questionnaire.id) is not None


def test_a_builder_change_refused_because_people_answered_changes_nothing(app, organizer, world):
    with app.app_context():
        questionnaire = import_plain(db.session.get(Program, world["ids"]["program"]), None, PLAIN)
        questionnaire.opens_at = utcnow() - timedelta(hours=1)
        start_attempt(questionnaire, db.session.get(Participant, world["ids"]["mx1"]))
        ids = (questionnaire.id, questionnaire.sections[0].id, questionnaire.sections[0].questions[0].id)
        db.session.commit()
    page = f"/questionnaires/{ids[0]}"
    before = _audit_actions(app, ids[0])
    for url in (f"/questions/{ids[2]}/delete", f"/sections/{ids[1]}/delete", f"/questionnaires/{ids[0]}/delete"):
        response = post_form(organizer, url, {}, page=page)
        assert response.status_code == 302 and response.location.endswith(page)
    message = "Este cuestionario ya tiene respuestas: ya no se pueden agregar ni eliminar preguntas."
    assert message in organizer.get(page).get_data(as_text=True)
    assert _audit_actions(app, ids[0]) == before
    with app.app_context():
        assert db.session.get(Question, ids[2]) is not None and db.session.get(Questionnaire, ids[0]) is not None


def test_the_progress_page_links_the_queued_messages_only_for_who_may_send_them(app, client, world):
    with app.app_context():
        questionnaire = import_plain(db.session.get(Program, world["ids"]["program"]), None, PLAIN)
        db.session.add(OutboundMessage(program_id=questionnaire.program_id, kind="reminder", language="es",
                                       to_address="jose.nunez@example.mx", subject="Recordatorio", body="…"))
        questionnaire_id = questionnaire.id
        db.session.commit()
    link = f'href="/programs/{world["ids"]["program"]}/messages"'
    for role, linked in (("organizer", False), ("admin", True)):
        login(client, world["emails"][role])
        page = client.get(f"/questionnaires/{questionnaire_id}/progress").get_data(as_text=True)
        assert "1 mensaje sigue en cola." in page and (link in page) is linked
        client.post("/logout", data={"csrf_token": csrf_from(page)})
