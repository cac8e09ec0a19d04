"""Work the task queue does for people: one row per job with its progress and result; the worker's heartbeat."""
from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db

from .models import Program, _in, utcnow

JOB_STATUSES = ("queued", "running", "done", "failed")
ACTIVE = ("queued", "running")
_ACTIVE_SQL = text("status IN ('queued', 'running')")


class Job(db.Model):
    """A piece of work for the worker (send a program's messages, draw PDFs): what it has done of how much."""

    __tablename__ = "jobs"
    __table_args__ = (
        CheckConstraint(_in("status", JOB_STATUSES), name="status"),
        CheckConstraint("done >= 0", name="done"),
        # One active job per kind, program and key: asking again while it runs joins it instead of doing it twice.
        Index("uq_jobs_active", "kind", "program_id", "key", unique=True,
              sqlite_where=_ACTIVE_SQL, postgresql_where=_ACTIVE_SQL),
        Index("ix_jobs_status_updated", "status", "updated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(80))
    key: Mapped[str] = mapped_column(String(100), default="")  # what of the program it is about (a language, …)
    program_id: Mapped[int | None] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"), index=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(10), default="queued")
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int | None]
    params: Mapped[dict] = mapped_column(JSON, default=dict)  # what the job was asked to do
    result: Mapped[dict] = mapped_column(JSON, default=dict)
    error: Mapped[str] = mapped_column(String(500), default="")
    tries: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]

    program: Mapped[Program | None] = relationship()

    @property
    def active(self):
        return self.status in ACTIVE


class WorkerBeat(db.Model):
    """The last minute a worker's scheduler ran: check-config says when no worker is running."""

    __tablename__ = "worker_beats"

    worker: Mapped[str] = mapped_column(String(100), primary_key=True)
    beat_at: Mapped[datetime] = mapped_column(default=utcnow)
