"""A question type registered by this file alone goes through the builder, taking, import, export and the impact
report: the rest of the app asks the registry, never a type's name (nothing outside this file knows these types)."""
import io
import json
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from assessments.models import Answer, Attempt, Question, Questionnaire
from assessments.question_types import (
    DISTRIBUTION,
    AnswerError,
    QuestionType,
    plain_gettext,
    register,
    unregister,
)
from extensions import db
from tests.conftest import csrf_from, login, post_form
from tests.helpers import enter, link_for


class YesNoUnsure(QuestionType):
    """A knowledge item where admitting doubt is an answer (it earns nothing, like a wrong one)."""
    name = "yes_no_unsure"
    label = "Yes / no / not sure"
    widget = "choice"
    scorable = True
    fixed_options = ("yes", "no", "unsure")
    fixed_labels = ("Yes", "No", "Not sure")
    # How the exports write them, compared without accents, case, spaces and punctuation.
    WORDS = {"yes": "yes", "si": "yes", "no": "no", "nose": "unsure", "notsure": "unsure", "unsure": "unsure"}

    def clean(self, raw, spec):
        if raw in (None, ""):
            return None
        if not isinstance(raw, str) or raw not in self.fixed_options:
            raise AnswerError("unknown_option")
        return raw

    def from_cell(self, cell):
        if cell.loose not in self.WORDS:
            raise AnswerError("unknown_option")
        return self.WORDS[cell.loose]

    def display(self, value, labels, gettext=plain_gettext):
        return labels[value]

    def score(self, value, spec):
        if not spec.correct:
            return None
        return float(spec.points) if value in spec.correct else 0.0


class FourPoints(QuestionType):
    """Agreement without a middle point: 1 (disagree) to 4 (agree)."""
    name = "agree4"
    label = "Agreement (4 points)"
    widget = "scale"
    fixed_options = ("1", "2", "3", "4")
    end_labels = ("Disagree", "Agree")
    impact = DISTRIBUTION
    agreeing = ("3", "4")

    def clean(self, raw, spec):
        if raw in (None, ""):
            return None
        if not isinstance(raw, str | int) or str(raw) not in self.fixed_options:
            raise AnswerError("out_of_range")
        return int(raw)

    def from_cell(self, cell):
        return cell.point(1, 4)

    def display(self, value, labels, gettext=plain_gettext):
        return f"{value}/4"

    def export_cell(self, value, labels, gettext=plain_gettext):
        return value


@pytest.fixture
def new_types():
    for type_class in (YesNoUnsure, FourPoints):
        register(type_class)
    yield
    for type_class in (YesNoUnsure, FourPoints):
        unregister(type_class.name)


def _english(client):
    with client.session_transaction() as session:
        session["language"] = "en"


def _ids(app, questionnaire_id):
    with app.app_context():
        questionnaire = db.session.get(Questionnaire, questionnaire_id)
        return questionnaire.sections[0].id, [q.id for s in questionnaire.sections for q in s.questions]


def _build_pre_test(app, organizer, program_id):
    """The pre-test, question by question through the builder's forms."""
    created = post_form(organizer, f"/programs/{program_id}/questionnaires", {"kind": "pre"})
    pre_id = int(created.location.rsplit("/", 1)[1])
    section_id, _questions = _ids(app, pre_id)
    url = f"/sections/{section_id}/questions/new"
    form = organizer.get(url).get_data(as_text=True)
    assert '<option value="yes_no_unsure">Yes / no / not sure</option>' in form
    assert '<option value="agree4">Agreement (4 points)</option>' in form
    knowledge = {"type": "yes_no_unsure", "dimension": "knowledge", "item_key": "K1", "points": "1",
                 "text_es": "¿El reclutamiento es gratuito para el trabajador?",
                 "text_en": "Is recruitment free for the worker?", "required": "y"}
    wrong = post_form(organizer, url, {**knowledge, "correct": "maybe"})
    assert wrong.status_code == 400 and "Use the keys of the options: no, unsure, yes." in wrong.get_data(as_text=True)
    assert post_form(organizer, url, {**knowledge, "correct": "yes"}).status_code == 302
    assert post_form(organizer, url, {
        "type": "agree4", "dimension": "satisfaction", "text_es": "La sesión fue útil",
        "text_en": "The session was useful", "points": "0", "low_es": "En desacuerdo", "high_es": "De acuerdo",
        "low_en": "Disagree", "high_en": "Agree"}).status_code == 302
    page = organizer.get(f"/questionnaires/{pre_id}").get_data(as_text=True)
    assert "Yes / no / not sure · Knowledge" in page and "Agreement (4 points) · Satisfaction" in page
    assert "Right answer: Yes" in page
    return pre_id


