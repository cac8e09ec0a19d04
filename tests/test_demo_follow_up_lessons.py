"""The demo's follow-up questionnaire, its answer plan, and its two lessons-learned records: the plain data, and what
`flask demo` makes of them."""
import statistics
import string

from sqlalchemy import select

from assessments import questionnaire_files
from assessments.demo_follow_up import FOLLOW_UP, PLANNED_TOOLS, TEXTS, follow_up_answers
from assessments.demo_lessons import LESSONS
from assessments.demo_tests import INTENDED_USE, POST_TEST, answer_keys, demo_answers
from assessments.models_lessons import LESSON_KINDS, NARRATIVE_FIELDS, Lesson
from assessments.question_types import AnswerError, QuestionSpec, clean_answer
from extensions import db
from tests.conftest import login
from tests.helpers import DEMO, demo_people, load_demo
from training.demo_data import DEMO_PASSWORD, MEMBER_COUNTRIES
from training.models import Program

FOUR = {"es", "en", "fr", "pt"}


def completers(languages=None):
    """The plan's people who submitted the post-test, as `follow_up_answers` takes them."""
    people = demo_people()
    plan = demo_answers(people)
    return [(index, country, (languages or {}).get(index), plan[index]["post"]["answers"])
            for index, country, *_ in people if plan[index]["post"]["status"] == "submitted"]


def test_the_follow_up_reads_back_from_a_file_and_speaks_four_languages():
    loaded, problems = questionnaire_files.load(questionnaire_files.dump(FOLLOW_UP))
    assert problems == [] and loaded == FOLLOW_UP and FOLLOW_UP["kind"] == "follow_up"
    assert set(FOLLOW_UP["title"]) == set(FOLLOW_UP["intro"]) == FOUR
    # The glossary's words for a follow-up questionnaire.
    assert "seguimiento" in FOLLOW_UP["title"]["es"] and "suivi" in FOLLOW_UP["title"]["fr"]
    assert "acompanhamento" in FOLLOW_UP["title"]["pt"] and "Follow-up" in FOLLOW_UP["title"]["en"]
    for _key, question in answer_keys(FOLLOW_UP):
        assert set(question["text"]) == FOUR and len(set(question["text"].values())) == 4
        assert all(set(option) - {"key"} == FOUR for option in question["options"])
        assert question["dimension"] == "application"
        if question["type"] in ("short_text", "long_text", "multiple_choice"):
            assert not question["required"]


def test_its_use_at_work_item_repeats_the_post_tests_intention_with_the_same_key_and_scale():
    post = {question["item_key"]: question for _key, question in answer_keys(POST_TEST) if question["item_key"]}
    keyed = [question for _key, question in answer_keys(FOLLOW_UP) if question["item_key"]]
    assert [question["item_key"] for question in keyed] == [INTENDED_USE]
    for question in keyed:
        intended = post[question["item_key"]]
        assert question["type"] == intended["type"] == "likert"
        assert question["dimension"] == intended["dimension"] == "application"
        assert question["scale_labels"] == intended["scale_labels"]
        assert question["text"]["en"] != intended["text"]["en"]  # asked as a fact now, not as an intention
    # Its own items have no key, so they never pair with anything of the post-test.
    assert sum(1 for _key, question in answer_keys(FOLLOW_UP) if not question["item_key"]) >= 5


def test_most_completers_answer_and_report_a_little_less_use_than_they_intended():
    people = completers()
    plan = follow_up_answers(people)
    assert plan == follow_up_answers(people) and plan != follow_up_answers(people, seed=7)
    assert sorted(plan) == [index for index, *_ in people]
    answered = [index for index, entry in plan.items() if entry["status"] == "submitted"]
    assert 0.65 <= len(answered) / len(people) <= 0.85
    assert [entry["status"] for entry in plan.values()].count("in_progress") == 2
    posts = {index: post for index, _country, _language, post in people}
    intended = [int(posts[index][INTENDED_USE]) for index in answered]
    reported = [int(plan[index]["answers"][INTENDED_USE]) for index in answered]
    lower = sum(r < i for i, r in zip(intended, reported, strict=True))
    higher = sum(r > i for i, r in zip(intended, reported, strict=True))
    assert lower > len(answered) / 2 and 1 <= higher <= len(answered) / 10
    assert 0.4 <= statistics.mean(intended) - statistics.mean(reported) <= 1.2
    assert all(0 <= entry["when"] < 1 for entry in plan.values())


