"""Match an attendance report's people to registrants and decide each person's mark, before anything is written
(pure)."""
import re
from dataclasses import dataclass, field

from ..textkeys import email_key, fold
from .reports import name_variants
from .rules import ATTENDED

IGNORE = "ignore"
# How much a mark says someone took part; a report never lowers a mark a person entered by hand.
RANK = {"absent": 0, "partial": 1, "excused": 1, "present": 3, "late": 3, "completed": 3}
COURSE_ORDER = ("completed", "partial", "absent")  # best first: several rows for one person keep the best


@dataclass(frozen=True)
class Registrant:
    id: int
    email: str
    given_names: str
    family_names: str
    status: str | None = None  # their current mark for the activity, if any
    source: str | None = None


@dataclass
class Visitor:
    """One person of the report that no registrant matched (rows grouped by e-mail, else by name)."""
    key: str
    name: str
    email: str
    rows: list
    suggestions: list = field(default_factory=list)  # registrant ids whose names contain this one's
    linked_to: int | None = None  # the registrant a reviewer linked them to


@dataclass
class Outcome:
    participant_id: int
    rows: list
    how: str  # "email", "name" or "linked"
    minutes: int | None
    reported: str  # the status the report gives
    status: str  # the status that will be written
    kept: bool  # a mark entered by hand stays


@dataclass
class AttendancePlan:
    report: object  # attendance_reports.Report
    outcomes: dict  # participant id → Outcome
    unmatched: list  # Visitor, not linked nor ignored
    ignored: list
    linked: list
    duplicates: int  # identical rows dropped (the same report pasted twice)

    @property
    def clean(self):
        return not self.report.missing_columns and not self.report.error_rows and bool(self.report.rows)

    @property
    def reviewed(self):
        """Everyone a reviewer can decide about: still unmatched, linked, or ignored."""
        return self.unmatched + self.linked + self.ignored

    def summary(self):
        """Counted in people, as the CLI and the confirmation message report it."""
        statuses = [outcome.status for outcome in self.outcomes.values()]
        return {"matched": len(statuses),
                "present": sum(1 for s in statuses if s in ATTENDED),
                "partial": statuses.count("partial"), "absent": statuses.count("absent"),
                "unmatched": len(self.unmatched), "ignored": len(self.ignored), "linked": len(self.linked),
                "unmatched_names": [visitor.name or visitor.email for visitor in self.unmatched]}


def name_key(text):
    """'  PÉREZ-Zúñiga,  Ana ' → 'perez zuniga ana': accents, case and punctuation ignored."""
    return " ".join(re.sub(r"[^\w\s]", " ", fold(text)).split())


def plan_attendance(report, registrants, decisions=None, session_minutes=None, min_share=75):
    """Who the report shows, each one's mark, and who is left for a person to link or ignore.
    `decisions` maps a visitor's key to a registrant id or IGNORE; `min_share` is a percentage of
    `session_minutes` a person must have been connected to count as present rather than partial."""
    decisions = decisions or {}
    rows, duplicates = _distinct([row for row in report.rows if not row.errors])
    by_id = {person.id: person for person in registrants}
    emails, names = _indexes(registrants)
    matched, visitors = {}, {}
    for row in rows:
        participant_id, how = _match(row, emails, names)
        if participant_id is None:
            key = _visitor_key(row)
            visitor = visitors.setdefault(key, Visitor(key, row.name, row.email, []))
            visitor.rows.append(row)
            continue
        matched.setdefault(participant_id, ([], how))[0].append(row)
    unmatched, ignored, linked = [], [], []
    for visitor in visitors.values():
        decision = decisions.get(visitor.key)
        if decision == IGNORE:
            ignored.append(visitor)
        elif decision in by_id:
            visitor.linked_to = decision
            linked.append(visitor)
            matched.setdefault(decision, ([], "linked"))[0].extend(visitor.rows)
        else:
            visitor.suggestions = _suggestions(visitor, registrants)
            unmatched.append(visitor)
    outcomes = {pid: _outcome(by_id[pid], person_rows, how, report.kind, session_minutes, min_share)
                for pid, (person_rows, how) in matched.items()}
    return AttendancePlan(report, outcomes, unmatched, ignored, linked, duplicates)


def connected_minutes(rows):
    """Minutes connected across reconnections: durations summed, minus any time two connections overlap
    (the same person on a phone and a laptop is not there twice as long)."""
    total = sum(row.minutes or 0 for row in rows)
    intervals = sorted((row.joined, row.left) for row in rows if row.joined and row.left)
    if len(intervals) == len(rows) and len(rows) > 1:
        spans = sum((end - start).total_seconds() for start, end in intervals)
        total -= max(0.0, (spans - _union_seconds(intervals)) / 60)
    return max(0, round(total))


def zoom_status(minutes, session_minutes, min_share):
    if not session_minutes:
        return "present"
    return "present" if minutes * 100 >= min_share * session_minutes else "partial"


def merged_status(current, source, reported):
    """A report raises or sets a mark; a different mark entered by hand that says as much or more is kept."""
    if current and source == "manual" and current != reported and RANK[current] >= RANK[reported]:
        return current, True
    return reported, False


def _distinct(rows):
    seen, kept = set(), []
    for row in rows:
        key = (name_key(row.name), email_key(row.email), row.joined, row.left, row.minutes, row.status)
        if key not in seen:
            seen.add(key)
            kept.append(row)
    return kept, len(rows) - len(kept)


def _indexes(registrants):
    emails, names = {}, {}
    for person in registrants:
        if person.email:
            emails[email_key(person.email)] = person.id
        for key in {name_key(f"{person.given_names} {person.family_names}"),
                    name_key(f"{person.family_names} {person.given_names}")}:
            names.setdefault(key, set()).add(person.id)
    return emails, names


def _match(row, emails, names):
    if row.email and email_key(row.email) in emails:
        return emails[email_key(row.email)], "email"
    for variant in name_variants(row.name):
        found = names.get(name_key(variant), set())
        if len(found) == 1:
            return next(iter(found)), "name"
    return None, None


def _visitor_key(row):
    return f"email:{email_key(row.email)}" if row.email else f"name:{name_key(row.name)}"


def _suggestions(visitor, registrants):
    """Registrants whose names hold every word of the visitor's ('Ana López' → 'Ana María López García')."""
    words = set(name_key(visitor.name).split())
    if len(words) < 2:
        return []
    return [person.id for person in registrants
            if words <= set(name_key(f"{person.given_names} {person.family_names}").split())][:3]


def _outcome(person, rows, how, kind, session_minutes, min_share):
    if kind == "course":
        minutes = None
        reported = min((row.status for row in rows), key=COURSE_ORDER.index)
    else:
        minutes = connected_minutes(rows)
        reported = zoom_status(minutes, session_minutes, min_share)
    status, kept = merged_status(person.status, person.source, reported)
    return Outcome(person.id, rows, how, minutes, reported, status, kept)


def _union_seconds(intervals):
    total, current_start, current_end = 0.0, None, None
    for start, end in intervals:
        if current_end is None or start > current_end:
            if current_end is not None:
                total += (current_end - current_start).total_seconds()
            current_start, current_end = start, end
        else:
            current_end = max(current_end, end)
    return total + (current_end - current_start).total_seconds()
