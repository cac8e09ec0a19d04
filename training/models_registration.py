"""Online registration: a delegation's shareable form links and the requests waiting for the secretariat's decision."""
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db

from .models import Delegation, _in, utcnow

REQUEST_STATUSES = ("pending", "rejected")  # an accepted request becomes a participant and is deleted


class RegistrationLink(db.Model):
    """A link anyone holding it can register through, into one delegation, until it is revoked."""
    __tablename__ = "registration_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    delegation_id: Mapped[int] = mapped_column(ForeignKey("delegations.id", ondelete="CASCADE"), index=True)
    salt: Mapped[str] = mapped_column(String(64))  # the token is derived from it and SECRET_KEY (links.token_for)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column()

    delegation: Mapped[Delegation] = relationship()


class RegistrationRequest(db.Model):
    """A person's registration, typed by a focal point or sent through a link, waiting for moderation."""
    __tablename__ = "registration_requests"
    __table_args__ = (
        CheckConstraint(_in("status", REQUEST_STATUSES), name="status"),
        # One pending request per e-mail in a program: a second submission is no second request.
        Index("ix_registration_requests_pending_email", "program_id", "email_key", unique=True,
              sqlite_where=text("status = 'pending'"), postgresql_where=text("status = 'pending'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"), index=True)
    delegation_id: Mapped[int] = mapped_column(ForeignKey("delegations.id", ondelete="CASCADE"), index=True)
    link_id: Mapped[int | None] = mapped_column(ForeignKey("registration_links.id", ondelete="SET NULL"))
    given_names: Mapped[str] = mapped_column(String(120))
    family_names: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(254))
    email_key: Mapped[str] = mapped_column(String(254))
    position: Mapped[str] = mapped_column(String(200), default="")
    institution: Mapped[str] = mapped_column(String(200), default="")
    # Gender and profile are checked where they are kept for good, in participants (whose allowed values may grow).
    gender: Mapped[str] = mapped_column(String(12))
    profile: Mapped[str] = mapped_column(String(30))
    language: Mapped[str] = mapped_column(String(5))
    status: Mapped[str] = mapped_column(String(12), default="pending")
    reason: Mapped[str] = mapped_column(Text, default="")  # why it was rejected
    submitted_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))  # None: the link
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column()

    delegation: Mapped[Delegation] = relationship()

    @property
    def full_name(self):
        return f"{self.given_names} {self.family_names}"
