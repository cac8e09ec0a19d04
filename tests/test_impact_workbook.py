"""The impact report's XLSX workbook (assessments/impact_workbook.py), read back with openpyxl, without an app."""
import io

import pytest
from openpyxl import load_workbook

from assessments.impact import report as impact
from assessments.impact import workbook as impact_workbook
from assessments.impact.report import Item, Respondent, TakenTest
from assessments.impact.workbook import LABEL_KEYS, workbook_bytes
from assessments.question_types import QuestionSpec

CHOICE = QuestionSpec("single_choice", ("a", "b"), ("b",), 1.0, True)
TWO_POINTS = QuestionSpec("true_false", (), ("true",), 2.0, False)
LIKERT = QuestionSpec("likert", (), (), 0.0, False)
SCALE = QuestionSpec("scale", (), (), 0.0, False)
LONG_TEXT = QuestionSpec("long_text")
PAYLOADS = ('=HYPERLINK("http://x","y")', "+1+1", "@SUM(A1)", "-2+3", "\tTAB")
CARRIAGE_RETURN = "\r=1+1"
EVIL_GROUP = "=cmd|' /C calc'!A0"

PEOPLE = [Respondent(1, "MX", "female", "other"), Respondent(2, "MX", "male", "other"),
          Respondent(3, "GT", "female", "other"), Respondent(4, "GT", "female", "other"),
          Respondent(5, "", "female", "other"), Respondent(6, "GT", "male", "other")]
SHEETS = ["sheet_summary", "sheet_paired", "sheet_items", "sheet_quality_pre", "sheet_quality_post",
          "sheet_country", "sheet_gender", "sheet_likert", "sheet_open_answers", "sheet_use", "sheet_raw",
          "sheet_methods"]
LABELS = {key: key for key in LABEL_KEYS}  # each header reads as its key: easy to find, exactly the keys


def _data():
    """Scores on K1 (1 point) + K2 (2 points), out of 3 — person 1: 0 → 3; 2: 1 → 3; 3: 2 → 2; 4: 3 → 1;
    5: pre only; 6: post only. Question texts and open answers are formula-like."""
    pre = TakenTest((Item(1, "K1", "knowledge", CHOICE, {"es": "¿Quién?", "en": PAYLOADS[0]}),
                     Item(2, "K2", "knowledge", TWO_POINTS, {"es": "Sólo en español"}),
                     Item(4, None, "expectations", LIKERT, {"es": PAYLOADS[2]}),
                     Item(6, None, "expectations", LIKERT, {"es": "Otra"}),
                     Item(7, None, "expectations", SCALE, {"es": "De 0 a 10"}),
                     Item(5, None, "expectations", LONG_TEXT, {"es": PAYLOADS[3]})), {
        1: {1: "a", 2: "false", 4: "5", 6: "4", 7: "10", 5: PAYLOADS[0]},
        2: {1: "b", 4: "4", 6: "4", 7: "0", 5: PAYLOADS[1]},
        3: {2: "true", 4: "2", 6: "1", 5: PAYLOADS[4]},
        4: {1: "b", 2: "true", 4: "4", 6: "5", 5: CARRIAGE_RETURN},
        5: {5: "plain\x07 answer"},  # a control character XLSX cannot hold
    })
    post = TakenTest((Item(12, "K2", "knowledge", TWO_POINTS), Item(11, "K1", "knowledge", CHOICE),
                      Item(14, None, "satisfaction", LIKERT, {"en": "+1+1"})), {
        1: {11: "b", 12: "true", 14: "5"}, 2: {11: "b", 12: "true", 14: "4"}, 3: {12: "true"},
        4: {11: "b", 14: "1"}, 6: {11: "b", 12: "true"},
    })
    return pre, post


def _group_name(attribute, value):
    return {"": EVIL_GROUP, "MX": "México", "GT": "Guatemala"}.get(value, value) if attribute == "country" else value


