"""Whether a participant qualifies for the certificate, the list of what is missing when not, and from when
certificates may be issued (pure)."""
from dataclasses import dataclass
from datetime import datetime

COURSE_KINDS = ("online_course",)
ATTENDED = ("present", "late")  # a session attended in full (late still counts as attended)
COMPLETED = ("completed",)  # an online course
SUBMITTED = "submitted"

# What can be missing, in the order a person reads them: activities first, then the pre-test, then the post-test.
ABSENT, NOT_COMPLETED, PARTIAL, TOO_SHORT, EXCUSED = "absent", "not_completed", "partial", "too_short", "excused"
PRE_TEST_NOT_SUBMITTED = "pre_test_not_submitted"
POST_TEST_NOT_SUBMITTED, POST_TEST_SCORE_LOW = "post_test_not_submitted", "post_test_score_low"


@dataclass(frozen=True)
class Rules:
    """A program's certificate rules. `required` lists the activity ids that count (by default the program's
    activities marked required); shares and scores are fractions and percentages. The tests' rules are the ones
    that apply: a test the program does not have is required of nobody (see `questionnaire_rules`)."""
    required: tuple
    excused_counts: bool = False
    pre_test_required: bool = False
    post_test_required: bool = True
    min_post_score: float | None = None  # percent of the post-test's points
    min_share: float | None = None  # of a session's minutes; when set, it decides instead of the status


@dataclass(frozen=True)
class Activity:
    id: int
    kind: str
    minutes: int | None = None  # a session's planned length (None for courses or when unknown)
    ends_at: datetime | None = None  # aware: its end, its agenda's or its due date, whichever is latest


@dataclass(frozen=True)
class Mark:
    """One attendance record: its status and, from a Zoom report or by hand, the minutes attended."""
    status: str
    minutes: int | None = None


@dataclass(frozen=True)
class Record:
    """What a participant did: activity id → Mark, their post-test status and score (percent), and their
    pre-test status."""
    marks: dict
    post_test: str = "not_started"
    post_score: float | None = None
    pre_test: str = "not_started"


@dataclass(frozen=True)
class Missing:
    """One reason a participant does not qualify (yet): `code`, the activity concerned, what they reached and
    what was needed (a share or a score), for the words the screen and the exports show."""
    code: str
    activity_id: int | None = None
    reached: float | None = None
    needed: float | None = None


@dataclass(frozen=True)
class Decision:
    eligible: bool
    missing: tuple


def decide(rules, activities, record):
    """Eligible or not, with every reason; activities are checked in the order given."""
    required = set(rules.required)
    missing = [reason for activity in activities if activity.id in required
               for reason in _activity_reasons(rules, activity, record.marks.get(activity.id))]
    if rules.pre_test_required and record.pre_test != SUBMITTED:
        missing.append(Missing(PRE_TEST_NOT_SUBMITTED))
    missing += _post_test_reasons(rules, record)
    return Decision(not missing, tuple(missing))


def _activity_reasons(rules, activity, mark):
    if mark is None or mark.status == "absent":
        return [Missing(NOT_COMPLETED if activity.kind in COURSE_KINDS else ABSENT, activity.id)]
    if mark.status == "excused":
        return [] if rules.excused_counts else [Missing(EXCUSED, activity.id)]
    if activity.kind in COURSE_KINDS:
        return [] if mark.status in COMPLETED else [Missing(NOT_COMPLETED, activity.id)]
    if rules.min_share is not None and activity.minutes:
        return _share_reasons(rules, activity, mark)
    if mark.status in ATTENDED:
        return []
    return [Missing(PARTIAL if mark.status == "partial" else ABSENT, activity.id)]


def _share_reasons(rules, activity, mark):
    """With a minimum share, the minutes decide (a full 'present' without minutes counts as the whole session)."""
    share = 1.0 if mark.minutes is None and mark.status in ATTENDED else (mark.minutes or 0) / activity.minutes
    share = min(share, 1.0)
    return [] if share >= rules.min_share else [Missing(TOO_SHORT, activity.id, share, rules.min_share)]


def _post_test_reasons(rules, record):
    if not rules.post_test_required and rules.min_post_score is None:
        return []
    if record.post_test != SUBMITTED:
        return [Missing(POST_TEST_NOT_SUBMITTED)]
    if rules.min_post_score is not None and (record.post_score or 0) < rules.min_post_score:
        return [Missing(POST_TEST_SCORE_LOW, reached=record.post_score, needed=rules.min_post_score)]
    return []


def questionnaire_rules(pre_test_wanted, post_test_wanted, min_post_score, kinds):
    """(pre-test required, post-test required, minimum post-test score) as they apply to a program whose
    questionnaires are of `kinds`: what the settings want of a test the program has, nothing of one it lacks."""
    has_post = "post" in kinds
    return (pre_test_wanted and "pre" in kinds, post_test_wanted and has_post,
            min_post_score if has_post else None)


def issuable_from(rules, activities):
    """(activity, moment) of the counted activity that ends last, or None when none has a known end: no
    certificate is issued before that moment."""
    required = set(rules.required)
    ending = [a for a in activities if a.id in required and a.ends_at is not None]
    if not ending:
        return None
    last = max(ending, key=lambda a: a.ends_at)
    return last, last.ends_at
