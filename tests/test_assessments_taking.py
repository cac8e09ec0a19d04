"""Taking a test through HTTP: windows, autosave with sequence numbers, the plain form, review, one submission."""
import json
import re
from datetime import timedelta
from unittest import mock

import pytest
from sqlalchemy import func, select

from assessments.models import Answer, Attempt, Question, Questionnaire
from assessments.services_builder import import_plain
from extensions import db
from tests.conftest import csrf_from, login, statements_run
from tests.helpers import PLAIN, enter, link_for, open_pre_test
from training.models import Participant, Program, utcnow
from training.services import withdraw_participant
from training.services_links import issue_link, revoke_link


@pytest.fixture
def pre_test(app, world):
    """The PLAIN pre-test, open since an hour ago; ids of its questions in order."""
    return open_pre_test(app, world["ids"]["program"])


@pytest.fixture
def counselor(app, client, world):
    """A participant's browser session, started through their personal link."""
    enter(client, link_for(app, world["ids"]["mx1"]))
    return client


def _start(client):
    page = client.get("/me/tests/pre")
    assert 'action="/me/tests/pre/start"' in page.get_data(as_text=True)
    response = client.post("/me/tests/pre/start", data={"csrf_token": csrf_from(page.get_data(as_text=True))})
    assert response.status_code == 302
    return client.get("/me/tests/pre").get_data(as_text=True)


def _autosave(client, html, question, value, seq):
    return client.post("/me/tests/pre/answers", data=json.dumps({"question": question, "value": value, "seq": seq}),
                       headers={"X-CSRFToken": csrf_from(html), "Content-Type": "application/json"})


def _answers(app, participant_id):
    with app.app_context():
        rows = db.session.execute(select(Answer.question_id, Answer.value).join(Attempt).where(
            Attempt.participant_id == participant_id))
        return dict(rows.all())


def test_not_open_yet_then_open(app, counselor, pre_test):
    with app.app_context():
        db.session.get(Questionnaire, pre_test["id"]).opens_at = utcnow() + timedelta(days=1)
        db.session.commit()
    page = counselor.get("/me/tests/pre").get_data(as_text=True)
    assert "Aún no está abierto" in page
    token = csrf_from(page)
    counselor.post("/me/tests/pre/start", data={"csrf_token": token})
    with app.app_context():
        assert db.session.scalar(select(func.count(Attempt.id))) == 0
    home = counselor.get("/me").get_data(as_text=True)
    assert "Prueba previa" in home


def test_autosave_keeps_the_newest_answer_and_the_form_resumes_it(app, client, counselor, world, pre_test):
    html = _start(counselor)
    choice, true_false, multiple, likert, text = pre_test["questions"]
    first = _autosave(counselor, html, choice, "a", 5000).get_json()
    assert (first["status"], first["saved"]) == ("saved", True) and first["seq_base"] >= 0
    assert _autosave(counselor, html, choice, "b", 9000).get_json()["status"] == "saved"
    # A replayed older request arrives late: it must not overwrite the newer answer.
    assert _autosave(counselor, html, choice, "a", 6000).get_json()["status"] == "stale"
    # The same save retried because its reply was lost is acknowledged again, not called stale.
    assert _autosave(counselor, html, choice, "b", 9000).get_json()["status"] == "saved"
    assert _autosave(counselor, html, multiple, ["y", "x"], 7000).status_code == 200
    assert _autosave(counselor, html, likert, "4", 7100).status_code == 200
    assert _answers(app, world["ids"]["mx1"]) == {choice: "b", multiple: ["x", "y"], likert: 4}
    # Another device, through the same personal link, sees every saved answer.
    other = app.test_client()
    enter(other, link_for(app, world["ids"]["mx1"]))
    page = other.get("/me/tests/pre").get_data(as_text=True)
    assert re.search(rf'name="q{choice}" value="b" checked', page)
    assert re.search(rf'name="q{multiple}" value="x" checked', page)
    assert re.search(rf'name="q{likert}" value="4" checked', page)