def _book(report=None, labels=LABELS, **options):
    report = report if report is not None else impact.report(PEOPLE, *_data())
    options = {"group_name": _group_name, **options}
    return load_workbook(io.BytesIO(workbook_bytes(report, labels, "en", "es", **options)))


def _figures(sheet):
    """label → cell of the label/value rows of a sheet."""
    return {row[0].value: row[1] for row in sheet.iter_rows(min_row=2) if row[0].value is not None and len(row) > 1}


def _table(sheet, until_blank=True):
    """The header row and the data rows under it, as dicts header → cell (up to the first blank row)."""
    rows = list(sheet.iter_rows())
    headers = [cell.value for cell in rows[0]]
    table = []
    for row in rows[1:]:
        if until_blank and all(cell.value is None for cell in row):
            break
        table.append(dict(zip(headers, row, strict=False)))
    return table


def test_labels_with_exactly_the_label_keys_name_every_sheet():
    book = _book()
    assert book.sheetnames == SHEETS
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2" and all(cell.font.b for cell in sheet[1] if cell.value is not None)
        assert all(sheet.column_dimensions[letter].width >= impact_workbook.MIN_WIDTH for letter in "AB")


def test_a_missing_label_is_refused_by_name():
    labels = dict(LABELS)
    del labels["sheet_items"]
    with pytest.raises(KeyError, match="sheet_items"):
        _book(labels=labels)


def test_summary_counts_and_main_paired_figures():
    figures = _figures(_book()["sheet_summary"])
    assert figures["participation_registered"].value == 6 and figures["participation_both"].value == 4
    assert figures["participation_pre_only"].value == 1 and figures["participation_post_only"].value == 1
    assert figures["n_pairs"].value == 4 and figures["mean_diff"].value == pytest.approx(0.75)
    assert figures["mean_pre"].value == pytest.approx(1.5) and figures["max_score"].value == 3
    assert (figures["n_improved"].value, figures["n_unchanged"].value, figures["n_declined"].value) == (2, 1, 1)
    assert figures["confidence"].value == pytest.approx(0.95) and figures["confidence"].number_format == "0.0%"
    assert figures["attribute_country"].value == "all"  # no filter: everybody


def test_filters_are_named_by_the_caller():
    report = impact.report(PEOPLE, *_data(), filters={"country": "MX"})
    figures = _figures(_book(report)["sheet_summary"])
    assert figures["attribute_country"].value == "México" and figures["n_pairs"].value == 2


def test_the_paired_sheet_has_every_field_of_the_comparison_as_numbers():
    report = impact.report(PEOPLE, *_data())
    rows = list(_book(report)["sheet_paired"].iter_rows(min_row=2))
    assert [row[0].value for row in rows] == list(report["knowledge"])
    for (_label, cell), (key, value) in zip(rows, report["knowledge"].items(), strict=True):
        if key == "wilcoxon_method":
            assert cell.value == f"method_{value}"
        elif value is None:
            assert cell.value is None, key
        else:
            assert cell.data_type == "n" and cell.value == pytest.approx(value), key
    assert report["knowledge"]["sd_diff"] == pytest.approx((14.75 / 3) ** 0.5)


def test_items_have_their_text_in_the_language_counts_and_adjusted_p_values():
    report = impact.report(PEOPLE, *_data())
    table = {row["item"].value: row for row in _table(_book(report)["sheet_items"])}
    assert (table["K1"]["b"].value, table["K1"]["c"].value) == (0, 1)
    assert (table["K2"]["b"].value, table["K2"]["c"].value) == (1, 2)
    assert table["K1"]["text"].value == PAYLOADS[0]  # English asked and given
    assert table["K2"]["text"].value == "Sólo en español"  # the fallback
    assert table["K1"]["facility_pre"].value == pytest.approx(0.5)
    assert table["K1"]["facility_pre"].number_format == "0.0%"
    assert table["K1"]["p_exact"].value == pytest.approx(1.0) and table["K1"]["p_holm"].value == pytest.approx(1.0)
    by_key = {row["item_key"]: row for row in report["items"]}
    for key, row in table.items():
        for column in ("n", "facility_pre", "facility_post", "b", "c", "p_exact", "p_midp", "chi2_cc", "p_cc",
                       "p_holm", "p_bh"):
            expected = by_key[key].get(column, by_key[key]["mcnemar"].get(column))
            assert row[column].data_type == "n" and row[column].value == pytest.approx(expected), (key, column)


