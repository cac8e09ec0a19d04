"""What a program's lifecycle is computed from: plain facts of what it holds, training's own and those the later
blueprints contribute through training's hooks (pure; `lifecycle` turns them into phases)."""
from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class ProgramFacts:
    languages: tuple = ()
    titled: tuple = ()  # the languages its title is written in
    start_date: date | None = None
    end_date: date | None = None
    starts_at: datetime | None = None  # its first day at midnight in its zone, or its first activity if earlier
    ends_at: datetime | None = None  # the end of its last day, or of its last activity if later


@dataclass(frozen=True)
class ActivityFacts:
    id: int
    code: str
    is_session: bool
    required: bool = True
    starts_at: datetime | None = None
    ends_at: datetime | None = None  # a session's end, a course's due time
    agenda_items: int = 0
    marked: int = 0  # active participants (of those the viewer sees) with an attendance mark


@dataclass(frozen=True)
class DelegationFacts:
    id: int
    status: str  # invited, list_received, confirmed
    registered: int = 0  # active participants
    quota: int = 0


@dataclass(frozen=True)
class QuestionnaireFacts:
    id: int
    kind: str  # pre, post, follow_up
    questions: int = 0
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    submitted: int = 0  # of the active participants the viewer sees
    in_progress: int = 0
    sent: int | None = None  # a follow-up survey: how many of them it was sent to (its audience); None otherwise


@dataclass(frozen=True)
class EvaluationFacts:
    """What assessments contributes: the program's questionnaires by kind, how many took both tests, and how many
    lessons learned the program has recorded."""
    questionnaires: dict = field(default_factory=dict)
    pairs: int = 0
    lessons: int = 0


@dataclass(frozen=True)
class CertificateFacts:
    """What certificates contributes."""
    settings_saved: bool = False
    eligible: int = 0  # eligible and holding no certificate yet
    issued: int = 0  # valid certificates
    waiting: int = 0  # issued, their PDF not drawn yet


@dataclass(frozen=True)
class Facts:
    program: ProgramFacts
    activities: tuple = ()
    delegations: tuple = ()  # those the viewer sees
    participants: int = 0  # active participants the viewer sees
    invited: int = 0  # of those, how many have an invitation queued, sent or in the outbox
    queued: int = 0  # invitations still waiting to be sent
    contributed: dict = field(default_factory=dict)  # "evaluation" → EvaluationFacts, "certificates" → …
