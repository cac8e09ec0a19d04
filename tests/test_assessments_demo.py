"""The demo's pre-test and post-test: sound questionnaires in four languages, a believable answer plan, loaded
by `demo`."""
import statistics
from datetime import timedelta

from sqlalchemy import func, select

from assessments import questionnaire_files
from assessments.demo_tests import (
    KNOWLEDGE,
    POST_TEST,
    PRE_TEST,
    TEXTS,
    answer_keys,
    demo_answers,
    knowledge_score,
)
from assessments.models import Answer, Attempt, Question, Questionnaire
from assessments.question_types import REGISTRY, QuestionSpec
from extensions import db
from tests.helpers import assert_accepted, demo_people
from training.models import Participant, Program, utcnow

ITEM_KEYS = [f"K{n:02d}" for n in range(1, 11)]


def knowledge(questionnaire):
    return [q for section in questionnaire["sections"] for q in section["questions"] if q["dimension"] == "knowledge"]


def test_both_tests_read_back_from_a_file_unchanged():
    for questionnaire in (PRE_TEST, POST_TEST):
        loaded, problems = questionnaire_files.load(questionnaire_files.dump(questionnaire))
        assert problems == []
        assert loaded == questionnaire


def test_the_ten_knowledge_items_are_the_same_in_both_tests():
    pre, post = knowledge(PRE_TEST), knowledge(POST_TEST)
    assert [q["item_key"] for q in pre] == [q["item_key"] for q in post] == ITEM_KEYS
    assert pre == post and pre is not post and pre[0]["options"] is not post[0]["options"]
    types = [q["type"] for q in pre]
    assert types.count("single_choice") >= 6 and types.count("true_false") == 2 and types.count("multiple_choice") == 1
    for question in pre:
        assert question["points"] == 1 and question["required"] and question["correct"]
        if question["type"] == "single_choice":
            assert len(question["options"]) == 4 and len(question["correct"]) == 1


def test_every_text_is_in_the_four_languages_and_open_questions_are_optional():
    four = {"es", "en", "fr", "pt"}
    for questionnaire in (PRE_TEST, POST_TEST):
        assert set(questionnaire["title"]) == set(questionnaire["intro"]) == four
        for _key, question in answer_keys(questionnaire):
            assert set(question["text"]) == four and len(set(question["text"].values())) == 4
            assert all(option["es"] and option["en"] and option["fr"] and option["pt"]
                       for option in question["options"])
            if question["type"] in ("likert", "scale"):
                assert {len(labels) for labels in question["scale_labels"].values()} == {2}
                assert set(question["scale_labels"]) == four
            if question["type"] in ("short_text", "long_text"):
                assert not question["required"]
    dimensions = {q["dimension"] for _key, q in answer_keys(POST_TEST)}
    assert dimensions == {"knowledge", "expectations", "satisfaction", "application"}
    assert {q["dimension"] for _key, q in answer_keys(PRE_TEST)} == {"knowledge", "expectations"}


def test_the_plan_is_the_same_for_the_same_seed_and_differs_for_another():
    people = demo_people()
    assert demo_answers(people) == demo_answers(people, seed=2021)
    assert demo_answers(people, seed=7) != demo_answers(people)


def test_the_plan_has_the_shape_of_a_real_program():
    people = demo_people()
    plan = demo_answers(people)
    assert sorted(plan) == [index for index, *_ in people]
    pre = [entry["pre"]["status"] for entry in plan.values()]
    post = [entry["post"]["status"] for entry in plan.values()]
    count = len(people)
    assert 0.80 <= sum(s is not None for s in pre) / count <= 0.90
    assert 0.70 <= sum(s is not None for s in post) / count <= 0.80
    assert 2 <= pre.count("in_progress") <= 3 and "in_progress" not in post
    both = sum(a == b == "submitted" for a, b in zip(pre, post, strict=True))
    only_pre = sum(a is not None and b is None for a, b in zip(pre, post, strict=True))
    only_post = sum(a is None and b is not None for a, b in zip(pre, post, strict=True))
    neither = sum(a is None and b is None for a, b in zip(pre, post, strict=True))
    assert both > count / 2 and 3 <= only_pre <= 25 and 2 <= only_post <= 10 and 5 <= neither <= 20


