"""Invitations: editable templates, one recorded message per participant, delivery by SMTP or to the outbox."""
from dataclasses import dataclass
from datetime import datetime

from babel.dates import format_date
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import exists, func, or_, select, update

from extensions import db
from transactions import commit_step

from .labels import delegation_label
from .links import last_valid_day
from .localized import reader_language
from .mail_rules import REFUSED, Outcome, lease, message_id_for, sending_domain, settle
from .mailer import Mailer, Outgoing
from .messages import default_template, render
from .models import MessageTemplate, OutboundMessage, Participant, utcnow
from .services import record
from .services_links import current_link, ensure_links

# An invitation counts once it is queued, being sent, sent, in the outbox or perhaps delivered ("uncertain"): the
# messages page's "everyone not invited yet" and the program's lifecycle leave out the same people. A failed one
# does not count.
INVITED = ("queued", "sending", "sent", "outbox", "uncertain")
LINK_HIDDEN = "[…/p/•••]"  # what a sent message shows instead of the working link
STALLED = "its sender stopped before recording the server's answer: it may have arrived"


def template_for(program, kind, language):
    """(subject, body) the program uses for `kind` in `language`: its own text, else the built-in one."""
    saved = _saved_template(program, kind, language)
    return (saved.subject, saved.body) if saved else default_template(kind, language)


def save_template(program, actor_id, kind, language, subject, body):
    saved = _saved_template(program, kind, language) or MessageTemplate(program_id=program.id, kind=kind,
                                                                        language=language)
    saved.subject, saved.body = subject.strip(), body.strip()
    db.session.add(saved)
    db.session.flush()
    record(actor_id, "template.saved", saved, kind=kind, language=language)


def _saved_template(program, kind, language):
    return db.session.scalar(select(MessageTemplate).where(
        MessageTemplate.program_id == program.id, MessageTemplate.kind == kind, MessageTemplate.language == language))


def queue_invitations(program, participants, actor_id, kind="invitation", extra=None, audited=True):
    """One queued message per participant, in their language. The stored body keeps {link} as a placeholder:
    the working link is put in only when the message leaves, so the database holds no usable link.
    `kind` picks the template (invitation, reminder, absence); `extra(language)` adds placeholder values;
    `audited=False` when the caller records the event itself (on what the messages are about)."""
    messages, templates = [], {}
    participants = [p for p in participants if p.erased_at is None]  # no address, and no link may be issued again
    ensure_links(participants, actor_id)
    for participant in participants:
        language = reader_language(participant.language, program.languages)
        if language not in templates:  # one query per language, not per person
            templates[language] = (*template_for(program, kind, language), _extra_values(extra, language))
        subject, body, extra_values = templates[language]
        values = {
            **extra_values,
            "first_name": participant.given_names, "full_name": participant.full_name,
            "program": program.title_in(language), "link": "{link}",
            "delegation": delegation_label(participant.delegation, language),
            # As the reader writes dates: "5 de diciembre de 2026", "5 décembre 2026", "December 5, 2026".
            "end_date": format_date(program.end_date, "long", locale=language) if program.end_date else "",
            "link_until": link_until(program, language),
        }
        messages.append(OutboundMessage(
            program_id=program.id, participant_id=participant.id, kind=kind, language=language,
            to_address=participant.email, subject=render(subject, {**values, "link": LINK_HIDDEN})[:200],
            body=render(body, values), created_by=actor_id))
    db.session.add_all(messages)
    db.session.flush()
    if audited:
        record(actor_id, f"{kind}s.queued", program, count=len(messages))
    return [message.id for message in messages]


def link_until(program, language):
    """Until when the personal link works, as a reader of `language` writes it ("hasta el 5 de marzo de 2027"): the
    program's end (or its follow-up's last day, when later) plus LINK_GRACE_DAYS, not the program's end, which an
    invitation once wrongly promised."""
    day = last_valid_day(program.links_end, current_app.config["LINK_GRACE_DAYS"])
    with force_locale(language):
        if day is None:  # no end date: the link works until someone revokes it
            return _("no expiry")
        # The preposition travels with the date ("jusqu'au 5 mars"), so the sentence reads with or without one.
        return _("until %(date)s", date=format_date(day, "long", locale=language))


def _extra_values(extra, language):
    """A kind's own placeholders, worded in the recipient's language whatever the sender's page is in."""
    if extra is None:
        return {}
    with force_locale(language):
        return extra(language)


def participants_to_message(program, participant_ids, kind, not_invited=False):
    """The program's active participants among `participant_ids`; with `not_invited`, only those who have no
    invitation yet (checked again when the messages are written: someone invited meanwhile is not invited twice)."""
    query = select(Participant).where(Participant.program_id == program.id, Participant.id.in_(participant_ids),
                                      Participant.status != "withdrawn").order_by(Participant.search_key)
    if not_invited:
        query = query.where(~invited_already())
    return db.session.scalars(query).all()


def invited_already():
    """A condition on Participant: an invitation to them is queued, on its way, sent or in the outbox."""
    return exists().where(OutboundMessage.participant_id == Participant.id, OutboundMessage.kind == "invitation",
                          OutboundMessage.status.in_(INVITED))


def body_for_reading(message):
    """The body as staff read or export it: the working link while it waits in the outbox, hidden once sent."""
    waiting = message.status == "outbox" and message.participant is not None and message.participant.link_salt
    return render(message.body, {"link": current_link(message.participant) if waiting else LINK_HIDDEN})


def queued_ids(program, limit=None, after=0):
    """The program's queued messages in the order they were queued (those after the message id `after`)."""
    query = (select(OutboundMessage.id).where(OutboundMessage.program_id == program.id, OutboundMessage.id > after,
                                              OutboundMessage.status == "queued").order_by(OutboundMessage.id))
    return list(db.session.scalars(query.limit(limit) if limit else query))