def test_quality_sheets_have_item_statistics_and_kr20():
    book = _book()
    for kind in ("pre", "post"):
        sheet = book[f"sheet_quality_{kind}"]
        items = _table(sheet)
        assert [row["item"].value for row in items] == ["K1", "K2"]
        assert items[0]["facility"].number_format == "0.0%" and items[0]["facility"].data_type == "n"
        figures = _figures(sheet)
        assert "section_test" in figures and "section_kr20" in figures
        assert figures["n_attempts"].value == 5
        assert "kr20" in figures and figures["n_items"].value == 2
    pre = _table(book["sheet_quality_pre"])
    assert pre[0]["facility"].value == pytest.approx(2 / 5)  # K1 right for persons 2 and 4 of 5 attempts


def test_a_sheet_per_subgroup_attribute_with_names_flags_and_the_between_group_test():
    book = _book()
    rows = {row["attribute_country"].value: row for row in _table(book["sheet_country"])}
    assert set(rows) == {EVIL_GROUP, "Guatemala", "México"}
    assert rows["México"]["mean_diff"].value == pytest.approx(2.5) and rows["México"]["n_pairs"].value == 2
    assert rows["México"]["small_n"].value is True
    assert rows[EVIL_GROUP]["n_pairs"].value == 0 and rows[EVIL_GROUP]["mean_diff"].value is None
    assert rows[EVIL_GROUP]["reason"].value == "fewer_than_2_pairs"
    figures = _figures(book["sheet_country"])
    assert "section_difference" in figures and "kruskal_p" in figures
    genders = [row["attribute_gender"].value for row in _table(book["sheet_gender"])]
    assert genders == ["female", "male"]


def test_likert_counts_per_point_median_quartiles_and_alpha():
    sheet = _book()["sheet_likert"]
    headers = [cell.value for cell in sheet[1]]
    assert headers[:3] == ["dimension", "text", "n"] and headers[3:14] == [str(n) for n in range(11)]
    assert headers[14:] == ["median", "q1", "q3", "agreeing"]
    rows = {row["text"].value: row for row in _table(sheet)}
    first = rows[PAYLOADS[2]]  # answers 5, 4, 2, 4
    assert [first[str(point)].value for point in range(1, 6)] == [0, 1, 0, 2, 1]
    assert first["0"].value is None and first["10"].value is None  # not a point of a 1–5 scale
    assert first["dimension"].value == "dimension_expectations" and first["n"].value == 4
    assert first["median"].value == 4 and (first["q1"].value, first["q3"].value) == (3.5, 4.25)
    assert first["agreeing"].value == pytest.approx(0.75) and first["agreeing"].number_format == "0.0%"
    scale = rows["De 0 a 10"]
    assert scale["0"].value == 1 and scale["10"].value == 1 and scale["5"].value == 0
    alpha = [row for row in sheet.iter_rows() if row[0].value == "dimension" and row[1].value == "alpha"]
    assert len(alpha) == 1
    values = {row[0].value: row for row in sheet.iter_rows(min_row=alpha[0][0].row + 1)}
    assert values["dimension_expectations"][1].data_type == "n"  # two Likert questions: alpha computed


def test_open_answers_one_row_each():
    rows = _table(_book()["sheet_open_answers"])
    assert [row["answer"].value for row in rows] == [PAYLOADS[0], PAYLOADS[1], PAYLOADS[4], "\n=1+1",
                                                     "plain answer"]
    assert {row["question"].value for row in rows} == {PAYLOADS[3]}
    assert {row["test"].value for row in rows} == {"pre"}


