"""Questionnaires (pre-test, post-test, follow-up), their sections and questions; attempts and answers."""
from datetime import datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db
from training.localized import pick
from training.models import AgendaItem, Participant, Program, StagedUpload, _in, utcnow

from .question_types import DIMENSIONS, NAME_MAX, QUESTIONNAIRE_KINDS, QuestionSpec

ATTEMPT_STATUSES = ("in_progress", "submitted")
FINALIZED_BY = ("participant", "window_closed", "time_limit", "import")


class Questionnaire(db.Model):
    __tablename__ = "questionnaires"
    __table_args__ = (
        UniqueConstraint("program_id", "kind"),
        CheckConstraint(_in("kind", QUESTIONNAIRE_KINDS), name="kind"),
        CheckConstraint("closes_at IS NULL OR opens_at IS NULL OR closes_at > opens_at", name="window"),
        CheckConstraint("time_limit_minutes IS NULL OR time_limit_minutes > 0", name="time_limit"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    title: Mapped[dict] = mapped_column(JSON, default=dict)
    intro: Mapped[dict] = mapped_column(JSON, default=dict)
    opens_at: Mapped[datetime | None]
    closes_at: Mapped[datetime | None]
    time_limit_minutes: Mapped[int | None]
    show_score: Mapped[bool] = mapped_column(default=False)  # the participant sees their score after submitting
    # The agenda slot it opens and closes with (its times follow the slot when it moves); deleting the slot unties
    # it and leaves the window as it was.
    agenda_item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_items.id", ondelete="SET NULL"),
                                                       index=True)

    program: Mapped[Program] = relationship()
    agenda_item: Mapped[AgendaItem | None] = relationship()
    sections: Mapped[list["Section"]] = relationship(back_populates="questionnaire", order_by="Section.position",
                                                     cascade="all, delete-orphan")

    def title_in(self, language):
        return pick(self.title, language, self.program.default_language)


class Section(db.Model):
    __tablename__ = "questionnaire_sections"
    __table_args__ = (UniqueConstraint("questionnaire_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("questionnaires.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    title: Mapped[dict] = mapped_column(JSON, default=dict)

    questionnaire: Mapped[Questionnaire] = relationship(back_populates="sections")
    questions: Mapped[list["Question"]] = relationship(back_populates="section", order_by="Question.position",
                                                      cascade="all, delete-orphan")


class Question(db.Model):
    __tablename__ = "questions"
    __table_args__ = (
        CheckConstraint(_in("dimension", DIMENSIONS), name="dimension"),
        CheckConstraint("points >= 0", name="points"),
        # The item key pairs the same knowledge item in the pre- and the post-test: once per questionnaire.
        Index("uq_questions_item_key", "questionnaire_id", "item_key", unique=True,
              sqlite_where=text("item_key IS NOT NULL"), postgresql_where=text("item_key IS NOT NULL")),
        # A question's section belongs to the question's questionnaire (its item keys are unique there).
        ForeignKeyConstraint(["questionnaire_id", "section_id"],
                             ["questionnaire_sections.questionnaire_id", "questionnaire_sections.id"],
                             ondelete="CASCADE"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("questionnaires.id", ondelete="CASCADE"), index=True)
    section_id: Mapped[int] = mapped_column(index=True)
    position: Mapped[int]
    # Any registered type (question_types.register): services_builder checks it against the registry, so a new
    # type needs no migration.
    type: Mapped[str] = mapped_column(String(NAME_MAX))
    dimension: Mapped[str] = mapped_column(String(15), default="knowledge")
    item_key: Mapped[str | None] = mapped_column(String(40))
    text: Mapped[dict] = mapped_column(JSON, default=dict)
    options: Mapped[list] = mapped_column(JSON, default=list)  # [{"key": "a", "es": …, "en": …}, …]
    correct: Mapped[list] = mapped_column(JSON, default=list)  # option keys (never sent to a browser)
    points: Mapped[float] = mapped_column(default=0.0)
    required: Mapped[bool] = mapped_column(default=False)
    scale_labels: Mapped[dict] = mapped_column(JSON, default=dict)  # Likert/scale ends: {"es": [low, high], …}

    section: Mapped[Section] = relationship(back_populates="questions", overlaps="questions")

    def spec(self):
        """The plain values the pure question types work on."""
        return QuestionSpec(self.type, tuple(o["key"] for o in self.options), tuple(self.correct),
                            float(self.points), self.required)


class Attempt(db.Model):
    """One participant's only attempt at one questionnaire."""

    __tablename__ = "attempts"
    __table_args__ = (
        UniqueConstraint("questionnaire_id", "participant_id"),
        CheckConstraint(_in("status", ATTEMPT_STATUSES), name="status"),
        CheckConstraint("finalized_by IS NULL OR " + _in("finalized_by", FINALIZED_BY), name="finalized_by"),
        CheckConstraint("(status = 'submitted') = (submitted_at IS NOT NULL)", name="submitted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("questionnaires.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(12), default="in_progress")
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    deadline_at: Mapped[datetime | None]  # started + time limit, when the questionnaire has one
    submitted_at: Mapped[datetime | None]
    finalized_by: Mapped[str | None] = mapped_column(String(15))
    score: Mapped[float | None]
    max_score: Mapped[float | None]

    questionnaire: Mapped[Questionnaire] = relationship()
    participant: Mapped[Participant] = relationship()


class Answer(db.Model):
    """The latest saved value of one question in one attempt; `seq` only grows, so a stale save never wins."""

    __tablename__ = "answers"
    __table_args__ = (UniqueConstraint("attempt_id", "question_id"), CheckConstraint("seq >= 0", name="seq"))

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"), index=True)
    value: Mapped[object | None] = mapped_column(JSON)
    # Milliseconds since the attempt started, as the tab that saved it counted them: later edits carry larger
    # numbers, whichever tab or device they come from.
    seq: Mapped[int] = mapped_column(BigInteger, default=0)
    saved_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ResponseImport(StagedUpload, db.Model):
    """Answers collected elsewhere (Google Forms, KoboToolbox, Moodle) between their preview and confirmation."""

    __tablename__ = "response_imports"

    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("questionnaires.id", ondelete="CASCADE"), index=True)
    # column index (as text) → question id | "email" | "ignore" (exports repeat titles, so not by header)
    mapping: Mapped[dict] = mapped_column(JSON, default=dict)

    questionnaire: Mapped[Questionnaire] = relationship()
