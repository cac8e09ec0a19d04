"""Group work of an agenda item: the exercise, its groups, and who is in which group (one group per person)."""
from datetime import datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db

from .localized import pick
from .models import AgendaItem, Participant, _in, utcnow

GROUP_STRATEGIES = ("clusters", "balanced")
MAX_NAME = 120  # characters of a group's name, in each language


class GroupWork(db.Model):
    __tablename__ = "group_works"
    __table_args__ = (CheckConstraint(_in("strategy", GROUP_STRATEGIES), name="strategy"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agenda_item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id", ondelete="CASCADE"), unique=True)
    strategy: Mapped[str] = mapped_column(String(12))
    seed: Mapped[int] = mapped_column(default=0)
    only_present: Mapped[bool] = mapped_column(default=False)
    questions: Mapped[dict] = mapped_column(JSON, default=dict)  # {language: "one question per line"}
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    agenda_item: Mapped[AgendaItem] = relationship()
    groups: Mapped[list["Group"]] = relationship(back_populates="group_work", order_by="Group.position",
                                                 cascade="all, delete-orphan")

    def questions_in(self, language, default_language):
        return [line.strip() for line in pick(self.questions, language, default_language).splitlines()
                if line.strip()]


class Group(db.Model):
    __tablename__ = "groups"
    # (group_work_id, id) is what members point at, so a member's group always belongs to their group work.
    __table_args__ = (UniqueConstraint("group_work_id", "id"), UniqueConstraint("group_work_id", "position"))

    id: Mapped[int] = mapped_column(primary_key=True)
    group_work_id: Mapped[int] = mapped_column(ForeignKey("group_works.id", ondelete="CASCADE"))
    position: Mapped[int]
    names: Mapped[dict] = mapped_column(JSON, default=dict, server_default="{}")  # {language: name}
    perspective: Mapped[dict] = mapped_column(JSON, default=dict)  # {language: text}
    countries: Mapped[list] = mapped_column(JSON, default=list)  # the cluster's ISO codes (clusters strategy)
    conclusions: Mapped[str] = mapped_column(Text, default="")

    group_work: Mapped[GroupWork] = relationship(back_populates="groups")
    members: Mapped[list["GroupMember"]] = relationship(back_populates="group", cascade="all, delete-orphan",
                                                        overlaps="group_work")

    def name_in(self, language, default_language):
        return pick(self.names, language, default_language)

    def perspective_in(self, language, default_language):
        return pick(self.perspective, language, default_language)


class GroupMember(db.Model):
    __tablename__ = "group_members"
    __table_args__ = (
        UniqueConstraint("group_work_id", "participant_id"),
        ForeignKeyConstraint(["group_work_id", "group_id"], ["groups.group_work_id", "groups.id"],
                             ondelete="CASCADE"),
        # One rapporteur per group, and only a member can be one.
        Index("uq_group_members_rapporteur", "group_id", unique=True,
              sqlite_where=text("is_rapporteur"), postgresql_where=text("is_rapporteur")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_work_id: Mapped[int] = mapped_column(ForeignKey("group_works.id", ondelete="CASCADE"))
    group_id: Mapped[int] = mapped_column(index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"), index=True)
    is_rapporteur: Mapped[bool] = mapped_column(default=False)

    group: Mapped[Group] = relationship(back_populates="members", overlaps="group_work")
    participant: Mapped[Participant] = relationship()
