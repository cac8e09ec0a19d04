"""Settings from the environment, read as people write them: one parser each for yes/no, whole numbers and lists,
whose errors name the variable; every setting's name and default; the settings production refuses (pure)."""
import re
from pathlib import Path

ENVIRONMENTS = ("production", "development", "test")
WEAK_SECRETS = {"", "dev", "secret", "changeme", "change-me", "development", "capacita"}
MIN_SECRET_LENGTH = 32
TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off")
# Said by check-config, and by a message that cannot leave while both are on.
BOTH_TLS_MODES = ("MAIL_USE_TLS and MAIL_USE_SSL are both on: set MAIL_USE_SSL=true for implicit TLS (port 465) or "
                  "MAIL_USE_TLS=true for STARTTLS (port 587), not both")
_WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+")
_LIST_SEPARATORS = re.compile(r"[,\s]+")


class SettingError(RuntimeError):
    """A variable holds what its setting cannot mean; the message names the variable. A RuntimeError, as the app's
    other refusals to start are, so check-config reports it as one."""


def parse_bool(name, value):
    """1, true, yes, on → True; 0, false, no, off → False (any case, spaces around ignored); else a SettingError."""
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise SettingError(f"{name} must be one of {', '.join(TRUE_WORDS)} (yes) or {', '.join(FALSE_WORDS)} (no), "
                       f"in any case, not {value!r}.")


def parse_int(name, value):
    """A whole number written in digits ("587", " 10 ", "-1"); anything else (5.0, 1e3, "", "ten") a SettingError."""
    if not _WHOLE_NUMBER.fullmatch(value.strip()):
        raise SettingError(f"{name} must be a whole number, not {value!r}.")
    return int(value)


def parse_list(value):
    """Items separated by commas, spaces or both ("es,en", "es en", "es, en"); empty items are dropped."""
    return [item for item in _LIST_SEPARATORS.split(value) if item]


class Environment:
    """Reads settings from a mapping of variables (os.environ): each read names its variable and its default, which
    is used when the variable is unset."""

    def __init__(self, variables):
        self.variables = variables

    def __contains__(self, name):
        return name in self.variables

    def text(self, name, default=""):
        return self.variables.get(name, default)

    def flag(self, name, default):
        value = self.variables.get(name)
        return default if value is None else parse_bool(name, value)

    def integer(self, name, default):
        value = self.variables.get(name)
        return default if value is None else parse_int(name, value)

    def items(self, name, default=()):
        value = self.variables.get(name)
        return list(default) if value is None else parse_list(value)


def from_environment(environ, instance_path, root_path):
    """Every setting the app reads from the environment, with its default, as Flask's config keys."""
    env = environ.text("CAPACITA_ENV", "production")
    return {
        "CAPACITA_ENV": env,
        "SQLALCHEMY_DATABASE_URI": database_url(environ, instance_path),
        **_cookies_and_forms(env),
        "BABEL_DEFAULT_LOCALE": "es",
        "BABEL_TRANSLATION_DIRECTORIES": str(Path(root_path) / "translations"),
        **_rate_limits(environ),
        **_mail(environ),
        **_deployment(environ),
        **_limits(environ),
        **_queue(environ, instance_path),
        **_sign_in(environ),
    }


def _cookies_and_forms(env):
    return {
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": env == "production",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        # A participant may keep a test open for hours: tokens live as long as the session, not an hour.
        "WTF_CSRF_TIME_LIMIT": None,
    }