def programs_with_queued():
    """Programs that have messages waiting (the scheduler starts sending them)."""
    return list(db.session.scalars(select(OutboundMessage.program_id).where(OutboundMessage.status == "queued")
                                   .distinct()))


def count_queued(program):
    return db.session.scalar(select(func.count()).where(OutboundMessage.program_id == program.id,
                                                        OutboundMessage.status == "queued"))


def deliver(message_ids):
    """Send queued messages by SMTP when MAIL_SERVER is set, else move them to the outbox. Each message is
    claimed by a conditional update (two senders never send it twice) and no transaction stays open while
    the mail server talks (a work queue: commits each claim and each outcome). What the server answered decides
    the status: sent; failed (a 5xx refusal, with its code and text); queued again (a 4xx refusal, no connection,
    a timeout before the content left), failed after MAX_ATTEMPTS; uncertain (no answer once the content left)."""
    counts = dict.fromkeys(("sent", "outbox", "failed", "queued", "uncertain"), 0)
    config = current_app.config
    domain = sending_domain(config["MAIL_DEFAULT_SENDER"], config["PUBLIC_URL"])
    with Mailer(config) as mailer:
        for message_id in message_ids:
            claim = _claim(message_id, domain)
            if claim is None:
                continue
            outcome = mailer.send(claim.outgoing) if claim.link else Outcome(REFUSED, "personal link revoked")
            status = _settle(claim, outcome)
            commit_step()
            if status is not None:
                counts[status] += 1
    return counts


@dataclass(frozen=True)
class Claim:
    """A message this sender claimed: when (the claim's mark on the row) and for which attempt."""

    id: int
    claimed_at: datetime
    attempts: int
    link: str | None
    outgoing: Outgoing


def _claim(message_id, domain):
    now = utcnow()
    claimed = db.session.execute(update(OutboundMessage).where(
        OutboundMessage.id == message_id, OutboundMessage.status == "queued").values(
        status="sending", claimed_at=now, attempts=OutboundMessage.attempts + 1)).rowcount
    if not claimed:
        commit_step()
        return None
    message = db.session.get(OutboundMessage, message_id, populate_existing=True)
    participant = message.participant
    link = current_link(participant) if participant is not None and participant.link_salt else None
    outgoing = Outgoing(to=message.to_address, subject=message.subject, body=render(message.body, {"link": link or ""}),
                        message_id=message_id_for(message.id, message.created_at, message.to_address, domain))
    claim = Claim(message.id, now, message.attempts, link, outgoing)
    commit_step()  # the claim is durable and the transaction closed before the mail server is called
    return claim


def _settle(claim, outcome):
    """Record the outcome on the row while it still carries this claim (a row recovered as uncertain meanwhile, or
    put back in the queue by staff, still learns what the server said; one claimed again since does not). The status
    recorded, or None."""
    status, error = settle(outcome, claim.attempts)
    recorded = db.session.execute(update(OutboundMessage).where(
        OutboundMessage.id == claim.id, OutboundMessage.claimed_at == claim.claimed_at,
        OutboundMessage.status.in_(("sending", "uncertain", "queued"))).values(
        status=status, error=error[:500], sent_at=utcnow() if status == "sent" else None)).rowcount
    return status if recorded else None


def recover_stalled(now):
    """Messages still "sending" after their claim's lease: their sender stopped between claiming one and recording
    the server's answer (a worker killed, a request cut short). The server may have received them, so they become
    "uncertain" and are never sent again on their own: staff send them again or mark them sent. How many."""
    deadline = now - lease(current_app.config["MAIL_TIMEOUT"])
    stalled = db.session.scalars(select(OutboundMessage).where(
        OutboundMessage.status == "sending",
        or_(OutboundMessage.claimed_at.is_(None), OutboundMessage.claimed_at < deadline))).all()
    recovered = 0
    for message in stalled:
        moved = db.session.execute(update(OutboundMessage).where(
            OutboundMessage.id == message.id, OutboundMessage.status == "sending",
            OutboundMessage.claimed_at.is_not_distinct_from(message.claimed_at)).values(
            status="uncertain", error=STALLED)).rowcount
        if moved:
            record(None, "message.uncertain", message, claimed_at=_iso(message.claimed_at))
            recovered += 1
    db.session.flush()
    return recovered


def send_again(message, actor_id):
    """Staff decided an uncertain or failed message did not arrive: back in the queue, with its attempts counted
    anew. False when its status changed meanwhile. Its claim's mark stays: should the sender that left it uncertain
    still record "sent", that answer lands and the message is not sent twice."""
    previous, error = message.status, message.error
    if previous not in ("uncertain", "failed"):
        return False
    moved = db.session.execute(update(OutboundMessage).where(
        OutboundMessage.id == message.id, OutboundMessage.status == previous).values(
        status="queued", attempts=0, error="")).rowcount
    if moved:
        record(actor_id, "message.sent_again", message, previous=previous, error=error)
    return bool(moved)


def mark_as_sent(message, actor_id):
    """Staff learned that an uncertain message arrived: sent, when it was handed over. False when its status changed
    meanwhile."""
    if message.status != "uncertain":
        return False
    error = message.error
    moved = db.session.execute(update(OutboundMessage).where(
        OutboundMessage.id == message.id, OutboundMessage.status == "uncertain").values(
        status="sent", error="", sent_at=message.claimed_at or utcnow())).rowcount
    if moved:
        record(actor_id, "message.marked_sent", message, error=error)
    return bool(moved)


def _iso(moment):
    return moment.isoformat(timespec="seconds") if moment else None
