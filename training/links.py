"""Personal-link tokens: derived from a secret and a per-participant salt, looked up by their hash."""
import base64
import hashlib
import hmac
import secrets
from datetime import timedelta, timezone

SALT_BYTES = 16
TOKEN_BYTES = 32  # 256 bits, well over the 128 the platform promises


def new_salt():
    return secrets.token_hex(SALT_BYTES)


def token_for(secret_key, salt, purpose="personal-link"):
    """The URL-safe token for a salt: only someone holding SECRET_KEY can compute it (`purpose` keeps a personal
    link and a registration link apart even if their salts met)."""
    digest = hmac.new(secret_key.encode(), f"{purpose}:{salt}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:TOKEN_BYTES]).decode().rstrip("=")


def token_hash(token):
    """What the database stores and searches: a leaked table yields no working link."""
    return hashlib.sha256(token.encode()).hexdigest()


def links_end(end_date, follow_up_until):
    """The day links count their grace days from: the program's end, or its follow-up's last day when later (a
    program with no end date has links that do not expire, follow-up or not)."""
    if end_date is None or follow_up_until is None:
        return end_date
    return max(end_date, follow_up_until)


def is_expired(end_date, grace_days, now):
    """Links work until the end of the day (UTC) `grace_days` after the program ends; no end date, no expiry."""
    return end_date is not None and end_date < earliest_valid_end(grace_days, now)


def last_valid_day(end_date, grace_days):
    """The last day (UTC) a program's links work, by `is_expired`'s rule; None when they do not expire."""
    return None if end_date is None else end_date + timedelta(days=grace_days)


def earliest_valid_end(grace_days, now):
    """The earliest program end date whose links still work at `now` (aware): the same rule as `is_expired`, in
    the form a query compares a program's end date with."""
    return now.astimezone(timezone.utc).date() - timedelta(days=grace_days)


def looks_like_token(text):
    return isinstance(text, str) and 20 <= len(text) <= 64 and all(c.isalnum() or c in "-_" for c in text)


