"""What a mail server's answer means for a message, the Message-ID it keeps and how long a claim lasts (pure)."""
import hashlib
import smtplib
from dataclasses import dataclass
from datetime import timedelta
from email.utils import parseaddr
from urllib.parse import urlsplit

# How many times a message the server turned away for now (4xx, no connection, a timeout) is tried before it fails.
MAX_ATTEMPTS = 5

# What became of one submission: handed over, kept in the outbox (no mail server), refused for good (5xx), refused for
# now (4xx, no answer before the content left), or handed over with no answer back (the server may have it).
SENT, OUTBOX, REFUSED, DEFERRED, UNCERTAIN = "sent", "outbox", "refused", "deferred", "uncertain"


@dataclass(frozen=True)
class Outcome:
    kind: str
    error: str = ""


def settle(outcome, attempts):
    """(status, error) a message takes after its `attempts`-th submission ended in `outcome`."""
    if outcome.kind == DEFERRED:
        if attempts < MAX_ATTEMPTS:
            return "queued", f"attempt {attempts} of {MAX_ATTEMPTS}: {outcome.error}"
        return "failed", f"gave up after {attempts} attempts: {outcome.error}"
    status = {SENT: "sent", OUTBOX: "outbox", REFUSED: "failed", UNCERTAIN: "uncertain"}[outcome.kind]
    return status, outcome.error


def refusal(error):
    """The outcome of an SMTP error raised before the message's content was handed over: the server's code decides
    (5xx for good, 4xx for now); an error without a code (a dropped connection, a timeout) is for now."""
    if isinstance(error, smtplib.SMTPRecipientsRefused) and error.recipients:
        code, text = next(iter(error.recipients.values()))
        return by_code(code, text)
    if isinstance(error, smtplib.SMTPResponseException):
        return by_code(error.smtp_code, error.smtp_error)
    return Outcome(DEFERRED, describe(error))


def by_code(code, text):
    """A server's answer as the outcome it means: 5xx refused for good, anything else (4xx) for now."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    answer = f"{code} {' '.join(str(text).split())}".strip()
    return Outcome(REFUSED if 500 <= code < 600 else DEFERRED, answer)


def describe(error):
    """An exception as one line for a message's error column."""
    text = " ".join(str(error).split())
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def sending_domain(default_sender, public_url):
    """The domain messages come from: MAIL_DEFAULT_SENDER's, else PUBLIC_URL's host (Message-IDs are made on it)."""
    address = parseaddr(default_sender or "")[1]
    domain = address.rpartition("@")[2] if "@" in address else ""
    domain = (domain or urlsplit(public_url or "").hostname or "localhost").strip().lower()
    try:
        domain = domain.encode("idna").decode("ascii")  # secretaría.example → xn--secretara-…
    except UnicodeError:
        domain = "localhost"
    return f"[{domain}]" if ":" in domain else domain  # an IPv6 host is a domain literal


def message_id_for(number, created_at, to_address, domain):
    """The Message-ID of stored message `number`: the same each time that row is sent (a resend is recognizably the
    same message), different across databases whose ids coincide (the hash of when it was made and for whom)."""
    seed = f"{number}:{created_at.timestamp():.6f}:{to_address.lower()}".encode()
    return f"<capacita.{number}.{hashlib.sha256(seed).hexdigest()[:16]}@{domain}>"


def lease(timeout):
    """How long a message's claim lasts: a live sender records the answer well within it (two conversations of
    `timeout`-second steps, the second after the server dropped the first, and a minute to spare)."""
    return timedelta(seconds=timeout * 2 + 60)