def _autosave(client, html, question, value, seq):
    response = client.post("/me/tests/pre/answers", data=json.dumps({"question": question, "value": value,
                                                                     "seq": seq}),
                           headers={"X-CSRFToken": csrf_from(html), "Content-Type": "application/json"})
    return response.status_code, response.get_json()["status"]


def _take(app, participant_id):
    """A participant's browser, on the pre-test's page after pressing start."""
    browser = app.test_client()
    enter(browser, link_for(app, participant_id))
    start = browser.get("/me/tests/pre").get_data(as_text=True)
    browser.post("/me/tests/pre/start", data={"csrf_token": csrf_from(start)})
    _english(browser)
    return browser, browser.get("/me/tests/pre").get_data(as_text=True)


def _submit(browser):
    review = browser.get("/me/tests/pre/review").get_data(as_text=True)
    assert browser.post("/me/tests/pre/submit", data={"csrf_token": csrf_from(review)}).location.endswith("/done")
    return review


def _answers(app, questionnaire_id):
    with app.app_context():
        rows = db.session.execute(select(Attempt.participant_id, Answer.question_id, Answer.value).join(Attempt)
                                  .where(Attempt.questionnaire_id == questionnaire_id))
        found = {}
        for participant_id, question_id, value in rows:
            found.setdefault(participant_id, {})[question_id] = value
        return found


def _scores(app, questionnaire_id):
    with app.app_context():
        return {a.participant_id: (a.status, a.finalized_by, a.score, a.max_score) for a in db.session.scalars(
            select(Attempt).where(Attempt.questionnaire_id == questionnaire_id))}


