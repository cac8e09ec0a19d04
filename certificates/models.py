"""A program's certificate settings (rules, wording, signatories, logos) and the certificates it issued."""
from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, LargeBinary, String, UniqueConstraint, false, text
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from extensions import db
from training.models import Participant, Program, _in, utcnow

# The participant's language, or two on one page: the participant's and the program's default (texts.languages_for).
LANGUAGE_MODES = ("participant", "bilingual")
MAX_SIGNATORIES = 3
MAX_LOGOS = 3


class CertificateSettings(db.Model):
    """One program's rules for who qualifies, what the certificate says and who signs it."""

    __tablename__ = "certificate_settings"
    __table_args__ = (
        CheckConstraint(_in("language_mode", LANGUAGE_MODES), name="language_mode"),
        CheckConstraint("min_post_score IS NULL OR (min_post_score >= 0 AND min_post_score <= 100)",
                        name="min_post_score"),
        CheckConstraint("min_share IS NULL OR (min_share >= 1 AND min_share <= 100)", name="min_share"),
        CheckConstraint("hours IS NULL OR hours > 0", name="hours"),
        CheckConstraint("last_serial >= 0", name="last_serial"),
    )

    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"), primary_key=True)
    # Activity ids that count; None means "the activities marked required", as they are when the rule is read.
    required_activity_ids: Mapped[list | None] = mapped_column(JSON)
    excused_counts: Mapped[bool] = mapped_column(default=False)
    # Each test counts only when the program has one (a program without a post-test asks nobody for it). Settings
    # saved before the pre-test rule existed keep not asking for it (the server default); new ones ask for it.
    pre_test_required: Mapped[bool] = mapped_column(default=True, server_default=false())
    post_test_required: Mapped[bool] = mapped_column(default=True)
    min_post_score: Mapped[float | None]  # percent of the post-test's points
    min_share: Mapped[int | None]  # percent of each session's minutes
    hours: Mapped[float | None]  # None: the required sessions' planned length
    place: Mapped[dict] = mapped_column(JSON, default=dict)  # {"es": "Modalidad virtual", …}; empty: "virtual"
    issuer: Mapped[dict] = mapped_column(JSON, default=dict)  # the organization named at the top
    language_mode: Mapped[str] = mapped_column(String(12), default="participant")
    # Serials are numbered per program; the counter is claimed by a row-locking update, so two issuers never
    # print the same number.
    last_serial: Mapped[int] = mapped_column(default=0)

    program: Mapped[Program] = relationship()


class CertificateSignatory(db.Model):
    __tablename__ = "certificate_signatories"
    __table_args__ = (UniqueConstraint("program_id", "position"),
                      CheckConstraint(f"position BETWEEN 1 AND {MAX_SIGNATORIES}", name="position"))

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"))
    position: Mapped[int]
    name: Mapped[str] = mapped_column(String(120))
    title: Mapped[dict] = mapped_column(JSON, default=dict)  # their position, {"es": …, "fr": …}
    image: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))  # the signature, normalized to PNG


class CertificateLogo(db.Model):
    __tablename__ = "certificate_logos"
    __table_args__ = (UniqueConstraint("program_id", "position"),
                      CheckConstraint(f"position BETWEEN 1 AND {MAX_LOGOS}", name="position"))

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"))
    position: Mapped[int]
    image: Mapped[bytes] = deferred(mapped_column(LargeBinary))  # normalized to PNG


class Certificate(db.Model):
    """One issued certificate. A participant holds at most one that is not revoked; revoked ones stay, so their
    code still verifies as revoked. `facts` keeps what was printed, so the verification page shows the PDF's facts
    even after the registration changes."""

    __tablename__ = "certificates"
    __table_args__ = (
        UniqueConstraint("program_id", "serial_number"),
        UniqueConstraint("code"),
        Index("uq_certificates_valid_per_participant", "program_id", "participant_id", unique=True,
              sqlite_where=text("revoked_at IS NULL"), postgresql_where=text("revoked_at IS NULL")),
        CheckConstraint("(revoked_at IS NULL) = (revoked_reason IS NULL)", name="revoked"),
        CheckConstraint("pdf IS NULL OR sha256 IS NOT NULL", name="pdf_hash"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"))
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"), index=True)
    serial_number: Mapped[int]
    serial: Mapped[str] = mapped_column(String(60))
    code: Mapped[str] = mapped_column(String(64))  # ≥ 128 random bits, URL-safe: the QR code's /verify/<code>
    languages: Mapped[list] = mapped_column(JSON, default=list)
    facts: Mapped[dict] = mapped_column(JSON, default=dict)
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    issued_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The PDF is drawn after the row is claimed, outside the write transaction; until then both are empty.
    pdf: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    sha256: Mapped[str | None] = mapped_column(String(64))
    revoked_at: Mapped[datetime | None]
    revoked_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    revoked_reason: Mapped[str | None] = mapped_column(String(500))
    replaced_by_id: Mapped[int | None] = mapped_column(ForeignKey("certificates.id", ondelete="SET NULL"))

    participant: Mapped[Participant] = relationship()
    program: Mapped[Program] = relationship()

    @property
    def valid(self):
        return self.revoked_at is None