def test_an_autosave_is_one_read_and_one_write_statement(app, counselor, world, pre_test):
    """The hot path's shape: on SQLite no BEGIN (each statement is its own transaction, so the write lock is held
    only while SQLite runs the write); on PostgreSQL the attempt's row lock and the upsert in one round trip."""
    from sqlalchemy import event

    html = _start(counselor)
    statements = []

    def record(_connection, _cursor, statement, *_args):
        statements.append(statement.split(None, 1)[0].upper())

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        assert _autosave(counselor, html, pre_test["questions"][0], "b", 5000).get_json()["status"] == "saved"
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert statements == ["SELECT", "INSERT" if engine.dialect.name == "sqlite" else "WITH"]
    assert _answers(app, world["ids"]["mx1"]) == {pre_test["questions"][0]: "b"}


def test_tampered_autosaves_are_refused_and_save_nothing(app, counselor, world, pre_test):
    html = _start(counselor)
    choice = pre_test["questions"][0]
    with app.app_context():
        program = db.session.get(Program, world["ids"]["program"])
        other = import_plain(program, None, {**PLAIN, "kind": "post"})
        foreign_question = other.sections[0].questions[0].id
        db.session.commit()
    assert _autosave(counselor, html, foreign_question, "b", 10).status_code == 400
    assert _autosave(counselor, html, choice, "zzz", 10).status_code == 422  # an option of no such question
    assert _autosave(counselor, html, choice, ["a", {"x": 1}], 10).status_code == 422
    assert _autosave(counselor, html, 10**9, "a", 10).status_code == 400
    assert _autosave(counselor, html, 2**70, "a", 10).status_code == 400
    assert _autosave(counselor, html, pre_test["questions"][2], 5, 10).status_code == 422  # a number, not options
    assert _autosave(counselor, html, choice, "a", -1).status_code == 400
    response = counselor.post("/me/tests/pre/answers", data=json.dumps({"question": choice, "value": "b",
                                                                        "seq": "9", "score": 100}),
                              headers={"X-CSRFToken": csrf_from(html), "Content-Type": "application/json"})
    assert response.status_code == 400
    no_token = counselor.post("/me/tests/pre/answers", json={"question": choice, "value": "b", "seq": 11})
    assert no_token.status_code == 400
    # A lone UTF-16 surrogate, in the answer or anywhere in the body: unreadable, never stored (it would break the
    # test page and every export showing it); a surrogate pair is an emoji, kept.
    text = pre_test["questions"][4]
    for body in ('{"question": %d, "value": "hola \\ud800", "seq": 12}' % text,
                 '{"question": %d, "value": "\\udc00", "seq": 12}' % text,
                 '{"question": %d, "value": "x", "seq": 12, "\\ud800": 1}' % text):
        refused = counselor.post("/me/tests/pre/answers", data=body,
                                 headers={"X-CSRFToken": csrf_from(html), "Content-Type": "application/json"})
        assert refused.status_code == 400 and refused.get_json()["status"] == "invalid", body
    assert _answers(app, world["ids"]["mx1"]) == {}
    assert counselor.get("/me/tests/pre").status_code == 200
    assert _autosave(counselor, html, text, "hola 😀", 13).get_json()["status"] == "saved"
    assert _answers(app, world["ids"]["mx1"]) == {text: "hola 😀"}


@pytest.mark.parametrize("ending", ["reissued", "revoked", "withdrawn"])
def test_an_autosave_after_the_session_ended_is_refused_and_saves_nothing(app, counselor, world, pre_test, ending):
    html = _start(counselor)
    choice = pre_test["questions"][0]
    assert _autosave(counselor, html, choice, "a", 10).get_json()["status"] == "saved"
    with app.app_context():
        participant = db.session.get(Participant, world["ids"]["mx1"])
        {"reissued": lambda: issue_link(participant, None), "revoked": lambda: revoke_link(participant, None),
         "withdrawn": lambda: withdraw_participant(participant, None)}[ending]()
        db.session.commit()
    refused = _autosave(counselor, html, choice, "b", 20)
    assert refused.status_code == 403 and refused.headers["Cache-Control"] == "no-store"
    assert _answers(app, world["ids"]["mx1"]) == {choice: "a"}
    # The session is over for every page, not only this one.
    assert counselor.get("/me/tests/pre").status_code == 403


