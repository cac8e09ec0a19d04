"""What attendance means: which marks count as attending, what each person still lacks, and when marks may be
taken (pure)."""

ATTENDED = {"present", "late", "completed"}
EXCUSED = "excused"


def attended(status, count_excused=False):
    return status in ATTENDED or (count_excused and status == EXCUSED)


def missing_required(required_codes, marks, count_excused=False):
    """The required activities (codes, in the order given) a person has no attending mark for."""
    return [code for code in required_codes if not attended(marks.get(code), count_excused)]


def sheet_counts(statuses):
    """How many marks of each kind a session has, plus 'unmarked'."""
    counts = {}
    for status in statuses:
        key = status or "unmarked"
        counts[key] = counts.get(key, 0) + 1
    return counts


def not_started(starts_at, now):
    """True while an activity with a start time has not reached it (aware datetimes; an activity without a start,
    such as a course known only by its due date, has no such limit)."""
    return starts_at is not None and now < starts_at
