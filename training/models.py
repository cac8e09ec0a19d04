"""Staff users, programs, delegations, participants and the audit trail."""
from datetime import date, datetime, timezone

from flask_login import UserMixin
from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from extensions import db

from .links import links_end
from .localized import DEFAULT_LANGUAGE, offered, pick
from .textkeys import as_id

DELEGATION_KINDS = ("member", "observer")
DELEGATION_STATUSES = ("invited", "list_received", "confirmed")
# "not_recorded": nobody said (an empty cell, a form left as it was); "undisclosed" and "other" are answers people gave.
NOT_RECORDED = "not_recorded"
GENDERS = ("female", "male", "other", "undisclosed", NOT_RECORDED)
PROFILES = (
    "employment_counselor",
    "labor_inspector",
    "employer_liaison",
    "tvet_representative",
    "recognition_official",
    "other",
    NOT_RECORDED,
)
PARTICIPANT_STATUSES = ("registered", "confirmed", "withdrawn")
DEFAULT_QUOTA = 10


def utcnow():
    return datetime.now(timezone.utc)


def session_id(user_id, version):
    """What a staff session stores (Flask-Login's alternative id): the account and its session version."""
    return f"{user_id}:{version}"


def parse_session_id(text):
    """(user id, session version) from `session_id`'s text, or None. A bare id, from sessions started before
    versions existed, is version 0."""
    user_id, _colon, version = (text or "").partition(":")
    user_id, version = as_id(user_id), as_id(version) if version else 0
    return (user_id, version) if user_id is not None and version is not None else None


def _in(column, values):
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # stored lower-cased
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    language: Mapped[str] = mapped_column(String(5), default=DEFAULT_LANGUAGE)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # In every session of this account (Flask-Login's alternative id); raised to end them all on the server.
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")
    # Its roles per program (training.models_grants); loaded with the account, which every staff request does.
    grants: Mapped[list["ProgramRole"]] = relationship(  # noqa: F821 (training.models_grants)
        back_populates="user", cascade="all, delete-orphan", lazy="selectin", order_by="ProgramRole.id")

    @property
    def is_active(self):
        return self.active

    def get_id(self):
        return session_id(self.id, self.session_version)

    def end_sessions(self):
        """Every session started before this stops opening pages (logout, a new password, a deactivation)."""
        self.session_version += 1

    @property
    def is_admin(self):
        """The secretariat: every action in every program."""
        return any(grant.role == "admin" for grant in self.grants)


# What a new program offers until its organizers choose (the program form starts with these checked): every text
# is then asked for in each, so the four languages are opt-in.
NEW_PROGRAM_LANGUAGES = ("es", "en")


