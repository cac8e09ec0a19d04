"""Question types (pure): what each accepts, how it scores and summarizes."""
import pytest

from assessments.question_types import (
    REGISTRY,
    AnswerError,
    QuestionSpec,
    attempt_score,
    clean_answer,
    percent,
    question_type,
)

CHOICE = QuestionSpec("single_choice", options=("a", "b", "c"), correct=("b",), points=2)
MULTI = QuestionSpec("multiple_choice", options=("a", "b", "c", "d"), correct=("a", "c"), points=1)
TRUE = QuestionSpec("true_false", correct=("true",), points=1)


def test_the_registry_has_the_seven_types():
    assert sorted(REGISTRY) == ["likert", "long_text", "multiple_choice", "scale", "short_text", "single_choice",
                                "true_false"]


@pytest.mark.parametrize("spec, raw, clean", [
    (CHOICE, "b", "b"), (CHOICE, "", None), (CHOICE, ["a", "c"], "c"),
    (MULTI, ["c", "a", "c"], ["a", "c"]), (MULTI, "d", ["d"]), (MULTI, [], []),
    (TRUE, "false", "false"),
    (QuestionSpec("likert"), "4", 4), (QuestionSpec("scale"), "0", 0), (QuestionSpec("scale"), "10", 10),
    (QuestionSpec("short_text"), "  <script>alert(1)</script>  ", "<script>alert(1)</script>"),
    (QuestionSpec("long_text"), "", None),
])
def test_clean_values(spec, raw, clean):
    assert clean_answer(spec, raw) == clean


@pytest.mark.parametrize("spec, raw, code", [
    (CHOICE, "z", "unknown_option"), (MULTI, ["a", "x"], "unknown_option"), (TRUE, "maybe", "unknown_option"),
    (QuestionSpec("likert"), "6", "out_of_range"), (QuestionSpec("likert"), "3.5", "out_of_range"),
    (QuestionSpec("scale"), "11", "out_of_range"), (QuestionSpec("scale"), "-1", "out_of_range"),
    (QuestionSpec("short_text"), "x" * 501, "too_long"), (QuestionSpec("long_text"), "x" * 5001, "too_long"),
    (CHOICE, {"a": 1}, "malformed"),
])
def test_answers_a_question_cannot_take(spec, raw, code):
    with pytest.raises(AnswerError) as error:
        clean_answer(spec, raw)
    assert error.value.code == code


def test_scoring_is_exact_and_multiple_choice_all_or_nothing():
    assert question_type("single_choice").score("b", CHOICE) == 2.0
    assert question_type("single_choice").score("a", CHOICE) == 0.0
    assert question_type("multiple_choice").score(["a", "c"], MULTI) == 1.0
    assert question_type("multiple_choice").score(["a"], MULTI) == 0.0
    assert question_type("multiple_choice").score(["a", "b", "c", "d"], MULTI) == 0.0
    assert question_type("true_false").score("true", TRUE) == 1.0
    assert question_type("likert").score(5, QuestionSpec("likert")) is None


def test_attempt_score_counts_unanswered_scored_questions_as_zero():
    opinion = QuestionSpec("likert")
    earned, possible = attempt_score([(CHOICE, "b"), (MULTI, None), (TRUE, "false"), (opinion, 5)])
    assert (earned, possible) == (2.0, 4.0)
    assert percent(earned, possible) == 50.0
    assert percent(0, 0) is None


def test_summaries_count_options_and_average_scales():
    likert = question_type("likert").summarize([5, 4, None, 4, 2], QuestionSpec("likert"))
    assert (likert.answered, likert.counts, likert.mean) == (4, {"5": 1, "4": 2, "2": 1}, 3.75)
    multi = question_type("multiple_choice").summarize([["a", "c"], ["c"], []], MULTI)
    assert (multi.answered, multi.counts) == (2, {"a": 1, "c": 2})
    text = question_type("short_text").summarize(["x", None, "y"], QuestionSpec("short_text"))
    assert text.answered == 2 and text.counts == {}
