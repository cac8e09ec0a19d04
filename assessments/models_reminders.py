"""Automatic reminders of a questionnaire: when they go out before it closes, to whom, and who has had each; and who
has been sent the follow-up survey."""
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint, exists
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db
from training.models import _in, utcnow

from .models import Questionnaire

REMINDER_AUDIENCES = ("not_started", "unfinished")
MAX_HOURS_BEFORE = 24 * 30


class ReminderRule(db.Model):
    """"`hours_before` the questionnaire closes, remind `audience`": one rule per moment; editing the schedule keeps
    the rules whose moment stays, so those reminded are not reminded again."""

    __tablename__ = "reminder_rules"
    __table_args__ = (
        UniqueConstraint("questionnaire_id", "hours_before"),
        CheckConstraint(f"hours_before BETWEEN 1 AND {MAX_HOURS_BEFORE}", name="hours_before"),
        CheckConstraint(_in("audience", REMINDER_AUDIENCES), name="audience"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("questionnaires.id", ondelete="CASCADE"), index=True)
    hours_before: Mapped[int]
    audience: Mapped[str] = mapped_column(String(15), default="unfinished")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    questionnaire: Mapped[Questionnaire] = relationship()


class ReminderSent(db.Model):
    """One person reminded by one rule: the unique pair is what keeps two workers (or a rerun) from reminding twice."""

    __tablename__ = "reminders_sent"
    __table_args__ = (UniqueConstraint("rule_id", "participant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    rule_id: Mapped[int] = mapped_column(ForeignKey("reminder_rules.id", ondelete="CASCADE"))
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"), index=True)
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)


class FollowUpSent(db.Model):
    """One person sent the follow-up survey: the unique pair keeps two workers (or a rerun) from sending it twice,
    and it is the survey's audience (who may answer it, who is reminded)."""

    __tablename__ = "follow_ups_sent"
    __table_args__ = (UniqueConstraint("questionnaire_id", "participant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("questionnaires.id", ondelete="CASCADE"))
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"), index=True)
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)


def sent_follow_up(questionnaire_id, participant_id):
    """A condition: the follow-up `questionnaire_id` was sent to `participant_id` (values or columns)."""
    return exists().where(FollowUpSent.questionnaire_id == questionnaire_id,
                          FollowUpSent.participant_id == participant_id)