class Program(db.Model):
    __tablename__ = "programs"
    __table_args__ = (
        CheckConstraint("end_date IS NULL OR start_date IS NULL OR end_date >= start_date", name="dates"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[dict] = mapped_column(JSON, default=dict)
    description: Mapped[dict] = mapped_column(JSON, default=dict)
    general_objective: Mapped[dict] = mapped_column(JSON, default=dict)
    specific_objectives: Mapped[dict] = mapped_column(JSON, default=dict)  # one objective per line
    start_date: Mapped[date | None]
    end_date: Mapped[date | None]
    # The last day (UTC) of its follow-up survey's window, kept by assessments when the window is set: personal links
    # count their grace days from it when it is later than the end date, so the people surveyed months after the
    # program can still answer (a column, not a look at the questionnaire: the session check stays one query).
    follow_up_until: Mapped[date | None]
    timezone: Mapped[str] = mapped_column(String(64), default="America/Mexico_City")
    languages: Mapped[list] = mapped_column(JSON, default=lambda: list(NEW_PROGRAM_LANGUAGES))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    delegations: Mapped[list["Delegation"]] = relationship(back_populates="program", order_by="Delegation.id")

    @property
    def offered_languages(self):
        """The program's languages, its default first (only supported ones: never empty)."""
        return offered(self.languages)

    @property
    def default_language(self):
        return self.offered_languages[0]

    def title_in(self, language):
        return pick(self.title, language, self.default_language)

    @property
    def links_end(self):
        """The date personal links count their grace days from (links.links_end's rule)."""
        return links_end(self.end_date, self.follow_up_until)

    def text_in(self, field, language):
        return pick(getattr(self, field), language, self.default_language)


class Delegation(db.Model):
    """A member country's or an observer organization's delegation to one program."""

    __tablename__ = "delegations"
    __table_args__ = (
        UniqueConstraint("program_id", "country_code"),
        UniqueConstraint("program_id", "organization"),
        CheckConstraint(_in("kind", DELEGATION_KINDS), name="kind"),
        CheckConstraint(_in("status", DELEGATION_STATUSES), name="status"),
        CheckConstraint(
            "(kind = 'member' AND country_code IS NOT NULL AND organization IS NULL)"
            " OR (kind = 'observer' AND organization IS NOT NULL AND country_code IS NULL)",
            name="member_or_observer",
        ),
        CheckConstraint("quota >= 0", name="quota"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10), default="member")
    country_code: Mapped[str | None] = mapped_column(String(2))
    organization: Mapped[str | None] = mapped_column(String(200))
    quota: Mapped[int] = mapped_column(default=DEFAULT_QUOTA)
    status: Mapped[str] = mapped_column(String(20), default="invited")
    focal_point_name: Mapped[str] = mapped_column(String(200), default="")
    focal_point_email: Mapped[str] = mapped_column(String(254), default="")
    focal_point_phone: Mapped[str] = mapped_column(String(50), default="")

    program: Mapped[Program] = relationship(back_populates="delegations")


class Participant(db.Model):
    __tablename__ = "participants"
    __table_args__ = (
        UniqueConstraint("program_id", "email_key"),
        CheckConstraint(_in("gender", GENDERS), name="gender"),
        CheckConstraint(_in("profile", PROFILES), name="profile"),
        CheckConstraint(_in("status", PARTICIPANT_STATUSES), name="status"),
        Index("ix_participants_delegation_status", "delegation_id", "status"),
        Index("ix_participants_program_search", "program_id", "search_key"),
        # The same person in other programs is found by e-mail alone (the unique key starts with the program).
        Index("ix_participants_email_key", "email_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"))
    delegation_id: Mapped[int] = mapped_column(ForeignKey("delegations.id"))
    given_names: Mapped[str] = mapped_column(String(120))
    family_names: Mapped[str] = mapped_column(String(120))
    position: Mapped[str] = mapped_column(String(200), default="")
    institution: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(254))
    # Trimmed and case-folded e-mail: the database enforces one registration per address and program.
    email_key: Mapped[str] = mapped_column(String(254))
    # Accent- and case-folded "family | given | e-mail | institution": the list sorts and searches on it.
    search_key: Mapped[str] = mapped_column(String(800), default="")
    gender: Mapped[str] = mapped_column(String(12), default=NOT_RECORDED)
    profile: Mapped[str] = mapped_column(String(30), default=NOT_RECORDED)
    language: Mapped[str] = mapped_column(String(5), default=DEFAULT_LANGUAGE)
    timezone: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(12), default="registered")
    # Personal link: the token is HMAC(SECRET_KEY, link_salt); only its SHA-256 is stored, for lookup.
    link_salt: Mapped[str | None] = mapped_column(String(64))
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    link_issued_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # Set when the person's data was erased: names are a placeholder, contacts empty; the anonymous rest stays
    # for the program's statistics.
    erased_at: Mapped[datetime | None]
    # In the participant's browser sessions with their link's hash; raised when they leave, so a copy of the
    # cookie opens nothing afterwards.
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")

    program: Mapped[Program] = relationship()
    delegation: Mapped[Delegation] = relationship()

    @property
    def full_name(self):
        return f"{self.given_names} {self.family_names}".strip()

    def end_sessions(self):
        """Every browser session started through the link before this opens nothing ('leave'); the link works."""
        self.session_version += 1


