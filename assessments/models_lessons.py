"""Lessons learned: the closing record of a program's findings, in the shape the secretariat keeps (seed 004)."""
from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db
from training.models import Program, User, _in, utcnow

LESSON_KINDS = ("positive", "negative")
# The record's narrative fields in the order of the secretariat's form; each is stored as {language: text}.
NARRATIVE_FIELDS = ("area", "finding", "description", "context", "goals", "beneficiaries", "successes",
                    "challenges", "learned", "not_learned", "territory", "actors", "added_value", "effectiveness",
                    "important", "useful", "equitable", "economic", "keywords")


def _text():
    return mapped_column(JSON, default=dict)


class Lesson(db.Model):
    """One finding of a program and the lesson drawn from it (a program has several). Its links to the SDGs and to
    the Global Compact for Migration are numbers and letters from fixed lists (`lessons.frameworks`)."""

    __tablename__ = "lessons"
    __table_args__ = (
        UniqueConstraint("program_id", "code"),
        CheckConstraint(_in("kind", LESSON_KINDS), name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(40))  # e.g. LA2_ISE: unique within its program
    kind: Mapped[str] = mapped_column(String(10), default="positive")
    area: Mapped[dict] = _text()
    finding: Mapped[dict] = _text()
    description: Mapped[dict] = _text()
    context: Mapped[dict] = _text()  # context and preconditions
    goals: Mapped[dict] = _text()  # the project's goals
    beneficiaries: Mapped[dict] = _text()
    successes: Mapped[dict] = _text()
    challenges: Mapped[dict] = _text()
    learned: Mapped[dict] = _text()  # the lesson learned
    not_learned: Mapped[dict] = _text()  # the lesson not learned
    territory: Mapped[dict] = _text()
    actors: Mapped[dict] = _text()  # NGO, government, business
    added_value: Mapped[dict] = _text()  # differentiating factors
    effectiveness: Mapped[dict] = _text()
    important: Mapped[dict] = _text()
    useful: Mapped[dict] = _text()
    equitable: Mapped[dict] = _text()
    economic: Mapped[dict] = _text()
    keywords: Mapped[dict] = _text()  # comma-separated, per language
    sdgs: Mapped[list] = mapped_column(JSON, default=list)  # goal numbers 1–17
    gcm_principles: Mapped[list] = mapped_column(JSON, default=list)  # guiding principles' letters a–j
    gcm_objectives: Mapped[list] = mapped_column(JSON, default=list)  # objective numbers 1–23
    countries: Mapped[list] = mapped_column(JSON, default=list)  # ISO codes of the territory, for the filter
    # Every text of the record in every language, folded (unicode_text), so a search is one LIKE on both databases.
    search_text: Mapped[str] = mapped_column(Text, default="")
    shared: Mapped[bool] = mapped_column(default=False)  # on the public page of the network's practice exchange
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    program: Mapped[Program] = relationship()
    created_by: Mapped[User | None] = relationship()
