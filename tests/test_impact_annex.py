"""The impact report's statistician's annex: the methods as named conventions and what a low reliability or a negative
discrimination means, the same on the page, in the standalone HTML, the PDF and the workbook."""
import html
import io
import re
from datetime import datetime, timezone

import pytest
from flask_babel import force_locale
from openpyxl import load_workbook
from pypdf import PdfReader

from assessments.impact import report as impact
from assessments.impact.pdf import summary_pdf
from assessments.impact.provenance import provenance
from assessments.impact.report import Item, Respondent, TakenTest
from assessments.impact.texts import pdf_texts, report_workbook
from assessments.impact.texts_annex import method_conventions, verdict_texts
from assessments.impact.verdicts import discrimination_verdict, reliability_verdict
from assessments.models import Answer, Attempt
from assessments.question_types import QuestionSpec
from extensions import db
from tests.conftest import login
from tests.factories import (
    make_delegation,
    make_participant,
    make_program,
    make_question,
    make_questionnaire,
    make_section,
)
from tests.helpers import choose_english

CHOICE = QuestionSpec("single_choice", ("a", "b"), ("b",), 1.0, True)
LIKERT = QuestionSpec("likert", (), (), 0.0, False)
# Eight participants take both tests; which of the items K1, K2, K3 each gets right. In the post-test, K3 is right
# for those who got the rest wrong and wrong for those who got it right: a negative discrimination.
PRE_RIGHT = ["100", "010", "000", "001", "110", "000", "100", "001"]
POST_RIGHT = ["110", "110", "100", "011", "001", "111", "110", "001"]
# Two satisfaction statements whose answers barely move together: Cronbach's alpha 0.16.
S1 = [5, 4, 2, 1, 5, 3, 4, 2]
S2 = [4, 3, 4, 3, 4, 4, 3, 4]
NEGATIVE = ("Participants who did better on the rest of the test got this item wrong more often: check its wording "
            "or its key.")
LOW_ALPHA = ("The answers to these statements do not move together (α below 0.5): their average should not be read "
             "as one measure.")


def _answers(bits, offset):
    return {offset + index: "b" if bit == "1" else "a" for index, bit in enumerate(bits, 1)}


def _report():
    people = [Respondent(n, "MX", "female", "other") for n in range(1, 9)]
    pre = TakenTest(tuple(Item(i, f"K{i}", "knowledge", CHOICE, {"en": f"Question {i}"}) for i in (1, 2, 3)),
                    {n: _answers(bits, 0) for n, bits in enumerate(PRE_RIGHT, 1)})
    post = TakenTest((*(Item(10 + i, f"K{i}", "knowledge", CHOICE) for i in (1, 2, 3)),
                      Item(21, None, "satisfaction", LIKERT, {"en": "I liked it"}),
                      Item(22, None, "satisfaction", LIKERT, {"en": "I would recommend it"})),
                     {n: _answers(bits, 10) | {21: str(S1[n - 1]), 22: str(S2[n - 1])}
                      for n, bits in enumerate(POST_RIGHT, 1)})
    return impact.report(people, pre, post)


def _flat(text):
    return " ".join(text.split())


# ---- the rules --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("value, verdict", [
    (-0.02, "unacceptable"), (0.15, "unacceptable"), (0.4999, "unacceptable"), (0.5, "questionable"),
    (0.6999, "questionable"), (0.7, "acceptable"), (0.95, "acceptable"), (None, None),
])
def test_reliability_is_graded_at_one_half_and_seven_tenths(value, verdict):
    assert reliability_verdict(value) == verdict


@pytest.mark.parametrize("value, verdict", [
    (-0.6, "negative"), (-0.0001, "negative"), (0.0, "weak"), (0.1999, "weak"), (0.2, None), (0.8, None),
    (None, None),
])
def test_discrimination_is_negative_below_zero_and_weak_below_one_fifth(value, verdict):
    assert discrimination_verdict(value) == verdict


def test_the_data_has_a_low_alpha_and_a_negative_discrimination():
    report = _report()
    (block,) = report["likert"]
    assert block["alpha"]["alpha"] == pytest.approx(0.1589, abs=1e-4)
    post_items = report["quality"]["post"]["items"]["items"]
    assert post_items[2]["discrimination_index"] == pytest.approx(-0.603, abs=1e-3)


