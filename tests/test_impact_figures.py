"""The impact report's charts in the reader's language (impact/texts.figures_for): scale words in the legends, every
question charted, significance marks, titles; and the same on the demo's report page."""
import json
import re

import pytest
from flask_babel import force_locale

from assessments.impact import report as impact
from assessments.impact.report import Item, Respondent, TakenTest
from assessments.impact.services import impact_inputs
from assessments.impact.services_files import TOKEN
from assessments.impact.texts import ALPHA, figures_for, likert_charts
from assessments.question_types import QuestionSpec
from extensions import db
from tests.conftest import csrf_from, login
from tests.helpers import load_demo
from training.models import Program

LIKERT, SCALE = QuestionSpec("likert"), QuestionSpec("scale")
AGREEMENT = {"es": ["Totalmente en desacuerdo", "Totalmente de acuerdo"], "en": ["Strongly disagree", "Strongly agree"]}
USEFUL = {"es": ["Nada útil", "Muy útil"], "en": ["Not useful at all", "Extremely useful"]}
HOSTILE = '<img src=x onerror=alert(1)> "quoted" מה דעתך Donaudampfschifffahrtsgesellschaftskapitänswitwe'
WORDS = {"en": ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"],
         "es": ["Totalmente en desacuerdo", "En desacuerdo", "Ni de acuerdo ni en desacuerdo", "De acuerdo",
                "Totalmente de acuerdo"]}


def _report():
    """One post-test satisfaction block: two Likert questions on the type's ends (one names them, one does not), a
    Likert question with its own ends, a 0–10 question with its own ends and one on the type's."""
    items = (Item(1, None, "satisfaction", LIKERT, {"es": "Me gustó", "en": "I liked it"}),
             Item(2, None, "satisfaction", LIKERT, {"es": "Lo recomiendo", "en": "I recommend it"}, AGREEMENT),
             Item(3, None, "satisfaction", LIKERT, {"es": "Utilidad", "en": "Usefulness"},
                  {"es": ["Inútil", "Muy útil"], "en": ["Useless", "Very useful"]}),
             Item(4, None, "satisfaction", SCALE, {"es": "¿Qué tan útil?", "en": HOSTILE}, USEFUL),
             Item(5, None, "satisfaction", SCALE, {"es": "¿Qué tan probable?", "en": "How likely?"}))
    answers = {person: {1: str(1 + person % 5), 2: str(1 + (person + 1) % 5), 3: "4", 4: str(person), 5: "10"}
               for person in range(1, 11)}
    people = [Respondent(person, "MX", "female", "other") for person in range(1, 11)]
    return impact.report(people, TakenTest((), {}), TakenTest(items, answers))


@pytest.fixture
def figures(app):
    def build(language, **options):
        with app.test_request_context(), force_locale(language):
            return figures_for(_report(), language, "es", **options)
    return build


def _legend(fig):
    return [trace.name for trace in sorted(fig.data, key=lambda t: t.legendrank) if trace.showlegend is not False]


def _rows(fig):
    return [a.text.split(" (n")[0] for a in fig.layout.annotations if "(n\u00a0=" in a.text]


def test_a_block_gets_one_chart_per_scale_and_no_question_is_dropped(figures):
    charts = {name: fig for name, fig in figures("en").items() if name.startswith("likert-")}
    assert list(charts) == ["likert-0", "likert-0-1", "likert-0-2", "likert-0-3"]
    assert _rows(charts["likert-0"]) == ["I liked it", "I recommend it"]  # the type's ends, named or not
    assert _rows(charts["likert-0-1"]) == ["Usefulness"]
    assert len(_rows(charts["likert-0-2"])) == 1 and _rows(charts["likert-0-3"]) == ["How likely?"]
    assert all(TOKEN.match(f"chart-{name}.png") for name in charts)  # each can be downloaded as a file


@pytest.mark.parametrize("language", ["en", "es"])
def test_likert_legends_carry_the_scales_words_in_the_readers_language(figures, language):
    charts = figures(language)
    assert _legend(charts["likert-0"]) == WORDS[language]
    low, high = {"en": ("Useless", "Very useful"), "es": ("Inútil", "Muy útil")}[language]
    assert _legend(charts["likert-0-1"]) == [f"1 · {low}", "2", "3", "4", f"5 · {high}"]


