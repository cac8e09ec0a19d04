"""Use at work on the demo program with a follow-up: the report page, its one-page summary, the workbook, the JSON
and the PDF show intended against reported use with the figures computed here from the tables with scipy."""
import html
import io
import json
import re

import numpy as np
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from scipy import stats
from sqlalchemy import delete, select

from assessments.models import Answer, Attempt, Question, Questionnaire
from assessments.services_builder import import_plain
from extensions import db
from tests.conftest import csrf_from, login
from tests.helpers import DEMO, demo_submitted, load_demo
from training.models import Program, utcnow

HOSTILE = '=HYPERLINK("http://x","<script>alert(1)</script>") {{7*7}}'
LIKERT = {"type": "likert", "dimension": "application", "points": 0, "required": False, "correct": [],
          "options": [], "scale_labels": {}}


def _without_the_demos_follow_up(program):
    """The demo ships a follow-up of its own and a program has one: these tests build theirs instead (its attempts,
    answers and sendings go with it)."""
    db.session.execute(delete(Questionnaire).where(Questionnaire.program_id == program.id,
                                                   Questionnaire.kind == "follow_up"))


def _follow_up(app, share=0.75):
    """The demo's post-test application statement gets the key USE1 (and a hostile wording); a follow-up repeats
    it and adds its own F1; the first `share` of the completers answer it, each reporting one point less than they
    intended when their id is even. Returns the reference figures computed from the tables."""
    with app.app_context():
        program = db.session.scalar(select(Program).where(Program.code == DEMO))
        _without_the_demos_follow_up(program)
        post = db.session.scalar(select(Questionnaire).where(Questionnaire.program_id == program.id,
                                                             Questionnaire.kind == "post"))
        statement = db.session.scalar(select(Question).where(Question.questionnaire_id == post.id,
                                                             Question.dimension == "application",
                                                             Question.type == "likert"))
        statement.item_key, statement.text = "USE1", {"es": HOSTILE, "en": HOSTILE}
        follow = import_plain(program, None, {"kind": "follow_up", "title": {"es": "Seguimiento"}, "intro": {},
                                              "sections": [{"title": {"es": "Uso"}, "questions": [
                                                  {**LIKERT, "text": {"es": "Lo usé"}, "item_key": "USE1"},
                                                  {**LIKERT, "text": {"es": "Propia"}, "item_key": "F1"}]}]})
        repeated, own = (q for section in follow.sections for q in section.questions)
        completers = sorted(demo_submitted("post"))
        intended = dict(db.session.execute(select(Attempt.participant_id, Answer.value).join(Answer).where(
            Attempt.questionnaire_id == post.id, Answer.question_id == statement.id)).all())
        responders = completers[:round(share * len(completers))]
        pairs = []
        for person in responders:
            before = intended.get(person)
            reported = max(1, int(before) - (person % 2 == 0)) if before not in (None, "") else 3
            attempt = Attempt(questionnaire_id=follow.id, participant_id=person, status="submitted",
                              submitted_at=utcnow())
            db.session.add(attempt)
            db.session.flush()
            db.session.add_all([Answer(attempt_id=attempt.id, question_id=repeated.id, value=reported),
                                Answer(attempt_id=attempt.id, question_id=own.id, value=4)])
            if before not in (None, ""):
                pairs.append((float(before), float(reported)))
        db.session.commit()
        others = [float(intended[p]) for p in completers[len(responders):] if intended.get(p) not in (None, "")]
    pairs = np.array(pairs)
    t = stats.ttest_rel(pairs[:, 1], pairs[:, 0])
    return {"completers": len(completers), "respondents": len(responders), "pairs": pairs, "t": t,
            "ci": t.confidence_interval(0.95),
            "welch": stats.ttest_ind(pairs[:, 0], others, equal_var=False)}


def _english(client):
    login(client, "organizadora@capacita.example", "capacita-demo")
    token = csrf_from(client.get("/programs").get_data(as_text=True))
    client.post("/language", data={"language": "en", "csrf_token": token})


def _text(document, section):
    found = re.search(rf'<section id="{section}".*?</section>', document, re.S).group(0)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", found)).split())


def _two(value):
    return f"{value:.2f}"


