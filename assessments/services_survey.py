"""The follow-up survey months after the program: its schedule, its audience (those who completed the program), and
sending it to each of them once, whatever runs it or how often."""
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import exists, func, select
from sqlalchemy.dialects import postgresql, sqlite

from extensions import db
from training.labels import current_language
from training.models import Participant, utcnow
from training.schedule import day
from training.services import ServiceError, record
from training.services_activities import program_activities
from training.services_jobs import start_job
from training.services_lifecycle import program_facts
from training.services_messages import link_until, queue_invitations
from training.tasks import send_messages

from .models import Attempt, Question, Questionnaire
from .models_reminders import FollowUpSent, sent_follow_up
from .services_builder import keep_links_through_follow_up, questionnaire_of, untie
from .services_reminders import reminder_values
from .windows import WEEK, follow_up_weeks, follow_up_window


def program_end(program):
    """When the program ends: the end of its last day in its zone, or of its last activity if later (None when
    neither is known)."""
    return program_facts(program, program_activities(program)).ends_at


def completed():
    """A condition on Participant: completed their program. Active (not withdrawn, not erased) and submitted the
    post-test (certificates sit above assessments, so holding one cannot be asked here)."""
    post_submitted = (select(Attempt.id).join(Questionnaire)
                      .where(Attempt.participant_id == Participant.id, Attempt.status == "submitted",
                             Questionnaire.program_id == Participant.program_id, Questionnaire.kind == "post"))
    return (Participant.status != "withdrawn") & Participant.erased_at.is_(None) & exists(post_submitted)


def audience_counts(questionnaire):
    """(completed the program, sent the survey so far)."""
    completers = db.session.scalar(select(func.count()).where(
        Participant.program_id == questionnaire.program_id, completed()))
    sent = db.session.scalar(select(func.count()).where(FollowUpSent.questionnaire_id == questionnaire.id))
    return completers, sent


def follow_up_summary(questionnaire):
    """What the follow-up's page shows of its sending: the program's end, the window's weeks when a schedule made
    it, who it goes to and has gone to, until when links work, and whether the post-test has intended-use items."""
    program = questionnaire.program
    end = program_end(program)
    completers, sent = audience_counts(questionnaire)
    post = questionnaire_of(program, "post")
    # Its end is the midnight after its last day: the day people know it by is the one before.
    return {"end": end, "last_moment": end - timedelta(microseconds=1) if end else None,
            "weeks": follow_up_weeks(end, questionnaire.opens_at, questionnaire.closes_at),
            "completers": completers, "sent": sent, "post": post,
            "links_until": link_until(program, current_language()),
            "intended_use": post is not None and any(question.dimension == "application" and question.item_key
                                                     for section in post.sections for question in section.questions)}


def schedule_follow_up(questionnaire, actor_id, weeks_after, weeks_open, now=None):
    """Open the follow-up `weeks_after` weeks after the program ends, for `weeks_open` weeks (ServiceError when the
    program's end is unknown or that window is already over)."""
    now, end = now or utcnow(), program_end(questionnaire.program)
    if end is None:
        raise ServiceError("weeks_after", _("Set the program's end date first: the follow-up counts its weeks "
                                            "from it."))
    opens_at, closes_at = follow_up_window(end, weeks_after, weeks_open)
    if closes_at <= now:
        program = questionnaire.program
        raise ServiceError("weeks_after", _("With these weeks the follow-up would have closed on %(date)s already: "
                                            "send it now, or count more weeks.",
                                            date=day(closes_at, program.timezone, current_language())))
    _set_window(questionnaire, opens_at, closes_at)
    record(actor_id, "follow_up.scheduled", questionnaire, weeks_after=weeks_after, weeks_open=weeks_open,
           opens_at=opens_at.isoformat(), closes_at=closes_at.isoformat())


def send_follow_up_now(questionnaire, actor_id, weeks_open, now=None):
    """Open the follow-up from now on for `weeks_open` weeks and send it to everyone who completed the program;
    how many it was sent to now (those sent it before are not sent it again)."""
    now = now or utcnow()
    if not db.session.scalar(select(exists().where(Question.questionnaire_id == questionnaire.id))):
        raise ServiceError("weeks_open", _("Add the follow-up's questions first: people would be sent an empty "
                                           "questionnaire."))
    _set_window(questionnaire, now, now + weeks_open * WEEK)
    record(actor_id, "follow_up.sent_now", questionnaire, weeks_open=weeks_open, closes_at=(now + weeks_open * WEEK)
           .isoformat())
    return send_follow_up(questionnaire, now)


def _set_window(questionnaire, opens_at, closes_at):
    untie(questionnaire)  # a slot moving later must not override the survey's dates
    questionnaire.opens_at, questionnaire.closes_at = opens_at, closes_at
    keep_links_through_follow_up(questionnaire)


def send_due_follow_ups(now):
    """The scheduler's minute: every open follow-up survey with questions goes to those who completed the program
    and were not sent it yet (people who complete later, e.g. answers imported late, are sent it then)."""
    has_questions = exists().where(Question.questionnaire_id == Questionnaire.id)
    for questionnaire in db.session.scalars(select(Questionnaire).where(
            Questionnaire.kind == "follow_up", Questionnaire.opens_at <= now,
            (Questionnaire.closes_at.is_(None)) | (Questionnaire.closes_at > now), has_questions)).all():
        send_follow_up(questionnaire, now)


def send_follow_up(questionnaire, now):
    """Queue the survey to each person who completed the program and was not sent it, then start sending; how
    many. Each is claimed first by an insert the unique pair refuses the second time, so two workers, a retry or
    the button and the scheduler at once send it once."""
    candidates = db.session.scalars(select(Participant.id).where(
        Participant.program_id == questionnaire.program_id, completed(),
        ~sent_follow_up(questionnaire.id, Participant.id))).all()
    if not candidates:
        return 0
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    claimed = db.session.scalars(dialect.insert(FollowUpSent).values(
        [{"questionnaire_id": questionnaire.id, "participant_id": person, "sent_at": now} for person in candidates])
        .on_conflict_do_nothing(index_elements=["questionnaire_id", "participant_id"])
        .returning(FollowUpSent.participant_id)).all()
    people = db.session.scalars(select(Participant).where(Participant.id.in_(claimed))
                                .order_by(Participant.search_key)).all()
    if not people:
        return 0
    program = questionnaire.program
    queue_invitations(program, people, None, kind="follow_up", audited=False,
                      extra=lambda language: reminder_values(questionnaire, language))
    record(None, "follow_up.sent", questionnaire, count=len(people))
    start_job(send_messages, program, None)
    return len(people)