def test_every_planned_answer_is_one_the_question_accepts():
    plan = demo_answers(demo_people())
    for kind, questionnaire in (("pre", PRE_TEST), ("post", POST_TEST)):
        questions = dict(answer_keys(questionnaire))
        for entry in plan.values():
            assert_accepted(questions, entry[kind]["answers"], f"{kind} ")
            if entry[kind]["status"] == "submitted":
                required = {key for key, q in questions.items() if q["required"]}
                assert required <= set(entry[kind]["answers"])


def test_people_know_clearly_more_after_the_program_and_some_do_not():
    plan = demo_answers(demo_people())
    pairs = [(knowledge_score(e["pre"]["answers"]), knowledge_score(e["post"]["answers"])) for e in plan.values()
             if e["pre"]["status"] == e["post"]["status"] == "submitted"]
    before, after = statistics.mean(p for p, _ in pairs), statistics.mean(q for _, q in pairs)
    assert 4.0 <= before <= 6.0 and 6.8 <= after <= 8.5 and after - before >= 1.5
    assert 1 <= sum(q < p for p, q in pairs) <= len(pairs) // 5  # a few do worse, as in any real group


def test_ratings_are_mostly_favourable_and_texts_follow_the_persons_language():
    plan = demo_answers(demo_people())
    languages = {index: "en" if country in ("BZ", "CA", "US") else "es" for index, country, *_ in demo_people()}
    likert = [v for e in plan.values() for k, v in e["post"]["answers"].items() if k in ("2.1", "2.2", "2.3", "A01")]
    assert sum(v in ("4", "5") for v in likert) / len(likert) >= 0.75 and "2" in likert
    assert sum(int(v) >= 7 for e in plan.values() for k, v in e["post"]["answers"].items() if k == "2.4") \
        / sum(1 for e in plan.values() if "2.4" in e["post"]["answers"]) >= 0.8
    texts = [(index, e["post"]["answers"]["3.3"]) for index, e in plan.items() if "3.3" in e["post"]["answers"]]
    submitted = sum(e["post"]["status"] == "submitted" for e in plan.values())
    assert 0 < len(texts) < submitted / 2
    for index, text in texts:
        assert text in TEXTS[("post", languages[index])], text
    # Told each person's language, a Canadian writing in French answers in French.
    canadians = {index for index, country, *_ in demo_people() if country == "CA"}
    french = demo_answers(demo_people(), languages=dict.fromkeys(canadians, "fr"))
    texts = [(index, e["post"]["answers"]["3.3"]) for index, e in french.items() if "3.3" in e["post"]["answers"]]
    assert any(index in canadians for index, _text in texts)
    for index, text in texts:
        assert text in TEXTS[("post", "fr" if index in canadians else languages[index])], text


def test_knowledge_score_matches_the_server_scoring():
    right = {item["item_key"]: item["correct"] if item["type"] == "multiple_choice" else item["correct"][0]
             for item in KNOWLEDGE}
    assert knowledge_score(right) == 10 and knowledge_score({}) == 0
    specs = [(QuestionSpec(i["type"], tuple(o["key"] for o in i["options"]), tuple(i["correct"]), i["points"]),
              right[i["item_key"]]) for i in KNOWLEDGE]
    assert sum(REGISTRY[spec.type].score(value, spec) for spec, value in specs) == 10


# --- loaded by `flask demo` ------------------------------------------------------------------------------------