# ---- the methods as conventions ---------------------------------------------------------------------------------

def test_the_conventions_state_what_a_statistician_needs_in_words_and_thresholds(app):
    with app.test_request_context(), force_locale("en"):
        conventions = dict(method_conventions(0.95))
    with app.test_request_context(), force_locale("es"):
        spanish = dict(method_conventions(0.9))
    assert "2.5 and 2.5000000000000004" in conventions["Rounding"]
    assert "round(post - pre, 10)" in conventions["Rounding"]
    assert "zeros included, while the Wilcoxon test drops them" in conventions["Hodges–Lehmann estimate"]
    assert "when b = c, where it is 1 − dbinom(b, 2b, 0.5)/2" in conventions["McNemar's test per item"]
    assert "when b + c = 0 nothing is tested" in conventions["McNemar's test per item"]
    assert "fewer than 50 non-zero differences and neither ties nor zeros" in conventions["Wilcoxon signed-rank test"]
    assert "qt(0.975, n − 1)" in conventions["Paired t-test"]
    assert "pt(t, n − 1, λ) = 0.975 and 0.025" in conventions["Cohen's d_z"]
    assert "only with 3 to 5,000 pairs" in conventions["Normality"]
    assert "0.05" in conventions["Significance level"] and "95%" in conventions["Confidence level"]
    assert "4–5 (Likert) or 7–10 (0–10)" in conventions["Likert summaries"]
    assert "fewer than 10 pairs is marked small n" in conventions["Subgroups"]
    assert {"Hedges' g_z and d_av", "Normalized gain", "Multiple comparisons", "KR-20", "Cronbach's alpha",
            "Attrition check", "Sign test", "Exact conditional p", "Item statistics"} <= set(conventions)
    # In Spanish: its decimal comma in the prose, R's decimal point in the code; the level asked for.
    prose = " ".join(spanish.values())
    assert "90 %" in prose and "conf.level = 0.9" in prose and "qt(0.95, n − 1)" in prose and "0,05" in prose


def test_the_pdf_lists_every_convention_and_explains_the_low_reliability_and_the_negative_item(app):
    report = _report()
    with app.test_request_context(), force_locale("en"):
        conventions = method_conventions(report["confidence"])
        data = summary_pdf(report, pdf_texts(report, provenance()), "en", "en", title="Impact report")
    text = _flat(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))
    for term, sentence in conventions:
        assert f"{term}: {_flat(sentence)}" in text, term
    assert "Cronbach's alpha: 0.16 [" in text and LOW_ALPHA in text
    assert f"K3 · Discrimination in the post-test: -0.60. {NEGATIVE}" in text.replace("−", "-")
    assert "KR-20 of the post-test:" in text and "The items of this test do not measure one thing consistently" in text
    assert re.search(r"Python [\d.]+ · SciPy [\d.]+ · NumPy .* reportlab [\d.]+ · openpyxl [\d.]+", text)


def test_the_workbook_lists_the_same_conventions_and_explains_next_to_the_numbers(app):
    report = _report()
    with app.test_request_context(), force_locale("en"):
        conventions, kr20_unacceptable = method_conventions(report["confidence"]), verdict_texts()[
            "verdict_kr20_unacceptable"]
        book = load_workbook(io.BytesIO(report_workbook(report, "en", "en", provenance())))
    rows = [[cell.value for cell in row] for row in book["Methods"].iter_rows()]
    assert rows[0] == ["Convention", "How it is computed"]
    assert [tuple(row[:2]) for row in rows[2:2 + len(conventions)]] == conventions
    assert ["SciPy", provenance()["scipy"]] in rows and ["openpyxl", provenance()["openpyxl"]] in rows
    quality = list(book["Quality post-test"].iter_rows(values_only=True))
    header = quality[0]
    k3 = next(row for row in quality if row[0] == "K3")
    assert k3[header.index("Discrimination")] == pytest.approx(-0.603, abs=1e-3)
    assert k3[header.index("What it means")] == NEGATIVE
    k2 = next(row for row in quality if row[0] == "K2")
    assert k2[header.index("What it means")] is None  # 0.29: nothing to say
    assert ("What it means", kr20_unacceptable) in [row[:2] for row in quality]
    likert = list(book["Likert"].iter_rows(values_only=True))
    alpha_header = next(row for row in likert if row[:2] == ("Dimension", "Cronbach's alpha"))
    satisfaction = likert[likert.index(alpha_header) + 1]
    assert satisfaction[1] == pytest.approx(0.1589, abs=1e-4)
    assert satisfaction[alpha_header.index("What it means")] == LOW_ALPHA


