"""The demo's follow-up questionnaire, its answer plan, and its two lessons-learned records: the plain data, and what
`flask demo` makes of them."""
import statistics
import string
from datetime import timedelta

from sqlalchemy import select

from assessments import questionnaire_files
from assessments.demo_follow_up import FOLLOW_UP, PLANNED_TOOLS, TEXTS, follow_up_answers
from assessments.demo_lessons import LESSONS
from assessments.demo_tests import INTENDED_USE, POST_TEST, answer_keys, demo_answers
from assessments.impact.services import scoped_report
from assessments.models import Answer, Attempt, Questionnaire
from assessments.models_lessons import LESSON_KINDS, NARRATIVE_FIELDS, Lesson
from assessments.models_reminders import FollowUpSent
from assessments.services_survey import completed, program_end
from extensions import db
from tests.conftest import login
from tests.helpers import DEMO, assert_accepted, demo_people, load_demo
from training.demo_data import DEMO_PASSWORD, MEMBER_COUNTRIES
from training.models import OutboundMessage, Participant, Program, utcnow

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
        assert_accepted(questions, entry["answers"])
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


def test_the_demo_sent_its_follow_up_two_weeks_after_the_end_and_nobody_answered_before_they_could(app):
    program_id = load_demo(app)
    now = utcnow()
    with app.app_context():
        follow_ups = db.session.scalars(select(Questionnaire).where(Questionnaire.kind == "follow_up")).all()
        assert [questionnaire.program_id for questionnaire in follow_ups] == [program_id]  # not the later program
        follow_up = follow_ups[0]
        program = follow_up.program
        # Opened a few days ago, two weeks after the program ended, for four weeks; links last through it.
        assert follow_up.opens_at - program_end(program) == timedelta(weeks=2)
        assert follow_up.closes_at - follow_up.opens_at == timedelta(weeks=4)
        assert timedelta(days=2) < now - follow_up.opens_at < timedelta(days=10)
        assert program.follow_up_until == follow_up.closes_at.date()
        assert {q.item_key for s in follow_up.sections for q in s.questions if q.item_key} == {INTENDED_USE}
        # Sent once to each person who completed the program, in their language, and delivered.
        completers = set(db.session.scalars(select(Participant.id).where(Participant.program_id == program_id,
                                                                         completed())))
        sent = db.session.execute(select(FollowUpSent.participant_id, FollowUpSent.sent_at)
                                  .where(FollowUpSent.questionnaire_id == follow_up.id)).all()
        assert {person for person, _at in sent} == completers and len(sent) == len(completers) > 60
        assert all(follow_up.opens_at <= at < now for _person, at in sent)
        messages = db.session.scalars(select(OutboundMessage).where(OutboundMessage.kind == "follow_up")).all()
        assert sorted(m.participant_id for m in messages) == sorted(completers)
        assert {m.status for m in messages} == {"sent"}
        assert all(follow_up.opens_at <= m.created_at <= m.sent_at < now for m in messages)
        french = next(m for m in messages if m.language == "fr")
        assert "Questionnaire de suivi" in french.body
        spanish = next(m for m in messages if m.language == "es")
        assert "meses" not in spanish.body  # two weeks after the end, not "a few months ago"
        # Answered by most since, each after the sending and before now.
        sent_at = dict(sent)
        attempts = db.session.scalars(select(Attempt).where(Attempt.questionnaire_id == follow_up.id)).all()
        submitted = [a for a in attempts if a.status == "submitted"]
        assert 0.65 <= len(submitted) / len(completers) <= 0.85
        assert sum(a.status == "in_progress" for a in attempts) == 2
        assert all(sent_at[a.participant_id] < a.started_at for a in attempts)
        assert all(a.started_at < a.submitted_at < now - timedelta(minutes=30) for a in submitted)
        answers = db.session.scalars(select(Answer).where(Answer.attempt_id.in_([a.id for a in attempts]))).all()
        assert all(follow_up.opens_at < answer.saved_at < now for answer in answers)
        # The report pairs each person's intention with the use they report: somewhat lower, for most.
        use = scoped_report(program, None)["use_at_work"]
        assert use["keys"] == [INTENDED_USE] and use["respondents"] == len(submitted)
        assert use["comparison"]["mean_post"] < use["comparison"]["mean_pre"]
        assert use["comparison"]["n_declined"] > use["comparison"]["n_pairs"] / 2
