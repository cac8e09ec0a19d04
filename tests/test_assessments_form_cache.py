"""The test form's cached HTML: built by the same templates, the participant's own answers filled in (escaped), and
every edit of the questionnaire in the database seen at once, whoever made it."""
import json
import re

import pytest
from flask import render_template
from sqlalchemy import select, update

from assessments.models import Answer, Attempt, Question, Section
from assessments.services_builder import import_plain
from assessments.services_content import REVIEW_TEMPLATE, content_of, form_html, questions_html, review_html
from extensions import db
from tests.conftest import csrf_from
from tests.helpers import english_session, enter, link_for
from training.models import Program, utcnow

HOSTILE = '"><script>alert(1)</script>'
MARKUP_TEXT = '<b>Bold</b> & "quoted" <script>x()</script>'
FORM = {
    "kind": "pre", "title": {"es": "Prueba", "en": "Test"}, "intro": {"es": "Responda."},
    "sections": [{"title": {"es": "Uno <i>", "en": "One"}, "questions": [
        {"type": "single_choice", "text": {"es": MARKUP_TEXT, "en": "Who pays?"}, "dimension": "knowledge",
         "item_key": "K1", "points": 2, "required": True, "correct": ["b"],
         "options": [{"key": "a", "es": "El <trabajador>", "en": "The worker"},
                     {"key": "b", "es": "El empleador", "en": "The employer"}], "scale_labels": {}},
        {"type": "multiple_choice", "text": {"es": "Elija"}, "dimension": "knowledge", "item_key": "K2",
         "points": 1, "required": False, "correct": ["x", "y"],
         "options": [{"key": "x", "es": "OIT"}, {"key": "y", "es": "OIM"}, {"key": "z", "es": "FIFA"}],
         "scale_labels": {}},
        {"type": "true_false", "text": {"es": "Verdad"}, "dimension": "knowledge", "item_key": "K3", "points": 1,
         "required": False, "correct": ["true"], "options": [], "scale_labels": {}},
    ]}, {"title": {"es": "Dos"}, "questions": [
        {"type": "likert", "text": {"es": "Espero aprender"}, "dimension": "expectations", "item_key": None,
         "points": 0, "required": False, "correct": [], "options": [], "scale_labels": {}},
        {"type": "scale", "text": {"es": "Cuánto"}, "dimension": "expectations", "item_key": None,
         "points": 0, "required": False, "correct": [], "options": [], "scale_labels": {}},
        {"type": "short_text", "text": {"es": "Su cargo"}, "dimension": "expectations", "item_key": None,
         "points": 0, "required": False, "correct": [], "options": [], "scale_labels": {}},
        {"type": "long_text", "text": {"es": "¿Qué espera?"}, "dimension": "expectations", "item_key": None,
         "points": 0, "required": False, "correct": [], "options": [], "scale_labels": {}},
    ]}],
}


@pytest.fixture
def form_test(app, world):
    """FORM as the program's pre-test, open since an hour ago: its id and question ids in order."""
    from datetime import timedelta
    with app.app_context():
        questionnaire = import_plain(db.session.get(Program, world["ids"]["program"]), None, FORM)
        questionnaire.opens_at = utcnow() - timedelta(hours=1)
        questionnaire.show_score = True
        db.session.commit()
        return {"id": questionnaire.id, "questions": [q.id for s in questionnaire.sections for q in s.questions]}


def _browser(app, participant_id):
    client = app.test_client()
    enter(client, link_for(app, participant_id))
    return client


def _start(client):
    page = client.get("/me/tests/pre").get_data(as_text=True)
    assert client.post("/me/tests/pre/start", data={"csrf_token": csrf_from(page)}).status_code == 302
    return client.get("/me/tests/pre").get_data(as_text=True)


def _save(client, html, question, value, seq):
    response = client.post("/me/tests/pre/answers", data=json.dumps({"question": question, "value": value, "seq": seq}),
                           headers={"X-CSRFToken": csrf_from(html), "Content-Type": "application/json"})
    assert response.status_code == 200, response.get_data(as_text=True)


def _checked(html):
    """(field name, value) of every checked radio button and checkbox."""
    return sorted(re.findall(r'<input type="(?:radio|checkbox)" name="(q\d+)" value="([^"]*)" checked', html))


def _fieldset(html, question_id):
    return re.search(rf'<fieldset[^>]*id="q-{question_id}".*?</fieldset>', html, re.S).group(0)