def test_an_autosave_without_a_participant_session_is_refused(app, client, pre_test):
    page = client.get("/login").get_data(as_text=True)
    response = client.post("/me/tests/pre/answers", json={"question": pre_test["questions"][0], "value": "a",
                                                           "seq": 1}, headers={"X-CSRFToken": csrf_from(page)})
    assert response.status_code == 403
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Answer)) == 0


def test_plain_form_review_and_one_submission_with_the_score(app, counselor, world, pre_test):
    html = _start(counselor)
    choice, true_false, multiple, likert, text = pre_test["questions"]
    hostile = '<script>alert("x")</script> =SUM(A1)'
    response = counselor.post("/me/tests/pre", data={
        "csrf_token": csrf_from(html), "seq": re.search(r'name="seq" value="(\d+)"', html).group(1),
        f"q{true_false}": "true", f"q{multiple}": ["x", "y"], f"q{text}": hostile, "action": "review"})
    assert response.status_code == 302 and response.location.endswith("/me/tests/pre/review")
    review = counselor.get("/me/tests/pre/review").get_data(as_text=True)
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in review and "<script>alert" not in review
    # The required first question is unanswered: the review says so and the server refuses the submission.
    assert f'#q-{choice}"' in review
    # The optional unanswered ones do not say it can be sent as it is: the required one blocks it.
    assert "Puede enviar igualmente" not in review
    assert "las preguntas obligatorias de arriba deben responderse antes de enviar" in review
    refused = counselor.post("/me/tests/pre/submit", data={"csrf_token": csrf_from(review)})
    assert refused.location.endswith("/me/tests/pre/review")
    _autosave(counselor, html, choice, "b", 10**7)
    review = counselor.get("/me/tests/pre/review").get_data(as_text=True)
    assert "Puede enviar igualmente: las preguntas sin responder quedan vacías." in review
    token = csrf_from(review)
    first = counselor.post("/me/tests/pre/submit", data={"csrf_token": token})
    second = counselor.post("/me/tests/pre/submit", data={"csrf_token": token})
    assert first.location.endswith("/me/tests/pre/done") and second.location.endswith("/me/tests/pre/done")
    done = counselor.get("/me/tests/pre/done").get_data(as_text=True)
    assert "4 de 4" in done  # 2 + 1 + 1 points, computed on the server
    assert "ya se había enviado" in done
    with app.app_context():
        attempt = db.session.scalar(select(Attempt))
        assert (attempt.status, attempt.score, attempt.max_score, attempt.finalized_by) == \
            ("submitted", 4.0, 4.0, "participant")
    late = _autosave(counselor, review, likert, "1", 10**8)
    assert late.status_code == 409
    assert _answers(app, world["ids"]["mx1"])[text] == hostile


