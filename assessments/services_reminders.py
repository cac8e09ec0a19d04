"""Reminders before a questionnaire closes: the organizer's schedule, the due ones sent by the scheduler (each person
once per rule), the texts' values; and finalizing, every minute, the attempts whose time is over."""
from datetime import timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import exists, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import selectinload

from extensions import db
from training import schedule
from training.localized import pick
from training.models import Participant
from training.services import ServiceError, record
from training.services_jobs import start_job
from training.services_messages import queue_invitations
from training.tasks import send_messages

from .models import Attempt, Questionnaire
from .models_reminders import MAX_HOURS_BEFORE, ReminderRule, ReminderSent, sent_follow_up
from .services_taking import IN_PROGRESS, finalize_overdue


def reminder_values(questionnaire, language):
    """The reminder's placeholders in the recipient's `language`: the questionnaire's title and when it closes."""
    closes = ""
    if questionnaire.closes_at is not None:
        zone = questionnaire.program.timezone
        with force_locale(language):  # the recipient's language, not the organizer's
            closes = " " + _("It closes on %(date)s at %(time)s (%(zone)s).",
                             date=schedule.day(questionnaire.closes_at, zone, language),
                             time=schedule.clock(questionnaire.closes_at, zone, language),
                             zone=schedule.zone_label(zone, language))
    return {"questionnaire": pick(questionnaire.title, language, questionnaire.program.default_language),
            "closes": closes}


def reminder_message_values(params, language):
    """A reminder's placeholders for the questionnaire its job names (the reminder page stores its id)."""
    return reminder_values(db.session.get(Questionnaire, params["questionnaire_id"]), language)


# --- the organizer's schedule -----------------------------------------------------------------------------------


def reminder_rules(questionnaire):
    return db.session.scalars(select(ReminderRule).where(ReminderRule.questionnaire_id == questionnaire.id)
                              .order_by(ReminderRule.hours_before.desc())).all()


def reminder_moments(questionnaire):
    """[(rule, when it goes out)] while the questionnaire has a closing time."""
    if questionnaire.closes_at is None:
        return []
    return [(rule, _moment(rule)) for rule in reminder_rules(questionnaire)]


def save_reminder_schedule(questionnaire, actor_id, hours, audience):
    """Remind `audience` at each of `hours` before the questionnaire closes. A moment kept keeps its rule, so those
    it reminded are not reminded again; a moment removed stops; a new one starts."""
    wanted = sorted(set(hours), reverse=True)
    if any(not 1 <= value <= MAX_HOURS_BEFORE for value in wanted):
        raise ServiceError("hours", _("Each reminder goes between 1 and %(max)s hours before the questionnaire closes.",
                                      max=MAX_HOURS_BEFORE))
    if wanted and questionnaire.closes_at is None:
        raise ServiceError("hours", _("Set when the questionnaire closes first: reminders count back from it."))
    for rule in reminder_rules(questionnaire):
        if rule.hours_before in wanted:
            rule.audience = audience
            wanted.remove(rule.hours_before)
        else:
            db.session.delete(rule)
    db.session.add_all(ReminderRule(questionnaire_id=questionnaire.id, hours_before=value, audience=audience)
                       for value in wanted)
    db.session.flush()
    record(actor_id, "reminders.scheduled", questionnaire,
           hours=[rule.hours_before for rule in reminder_rules(questionnaire)], audience=audience)


def sent_counts(questionnaire):
    """{rule id: how many it reminded}."""
    rows = db.session.execute(select(ReminderSent.rule_id, db.func.count()).join(ReminderRule)
                              .where(ReminderRule.questionnaire_id == questionnaire.id)
                              .group_by(ReminderSent.rule_id)).all()
    return dict(rows)


# --- the scheduler's minute -------------------------------------------------------------------------------------


def send_due_reminders(now):
    """Every rule whose moment has come and whose questionnaire is still open reminds the people it is for who
    have not had it; a rule made after its moment had passed waits for no one (it would arrive as a surprise)."""
    for rule in _due_rules(now):
        people = _reminded_now(rule, now)
        if not people:
            continue
        questionnaire = rule.questionnaire
        queue_invitations(questionnaire.program, people, None, kind="reminder",
                          extra=lambda language, q=questionnaire: reminder_values(q, language))
        record(None, "reminders.sent_on_schedule", questionnaire, hours=rule.hours_before, count=len(people))
        start_job(send_messages, questionnaire.program, None)


def _due_rules(now):
    rules = db.session.scalars(select(ReminderRule).join(Questionnaire).where(
        Questionnaire.closes_at > now, Questionnaire.opens_at <= now)
        .options(selectinload(ReminderRule.questionnaire))).all()
    return [rule for rule in rules if _moment(rule) <= now and rule.created_at <= _moment(rule) + timedelta(minutes=5)]


def _moment(rule):
    return rule.questionnaire.closes_at - timedelta(hours=rule.hours_before)


def _reminded_now(rule, now):
    """The people `rule` is for who have not had it, marked as having had it now (a row each: two schedulers at the
    same minute insert it once, and only the one that inserted it sends)."""
    questionnaire = rule.questionnaire
    attempts = select(Attempt.id).where(Attempt.questionnaire_id == questionnaire.id,
                                        Attempt.participant_id == Participant.id)
    if rule.audience == "unfinished":
        attempts = attempts.where(Attempt.status != IN_PROGRESS)
    candidates = select(Participant.id).where(
        Participant.program_id == questionnaire.program_id, Participant.status != "withdrawn",
        Participant.erased_at.is_(None), ~exists(attempts),
        ~exists().where(ReminderSent.rule_id == rule.id, ReminderSent.participant_id == Participant.id))
    if questionnaire.kind == "follow_up":  # reminded only of a survey they were sent
        candidates = candidates.where(sent_follow_up(questionnaire.id, Participant.id))
    candidates = db.session.scalars(candidates).all()
    if not candidates:
        return []
    insert = postgresql_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    claimed = db.session.scalars(insert(ReminderSent).values(
        [{"rule_id": rule.id, "participant_id": person, "sent_at": now} for person in candidates])
        .on_conflict_do_nothing(index_elements=["rule_id", "participant_id"])
        .returning(ReminderSent.participant_id)).all()
    return db.session.scalars(select(Participant).where(Participant.id.in_(claimed))
                              .order_by(Participant.search_key)).all()


def finalize_all_overdue(now):
    """Attempts whose time limit or window is over are submitted from their saved answers within the minute."""
    questionnaires = db.session.scalars(select(Questionnaire).where(Questionnaire.id.in_(
        select(Attempt.questionnaire_id).where(Attempt.status == IN_PROGRESS)))).all()
    finalized = sum(finalize_overdue(questionnaire, now) for questionnaire in questionnaires)
    if finalized:
        current_app.logger.info("finalized %s attempts whose time was over", finalized)
    return finalized