def test_the_form_fills_in_each_participants_own_answers_escaped(app, world, form_test):
    choice, multiple, true_false, likert, scale, short, long = form_test["questions"]
    first, second = _browser(app, world["ids"]["mx1"]), _browser(app, world["ids"]["mx2"])
    html_first, html_second = _start(first), _start(second)
    assert _checked(html_first) == [] and _checked(html_second) == []
    for question, value in ((choice, "b"), (multiple, ["x", "z"]), (true_false, "false"), (likert, "4"),
                            (scale, "10"), (short, HOSTILE), (long, HOSTILE + "\n</textarea><b>")):
        _save(first, html_first, question, value, 1000)
    _save(second, html_second, choice, "a", 1000)
    _save(second, html_second, short, "mío", 1000)

    page = first.get("/me/tests/pre").get_data(as_text=True)
    assert _checked(page) == sorted([(f"q{choice}", "b"), (f"q{multiple}", "x"), (f"q{multiple}", "z"),
                                     (f"q{true_false}", "false"), (f"q{likert}", "4"), (f"q{scale}", "10")])
    # The scale's "1" and "0" are not taken for "10", nor likert's 4 for another point.
    assert f'name="q{scale}" value="1" checked' not in page and f'name="q{likert}" value="5" checked' not in page
    escaped = "&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"
    assert f'name="q{short}" maxlength="500" value="{escaped}"' in page
    assert f">{escaped}\n&lt;/textarea&gt;&lt;b&gt;</textarea>" in page
    assert "<script>alert(1)" not in page and "mío" not in page

    other = second.get("/me/tests/pre").get_data(as_text=True)
    assert _checked(other) == [(f"q{choice}", "a")]
    assert f'name="q{short}" maxlength="500" value="mío"' in other
    assert "alert(1)" not in other and f'<textarea name="q{long}"' in other
    assert re.search(rf'<textarea name="q{long}"[^>]*></textarea>', other)


def test_question_texts_with_markup_are_escaped_and_labelled(app, world, form_test):
    page = _start(_browser(app, world["ids"]["mx1"]))
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; &#34;quoted&#34; &lt;script&gt;x()&lt;/script&gt;" in page
    assert "<b>Bold</b>" not in page and "<script>x()" not in page
    assert "El &lt;trabajador&gt;" in page and "<h2>Uno &lt;i&gt;</h2>" in page
    short = _fieldset(page, form_test["questions"][5])
    assert "<legend>" in short and 'aria-label="Su cargo"' in short
    assert page.count("<fieldset") == 7 and page.count("<legend>") == 7


def test_an_edit_in_the_database_shows_at_once(app, world, form_test):
    """Whoever edits (another worker, a command): the form, review and score read the rows as they are now."""
    choice, multiple, true_false, likert, scale, short, long = form_test["questions"]
    client = _browser(app, world["ids"]["mx1"])
    html = _start(client)
    assert "Su cargo" in html
    with app.app_context():
        db.session.execute(update(Question).where(Question.id == short).values(text={"es": "Su puesto actual"}))
        db.session.execute(update(Question).where(Question.id == choice).values(
            options=[{"key": "a", "es": "La trabajadora"}, {"key": "b", "es": "La empleadora"}], correct=["a"]))
        db.session.execute(update(Section).where(Section.questionnaire_id == form_test["id"], Section.position == 1)
                           .values(title={"es": "Primera parte"}))
        db.session.commit()
    page = client.get("/me/tests/pre").get_data(as_text=True)
    assert "Su puesto actual" in page and "Su cargo" not in page
    assert "La trabajadora" in page and "El empleador" not in page and "Primera parte" in page
    with app.app_context():
        db.session.execute(Question.__table__.delete().where(Question.id == scale))
        db.session.commit()
    page = client.get("/me/tests/pre").get_data(as_text=True)
    assert f'id="q-{scale}"' not in page and page.count("<fieldset") == 6
    _save(client, page, choice, "a", 2000)
    review = client.get("/me/tests/pre/review").get_data(as_text=True)
    assert "La trabajadora" in review and "Su puesto actual" in review
    assert client.post("/me/tests/pre/submit", data={"csrf_token": csrf_from(review)}).status_code == 302
    with app.app_context():
        attempt = db.session.scalar(select(Attempt).where(Attempt.participant_id == world["ids"]["mx1"]))
        # "a" became the right answer after the form was first shown: the score reads the rows as they are now.
        assert (attempt.status, attempt.score, attempt.max_score) == ("submitted", 2.0, 4.0)


