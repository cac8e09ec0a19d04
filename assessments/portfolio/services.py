"""Loading the portfolio: the people of every program a staff member sees (their country's, for a focal point),
what they did, their tests' scores and opinions; and the feed's tokens (they flush, never commit)."""
import hashlib
import secrets
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from extensions import db
from training.access import program_country_scope, program_role, visible_programs
from training.attendance.rules import ATTENDED
from training.hooks import hooks
from training.models import Activity, Attendance, Participant, utcnow
from training.permissions import may
from training.services import record

from ..impact.findings import likert_finding
from ..impact.services import impact_inputs
from ..models_feed import FeedToken
from .indicators import Person, choose, filtered, knowledge_gain, options, percent

PORTFOLIO_ACTION = "portfolio.view"


def scopes(user):
    """[(program, country the user sees there or None for every country)] of the programs `user` sees, newest
    first; none when the user may no longer read the portfolio (a token's creator since demoted or deactivated)."""
    if user is None or not user.active:
        return []
    return [(program, program_country_scope(program, user)) for program in visible_programs(user)
            if may(program_role(program, user), PORTFOLIO_ACTION)]


def load(scoped_programs):
    """(people, tests): every Person of the programs, and program code → (respondents, pre, post) for the
    knowledge and opinion figures."""
    people, tests = [], {}
    for program, country in scoped_programs:
        respondents, pre, post = impact_inputs(program, country)
        ids = [r.id for r in respondents]
        attended = _attended(program)
        outcomes = _outcomes(program, ids)
        year = str(program.start_date.year) if program.start_date else ""
        keys = _email_keys(ids)
        people += [Person(r.id, program.code, r.country, r.gender, r.profile, year, r.id in attended,
                          "completed" in outcomes.get(r.id, ()), "certified" in outcomes.get(r.id, ()),
                          keys.get(r.id, ""))
                   for r in respondents]
        tests[program.code] = (respondents, pre, post)
    return people, tests


def _email_keys(ids):
    return dict(db.session.execute(select(Participant.id, Participant.email_key).where(Participant.id.in_(ids))).all())


def _attended(program):
    return set(db.session.scalars(select(Attendance.participant_id).join(Activity).where(
        Activity.program_id == program.id, Attendance.status.in_(ATTENDED)).distinct()))


def _outcomes(program, ids):
    found = {}
    for load_outcomes in hooks(current_app).outcomes:
        for participant_id, names in load_outcomes(program, ids).items():
            found.setdefault(participant_id, set()).update(names)
    return found


def program_figures(people, tests, confidence=0.95):
    """Per program among `people` (already filtered): the knowledge gain in percent points, and the share agreeing
    with the satisfaction and intended-use statements (the impact summary's definition, findings.likert_finding)."""
    from ..impact.report import knowledge_keys, likert, max_marks, scores

    chosen = {person.id for person in people}
    rows = []
    for code, (respondents, pre, post) in sorted(tests.items()):
        members = [r for r in respondents if r.id in chosen]
        if not members:
            continue
        keys = knowledge_keys(pre, post)
        before, after = (percent(scores(test, keys), sum(max_marks(pre, keys))) for test in (pre, post))
        paired = [r.id for r in members if r.id in before and r.id in after]
        row = knowledge_gain(code, [before[r] for r in paired], [after[r] for r in paired], confidence)
        blocks = [{**likert(members, test, dimension), "test": name}
                  for name, test in (("post", post), ("pre", pre)) for dimension in ("satisfaction", "application")]
        report = {"likert": [block for block in blocks if block["questions"]]}
        for dimension in ("satisfaction", "application"):
            finding = likert_finding(report, dimension, {})
            values = finding.values if finding is not None else {}
            row[f"{dimension}_share"], row[f"{dimension}_n"] = values.get("share"), values.get("n", 0)
        rows.append(row)
    return rows


@dataclass(frozen=True)
class Reading:
    """What one read of the portfolio found: everyone in `scoped`'s programs, the filter values present
    (`available`), the filters chosen and those refused, the people chosen and their programs' figures."""
    scoped: list
    everyone: list
    available: dict
    filters: dict
    refused: list
    chosen: list
    figures: list


def read(scoped, arguments):
    """The portfolio of `scoped` (scopes() or token_scopes()) with the filters `arguments` asks for."""
    everyone, tests = load(scoped)
    available = options(everyone)
    filters, refused = choose(arguments, available)
    chosen = filtered(everyone, filters)
    return Reading(scoped, everyone, available, filters, refused, chosen, program_figures(chosen, tests))


# --- the feed's tokens --------------------------------------------------------------------------------------------


def token_hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


def feed_tokens(user):
    """The tokens `user` made (the secretariat sees every one), newest first."""
    query = select(FeedToken).order_by(FeedToken.created_at.desc(), FeedToken.id.desc())
    if not user.is_admin:
        query = query.where(FeedToken.created_by_id == user.id)
    return db.session.scalars(query).all()


def make_token(user, label, program_ids):
    """(token, its row): the token is shown once; only its hash is kept. `program_ids` None: every program the
    creator sees when it is read."""
    token = secrets.token_urlsafe(32)
    row = FeedToken(token_hash=token_hash(token), label=label, created_by_id=user.id,
                    program_ids=sorted(program_ids) if program_ids else None)
    db.session.add(row)
    db.session.flush()
    record(user.id, "feed_token.created", row, label=label, programs=row.program_ids)
    return token, row


def revoke_token(row, actor_id):
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        record(actor_id, "feed_token.revoked", row, label=row.label)
    db.session.flush()


def token_reader(token):
    """The active FeedToken whose hash `token` has, or None (unknown, revoked, or made by an account since
    deactivated: such a token reads nothing, like a revoked one)."""
    if not token:
        return None
    row = db.session.scalar(select(FeedToken).where(FeedToken.token_hash == token_hash(token),
                                                    FeedToken.revoked_at.is_(None)))
    return row if row is not None and row.created_by.active else None


def token_scopes(row):
    """What a token reads: its programs among those its creator sees now, each with the creator's country there."""
    found = scopes(row.created_by)
    if row.program_ids is None:
        return found
    wanted = set(row.program_ids)
    return [(program, country) for program, country in found if program.id in wanted]


def mark_used(row):
    row.last_used_at = utcnow()
    db.session.flush()
