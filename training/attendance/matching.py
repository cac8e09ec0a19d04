"""Match an attendance report's people to registrants and decide each person's mark, before anything is written
(pure)."""
from dataclasses import dataclass, field

from ..textkeys import email_key, name_key
from .reports import name_variants
from .rules import ATTENDED
from .suggestions import suggest

IGNORE = "ignore"
UNLINKED = ""  # a reviewer's "not linked", kept only where it overrides a default (the host, a remembered link)
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
    suggestions: list = field(default_factory=list)  # registrant ids whose names look like this one's, best first
    linked_to: int | None = None  # the registrant a reviewer linked them to
    host: bool = False  # the meeting's host (the report's header names them): ignored unless a reviewer links them
    remembered: int | None = None  # the registrant a reviewer linked this name to on an earlier import
    decided: bool = False  # the reviewer chose for them on this import (rather than the default)

    @property
    def default(self):
        """What happens to them when the reviewer decides nothing: IGNORE, a registrant id, or None (unmatched)."""
        return IGNORE if self.host else self.remembered


@dataclass
class Outcome:
    participant_id: int
    rows: list
    how: str  # "email", "name", "remembered" (a link made on an earlier import) or "linked"
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
    warnings: list = field(default_factory=list)  # (code, params): the report may not be this session's

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
                "hosts": sum(1 for visitor in self.ignored if visitor.host),
                "remembered": sum(1 for o in self.outcomes.values() if o.how == "remembered"),
                "unmatched_names": [visitor.name or visitor.email for visitor in self.unmatched]}

    @property
    def host_rows(self):
        """Rows of the meeting's host that nobody linked (ignored by default)."""
        return sum(len(visitor.rows) for visitor in self.ignored if visitor.host)

    @property
    def host_label(self):
        hosts = [visitor for visitor in self.ignored if visitor.host]
        return hosts[0].name or hosts[0].email if hosts else ""

    def remembered_links(self):
        """(folded report name, registrant id) of the links a reviewer made on this import, to be remembered for
        the program's other sessions; and the folded names whose remembered link the reviewer undid."""
        made = [(name_key(v.name), v.linked_to) for v in self.linked
                if v.decided and name_key(v.name) and v.linked_to != v.remembered]
        undone = [name_key(v.name) for v in self.unmatched + self.ignored if v.decided and v.remembered is not None]
        return made, undone


def plan_attendance(report, registrants, decisions=None, session_minutes=None, min_share=75, remembered=None):
    """Who the report shows, each one's mark, and who is left for a person to link or ignore.
    `decisions` maps a visitor's key to a registrant id, IGNORE or UNLINKED; `min_share` is a percentage of
    `session_minutes` a person must have been connected to count as present rather than partial; `remembered` maps
    a folded report name to the registrant a reviewer linked it to before. The meeting's host (named in the
    report's header) is ignored unless a reviewer links them."""
    decisions = decisions or {}
    rows, duplicates = _distinct([row for row in report.rows if not row.errors])
    by_id = {person.id: person for person in registrants}
    emails, names = _indexes(registrants)
    is_host = _host_test(report.meeting)
    matched, visitors = {}, {}
    for row in rows:
        participant_id, how = (None, None) if is_host(row) else _match(row, emails, names)
        if participant_id is None:
            key = _visitor_key(row)
            visitor = visitors.setdefault(key, Visitor(key, row.name, row.email, []))
            visitor.rows.append(row)
            visitor.host = visitor.host or is_host(row)
            continue
        matched.setdefault(participant_id, ([], how))[0].append(row)
    unmatched, ignored, linked = [], [], []
    for visitor in visitors.values():
        visitor.remembered = _remembered(visitor, remembered or {}, by_id)
        visitor.decided = visitor.key in decisions
        decision = decisions[visitor.key] if visitor.decided else visitor.default
        if decision == IGNORE:
            ignored.append(visitor)
        elif decision in by_id:
            visitor.linked_to = decision
            linked.append(visitor)
            how = "linked" if visitor.decided else "remembered"
            matched.setdefault(decision, ([], how))[0].extend(visitor.rows)
        else:
            visitor.suggestions = suggest(visitor.name, registrants, email=visitor.email)
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


def _host_test(meeting):
    """Whether a row is the meeting's host: their e-mail as the header gives it, else (a row without an e-mail)
    their name."""
    host_email = email_key(meeting.host_email) if meeting else ""
    host_name = name_key(meeting.host_name) if meeting else ""

    def is_host(row):
        if row.email and host_email:
            return email_key(row.email) == host_email
        return bool(host_name) and any(name_key(variant) == host_name for variant in name_variants(row.name))
    return is_host


def _remembered(visitor, remembered, by_id):
    """The registrant a reviewer linked this name to before, if still registered."""
    participant_id = remembered.get(name_key(visitor.name)) if visitor.name else None
    return participant_id if participant_id in by_id else None


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