def test_each_language_has_its_own_form(app, world, form_test):
    client = _browser(app, world["ids"]["mx1"])
    spanish = _start(client)
    english_session(client)
    english = client.get("/me/tests/pre").get_data(as_text=True)
    assert "Who pays?" in english and "The employer" in english and "<h2>One</h2>" in english
    assert "Who pays?" not in spanish and "El empleador" in spanish
    with app.app_context():
        db.session.execute(update(Question).where(Question.id == form_test["questions"][0])
                           .values(text={"es": MARKUP_TEXT, "en": "Who pays for recruitment?"}))
        db.session.commit()
    assert "Who pays for recruitment?" in client.get("/me/tests/pre").get_data(as_text=True)


def test_the_cached_form_is_what_the_templates_render_for_the_page(app, world, form_test):
    """Filling the cached HTML gives exactly what rendering the templates with the answers gives."""
    choice, multiple, true_false, likert, scale, short, long = form_test["questions"]
    answers_of = [{}, {choice: "a", multiple: ["y"], true_false: "true", likert: 1, scale: 0, short: HOSTILE,
                       long: "<b>\n"},
                  {multiple: [], likert: 5, scale: 1, short: "", long: None}]
    with app.test_request_context("/"):
        content = content_of(form_test["id"])
        for answers in answers_of:
            for language in ("es", "en"):
                expected = questions_html(content, answers, {}, language, "es")
                assert form_html(content, answers, language, "es") == expected
                assert form_html(content, answers, language, "es") == expected  # from the cache
        assert "\x00" not in form_html(content, answers_of[1], "es", "es")
        for answers in answers_of:
            for language in ("es", "en"):
                expected = render_template(REVIEW_TEMPLATE, sections=content.sections, answers=answers,
                                           language=language, fallback="es", slots=None)
                assert review_html(content, answers, language, "es") == expected
                assert review_html(content, answers, language, "es") == expected  # from the cache
        review = str(review_html(content, answers_of[1], "es", "es"))
        assert "&#34;&gt;&lt;script&gt;alert(1)" in review and "<script>" not in review
        assert "—" in str(review_html(content, answers_of[2], "es", "es"))


def test_the_review_shows_each_participants_own_answers_in_their_language(app, world, form_test):
    choice, multiple, true_false, likert, scale, short, long = form_test["questions"]
    first, second = _browser(app, world["ids"]["mx1"]), _browser(app, world["ids"]["mx2"])
    html_first, html_second = _start(first), _start(second)
    for question, value in ((choice, "b"), (true_false, "true"), (likert, "4"), (short, HOSTILE)):
        _save(first, html_first, question, value, 1000)
    _save(second, html_second, choice, "a", 1000)
    english_session(second)
    mine = first.get("/me/tests/pre/review").get_data(as_text=True)
    theirs = second.get("/me/tests/pre/review").get_data(as_text=True)
    answers = re.findall(r'<span class="review-answer">(.*?)</span>', mine)
    hostile = "&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"
    assert answers == ["El empleador", "—", "Verdadero", "4 de 5", "—", hostile, "—"]
    assert re.findall(r'<span class="review-answer">(.*?)</span>', theirs) == ["The worker"] + ["—"] * 6


def test_a_plain_form_post_saves_every_answer(app, world, form_test):
    """Without JavaScript the form posts every field; the page after it shows what was saved."""
    choice, multiple, true_false, likert, scale, short, long = form_test["questions"]
    client = _browser(app, world["ids"]["mx1"])
    html = _start(client)
    response = client.post("/me/tests/pre", data={
        "csrf_token": csrf_from(html), "seq": re.search(r'name="seq" value="(\d+)"', html).group(1),
        f"q{choice}": "b", f"q{multiple}": ["x", "y"], f"q{likert}": "3", f"q{short}": HOSTILE, "action": "save"})
    assert response.status_code == 302
    with app.app_context():
        saved = dict(db.session.execute(select(Answer.question_id, Answer.value)).all())
    assert saved == {choice: "b", multiple: ["x", "y"], likert: 3, short: HOSTILE}
    page = client.get("/me/tests/pre").get_data(as_text=True)
    assert _checked(page) == sorted([(f"q{choice}", "b"), (f"q{multiple}", "x"), (f"q{multiple}", "y"),
                                     (f"q{likert}", "3")])