def _upload(client, questionnaire_id, content):
    url = f"/questionnaires/{questionnaire_id}/responses/import"
    token = csrf_from(client.get(url).get_data(as_text=True))
    response = client.post(url, data={"csrf_token": token, "file": (io.BytesIO(content.encode()), "post.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    return response.location


POST_ANSWERS = """Marca temporal,Dirección de correo electrónico,Is recruitment free for the worker?,La sesión fue útil
2026/03/05 10:00:00,jose.nunez@example.mx,Sí,4 - De acuerdo
2026/03/05 10:04:00,fatima.gomez@example.mx,{second},Agree
"""


def test_a_type_registered_here_is_built_taken_imported_exported_and_reported(app, client, world, new_types):
    ids = world["ids"]
    login(client, world["emails"]["organizer"])
    _english(client)

    # Builder: the registry offers the new types; the table stores them (no migration names them).
    pre_id = _build_pre_test(app, client, ids["program"])
    _section_id, (knowledge, useful) = _ids(app, pre_id)
    with app.app_context():
        assert db.session.get(Question, knowledge).type == "yes_no_unsure"
        assert db.session.get(Question, useful).type == "agree4"
    # The post-test is the pre-test's questionnaire file, imported back.
    exported = client.get(f"/questionnaires/{pre_id}/export.json").get_data()
    assert [q["type"] for q in json.loads(exported)["sections"][0]["questions"]] == ["yes_no_unsure", "agree4"]
    imported = post_form(client, f"/programs/{ids['program']}/questionnaires/import",
                         {"file-kind": "post", "file-file": (io.BytesIO(exported), "pre.json")},
                         page=f"/programs/{ids['program']}/questionnaires")
    assert imported.status_code == 302
    post_id = int(imported.location.rsplit("/", 1)[1])
    _section_id, (post_knowledge, post_useful) = _ids(app, post_id)
    post_form(client, f"/questionnaires/{pre_id}/open", {}, page=f"/questionnaires/{pre_id}")

    # Taking, with autosave: the type draws its widget and tells the script how to read it.
    browser, html = _take(app, ids["mx1"])
    fieldsets = dict(re.findall(r'data-question="(\d+)" data-type="[a-z0-9_]+" data-answer-kind="([a-z]+)"', html))
    assert fieldsets == {str(knowledge): "one", str(useful): "one"}
    assert re.findall(rf'name="q{knowledge}" value="([a-z]+)"', html) == ["yes", "no", "unsure"]
    assert "> Not sure</label>" in html
    assert re.findall(rf'name="q{useful}" value="(\d)"', html) == ["1", "2", "3", "4"]
    assert "1 = Disagree; 4 = Agree" in html
    assert _autosave(browser, html, knowledge, "unsure", 1) == (200, "saved")
    assert _autosave(browser, html, knowledge, "no", 2) == (200, "saved")
    assert _autosave(browser, html, knowledge, "maybe", 3) == (422, "invalid")  # the type's clean refuses it
    assert _autosave(browser, html, useful, "5", 4) == (422, "invalid")
    assert _autosave(browser, html, useful, "2", 5) == (200, "saved")
    review = _submit(browser)
    assert "No</span>" in review and "2/4</span>" in review  # the type's display
    # The plain form (no JavaScript) reads the type's fields too.
    browser, html = _take(app, ids["mx2"])
    seq = re.search(r'name="seq" value="(\d+)"', html).group(1)
    saved = browser.post("/me/tests/pre", data={"csrf_token": csrf_from(html), "seq": seq, "action": "review",
                                                f"q{knowledge}": "unsure", f"q{useful}": "3"})
    assert saved.status_code == 302
    _submit(browser)
    assert _answers(app, pre_id) == {ids["mx1"]: {knowledge: "no", useful: 2},
                                     ids["mx2"]: {knowledge: "unsure", useful: 3}}
    assert _scores(app, pre_id) == {ids["mx1"]: ("submitted", "participant", 0.0, 1.0),
                                    ids["mx2"]: ("submitted", "participant", 0.0, 1.0)}

    # Import: the type reads the spreadsheet's cells; one it cannot read is named and blocks the file.
    bad = client.get(_upload(client, post_id, POST_ANSWERS.format(second="Quizás"))).get_data(as_text=True)
    assert ("Row 3, column “Is recruitment free for the worker?”: “Quizás” is not one of the question&#39;s "
            "options.") in bad
    location = _upload(client, post_id, POST_ANSWERS.format(second="Yes"))
    assert 'data-outcome="error"' not in client.get(location).get_data(as_text=True)
    assert post_form(client, location, {"action": "confirm"}).status_code == 302
    assert _answers(app, post_id) == {ids["mx1"]: {post_knowledge: "yes", post_useful: 4},
                                      ids["mx2"]: {post_knowledge: "yes", post_useful: 4}}
    assert _scores(app, post_id) == {ids["mx1"]: ("submitted", "import", 1.0, 1.0),
                                     ids["mx2"]: ("submitted", "import", 1.0, 1.0)}

    # Export: the type writes its cells (its labels; the points as they are, not "2/4").
    book = load_workbook(io.BytesIO(client.get(f"/questionnaires/{pre_id}/answers.xlsx").get_data()))
    rows = list(book.active.values)
    columns = [rows[0].index("1. K1 · Is recruitment free for the worker?"),
               rows[0].index("2. The session was useful")]
    assert sorted(tuple(row[column] for column in columns) for row in rows[1:]) == [("No", "2"), ("Not sure", "3")]

    # The impact report: the knowledge score pairs K1; the 4-point question is a distribution.
    result = app.test_cli_runner().invoke(args=["impact", "--program", "TEST-2026"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    assert figures["knowledge_keys"] == ["K1"] and figures["max_score"] == 1
    assert (figures["knowledge"]["n_pairs"], figures["knowledge"]["mean_pre"], figures["knowledge"]["mean_post"]) \
        == (2, 0.0, 1.0)
    assert (figures["items"][0]["facility_pre"], figures["items"][0]["facility_post"], figures["items"][0]["c"]) \
        == (0.0, 1.0, 2)
    blocks = [(block["dimension"], question["points"], question["counts"], question["agreeing"])
              for block in figures["likert"] for question in block["questions"]]
    assert blocks == [("satisfaction", ["1", "2", "3", "4"], [0, 1, 1, 0], 0.5),
                      ("satisfaction", ["1", "2", "3", "4"], [0, 0, 0, 2], 1.0)]
    page = client.get(f"/programs/{ids['program']}/impact").get_data(as_text=True)
    section = page[page.index('<section id="likert"'):]
    assert "The session was useful" in section[:section.index("</section>")]


def test_registering_checks_what_a_type_declares(new_types):
    with pytest.raises(ValueError, match="already registered"):
        register(YesNoUnsure)

    class Nameless(QuestionType):
        name = "Not A Name"

    class Unknown(QuestionType):
        name = "slider"
        widget = "slider"

    class PointsWithoutNumbers(QuestionType):
        name = "colours"
        widget = "scale"
        fixed_options = ("red", "green")

    for type_class in (Nameless, Unknown, PointsWithoutNumbers):
        with pytest.raises(ValueError):
            register(type_class)
