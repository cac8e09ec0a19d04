"""Device cookies (OWASP, "Slow Down Online Guessing Attacks with Device Cookies"): a browser that has logged in to an
account before names it, signed, so that its next logins are not held up by the limits guessers run into."""
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from itsdangerous import BadData, URLSafeTimedSerializer

DEVICE_COOKIE = "capacita_device"
DEVICE_COOKIE_DAYS = 365
NONCE_BYTES = 16


@dataclass(frozen=True)
class Device:
    account: str  # the account's digest (`DeviceCookies.account_digest`), never its e-mail
    credential: str  # a digest of the password hash it logged in with: a new password withdraws the trust
    nonce: str  # this browser's own random name: its attempts are counted under it


class DeviceCookies:
    """Issues and reads device cookies with the app's secret key (the same as the session's, another salt)."""

    def __init__(self, secret_key):
        self.secret_key = secret_key.encode()
        self.serializer = URLSafeTimedSerializer(secret_key, salt="capacita-device-cookie")

    def account_digest(self, email_key):
        """A name for the account an e-mail key (`textkeys.email_key`) logs in to that reveals nothing of the
        e-mail without the secret key: in cookies, and as the key of the account's rate limit."""
        return hmac.new(self.secret_key, f"login-account:{email_key}".encode(), hashlib.sha256).hexdigest()[:32]

    def credential_digest(self, password_hash):
        return hmac.new(self.secret_key, f"login-credential:{password_hash}".encode(), hashlib.sha256).hexdigest()[:16]

    def issue(self, email_key, password_hash, nonce=None):
        """The cookie's value for a browser that has just logged in to the account with the password whose hash is
        `password_hash`; `nonce` keeps the name of a browser that held a cookie for it already."""
        return self.serializer.dumps([self.account_digest(email_key), self.credential_digest(password_hash),
                                      nonce or secrets.token_urlsafe(NONCE_BYTES)])

    def read(self, value):
        """The `Device` a cookie value names when it is one this app signed within DEVICE_COOKIE_DAYS, else None."""
        if not value or len(value) > 400:
            return None
        try:
            fields = self.serializer.loads(value, max_age=DEVICE_COOKIE_DAYS * 86400)
            device = Device(*fields)
        except (BadData, TypeError, ValueError):
            return None
        return device if all(isinstance(field, str) for field in fields) else None

    def trusted_for(self, value, email_key, password_hash):
        """The `Device` of a cookie that names the account `email_key` logs in to, given while its password hash was
        `password_hash` (a reset after a theft withdraws every stolen cookie's trust), else None."""
        device = self.read(value)
        if device is None or not hmac.compare_digest(device.account, self.account_digest(email_key)) \
                or not hmac.compare_digest(device.credential, self.credential_digest(password_hash)):
            return None
        return device
