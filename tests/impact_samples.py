"""Small hand-checked impact data shared by the report's tests (assessments/impact/report.py and chart_data.py)."""
from assessments.impact.report import Item, Respondent, TakenTest
from assessments.question_types import QuestionSpec

CHOICE = QuestionSpec("single_choice", ("a", "b"), ("b",), 1.0, True)
TWO_POINTS = QuestionSpec("true_false", (), ("true",), 2.0, False)
LIKERT = QuestionSpec("likert", (), (), 0.0, False)


def sample_tests():
    """Pre: K1 (1 point), K2 (2 points), K3 only in the pre-test, a Likert and an open question. Post: K2, K1
    (another order, other question ids) and a knowledge item without a key."""
    pre = (Item(1, "K1", "knowledge", CHOICE, {"es": "<b>¿Quién?</b>"}), Item(2, "K2", "knowledge", TWO_POINTS),
           Item(3, "K3", "knowledge", CHOICE), Item(4, None, "expectations", LIKERT),
           Item(5, None, "expectations", QuestionSpec("long_text")))
    post = (Item(12, "K2", "knowledge", TWO_POINTS), Item(11, "K1", "knowledge", CHOICE),
            Item(13, None, "knowledge", CHOICE), Item(14, None, "satisfaction", LIKERT))
    return pre, post


PEOPLE = [Respondent(1, "MX", "female", "employment_counselor"), Respondent(2, "MX", "male", "other"),
          Respondent(3, "GT", "female", "other"), Respondent(4, "GT", "female", "other"),
          Respondent(5, "", "undisclosed", "other"), Respondent(6, "GT", "male", "other")]


def sample_data():
    pre_items, post_items = sample_tests()
    # Scores on the shared items K1 (1 point) + K2 (2 points), out of 3:
    # person 1: pre 0 → post 3; 2: 1 → 3; 3: 2 → 2; 4: 3 → 1; 5: pre only (0); 6: post only (3).
    pre = TakenTest(pre_items, {
        1: {1: "a", 2: "false", 3: "b", 4: "5", 5: "Aprender <script>"},
        2: {1: "b", 3: "a", 4: "4"},
        3: {2: "true", 4: "2", 5: "  "},
        4: {1: "b", 2: "true", 4: "4"},
        5: {},
    })
    post = TakenTest(post_items, {
        1: {11: "b", 12: "true", 14: "5"}, 2: {11: "b", 12: "true", 14: "4"}, 3: {12: "true"},
        4: {11: "b", 14: "1"}, 6: {11: "b", 12: "true"},
    })
    return pre, post