def test_the_page_and_its_summary_say_how_much_was_used_against_what_was_intended(app, client):
    program_id = load_demo(app)
    reference = _follow_up(app)
    _english(client)
    page = client.get(f"/programs/{program_id}/impact").get_data(as_text=True)
    section = _text(page, "use-at-work")
    n, m = reference["completers"], reference["respondents"]
    intended, reported = reference["pairs"].mean(axis=0)
    low, high = reference["ci"].low, reference["ci"].high
    assert f"Of the {n} who completed, {m} answered the follow-up ({round(100 * m / n)} %)." in section
    assert (f"They report using what they learned at {_two(reported)} of 5, against the {_two(intended)} they "
            f"intended (difference −{_two(intended - reported)}, 95% CI −{_two(-low)} to −{_two(-high)})."
            in section)
    # The statement's wording stays literal text in the table.
    assert "USE1 · =HYPERLINK(&#34;http://x&#34;,&#34;&lt;script&gt;alert(1)&lt;/script&gt;&#34;) {{7*7}}" in page
    assert "<script>alert(1)</script>" not in page
    check = reference["welch"]
    assert f"Welch's t = {check.statistic:.2f}" in section
    summary = _text(page, "summary")
    assert "Reported use at work" in summary and f"Of the {n} who completed, {m} answered the follow-up" in summary
    assert "Less than intended" in summary  # the interval lies below zero
    chart = json.loads(re.search(r'<script type="application/json" id="chart-use">(.*?)</script>', page,
                                 re.S).group(1))
    assert chart["data"]  # each person's intended and reported use, drawn
    data = client.get(f"/programs/{program_id}/impact/data/use.csv").get_data(as_text=True)
    assert len(data.strip().splitlines()) == 1 + len(reference["pairs"]) + 1  # header, people, the means


def test_json_workbook_and_pdf_carry_the_same_figures(app, client, tmp_path):
    program_id = load_demo(app)
    reference = _follow_up(app)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["impact", "--program", DEMO])
    assert result.exit_code == 0, result.output
    block = json.loads(result.output)["use_at_work"]
    assert (block["completers"], block["respondents"]) == (reference["completers"], reference["respondents"])
    comparison = block["comparison"]
    assert comparison["n_pairs"] == len(reference["pairs"])
    assert comparison["ci_low"] == pytest.approx(reference["ci"].low)
    assert comparison["p_value"] == pytest.approx(reference["t"].pvalue)
    assert block["non_response"]["welch_p"] == pytest.approx(reference["welch"].pvalue)
    assert [row["item_key"] for row in block["items"]] == ["USE1"]

    login(client, "organizadora@capacita.example", "capacita-demo")
    book = load_workbook(io.BytesIO(client.get(f"/programs/{program_id}/impact.xlsx").get_data()))
    sheet = book["Uso en el trabajo"]
    cells = {row[0].value: row[1] for row in sheet.iter_rows() if row[0].value is not None and len(row) > 1}
    assert cells["Completaron (enviaron la evaluación posterior)"].value == reference["completers"]
    assert cells["Tasa de respuesta"].value == pytest.approx(reference["respondents"] / reference["completers"])
    assert cells["IC inferior"].value == pytest.approx(reference["ci"].low)
    statement = next(row for row in sheet.iter_rows() if row[0].value == "USE1")
    assert statement[1].value == HOSTILE and statement[1].data_type == "s" and statement[1].quotePrefix

    output = tmp_path / "impact.pdf"
    result = runner.invoke(args=["impact", "--program", DEMO, "--format", "pdf", "--language", "en",
                                 "--output", str(output)])
    assert result.exit_code == 0, result.output
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(output).pages)
    assert f"Of the {reference['completers']} who completed, {reference['respondents']} answered" in text
    assert "Use at work" in text and "Reported use at work" in text


def test_without_a_shared_statement_the_section_says_why(app, client):
    program_id = load_demo(app)
    with app.app_context():
        program = db.session.scalar(select(Program).where(Program.code == DEMO))
        _without_the_demos_follow_up(program)
        import_plain(program, None, {"kind": "follow_up", "title": {"es": "Seguimiento"}, "intro": {},
                                     "sections": [{"title": {"es": "Uso"}, "questions": [
                                         {**LIKERT, "text": {"es": "Propia"}, "item_key": "F1"}]}]})
        db.session.commit()
    _english(client)
    page = client.get(f"/programs/{program_id}/impact").get_data(as_text=True)
    assert ("Use at work cannot be compared: the follow-up repeats none of the post-test's intended-use statements "
            "(same item key and scale).") in _text(page, "use-at-work")
    assert 'id="use-comparison"' not in page and 'id="chart-use"' not in page
