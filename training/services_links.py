"""Issue, find, re-issue and revoke participants' personal links."""
from dataclasses import dataclass
from functools import cache

from flask import current_app
from sqlalchemy import bindparam, or_, select
from sqlalchemy.orm import contains_eager

from extensions import db

from .links import earliest_valid_end, is_expired, links_end, new_salt, token_for, token_hash
from .localized import offered, pick
from .models import Participant, Program, utcnow
from .services import record


def issue_link(participant, actor_id):
    """Give the participant a new link (any previous one stops working) and return its URL."""
    participant.link_salt = new_salt()
    participant.token_hash = token_hash(_token(participant))
    participant.link_issued_at = utcnow()
    db.session.flush()
    record(actor_id, "participant.link_issued", participant)
    return current_link(participant)


def ensure_link(participant, actor_id):
    return current_link(participant) if participant.link_salt else issue_link(participant, actor_id)


def ensure_links(participants, actor_id):
    """A link for each of `participants` who has none, written in one flush (inviting a thousand people must not
    cost a thousand round trips), each issue audited."""
    now, issued = utcnow(), [p for p in participants if not p.link_salt]
    for participant in issued:
        participant.link_salt = new_salt()
        participant.token_hash = token_hash(_token(participant))
        participant.link_issued_at = now
    db.session.flush()
    for participant in issued:
        record(actor_id, "participant.link_issued", participant)


def revoke_link(participant, actor_id):
    participant.link_salt = participant.token_hash = participant.link_issued_at = None
    db.session.flush()
    record(actor_id, "participant.link_revoked", participant)


def current_link(participant):
    """The absolute URL of the participant's link, built on the configured public address (never the Host header)."""
    return f"{current_app.config['PUBLIC_URL'].rstrip('/')}/p/{_token(participant)}"


@dataclass(frozen=True)
class LinkProgram:
    """What the personal link's page shows of the program: its title in the reader's language."""
    title: dict
    languages: list

    @property
    def default_language(self):
        return offered(self.languages)[0]

    def title_in(self, language):
        return pick(self.title, language, self.default_language)


@dataclass(frozen=True)
class LinkHolder:
    """The participant a personal link belongs to, as its page and the session it starts need them: plain values
    (every participant opens this door, and building ORM objects for it cost more than the query)."""
    id: int
    token_hash: str
    session_version: int
    language: str
    given_names: str
    program: LinkProgram


def participant_for_token(token):
    """The participant (a `LinkHolder`) a valid, unexpired, unrevoked token belongs to, else None."""
    row = db.session.execute(_token_query(), {"token_hash": token_hash(token)}).one_or_none()
    if row is None or row.status == "withdrawn":
        return None
    if is_expired(links_end(row.end_date, row.follow_up_until), current_app.config["LINK_GRACE_DAYS"], utcnow()):
        return None
    return LinkHolder(row.id, row.token_hash, row.session_version, row.language, row.given_names,
                      LinkProgram(row.title, row.languages))


def participant_of_session(participant_id, link, version, now=None, with_delegation=False):
    """The participant whose browser session (their id, their link's hash and session version when it started) is
    still theirs, with their program (and their delegation, if asked), in one query; else None. Checked against
    the database on every request: nothing about a session is remembered between requests, so a re-issued or
    revoked link, a withdrawal or a 'leave' ends it at once."""
    if not participant_id or not link:
        return None
    return db.session.scalar(_session_query(with_delegation), {
        "participant_id": participant_id, "link": link, "version": version, "earliest_end": session_expiry(now)})


@cache
def _token_query():
    """Built once (the personal link's page is a door every participant opens): building a statement costs about
    as much as running it. On the tables, the program's columns in the same query."""
    participants, programs = Participant.__table__.c, Program.__table__.c
    return (select(participants.id, participants.token_hash, participants.session_version, participants.language,
                   participants.given_names, participants.status, programs.title, programs.languages,
                   programs.end_date, programs.follow_up_until)
            .join_from(Participant.__table__, Program.__table__, programs.id == participants.program_id)
            .where(participants.token_hash == bindparam("token_hash")))


@cache
def _session_query(with_delegation):
    """Built once: every page of a participant runs it."""
    query = select(Participant).join(Participant.program).options(contains_eager(Participant.program))
    if with_delegation:
        query = query.join(Participant.delegation).options(contains_eager(Participant.delegation))
    return query.where(*session_holds(Participant, Program, bindparam("participant_id"), bindparam("link"),
                                      bindparam("version"), bindparam("earliest_end")))


def session_holds(participants, programs, participant_id, link, version, earliest_end):
    """The conditions under which a participant's session goes on, on the participant's row joined to its program's
    (ORM classes, or table columns and bound parameters on a hot path): the link it started from is still theirs
    (neither re-issued nor revoked) and has not expired (counted from the end date, or from the follow-up's last day
    when later: `links.links_end`), they have not withdrawn, and they have not left since."""
    return (participants.id == participant_id, participants.token_hash == link,
            participants.session_version == version, participants.status != "withdrawn",
            or_(programs.end_date.is_(None), programs.end_date >= earliest_end,
                programs.follow_up_until >= earliest_end))


def session_expiry(now=None):
    """The earliest program end date whose participants' sessions still go on (their links' rule)."""
    return earliest_valid_end(current_app.config["LINK_GRACE_DAYS"], now or utcnow())


def _token(participant):
    return token_for(current_app.config["SECRET_KEY"], participant.link_salt)