# ---- the page and the standalone file ---------------------------------------------------------------------------

@pytest.fixture
def annex_program(app, world):
    """A program whose eight participants submitted both tests as `_report`'s data: its report has the low alpha and
    the negative discrimination."""
    done = datetime(2026, 3, 3, 22, 0, tzinfo=timezone.utc)
    options = [{"key": "a", "es": "A", "en": "A"}, {"key": "b", "es": "B", "en": "B"}]
    with app.app_context():
        program = make_program("ANNEX-2026", {"es": "Anexo", "en": "Annex"})
        mexico = make_delegation(program, country_code="MX", quota=10)
        people = [make_participant(mexico, f"Persona {n}", "Prueba", f"persona{n}@example.mx") for n in range(1, 9)]
        questions, questionnaires = {}, {}
        for kind in ("pre", "post"):
            questionnaires[kind] = make_questionnaire(program, kind, {"es": kind})
            section = make_section(questionnaires[kind], {"es": "Única"})
            for index in (1, 2, 3):
                questions[kind, index] = make_question(
                    section, "single_choice", "knowledge", {"es": f"Pregunta {index}", "en": f"Question {index}"},
                    position=index, item_key=f"K{index}", options=options, correct=["b"], points=1.0)
        section = make_section(questionnaires["post"], {"es": "Satisfacción"}, position=2)
        for index, text in ((4, "I liked it"), (5, "I would recommend it")):
            questions["post", index] = make_question(section, "likert", "satisfaction", {"es": text, "en": text},
                                                     position=index)
        for person, before, after, first, second in zip(people, PRE_RIGHT, POST_RIGHT, S1, S2, strict=True):
            for kind, bits in (("pre", before), ("post", after)):
                attempt = Attempt(questionnaire_id=questionnaires[kind].id, participant_id=person.id,
                                  status="submitted", submitted_at=done)
                db.session.add(attempt)
                db.session.flush()
                values = {index: "b" if bit == "1" else "a" for index, bit in enumerate(bits, 1)}
                if kind == "post":
                    values |= {4: first, 5: second}
                db.session.add_all(Answer(attempt_id=attempt.id, question_id=questions[kind, index].id, value=value)
                                   for index, value in values.items())
        db.session.commit()
        return program.id


def _methods_section(page):
    match = re.search(r'<section id="methods".*?</section>', page, re.S)
    assert match, "no methods section"
    return match.group(0)


def test_the_page_and_the_standalone_file_show_the_conventions_and_explain_next_to_the_numbers(app, client, world,
                                                                                              annex_program):
    login(client, world["emails"]["organizer"])
    choose_english(client)
    page = client.get(f"/programs/{annex_program}/impact").get_data(as_text=True)
    standalone = client.get(f"/programs/{annex_program}/impact.html").get_data(as_text=True)
    with app.test_request_context(), force_locale("en"):
        conventions = method_conventions(0.95)
    for document in (page, standalone):
        methods = html.unescape(_methods_section(document))
        for term, sentence in conventions:
            assert f"<dt>{term}</dt><dd>{sentence}</dd>" in methods, term
        assert re.search(r"Computed with Python [\d.]+ · SciPy [\d.]+ · NumPy [\d.]+ · plotly .* · openpyxl", methods)
        text = html.unescape(document)
        assert re.search(r"Cronbach's alpha 0\.16 \(CI [^)]*\)<span class=\"reading reading-unacceptable\">"
                         + re.escape(LOW_ALPHA), text)
        assert re.search(r"<td data-label=\"Discrimination\">[−-]0\.60<span class=\"reading reading-negative\">"
                         + re.escape(NEGATIVE), text)
