"""A batch's SMTP session through Flask-Mailman, from the app's settings: one message at a time, and what came of it."""
import smtplib
from contextlib import suppress
from dataclasses import dataclass

from flask_mailman import EmailMessage
from flask_mailman.message import sanitize_address

from extensions import mail
from settings import BOTH_TLS_MODES

from .mail_rules import DEFERRED, OUTBOX, REFUSED, SENT, UNCERTAIN, Outcome, by_code, describe, refusal


@dataclass(frozen=True)
class Outgoing:
    """A message as it leaves: its body with the working link in, and its Message-ID."""

    to: str
    subject: str
    body: str
    message_id: str


class HandedOver(Exception):
    """The content went to the server and no answer came back: the server may have accepted it."""


class Mailer:
    """One SMTP connection for a batch, reopened once for a message if the server drops it; a connection that cannot
    be opened is not tried again within the batch. Without MAIL_SERVER, every message goes to the outbox."""

    def __init__(self, config):
        self.config, self.backend, self.refused = config, None, ""

    def __enter__(self):
        return self

    def __exit__(self, *_exception):
        self.close()

    def send(self, outgoing):
        """The Outcome of submitting `outgoing`."""
        if not self.config["MAIL_SERVER"]:
            return Outcome(OUTBOX)
        try:
            email = self._email(outgoing)
            sender, recipient = (sanitize_address(address, "utf-8") for address in (email.from_email, outgoing.to))
            content = email.message().as_bytes(linesep="\r\n")
        except ValueError as error:  # a header with a line break, an address no server could take
            return Outcome(REFUSED, f"the message could not be written: {describe(error)}")
        for attempt in (1, 2):
            connection = self._connection()
            if connection is None:
                return Outcome(DEFERRED, self.refused)
            try:
                submit(connection, sender, recipient, content)
                return Outcome(SENT)
            except HandedOver as error:
                self._drop()
                return Outcome(UNCERTAIN, f"no answer after the message was handed over: {error}")
            except smtplib.SMTPServerDisconnected as error:
                self._drop()  # often a connection the server closed while idle: open it again, once
                if attempt == 2:
                    return Outcome(DEFERRED, describe(error))
            except smtplib.SMTPException as error:
                return refusal(error)
            except OSError as error:  # a timeout or a reset before the content left: nothing was delivered
                self._drop()
                return Outcome(DEFERRED, describe(error))
        return Outcome(DEFERRED, self.refused)

    def _email(self, outgoing):
        config = self.config
        sender = config["MAIL_DEFAULT_SENDER"] or f"capacita@{config['MAIL_SERVER']}"
        # Flask-Mailman adds the Date; the Message-ID is the stored message's own.
        return EmailMessage(outgoing.subject, outgoing.body, sender, [outgoing.to],
                            headers={"Message-ID": outgoing.message_id})

    def _connection(self):
        if self.backend is None and not self.refused:
            config = self.config
            try:
                if config["MAIL_USE_TLS"] and config.get("MAIL_USE_SSL"):
                    raise ValueError(BOTH_TLS_MODES)
                backend = mail.get_connection(
                    backend="smtp", host=config["MAIL_SERVER"], port=config["MAIL_PORT"],
                    username=config["MAIL_USERNAME"], password=config["MAIL_PASSWORD"],
                    use_tls=config["MAIL_USE_TLS"], use_ssl=config.get("MAIL_USE_SSL", False),
                    timeout=config.get("MAIL_TIMEOUT", 30))
                backend.open()
                self.backend = backend
            except (ValueError, OSError) as error:  # smtplib's errors are OSErrors: refused, TLS, login
                self.refused = f"{config['MAIL_SERVER']}:{config['MAIL_PORT']}: {describe(error)}"
        return self.backend.connection if self.backend is not None else None

    def _drop(self):
        """Forget a connection that failed, without QUIT (after a timeout it would wait as long again)."""
        if self.backend is not None:
            with suppress(OSError):
                self.backend.connection.close()
            self.backend.connection = None
            self.backend = None

    def close(self):
        if self.backend is not None:
            with suppress(smtplib.SMTPException, OSError):
                self.backend.close()  # the messages are already recorded; a rude goodbye changes nothing
            self.backend = None


def submit(connection, sender, recipient, content):
    """MAIL, RCPT and DATA, as smtplib's sendmail sends them, but knowing when the content was handed over: a refusal
    before then raises smtplib's error (the server's code says what it means); no answer after it, HandedOver."""
    connection.ehlo_or_helo_if_needed()
    options = [f"size={len(content)}"] if connection.does_esmtp and connection.has_extn("size") else []
    code, reply = connection.mail(sender, options)
    if code == 421:  # how a server that closed an idle connection answers the next command (Postfix, Exim)
        raise smtplib.SMTPServerDisconnected(by_code(code, reply).error)
    if code != 250:
        _reset(connection)
        raise smtplib.SMTPSenderRefused(code, reply, sender)
    code, reply = connection.rcpt(recipient)
    if code not in (250, 251):
        _reset(connection)
        raise smtplib.SMTPRecipientsRefused({recipient: (code, reply)})
    try:
        code, reply = connection.data(content)
    except smtplib.SMTPResponseException:  # DATA itself refused: the content never left
        _reset(connection)
        raise
    except OSError as error:  # the connection lost or timed out while or after the content went
        raise HandedOver(describe(error)) from error
    if code != 250:
        _reset(connection)
        raise smtplib.SMTPDataError(code, reply)


def _reset(connection):
    with suppress(smtplib.SMTPException, OSError):
        connection.rset()
