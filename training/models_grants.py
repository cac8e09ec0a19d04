"""Program roles: what a staff account may do in which program (the secretariat's grant covers every program)."""
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db

from .models import User, _in, utcnow
from .permissions import ROLES

EVERY_PROGRAM_ONLY = "program_id IS NULL"


class ProgramRole(db.Model):
    """One role of one account in one program, or in every program (program_id NULL): the secretariat's grant, or
    an organizer or facilitator who works on all of them. A focal point is always of one country in one program:
    their country having a delegation in some other program gives them nothing there."""

    __tablename__ = "program_roles"
    __table_args__ = (
        UniqueConstraint("user_id", "program_id"),
        # NULLs are distinct in a unique constraint: one "every program" grant per account needs its own index.
        Index("uq_program_roles_every_program", "user_id", unique=True, sqlite_where=text(EVERY_PROGRAM_ONLY),
              postgresql_where=text(EVERY_PROGRAM_ONLY)),
        CheckConstraint(_in("role", ROLES), name="role"),
        CheckConstraint("(role = 'focal_point' AND country_code IS NOT NULL AND program_id IS NOT NULL)"
                        " OR (role != 'focal_point' AND country_code IS NULL)", name="focal_point_country"),
        CheckConstraint("role != 'admin' OR program_id IS NULL", name="secretariat_every_program"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    program_id: Mapped[int | None] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    country_code: Mapped[str | None] = mapped_column(String(2))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(back_populates="grants")


def ruling_grant(user, program_id):
    """The grant that decides what `user` does in the program: the secretariat's, else the program's own, else one
    for every program; None when they have nothing there."""
    own = every = None
    for grant in user.grants:
        if grant.role == "admin":
            return grant
        if grant.program_id is None:
            every = grant
        elif grant.program_id == program_id:
            own = grant
    return own or every
