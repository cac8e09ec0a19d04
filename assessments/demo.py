"""The demo program's pre-test and post-test, with invented answers taken and scored through the real services."""
import random
from datetime import timedelta

from sqlalchemy import select

from extensions import db
from training.models import Activity, Delegation, Participant, utcnow

from . import services, services_builder
from .demo_tests import POST_TEST, PRE_TEST, answer_key, demo_answers

# Kept open two weeks from today: the organizer let latecomers answer, and a visitor can still take both tests.
OPEN_FOR = timedelta(days=14)
POST_TEST_OPENS = timedelta(hours=1, minutes=45)  # 15:45 in S3, in its post-test slot (15:40–15:50)


def load_demo_tests(program, seed=2021):
    """Both questionnaires of the demo program, their windows, and the attempts `demo_answers` plans (flushes)."""
    sessions = {activity.code: activity for activity in db.session.scalars(
        select(Activity).where(Activity.program_id == program.id, Activity.code.in_(("S1", "S3"))))}
    closes_at = utcnow() + OPEN_FOR
    pre = services_builder.import_plain(program, None, PRE_TEST)
    post = services_builder.import_plain(program, None, POST_TEST)
    pre_opens = sessions["S1"].starts_at
    post_opens = sessions["S3"].starts_at + POST_TEST_OPENS
    services_builder.set_window(pre, pre_opens, closes_at, None, False)
    services_builder.set_window(post, post_opens, closes_at, None, True)
    rows = db.session.execute(
        select(Participant, Delegation.country_code).join(Delegation, Participant.delegation_id == Delegation.id)
        .where(Participant.program_id == program.id, Participant.status != "withdrawn")
        .order_by(Participant.id)).all()
    plan = demo_answers([(index, country) for index, (_person, country) in enumerate(rows)], seed,
                        languages={index: person.language for index, (person, _country) in enumerate(rows)})
    rng = random.Random(f"{seed}-times")
    # The pre-test slot is 14:10–14:20 in session 1 (some finish by 14:30); the post-test comes at S3's end.
    for questionnaire, first_start, minutes in ((pre, pre_opens + timedelta(minutes=10), (6, 15)),
                                                (post, post_opens, (5, 12))):
        questions = questions_by_key(questionnaire)
        for index, (person, _country) in enumerate(rows):
            entry = plan[index][questionnaire.kind]
            if entry["status"] is None:
                continue
            started = first_start + timedelta(seconds=rng.randint(0, 300))
            finished = started + timedelta(seconds=rng.randint(minutes[0] * 60, minutes[1] * 60))
            take(questionnaire, questions, person, entry, started, finished)


def questions_by_key(questionnaire):
    return {answer_key(s, q, {"item_key": question.item_key}): question
            for s, section in enumerate(questionnaire.sections, start=1)
            for q, question in enumerate(section.questions, start=1)}


def take(questionnaire, questions, person, entry, started, finished):
    """One person's attempt: answers saved one by one between `started` and `finished`, then submitted (scored
    by the server) unless the plan leaves it in progress."""
    attempt = services.start_attempt(questionnaire, person, now=started)
    answers = list(entry["answers"].items())
    step = (finished - started) / (len(answers) + 1)
    for seq, (key, raw) in enumerate(answers, start=1):
        services.save_answer(attempt, questions[key], raw, seq, now=started + step * seq)
    if entry["status"] == "submitted":
        services.submit_attempt(attempt, now=finished)