@pytest.mark.parametrize("language", ["en", "es"])
def test_zero_to_ten_questions_are_charted_with_their_ends_words(figures, language):
    charts = figures(language)
    own, default = charts["likert-0-2"], charts["likert-0-3"]
    assert [trace.type for trace in own.data] == ["bar"] * 11 and own.layout.barmode == "stack"
    low, high = USEFUL[language]
    assert [trace.name for trace in own.data] == [f"0 · {low}", *map(str, range(1, 10)), f"10 · {high}"]
    words = {"en": ("Not at all", "Completely"), "es": ("Nada", "Totalmente")}[language]
    assert (default.data[0].name, default.data[-1].name) == (f"0 · {words[0]}", f"10 · {words[1]}")
    # Answers 1…10, one each: 10 % per point from 1 on; mean 5.5, median 5.5.
    assert [trace.x[0] for trace in own.data] == [0] + [pytest.approx(10)] * 10
    mean = {"en": "Mean: 5.5 · Median: 5.5", "es": "Media: 5,5 · Mediana: 5,5"}[language]
    assert any(a.text.endswith(mean) for a in own.layout.annotations)


def test_a_hostile_question_text_stays_literal_in_the_0_to_10_chart(figures):
    fig = figures("en")["likert-0-2"]
    shown = json.dumps(fig.to_dict(), ensure_ascii=False)
    assert "<img" not in shown and "&lt;img src=x" in shown and "onerror=alert(1)&gt;" in shown
    assert "מה דעתך" in shown and '\\"quoted\\"' in shown
    label = next(a.text for a in fig.layout.annotations if "(n\u00a0=" in a.text)
    assert all(len(line) <= 60 for line in label.split("<br>"))  # the long word is broken, not run off the page


def test_titles_override_the_default_titles_by_chart_name(figures):
    charts = figures("en", titles={"items": "Knowledge rose on every item", "likert-0-2": "Most found it useful"})
    assert charts["items"].layout.title.text == "Knowledge rose on every item"
    assert charts["likert-0-2"].layout.title.text == "Most found it useful"
    assert charts["likert-0"].layout.title.text == "Satisfaction"
    assert charts["likert-0-3"].layout.title.text == "Satisfaction, from 0 to 10"


def test_the_page_captions_each_chart_of_a_block_by_its_kind(app):
    block = _report()["likert"][0]
    with app.test_request_context(), force_locale("en"):
        assert likert_charts(0, block, "en", "es") == [("likert-0", False), ("likert-0-1", False),
                                                       ("likert-0-2", True), ("likert-0-3", True)]


def _figure(html, name):
    match = re.search(rf'<script type="application/json" id="chart-{name}">(.*?)</script>', html, re.S)
    assert match, f"no chart {name}"
    return json.loads(match.group(1))


def test_the_demo_report_names_its_scales_and_marks_every_significant_item(app, client):
    program_id = load_demo(app)
    login(client, "organizadora@capacita.example", "capacita-demo")
    client.post("/language", data={"language": "en", "csrf_token": csrf_from(client.get("/programs").get_data(
        as_text=True))})
    html = client.get(f"/programs/{program_id}/impact").get_data(as_text=True)
    likert = _figure(html, "likert-0")
    assert [t["name"] for t in sorted(likert["data"], key=lambda t: t["legendrank"])
            if t.get("showlegend") is not False] == WORDS["en"]
    useful = _figure(html, "likert-0-1")  # the expectations' 0–10 question, no longer dropped
    assert [t["name"] for t in useful["data"]][::10] == ["0 · Not useful at all", "10 · Extremely useful"]
    assert "Mean: " in json.dumps(useful)
    with app.app_context():
        significant = sum(row["p_holm"] < ALPHA for row in impact.report(*impact_inputs(
            db.session.get(Program, program_id)))["items"])
    items = _figure(html, "items")
    marked = [a["text"] for a in items["layout"]["annotations"] if a["text"].endswith("\u00a0*")]
    filled = next(t for t in items["data"] if t.get("legendgroup") == "significant")
    assert len(marked) == len(filled["x"]) == significant >= 5
