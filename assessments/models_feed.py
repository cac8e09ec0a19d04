"""Read-only tokens of the portfolio's feed: what a BI tool (Power BI, Excel "From Web") reads the indicators with."""
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db
from training.models import User, utcnow


class FeedToken(db.Model):
    """A token held by a BI tool. Only its SHA-256 is kept (shown once, when made). It reads what its creator may
    see at the time of each read, narrowed to `program_ids` when chosen (None: every program the creator sees)."""

    __tablename__ = "feed_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(120))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    program_ids: Mapped[list | None] = mapped_column(JSON, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    created_by: Mapped[User] = relationship()

    @property
    def active(self):
        return self.revoked_at is None