def _rate_limits(environ):
    return {
        "RATELIMIT_STORAGE_URI": environ.text("RATELIMIT_STORAGE_URI", "memory://"),
        # No X-RateLimit-* headers: each would cost a storage round trip on every limited request (the 429 page
        # says Retry-After itself).
        "RATELIMIT_HEADERS_ENABLED": False,
        # A sliding window: ten attempts are ten attempts, even when they straddle a minute boundary.
        "RATELIMIT_STRATEGY": "moving-window",
        # Login attempts from browsers that have not logged in to the account before (no device cookie for it),
        # counted per address; per account, whatever the address (OWASP's lockout of untrusted browsers, the wait
        # growing from a minute to an hour, and forgotten at a new password); and per device cookie for those that
        # have (each, and the account's together).
        "LOGIN_RATE_LIMIT": environ.text("LOGIN_RATE_LIMIT", "10 per minute;60 per hour"),
        "LOGIN_ACCOUNT_RATE_LIMIT": environ.text("LOGIN_ACCOUNT_RATE_LIMIT", "3 per minute;10 per hour"),
        "LOGIN_DEVICE_RATE_LIMIT": environ.text("LOGIN_DEVICE_RATE_LIMIT", "5 per minute;20 per hour"),
        # All of an account's trusted browsers together: whoever knows a password cannot gather device cookies into
        # unbounded password checks.
        "LOGIN_TRUSTED_RATE_LIMIT": environ.text("LOGIN_TRUSTED_RATE_LIMIT", "10 per minute;60 per hour"),
        # Dummy password checks (for e-mails that are no account, so that they take as long as a real one) from all
        # addresses together: each is deliberately slow (~0.1 s of a core), and e-mails made up by an attack from
        # many addresses must not take the CPU that people taking a test need. Beyond it they are answered without
        # one. Checks for real accounts are bounded by the limits above.
        "LOGIN_CHECKS_RATE_LIMIT": environ.text("LOGIN_CHECKS_RATE_LIMIT", "1 per second;30 per minute"),
        # Every request to personal links, per address: an office's participants behind one address open theirs
        # within minutes (two requests each).
        "LINK_RATE_LIMIT": environ.text("LINK_RATE_LIMIT", "60 per minute;600 per hour"),
        "VERIFY_RATE_LIMIT": environ.text("VERIFY_RATE_LIMIT", "30 per minute;300 per hour"),
        # Registrations sent through a delegation's shared link, per address: a delegation's office registers its
        # people one after the other; a script filling the secretariat's queue is stopped.
        "REGISTRATION_RATE_LIMIT": environ.text("REGISTRATION_RATE_LIMIT", "10 per minute;60 per hour"),
        # The portfolio's feed (per address): a BI tool's refresh reads a few tables; a guesser gets 401s.
        "FEED_RATE_LIMIT": environ.text("FEED_RATE_LIMIT", "30 per minute;300 per hour"),
        # The public page of shared lessons (per address): a reader opens a few lessons and their PDFs; a crawler
        # drawing every PDF again and again is slowed.
        "SHARED_LESSONS_RATE_LIMIT": environ.text("SHARED_LESSONS_RATE_LIMIT", "30 per minute;300 per hour"),
        # Unknown links and codes per address: a person retries a mistyped or old one a few times, a guesser
        # thousands. Counting only these lets an office's many participants share one address, and keeps what an
        # attacker's addresses cost small (each refused address is then refused before the app for the window).
        # Two per 10 s: many addresses spending a minute's allowance at once took the CPU for seconds.
        "LINK_MISSES_RATE_LIMIT": environ.text("LINK_MISSES_RATE_LIMIT", "2 per 10 seconds;5 per minute;30 per hour"),
        "VERIFY_MISSES_RATE_LIMIT": environ.text("VERIFY_MISSES_RATE_LIMIT",
                                                 "2 per 10 seconds;5 per minute;30 per hour"),
    }


