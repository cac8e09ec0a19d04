"""The demo program after its end: the follow-up survey sent two weeks later and answered by most since, and the
program's two lessons learned (flush; the demo commits once)."""
from datetime import timedelta

from sqlalchemy import select

from extensions import db
from training.demo_data import PROGRAM, STAFF
from training.models import Delegation, OutboundMessage, Participant, User, utcnow
from training.services import record
from training.services_messages import queue_invitations

from . import services_builder
from .demo import questions_by_key, take
from .demo_follow_up import FOLLOW_UP, WEEKS_AFTER_END, WEEKS_OPEN, follow_up_answers
from .demo_lessons import LESSONS
from .lessons.services import save_lesson
from .lessons.services_library import set_shared
from .models import Answer, Attempt, Questionnaire
from .models_lessons import Lesson
from .models_reminders import FollowUpSent
from .services_reminders import reminder_values
from .services_survey import completed, program_end
from .windows import follow_up_window

SENDING = timedelta(minutes=2)  # the worker's minute after the survey opened, and the mail server's
# Answers come between the sending and an hour before the demo is loaded: nothing is answered before it could be.
QUIET_BEFORE_NOW = timedelta(hours=1)


def load_demo_follow_up(program, seed=2021):
    """The reference program's follow-up survey (the later program has not reached its own): two weeks after the end
    for four weeks, sent when it opened to everyone who completed the program, answered by most since. Runs after
    the tests' part: it goes to those who submitted the post-test."""
    if program.code != PROGRAM["code"]:
        return
    now = utcnow()
    follow_up = services_builder.import_plain(program, None, FOLLOW_UP)
    opens_at, closes_at = follow_up_window(program_end(program), WEEKS_AFTER_END, WEEKS_OPEN)
    services_builder.set_window(follow_up, opens_at, closes_at, None, False)  # keeps the links alive through it
    rows = db.session.execute(
        select(Participant, Delegation.country_code).join(Delegation, Participant.delegation_id == Delegation.id)
        .where(Participant.program_id == program.id, completed()).order_by(Participant.id)).all()
    _send(follow_up, [person for person, _country in rows], opens_at + SENDING)
    posts = _post_answers(program, [person.id for person, _country in rows])
    plan = follow_up_answers([(person.id, country, person.language, posts[person.id]) for person, country in rows],
                             seed)
    questions = questions_by_key(follow_up)
    first = opens_at + 2 * SENDING
    span = now - QUIET_BEFORE_NOW - first
    for person, _country in rows:
        entry = plan[person.id]
        if entry["status"] is not None:
            started = first + span * entry["when"]
            take(follow_up, questions, person, entry, started, started + timedelta(minutes=3 + 4 * entry["when"]))


def _send(follow_up, people, sent_at):
    """Sent as the worker sends it (a row per person, the follow-up message in each one's language), at `sent_at`,
    and delivered: the demo has no worker to wait for."""
    db.session.add_all(FollowUpSent(questionnaire_id=follow_up.id, participant_id=person.id, sent_at=sent_at)
                       for person in people)
    ids = queue_invitations(follow_up.program, people, None, kind="follow_up", audited=False,
                            extra=lambda language: reminder_values(follow_up, language))
    for message in db.session.scalars(select(OutboundMessage).where(OutboundMessage.id.in_(ids))):
        message.status, message.created_at, message.sent_at = "sent", sent_at, sent_at + SENDING
    record(None, "follow_up.sent", follow_up, count=len(people))
    db.session.flush()


def _post_answers(program, participant_ids):
    """{participant id: {answer key: value}} of their submitted post-test, keyed as the demo's plans key them."""
    post = db.session.scalar(select(Questionnaire).where(Questionnaire.program_id == program.id,
                                                         Questionnaire.kind == "post"))
    keys = {question.id: key for key, question in questions_by_key(post).items()}
    answers = {person: {} for person in participant_ids}
    for person, question_id, value in db.session.execute(
            select(Attempt.participant_id, Answer.question_id, Answer.value)
            .join(Attempt, Attempt.id == Answer.attempt_id)
            .where(Attempt.questionnaire_id == post.id, Attempt.participant_id.in_(participant_ids))):
        answers[person][keys[question_id]] = value
    return answers


def load_demo_lessons(program):
    """The reference program's two lessons learned, recorded by the secretariat; the positive one shared on the
    network's public page (the later program has none yet)."""
    if program.code != PROGRAM["code"]:
        return
    author = db.session.scalar(select(User.id).where(User.email == STAFF[0][0]))
    for values in LESSONS:
        lesson = save_lesson(Lesson(), program, {key: value for key, value in values.items() if key != "shared"},
                             author)
        set_shared(lesson, values["shared"], author)
