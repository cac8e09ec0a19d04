"""Invitations: editable templates, one recorded message per participant, delivery by SMTP or to the outbox."""
import smtplib
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app
from sqlalchemy import select

from extensions import db

from .countries import country_name
from .messages import default_template, render
from .models import MessageTemplate, OutboundMessage, utcnow
from .services import record
from .services_links import ensure_link


def template_for(program, kind, language):
    """(subject, body) the program uses for `kind` in `language`: its own text, else the built-in one."""
    saved = db.session.scalar(select(MessageTemplate).where(
        MessageTemplate.program_id == program.id, MessageTemplate.kind == kind, MessageTemplate.language == language))
    return (saved.subject, saved.body) if saved else default_template(kind, language)


def save_template(program, actor_id, kind, language, subject, body):
    saved = db.session.scalar(select(MessageTemplate).where(
        MessageTemplate.program_id == program.id, MessageTemplate.kind == kind, MessageTemplate.language == language))
    saved = saved or MessageTemplate(program_id=program.id, kind=kind, language=language)
    saved.subject, saved.body = subject.strip(), body.strip()
    db.session.add(saved)
    db.session.flush()
    record(actor_id, "template.saved", saved, kind=kind, language=language)


def queue_invitations(program, participants, actor_id):
    """One queued message per participant, in their language, carrying their personal link (issued if needed)."""
    messages = []
    for participant in participants:
        language = participant.language if participant.language in (program.languages or ["es"]) else "es"
        subject, body = template_for(program, "invitation", language)
        delegation = participant.delegation
        values = {
            "first_name": participant.given_names, "full_name": participant.full_name,
            "program": program.title_in(language), "link": ensure_link(participant, actor_id),
            "delegation": country_name(delegation.country_code, language) if delegation.country_code
            else delegation.organization,
            "end_date": program.end_date.isoformat() if program.end_date else "",
        }
        messages.append(OutboundMessage(
            program_id=program.id, participant_id=participant.id, kind="invitation", language=language,
            to_address=participant.email, subject=render(subject, values)[:200], body=render(body, values),
            created_by=actor_id))
    db.session.add_all(messages)
    db.session.flush()
    record(actor_id, "invitations.queued", program, count=len(messages))
    return [message.id for message in messages]


def deliver(message_ids):
    """Send queued messages by SMTP when MAIL_SERVER is set, else leave them in the outbox; commits per message,
    so no database transaction stays open while a mail server is slow."""
    config = current_app.config
    counts = {"sent": 0, "outbox": 0, "failed": 0}
    smtp, refused = None, ""
    if config["MAIL_SERVER"]:
        try:
            smtp = _connect(config)
        except (smtplib.SMTPException, OSError) as error:
            refused = f"{config['MAIL_SERVER']}: {error}"
    try:
        for message_id in message_ids:
            message = db.session.get(OutboundMessage, message_id)
            if message is None or message.status != "queued":
                continue
            db.session.commit()  # end the read transaction before talking to the mail server
            if refused:
                status, error = "failed", refused
            else:
                status, error = _send(smtp, config, message) if smtp else ("outbox", "")
            message.status, message.error = status, error[:500]
            message.sent_at = utcnow() if status == "sent" else None
            db.session.commit()
            counts[status] += 1
    finally:
        if smtp is not None:
            smtp.quit()
    return counts


def _connect(config):
    smtp = smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30)
    if config["MAIL_USE_TLS"]:
        smtp.starttls()
    if config["MAIL_USERNAME"]:
        smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
    return smtp


def _send(smtp, config, message):
    email = EmailMessage()
    email["From"] = config["MAIL_DEFAULT_SENDER"] or f"capacita@{config['MAIL_SERVER']}"
    email["To"] = message.to_address
    email["Subject"] = message.subject
    email["Message-ID"] = make_msgid(domain="capacita")
    email.set_content(message.body)
    try:
        smtp.send_message(email)
    except (smtplib.SMTPException, OSError) as error:
        return "failed", str(error)
    return "sent", ""