def test_form_errors_are_shown_next_to_the_question_and_keep_the_rest(app, counselor, world, pre_test):
    html = _start(counselor)
    choice, true_false, multiple, likert, text = pre_test["questions"]
    response = counselor.post("/me/tests/pre", data={"csrf_token": csrf_from(html), "seq": "1",
                                                     f"q{true_false}": "true", f"q{text}": "x" * 5001,
                                                     "action": "save"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="error-summary"' in page and f'id="q{text}-error"' in page
    assert _answers(app, world["ids"]["mx1"]) == {true_false: "true"}


def test_time_limit_and_closing_finalize_from_saved_answers(app, counselor, world, pre_test):
    html = _start(counselor)
    choice = pre_test["questions"][0]
    _autosave(counselor, html, choice, "b", 100)
    with app.app_context():
        questionnaire = db.session.get(Questionnaire, pre_test["id"])
        questionnaire.time_limit_minutes = 30
        attempt = db.session.scalar(select(Attempt))
        attempt.started_at = utcnow() - timedelta(minutes=31)
        db.session.commit()
    assert _autosave(counselor, html, choice, "a", 200).status_code == 409
    page = counselor.get("/me/tests/pre")
    assert page.location.endswith("/me/tests/pre/done")
    with app.app_context():
        attempt = db.session.scalar(select(Attempt))
        assert (attempt.status, attempt.finalized_by, attempt.score) == ("submitted", "time_limit", 2.0)


def test_post_test_waits_for_the_pre_test_window(app, counselor, world, pre_test):
    with app.app_context():
        program = db.session.get(Program, world["ids"]["program"])
        post = import_plain(program, None, {**PLAIN, "kind": "post"})
        post.opens_at = utcnow() - timedelta(hours=2)
        db.session.get(Questionnaire, pre_test["id"]).opens_at = utcnow() + timedelta(hours=1)
        db.session.commit()
    page = counselor.get("/me/tests/post").get_data(as_text=True)
    assert "Aún no está abierto" in page
    counselor.post("/me/tests/post/start", data={"csrf_token": csrf_from(page)})
    with app.app_context():
        assert db.session.scalar(select(func.count(Attempt.id))) == 0


def test_a_page_left_open_for_hours_still_saves(app, counselor, world, pre_test):
    html = _start(counselor)
    true_false = pre_test["questions"][1]
    later = __import__("time").time() + 10 * 3600
    with mock.patch("itsdangerous.timed.time.time", return_value=later):
        response = counselor.post("/me/tests/pre", data={"csrf_token": csrf_from(html), "seq": "1",
                                                         f"q{true_false}": "false", "action": "save"})
    assert response.status_code == 302
    assert _answers(app, world["ids"]["mx1"]) == {true_false: "false"}


def test_staff_and_strangers_cannot_take_tests(client, world, pre_test):
    assert client.get("/me/tests/pre").status_code == 403
    login(client, world["emails"]["admin"])
    token = csrf_from(client.get("/programs").get_data(as_text=True))
    response = client.post("/me/tests/pre/answers", json={"question": pre_test["questions"][0], "value": "b",
                                                           "seq": 1}, headers={"X-CSRFToken": token})
    assert response.status_code == 403


def test_unknown_kinds_and_programs_without_a_test_are_404(app, counselor, world, pre_test):
    assert counselor.get("/me/tests/final").status_code == 404
    assert counselor.get("/me/tests/post").status_code == 404


def test_participant_page_lists_tests_with_their_progress(app, counselor, world, pre_test):
    page = counselor.get("/me").get_data(as_text=True)
    assert "/me/tests/pre" in page and "Sin empezar" in page
    _start(counselor)
    with app.app_context():
        participant = db.session.get(Participant, world["ids"]["mx1"])
        assert db.session.scalar(select(Attempt.status).where(Attempt.participant_id == participant.id)) \
            == "in_progress"
        count = select(func.count(Question.id)).where(Question.questionnaire_id == pre_test["id"])
        assert db.session.scalar(count) == 5


def test_twenty_concurrent_submits_through_http_make_one_submission(app, counselor, world, pre_test):
    from concurrent.futures import ThreadPoolExecutor

    html = _start(counselor)
    _autosave(counselor, html, pre_test["questions"][0], "b", 100)
    review = counselor.get("/me/tests/pre/review").get_data(as_text=True)
    token = csrf_from(review)
    cookie = counselor.get_cookie("session")

    def submit(_index):
        tab = app.test_client()  # another tab of the same browser: same session cookie
        tab.set_cookie("session", cookie.value)
        return tab.post("/me/tests/pre/submit", data={"csrf_token": token}).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(submit, range(20)))
    assert statuses == [302] * 20
    with app.app_context():
        attempts = db.session.scalars(select(Attempt)).all()
        assert [(a.status, a.score, a.finalized_by) for a in attempts] == [("submitted", 2.0, "participant")]


def test_participant_requests_leave_the_session_cookie_alone(app, counselor, pre_test):
    """Otherwise an autosave and a language switch racing each other overwrite each other's session."""
    html = _start(counselor)
    response = _autosave(counselor, html, pre_test["questions"][0], "a", 10)
    assert response.status_code == 200 and "Set-Cookie" not in response.headers
    assert "Set-Cookie" not in counselor.get("/me").headers


def test_the_intro_says_what_the_certificate_asks_of_the_test(app, counselor, world, pre_test):
    """The intro's own text may say anything ("it does not affect your certificate"); the page adds what the
    program's certificate rules really ask of this test."""
    from certificates.services import save_settings
    from training.models import Program

    page = counselor.get("/me/tests/pre").get_data(as_text=True)
    assert "Para su certificado debe enviar este cuestionario; el puntaje no cuenta." in page
    with app.app_context():
        save_settings(db.session.get(Program, world["ids"]["program"]), None, pre_test_required=False)
        db.session.commit()
    page = counselor.get("/me/tests/pre").get_data(as_text=True)
    assert "Este cuestionario no es obligatorio para su certificado." in page
    assert "Para su certificado debe enviar" not in page


def test_the_intro_reads_the_certificate_rules_in_one_statement(app, counselor, pre_test):
    """The intro page: the session's participant, the statuses, then the certificate's rules with the program's
    questionnaire kinds in one plain statement (no ORM load of the settings)."""
    counselor.get("/me/tests/pre")  # the first request builds what is built once
    with statements_run(app) as statements:
        page = counselor.get("/me/tests/pre")
    assert "Para su certificado debe enviar este cuestionario" in page.get_data(as_text=True)
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    rules = [s for s in selects if "certificate_settings" in s]
    assert len(selects) == 3 and len(rules) == 1 and "questionnaires.kind" in rules[0], selects


def test_a_post_test_with_a_minimum_score_says_the_score(app, world):
    from flask_babel import force_locale

    from certificates.services import save_settings
    from certificates.views_public import questionnaire_notes
    from training.models import Participant, Program

    def notes(**settings):
        with app.app_context():
            save_settings(db.session.get(Program, world["ids"]["program"]), None, **settings)
            db.session.commit()
        with app.test_request_context(), force_locale("en"):
            post = db.session.scalar(select(Questionnaire).where(Questionnaire.kind == "post"))
            return questionnaire_notes(db.session.get(Participant, world["ids"]["mx1"]), post)

    with app.app_context():
        db.session.add(Questionnaire(program_id=world["ids"]["program"], kind="post", title={"en": "Post-test"}))
        db.session.commit()
    assert notes(min_post_score=72.5) == [
        "Your certificate requires this questionnaire to be submitted with a score of at least 72.5%."]
    assert notes(post_test_required=False) == ["This questionnaire is not required for your certificate."]


def _objects_built(app):
    """Names of the ORM classes whose objects are built from rows while the block runs (a list, filled as built)."""
    from contextlib import contextmanager

    from sqlalchemy import event

    @contextmanager
    def watching():
        built = []

        def loaded(target, _context):
            built.append(type(target).__name__)

        event.listen(db.Model, "load", loaded, propagate=True)
        try:
            yield built
        finally:
            event.remove(db.Model, "load", loaded)

    return watching()


def test_test_pages_read_the_questionnaire_and_attempt_as_plain_values(app, counselor, pre_test):
    """Only the session's participant and program become ORM objects on the pages that read a test: the
    questionnaires and the attempt are read as rows (building objects for them cost more than the query)."""
    _start(counselor)
    with _objects_built(app) as built:
        assert counselor.get("/me/tests/pre").status_code == 200
        assert counselor.get("/me/tests/pre/review").status_code == 200
        assert counselor.get("/me").status_code == 200
    assert {"Questionnaire", "Attempt"}.isdisjoint(built), built


def test_an_overdue_attempt_is_submitted_when_its_page_is_opened_and_shown_as_done(app, counselor, pre_test, world):
    """The page reads plain values; finalizing writes through the attempt object, and the page follows it."""
    html = _start(counselor)
    _autosave(counselor, html, pre_test["questions"][0], "b", 1000)
    with app.app_context():
        attempt = db.session.scalar(select(Attempt).where(Attempt.participant_id == world["ids"]["mx1"]))
        attempt.started_at = utcnow() - timedelta(hours=3)
        db.session.get(Questionnaire, pre_test["id"]).time_limit_minutes = 30
        db.session.commit()
    response = counselor.get("/me/tests/pre")
    assert response.status_code == 302 and response.headers["Location"].endswith("/me/tests/pre/done")
    with app.app_context():
        attempt = db.session.scalar(select(Attempt).where(Attempt.participant_id == world["ids"]["mx1"]))
        assert (attempt.status, attempt.finalized_by) == ("submitted", "time_limit")
    assert counselor.get("/me/tests/pre/done").status_code == 200