def test_demo_loads_both_tests_with_answers_scored_by_the_server(app):
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.stderr
    with app.app_context():  # the reference program's (the demo's second program has tests of its own)
        program = db.session.scalar(select(Program).where(Program.code == "CRM-CE-2021"))
        tests = {q.kind: q for q in db.session.scalars(
            select(Questionnaire).where(Questionnaire.program_id == program.id, Questionnaire.kind != "follow_up"))}
        assert set(tests) == {"pre", "post"}  # (its follow-up: tests/test_demo_follow_up_lessons.py)
        keys = {kind: set(db.session.scalars(select(Question.item_key).where(
            Question.questionnaire_id == q.id, Question.item_key.is_not(None)))) for kind, q in tests.items()}
        # The post-test's intended use has a key too: the follow-up asks it again under it.
        assert keys["pre"] == keys["post"] - {"A01"} == set(ITEM_KEYS) and "A01" in keys["post"]
        now = utcnow()
        for questionnaire in tests.values():
            assert questionnaire.opens_at < now < questionnaire.closes_at
            assert questionnaire.closes_at - now > timedelta(days=13) and questionnaire.time_limit_minutes is None
        assert tests["post"].show_score and not tests["pre"].show_score
        assert tests["post"].opens_at - tests["pre"].opens_at == timedelta(days=3, hours=1, minutes=45)

        attempts = db.session.scalars(select(Attempt).join(Questionnaire).where(
            Questionnaire.program_id == program.id, Questionnaire.kind != "follow_up")).all()
        submitted = [a for a in attempts if a.status == "submitted"]
        assert all(a.score is not None and a.max_score == 10 and a.submitted_at > a.started_at for a in submitted)
        assert all(a.started_at >= a.questionnaire.opens_at for a in attempts)
        in_progress = [a for a in attempts if a.status == "in_progress"]
        assert 2 <= len(in_progress) <= 3 and all(a.questionnaire.kind == "pre" for a in in_progress)
        assert all(a.score is None for a in in_progress)
        answered = db.session.scalar(select(func.count()).select_from(Answer).where(
            Answer.attempt_id.in_([a.id for a in in_progress])))
        assert answered >= 2 * len(in_progress)

        participants = db.session.scalar(select(func.count()).select_from(Participant)
                                         .where(Participant.program_id == program.id))
        with_attempt = {a.participant_id for a in attempts}
        assert 5 <= participants - len(with_attempt) <= 20  # not started: a visitor can take the pre-test live

        scores = {kind: {a.participant_id: a.score for a in submitted if a.questionnaire.kind == kind}
                  for kind in ("pre", "post")}
        both = scores["pre"].keys() & scores["post"].keys()
        assert len(both) > participants / 2
        gain = statistics.mean(scores["post"][p] - scores["pre"][p] for p in both)
        assert gain >= 1.5


def test_the_intros_say_the_truth_about_the_certificate(app):
    """The demo's certificate requires both tests to be submitted (not a score): an intro saying the test "does not
    affect your certificate" sends people away from the one thing their certificate still needs."""
    from certificates.models import CertificateSettings

    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.stderr
    with app.app_context():
        program = db.session.scalar(select(Program).where(Program.code == "CRM-CE-2021"))
        settings = db.session.scalar(select(CertificateSettings).where(CertificateSettings.program_id == program.id))
        assert settings.pre_test_required and settings.post_test_required and settings.min_post_score is None
    # The intros leave the certificate to the intro page, which says what the program's rules ask of each test.
    for test in (PRE_TEST, POST_TEST):
        assert "not affect" not in test["intro"]["en"] and "no afecta" not in test["intro"]["es"]
        assert "certifica" not in test["intro"]["es"] and "certificate" not in test["intro"]["en"]
        # French and Portuguese too ("certificat", "certificado"): the demo's intros are in the four languages.
        assert set(test["intro"]) == {"es", "en", "fr", "pt"}
        assert [language for language, intro in test["intro"].items() if "certific" in intro.lower()] == []