def test_raw_paired_data_has_every_pair_and_its_change():
    rows = [[cell.value for cell in row] for row in _book()["sheet_raw"].iter_rows(min_row=2)]
    assert rows == [[1, 0, 3, 3], [2, 1, 3, 2], [3, 2, 2, 0], [4, 3, 1, -2]]
    header = [cell.value for cell in _book()["sheet_raw"][1]]
    assert header == ["respondent", "pre_score", "post_score", "change"]


def test_methods_carry_the_confidence_level_the_conventions_and_the_versions_given():
    methods = [("Rounding", "Differences are rounded to 10 decimals."), ("=Formula?", "+1+1")]
    sheet = _book(provenance={"scipy": "1.14.1", "openpyxl": "3.1.5"}, methods=methods)["sheet_methods"]
    assert [cell.value for cell in sheet[1]] == ["convention", "method"]
    figures = _figures(sheet)
    assert figures["confidence"].value == pytest.approx(0.95)
    assert figures["Rounding"].value == "Differences are rounded to 10 decimals."
    assert figures["=Formula?"].value == "+1+1" and figures["=Formula?"].data_type == "s"
    assert figures["SciPy"].value == "1.14.1" and figures["openpyxl"].value == "3.1.5"  # as the projects write it
    assert "section_versions" not in _figures(_book()["sheet_methods"])


@pytest.mark.parametrize("payload", PAYLOADS)
def test_formula_like_user_text_stays_literal_text(payload):
    book = _book()
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row
             if cell.value == payload]
    assert cells, payload  # it is in the workbook, exactly as written
    for cell in cells:
        assert cell.data_type == "s" and cell.quotePrefix, (cell.parent.title, cell.coordinate)


def test_a_leading_carriage_return_stays_text():
    # XML turns a bare CR into a line feed when the file is read; what matters is that the cell stays text.
    (cell,) = [cell for row in _book()["sheet_open_answers"].iter_rows() for cell in row
               if isinstance(cell.value, str) and cell.value.endswith("=1+1")]
    assert cell.value.lstrip("\r\n") == "=1+1" and cell.data_type == "s" and cell.quotePrefix


def test_no_cell_of_the_workbook_is_a_formula():
    book = _book()
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    group = [cell for cell in cells if cell.value == EVIL_GROUP]
    assert group and all(cell.data_type == "s" and cell.quotePrefix for cell in group)
    assert not [cell for cell in cells if cell.value == "México" and cell.quotePrefix]  # only the suspicious ones


def test_a_report_without_a_post_test_leaves_empty_cells_and_explains():
    pre, _post = _data()
    report = impact.report(PEOPLE, pre, TakenTest((), {}))
    book = _book(report, reason_text=lambda code: f"because {code}")
    figures = _figures(book["sheet_paired"])
    assert figures["n_pairs"].value == 0 and figures["mean_diff"].value is None and figures["t"].value is None
    assert figures["reason"].value == "because no_shared_knowledge_items"
    assert _table(book["sheet_items"]) == [] and list(book["sheet_raw"].iter_rows(min_row=2)) == []


def test_sheet_names_are_short_valid_and_unique_whatever_the_labels():
    labels = dict(LABELS, sheet_quality_pre="Calidad: prueba previa [ítems] / por pregunta, muy larga",
                  sheet_quality_post="Calidad: prueba previa [ítems] / por pregunta, muy larga",
                  sheet_summary="resumen", sheet_paired="RESUMEN")
    names = _book(labels=labels).sheetnames
    assert all(len(name) <= 31 and not set(name) & set("[]:*?/\\") for name in names)
    assert len({name.casefold() for name in names}) == len(names)
    assert names[:2] == ["resumen", "RESUMEN (2)"]