def test_every_planned_answer_is_one_the_question_accepts_and_tools_used_were_planned():
    questions = dict(answer_keys(FOLLOW_UP))
    plan = follow_up_answers(completers())
    posts = {index: post for index, _c, _l, post in completers()}
    for index, entry in plan.items():
        for key, raw in entry["answers"].items():
            question = questions[key]
            spec = QuestionSpec(question["type"], tuple(o["key"] for o in question["options"]),
                                tuple(question["correct"]), question["points"], question["required"])
            try:
                clean_answer(spec, raw)
            except AnswerError as error:  # pragma: no cover - the message names the culprit
                raise AssertionError(f"{key}: {raw!r} refused ({error.code})") from error
        if entry["status"] == "submitted":
            assert {key for key, q in questions.items() if q["required"]} <= set(entry["answers"])
            used = entry["answers"].get("1.3", [])
            assert set(used) <= set(posts[index].get(PLANNED_TOOLS, []))
            if entry["answers"]["1.1"] == "no":
                assert "1.3" not in entry["answers"]


def test_open_answers_follow_the_persons_language_and_only_non_users_say_not_yet():
    canadians = {index for index, country, *_ in demo_people() if country == "CA"}
    plan = follow_up_answers(completers(dict.fromkeys(canadians, "fr")))
    written = [(index, entry["answers"]) for index, entry in plan.items() if "1.4" in entry["answers"]]
    assert len(written) >= 10
    countries = {index: country for index, country, *_ in demo_people()}
    for index, answers in written:
        language = "fr" if index in canadians else "en" if countries[index] in ("BZ", "US") else "es"
        assert answers["1.4"] in TEXTS[language]
        assert (answers["1.4"] == TEXTS[language][-1]) == (answers["1.1"] == "no")
    assert len(TEXTS["pt"]) == len(TEXTS["es"]) and len(TEXTS["fr"]) == len(TEXTS["en"])


def test_the_two_lessons_fill_every_field_of_the_record_in_four_languages():
    assert [lesson["kind"] for lesson in LESSONS] == list(LESSON_KINDS)  # one positive, one negative
    assert [lesson["code"] for lesson in LESSONS] == ["LA1_CRM", "LA2_CRM"]
    assert [lesson["shared"] for lesson in LESSONS].count(True) == 1
    for lesson in LESSONS:
        for name in NARRATIVE_FIELDS:
            assert set(lesson[name]) == FOUR, (lesson["code"], name)
            assert all(text.strip() for text in lesson[name].values()), (lesson["code"], name)
            if len(lesson[name]["es"]) > 15:  # translations, not copies
                assert lesson[name]["fr"] != lesson[name]["es"] and lesson[name]["pt"] != lesson[name]["en"]
        assert all(lesson["learned"][language].startswith(lesson["code"]) for language in FOUR)
        assert lesson["sdgs"] and set(lesson["sdgs"]) <= set(range(1, 18))
        assert lesson["gcm_principles"] and set(lesson["gcm_principles"]) <= set(string.ascii_lowercase[:10])
        assert lesson["gcm_objectives"] and set(lesson["gcm_objectives"]) <= set(range(1, 24))
        assert lesson["countries"] and set(lesson["countries"]) <= set(MEMBER_COUNTRIES)
        assert len(lesson["keywords"]["en"].split(",")) >= 3


# --- loaded by `flask demo` ------------------------------------------------------------------------------------


def test_the_demo_records_both_lessons_finds_them_by_folded_words_and_shares_one(app, client):
    program_id = load_demo(app)
    with app.app_context():
        lessons = {lesson.code: lesson for lesson in db.session.scalars(select(Lesson))}
        assert set(lessons) == {"LA1_CRM", "LA2_CRM"} and {lesson.program_id for lesson in lessons.values()} == {
            program_id}  # the later program has not closed yet
        assert lessons["LA1_CRM"].shared and not lessons["LA2_CRM"].shared
        assert lessons["LA2_CRM"].kind == "negative" and lessons["LA2_CRM"].gcm_objectives == [18, 23]
        assert lessons["LA1_CRM"].created_by.email == "admin@capacita.example"
        second = db.session.scalar(select(Program.id).where(Program.code != DEMO))
    # The library finds each by a word in any of its languages, accents and case aside.
    login(client, "organizadora@capacita.example", DEMO_PASSWORD)
    found = client.get("/lessons?q=FUSEAUX").get_data(as_text=True)  # French: "Fuseaux horaires"
    assert "LA2_CRM" in found and "LA1_CRM" not in found
    found = client.get("/lessons?q=vecinos+red").get_data(as_text=True)
    assert "LA1_CRM" in found and "LA2_CRM" not in found
    assert "LA1_CRM" in client.get(f"/programs/{program_id}/lessons").get_data(as_text=True)
    assert "LA1_CRM" not in client.get(f"/programs/{second}/lessons").get_data(as_text=True)
    # The network's public page shows the shared one only, to anybody.
    public = app.test_client().get("/lessons/shared")
    assert public.status_code == 200
    assert "LA1_CRM" in public.get_data(as_text=True) and "LA2_CRM" not in public.get_data(as_text=True)