class AuditEvent(db.Model):
    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_events_at", "at", "id"),
        Index("ix_audit_events_program_at", "program_id", "at"),
        Index("ix_audit_events_object", "object_type", "object_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(60))
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[int | None]
    # The program the object belongs to (None for staff accounts), so the audit log filters by program.
    program_id: Mapped[int | None] = mapped_column(ForeignKey("programs.id", ondelete="SET NULL"))
    details: Mapped[dict] = mapped_column(JSON, default=dict)


IMPORT_STATUSES = ("previewed", "applied", "discarded")


class StagedUpload:
    """What every kind of upload keeps between its review and its confirmation (participant lists, attendance
    reports, answer files): the file as uploaded, by whom and when, and its status, which leaves "previewed" once:
    for "applied" (`summary` then says what the confirmation did) or "discarded" (its bytes then are gone)."""

    extra_checks = ()  # a kind's own CHECK constraints, as (condition, name) pairs

    @declared_attr.directive
    def __table_args__(cls):
        return (CheckConstraint(_in("status", IMPORT_STATUSES), name="status"),
                *(CheckConstraint(condition, name=name) for condition, name in cls.extra_checks))

    id: Mapped[int] = mapped_column(primary_key=True, sort_order=-1)  # first, before the kind's own
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    filename: Mapped[str] = mapped_column(String(255))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    status: Mapped[str] = mapped_column(String(12), default="previewed")
    applied_at: Mapped[datetime | None]
    summary: Mapped[dict] = mapped_column(JSON, default=dict)


class ImportBatch(StagedUpload, db.Model):
    """An uploaded participant list between its preview and its confirmation (kept as uploaded)."""

    __tablename__ = "import_batches"

    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"), index=True)
    delegation_id: Mapped[int | None] = mapped_column(ForeignKey("delegations.id", ondelete="CASCADE"))
    locked: Mapped[bool] = mapped_column(default=False)  # every row must belong to delegation_id

    program: Mapped[Program] = relationship()
    delegation: Mapped[Delegation | None] = relationship()


# "uncertain": its sender stopped between claiming it and recording the server's answer, or no answer came once the
# content had left; the server may have it, so it is never sent again unless staff say so.
MESSAGE_STATUSES = ("queued", "sending", "sent", "outbox", "failed", "uncertain")


class MessageTemplate(db.Model):
    """A program's editable text for one kind of message in one language."""

    __tablename__ = "message_templates"
    __table_args__ = (UniqueConstraint("program_id", "kind", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    language: Mapped[str] = mapped_column(String(5))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)


class OutboundMessage(db.Model):
    """One message to one participant, and what became of it (sent by SMTP, kept in the outbox, failed)."""

    __tablename__ = "outbound_messages"
    __table_args__ = (
        CheckConstraint(_in("status", MESSAGE_STATUSES), name="status"),
        Index("ix_outbound_messages_program_created", "program_id", "created_at"),
        Index("ix_outbound_messages_status_claimed", "status", "claimed_at"),  # stalled claims are found by it
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"))
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("participants.id", ondelete="SET NULL"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    language: Mapped[str] = mapped_column(String(5))
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="queued")
    error: Mapped[str] = mapped_column(String(500), default="")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    claimed_at: Mapped[datetime | None]  # when a sender last claimed it: its claim's lease runs from here
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")  # submissions since it was last queued

    participant: Mapped[Participant | None] = relationship()


ACTIVITY_KINDS = ("virtual_session", "in_person_session", "online_course", "other")
SESSION_KINDS = ("virtual_session", "in_person_session")
MAX_NOTICE_HOURS = 720  # a notice to those absent goes out at most 30 days after the session
AGENDA_KINDS = ("general_instructions", "welcome", "presentation", "qa", "panel", "group_work_explanation",
                "group_work", "plenary", "pre_test", "post_test", "closing", "other")


class Activity(db.Model):
    """A session or course of a program; times are stored in UTC and shown in the program's and viewer's zone."""

    __tablename__ = "activities"
    __table_args__ = (
        UniqueConstraint("program_id", "code"),
        CheckConstraint(_in("kind", ACTIVITY_KINDS), name="kind"),
        CheckConstraint("ends_at IS NULL OR starts_at IS NULL OR ends_at > starts_at", name="times"),
        CheckConstraint(f"absent_notice_hours IS NULL OR absent_notice_hours BETWEEN 0 AND {MAX_NOTICE_HOURS}",
                        name="absent_notice_hours"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(20))
    required: Mapped[bool] = mapped_column(default=True)
    title: Mapped[dict] = mapped_column(JSON, default=dict)
    description: Mapped[dict] = mapped_column(JSON, default=dict)
    starts_at: Mapped[datetime | None]
    ends_at: Mapped[datetime | None]
    due_at: Mapped[datetime | None]  # online courses: complete by
    link: Mapped[str] = mapped_column(String(500), default="")
    location: Mapped[str] = mapped_column(String(200), default="")
    recording_link: Mapped[str] = mapped_column(String(500), default="", server_default="")
    # Hours after the session's end when those marked absent are sent the recording; None: never.
    absent_notice_hours: Mapped[int | None]

    program: Mapped[Program] = relationship()
    items: Mapped[list["AgendaItem"]] = relationship(back_populates="activity", order_by="AgendaItem.starts_at",
                                                     cascade="all, delete-orphan")

    def title_in(self, language):
        return pick(self.title, language, self.program.default_language)

    def description_in(self, language):
        return pick(self.description or {}, language, self.program.default_language)

    @property
    def is_session(self):
        return self.kind in SESSION_KINDS


class AgendaItem(db.Model):
    __tablename__ = "agenda_items"
    __table_args__ = (
        CheckConstraint(_in("kind", AGENDA_KINDS), name="kind"),
        CheckConstraint("ends_at > starts_at", name="times"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    kind: Mapped[str] = mapped_column(String(30))
    title: Mapped[dict] = mapped_column(JSON, default=dict)
    facilitators: Mapped[str] = mapped_column(String(500), default="")
    speakers: Mapped[str] = mapped_column(String(1000), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    parallel: Mapped[bool] = mapped_column(default=False)

    activity: Mapped[Activity] = relationship(back_populates="items")

    def title_in(self, language):
        return pick(self.title, language, self.activity.program.default_language)


ATTENDANCE_STATUSES = ("present", "late", "partial", "excused", "absent", "completed")
ATTENDANCE_SOURCES = ("manual", "zoom", "course_report")


class Attendance(db.Model):
    """One participant's attendance at one activity (completion, for courses); one row per pair."""

    __tablename__ = "attendance"
    __table_args__ = (
        UniqueConstraint("participant_id", "activity_id"),
        CheckConstraint(_in("status", ATTENDANCE_STATUSES), name="status"),
        CheckConstraint(_in("source", ATTENDANCE_SOURCES), name="source"),
        CheckConstraint("minutes IS NULL OR minutes >= 0", name="minutes"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(12))
    minutes: Mapped[int | None]
    comment: Mapped[str] = mapped_column(String(500), default="")
    source: Mapped[str] = mapped_column(String(15), default="manual")
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class AbsenceNotice(db.Model):
    """The recording sent to one participant marked absent from one session. One row per pair, inserted before the
    message is queued: of two schedulers (or a schedule edited after the notices left) only one inserts it."""

    __tablename__ = "absence_notices"
    __table_args__ = (UniqueConstraint("activity_id", "participant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"))
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"), index=True)
    message_id: Mapped[int | None] = mapped_column(ForeignKey("outbound_messages.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AttendanceImport(StagedUpload, db.Model):
    """An uploaded Zoom or course report between its review and its confirmation (kept as uploaded)."""

    __tablename__ = "attendance_imports"
    extra_checks = (("min_share BETWEEN 1 AND 100", "min_share"),)

    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"), index=True)
    sha256: Mapped[str] = mapped_column(String(64))
    min_share: Mapped[int] = mapped_column(default=75)  # % of the session that counts as present
    # unmatched person key → participant id, "ignore", or "" (not linked, where that overrides a default)
    decisions: Mapped[dict] = mapped_column(JSON, default=dict)

    activity: Mapped[Activity] = relationship()


class AttendanceNameLink(db.Model):
    """A name as a report shows it (folded), linked by a reviewer to a registrant: the program's later imports
    match it to them by themselves (a reviewer can still change it, which updates the link)."""

    __tablename__ = "attendance_name_links"
    __table_args__ = (UniqueConstraint("program_id", "name_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"))
    name_key: Mapped[str] = mapped_column(String(255))
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"), index=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