def _mail(environ):
    # Implicit TLS (port 465) or STARTTLS (port 587): MAIL_USE_SSL=true alone picks the first, with its port; setting
    # both is refused by check-config.
    use_ssl = environ.flag("MAIL_USE_SSL", False)
    return {
        "MAIL_SERVER": environ.text("MAIL_SERVER", ""),
        "MAIL_PORT": environ.integer("MAIL_PORT", 465 if use_ssl else 587),
        "MAIL_USERNAME": environ.text("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": environ.text("MAIL_PASSWORD", ""),
        "MAIL_USE_TLS": environ.flag("MAIL_USE_TLS", not use_ssl),
        "MAIL_USE_SSL": use_ssl,
        # Seconds each step of a conversation with the mail server may wait; a message's claim lasts a few of them.
        "MAIL_TIMEOUT": environ.integer("MAIL_TIMEOUT", 30),
        "MAIL_DEFAULT_SENDER": environ.text("MAIL_DEFAULT_SENDER", ""),
    }


def _deployment(environ):
    return {
        "SECRET_KEY": environ.text("SECRET_KEY", ""),
        # How many reverse proxies (nginx, a load balancer) stand in front: their X-Forwarded-For is trusted,
        # so rate limits count the real client and not the proxy.
        "TRUSTED_PROXIES": environ.integer("TRUSTED_PROXIES", 0),
        # The address participants reach the app at: links in e-mails are built on it, never on the Host header.
        "PUBLIC_URL": environ.text("PUBLIC_URL") or local_url(environ),
    }


def _sign_in(environ):
    return {
        # "Forgot your password?": requests per address, and messages per e-mail typed (beyond it nothing more is
        # sent, with the same answer: an owner's inbox is not flooded, and no e-mail is told apart from another).
        "PASSWORD_RESET_RATE_LIMIT": environ.text("PASSWORD_RESET_RATE_LIMIT", "5 per minute;20 per hour"),
        "PASSWORD_RESET_EMAIL_RATE_LIMIT": environ.text("PASSWORD_RESET_EMAIL_RATE_LIMIT", "3 per hour;6 per day"),
        "PASSWORD_RESET_MAX_AGE": environ.integer("PASSWORD_RESET_MAX_AGE", 3600),  # seconds a link works
        # Sign-in with an organization's account (OpenID Connect): a provider appears on the login page once its
        # client id and secret are set. Microsoft's tenant: "organizations" (any work account), or one tenant's id.
        "OIDC_MICROSOFT_CLIENT_ID": environ.text("OIDC_MICROSOFT_CLIENT_ID", ""),
        "OIDC_MICROSOFT_CLIENT_SECRET": environ.text("OIDC_MICROSOFT_CLIENT_SECRET", ""),
        "OIDC_MICROSOFT_TENANT": environ.text("OIDC_MICROSOFT_TENANT", "organizations"),
        "OIDC_GOOGLE_CLIENT_ID": environ.text("OIDC_GOOGLE_CLIENT_ID", ""),
        "OIDC_GOOGLE_CLIENT_SECRET": environ.text("OIDC_GOOGLE_CLIENT_SECRET", ""),
        # Any other issuer (Keycloak, Okta, Auth0…): its URL (the discovery document is read below it) and a label.
        "OIDC_ISSUER_URL": environ.text("OIDC_ISSUER_URL", ""),
        "OIDC_CLIENT_ID": environ.text("OIDC_CLIENT_ID", ""),
        "OIDC_CLIENT_SECRET": environ.text("OIDC_CLIENT_SECRET", ""),
        "OIDC_LABEL": environ.text("OIDC_LABEL", ""),
    }


def _limits(environ):
    return {
        "LINK_GRACE_DAYS": environ.integer("LINK_GRACE_DAYS", 90),
        "IMPORT_MAX_BYTES": environ.integer("IMPORT_MAX_BYTES", 5 * 1024 * 1024),
        "IMPORT_MAX_ROWS": environ.integer("IMPORT_MAX_ROWS", 20000),
        "ATTENDANCE_MIN_SHARE": environ.integer("ATTENDANCE_MIN_SHARE", 75),  # % of a session that is "present"
        "MAX_CONTENT_LENGTH": environ.integer("MAX_CONTENT_LENGTH", 16 * 1024 * 1024),
    }


def _queue(environ, instance_path):
    return {
        # Where the task queue keeps its work: a SQLite file beside the app's (nothing to run), or redis://… in
        # production; "memory://" holds it in the process (the tests run what is queued themselves).
        "QUEUE_URL": environ.text("QUEUE_URL", "") or f"sqlite:///{Path(instance_path) / 'queue.sqlite3'}",
        "QUEUE_WORKERS": environ.integer("QUEUE_WORKERS", 2),  # threads of `flask worker`
        # Where the worker keeps the impact report's files (PDF, chart images) until the data changes; the web
        # servers serve them from there, so it is one folder they and the worker share.
        "REPORT_FOLDER": environ.text("REPORT_FOLDER", "") or str(Path(instance_path) / "reports"),
        # Optional nightly backup by the worker: the folder it writes to (empty: none) and the hour, in UTC.
        "BACKUP_FOLDER": environ.text("BACKUP_FOLDER", ""),
        "BACKUP_HOUR": environ.integer("BACKUP_HOUR", 2),
        "BACKUP_KEEP": environ.integer("BACKUP_KEEP", 14),
    }


def local_url(environ):
    """Where `flask run` serves (FLASK_RUN_HOST and FLASK_RUN_PORT, which `make run HOST=… PORT=…` sets for every
    command it runs): without PUBLIC_URL, links reach the development server that is running. Production requires
    PUBLIC_URL."""
    host = environ.text("FLASK_RUN_HOST") or "127.0.0.1"
    host = "127.0.0.1" if host in ("0.0.0.0", "::") else host  # every interface: this machine answers on loopback
    return f"http://{f'[{host}]' if ':' in host else host}:{environ.text('FLASK_RUN_PORT') or 5000}"


def database_url(environ, instance_path):
    url = environ.text("DATABASE_URL", "")
    if not url:
        return f"sqlite:///{Path(instance_path) / 'capacita.sqlite3'}"
    # Hosting providers hand out postgres:// URLs; SQLAlchemy wants the driver named.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def refuse_unknown_environment(config):
    if config["CAPACITA_ENV"] not in ENVIRONMENTS:
        raise RuntimeError(f"CAPACITA_ENV must be one of {', '.join(ENVIRONMENTS)}, not {config['CAPACITA_ENV']!r}.")


def refuse_production_without_public_url(config, given):
    """`given`: PUBLIC_URL was set (in the environment or by the caller), not guessed from where `flask run` serves."""
    if config["CAPACITA_ENV"] == "production" and not given:
        raise RuntimeError("PUBLIC_URL must be set in production: personal links in e-mails are built on it.")


def refuse_weak_secret(config):
    secret = config["SECRET_KEY"] or ""
    if secret.lower() in WEAK_SECRETS or len(secret) < MIN_SECRET_LENGTH:
        if config["CAPACITA_ENV"] != "test":
            raise RuntimeError(
                f"SECRET_KEY must be set to a random value of at least {MIN_SECRET_LENGTH} characters in production "
                "(generate one with: python -c 'import secrets; print(secrets.token_urlsafe(48))')."
            )
