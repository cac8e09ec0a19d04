"""Invitations: editable templates, one recorded message per participant, delivery by SMTP or to the outbox."""
import smtplib
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app
from sqlalchemy import func, select, update

from extensions import db
from transactions import commit_step

from .labels import delegation_label
from .messages import default_template, render
from .models import MessageTemplate, OutboundMessage, utcnow
from .services import record
from .services_links import current_link, ensure_link

LINK_HIDDEN = "[…/p/•••]"  # what a sent message shows instead of the working link


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


def queue_invitations(program, participants, actor_id, kind="invitation", extra=None):
    """One queued message per participant, in their language. The stored body keeps {link} as a placeholder:
    the working link is put in only when the message leaves, so the database holds no usable link.
    `kind` picks the template (invitation, reminder); `extra(language)` adds placeholder values."""
    messages, templates = [], {}
    for participant in participants:
        if participant.erased_at is not None:  # no address, and no link may be issued to them again
            continue
        language = participant.language if participant.language in (program.languages or ["es"]) else "es"
        if language not in templates:  # one query per language, not per person
            templates[language] = (*template_for(program, kind, language), extra(language) if extra else {})
        subject, body, extra_values = templates[language]
        ensure_link(participant, actor_id)
        values = {
            **extra_values,
            "first_name": participant.given_names, "full_name": participant.full_name,
            "program": program.title_in(language), "link": "{link}",
            "delegation": delegation_label(participant.delegation, language),
            "end_date": program.end_date.isoformat() if program.end_date else "",
        }
        messages.append(OutboundMessage(
            program_id=program.id, participant_id=participant.id, kind=kind, language=language,
            to_address=participant.email, subject=render(subject, {**values, "link": LINK_HIDDEN})[:200],
            body=render(body, values), created_by=actor_id))
    db.session.add_all(messages)
    db.session.flush()
    record(actor_id, f"{kind}s.queued", program, count=len(messages))
    return [message.id for message in messages]


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
    the mail server talks (a work queue: commits each claim and each outcome)."""
    counts = {"sent": 0, "outbox": 0, "failed": 0}
    mailer = Mailer(current_app.config)
    try:
        for message_id in message_ids:
            outgoing = _claim(message_id)
            if outgoing is None:
                continue
            status, error = mailer.send(outgoing) if outgoing["link"] else ("failed", "personal link revoked")
            db.session.execute(update(OutboundMessage).where(OutboundMessage.id == message_id).values(
                status=status, error=error[:500], sent_at=utcnow() if status == "sent" else None))
            commit_step()
            counts[status] += 1
    finally:
        mailer.close()
    return counts


def _claim(message_id):
    claimed = db.session.execute(update(OutboundMessage).where(
        OutboundMessage.id == message_id, OutboundMessage.status == "queued").values(status="sending")).rowcount
    if not claimed:
        commit_step()
        return None
    message = db.session.get(OutboundMessage, message_id)
    participant = message.participant
    link = current_link(participant) if participant is not None and participant.link_salt else None
    outgoing = {"to": message.to_address, "subject": message.subject, "link": link,
                "body": render(message.body, {"link": link or ""})}
    commit_step()  # the claim is durable and the transaction closed before the mail server is called
    return outgoing


class Mailer:
    """One SMTP connection for a batch, reopened once if the server drops it; without MAIL_SERVER, the outbox."""

    def __init__(self, config):
        self.config, self.smtp, self.refused = config, None, ""
        if config["MAIL_SERVER"]:
            self._open()

    def _open(self):
        config = self.config
        try:
            smtp = smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30)
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            self.smtp, self.refused = smtp, ""
        except (smtplib.SMTPException, OSError) as error:
            self.smtp, self.refused = None, f"{config['MAIL_SERVER']}: {error}"

    def send(self, outgoing):
        if not self.config["MAIL_SERVER"]:
            return "outbox", ""
        for attempt in (1, 2):
            if self.smtp is None:
                return "failed", self.refused
            try:
                self.smtp.send_message(self._email(outgoing))
                return "sent", ""
            except smtplib.SMTPServerDisconnected as error:
                if attempt == 2:
                    return "failed", str(error)
                self._open()
            except (smtplib.SMTPException, OSError) as error:
                return "failed", str(error)
        return "failed", self.refused

    def _email(self, outgoing):
        email = EmailMessage()
        email["From"] = self.config["MAIL_DEFAULT_SENDER"] or f"capacita@{self.config['MAIL_SERVER']}"
        email["To"] = outgoing["to"]
        email["Subject"] = outgoing["subject"]
        email["Message-ID"] = make_msgid(domain="capacita")
        email.set_content(outgoing["body"])
        return email

    def close(self):
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (smtplib.SMTPException, OSError):
                pass  # the messages are already recorded; a rude goodbye changes nothing
