"""What `flask --app app check-config` finds wrong in a configuration (pure: settings and probes in, findings out)."""
import os
import re
import shlex
from dataclasses import dataclass
from typing import Callable

from settings import BOTH_TLS_MODES

# Network file systems on which SQLite's locks and WAL shared memory are unreliable (FUSE types end in ".sshfs").
NETWORK_FILESYSTEMS = ("nfs", "cifs", "smb", "sshfs", "9p")


@dataclass(frozen=True)
class Finding:
    level: str  # "ok", "warning" or "error"
    message: str

    def line(self):
        return f"{self.level.upper()}: {self.message}"


@dataclass(frozen=True)
class Probes:
    """The questions a check asks the world; each answers None when all is well, else a one-line reason."""

    database: Callable[[], str | None]
    migrations: Callable[[], tuple[set, set]]  # (revisions the database is at, revisions the code has)
    rate_limit_storage: Callable[[str], str | None]
    chart_browser: Callable[[], str | None]
    mounts: Callable[[], str]  # the text of /proc/mounts
    open_to_others: Callable[[str], int | None] = lambda _path: None  # permission bits of a file others may read
    queue_storage: Callable[[str], str | None] = lambda _url: None
    # (seconds since a worker's scheduler last ran, seconds the oldest queued job has waited), each None for
    # never/none; or None when the database cannot say
    worker: Callable[[], tuple[float | None, float | None] | None] = lambda: None


WORKER_SILENT_AFTER = 180  # seconds: the scheduler runs every minute
QUEUE_STUCK_AFTER = 300


def check_config(settings, probes, workers=None, weak_secrets=(), min_secret_length=32):
    """Every finding about `settings` (a Flask config), in the order an operator reads them."""
    production = settings.get("CAPACITA_ENV") == "production"
    findings = [Finding("ok", f"CAPACITA_ENV is {settings.get('CAPACITA_ENV')}")]
    findings += _debug(settings, production)
    findings += _secret(settings.get("SECRET_KEY") or "", weak_secrets, min_secret_length)
    findings += _public_url(settings.get("PUBLIC_URL") or "", production)
    findings += _database(settings["SQLALCHEMY_DATABASE_URI"], production, probes)
    findings += _rate_limits(settings.get("RATELIMIT_STORAGE_URI") or "memory://", production, workers, probes)
    findings += _mail(settings)
    findings += _sign_in(settings)
    findings += _queue(settings.get("QUEUE_URL") or "", production, probes)
    findings += _chart_images(probes)
    findings.append(Finding("ok", f"logs are written as {settings.get('LOG_FORMAT', 'text')} lines"))
    return findings


def _debug(settings, production):
    if settings.get("DEBUG") and production:
        return [Finding("error", "debug mode is on in production: the debugger runs any code a visitor sends; "
                                 "unset FLASK_DEBUG and do not pass --debug")]
    return [Finding("ok", f"debug mode is {'on' if settings.get('DEBUG') else 'off'}")]


def _secret(secret, weak_secrets, min_length):
    if secret.lower() in weak_secrets or len(secret) < min_length:
        return [Finding("error", f"SECRET_KEY is missing, a well-known value or shorter than {min_length} "
                                 "characters: generate one with python3 -c 'import secrets; "
                                 "print(secrets.token_urlsafe(48))' (changing it invalidates personal links)")]
    return [Finding("ok", f"SECRET_KEY is set ({len(secret)} characters)")]


def _public_url(url, production):
    if not url:
        return [Finding("error" if production else "warning",
                        "PUBLIC_URL is not set: personal links in e-mails are built on it")]
    if production and not url.startswith("https://"):
        return [Finding("error", f"PUBLIC_URL {url} is not https: personal links would travel unencrypted "
                                 "and the session cookie (Secure) would not be sent back")]
    return [Finding("ok", f"PUBLIC_URL is {url}")]


def _database(uri, production, probes):
    label = without_password(uri)
    findings = [Finding("ok", f"database is {label}")]
    path = sqlite_path(uri)
    if path is not None:
        if production:
            findings.append(Finding("warning", "SQLite in production: fine for one server with several workers; "
                                               "several app servers need PostgreSQL (DATABASE_URL)"))
        findings += _private(path, probes)
        filesystem = network_filesystem(os.path.dirname(path), probes.mounts())
        if filesystem:
            findings.append(Finding("error", f"the SQLite file's folder {os.path.dirname(path)} is on a network "
                                             f"file system ({filesystem}): its locks and WAL do not work there; "
                                             "keep the file on a local disk or use PostgreSQL"))
    problem = probes.database()
    if problem:
        return [*findings, Finding("error", f"the database does not answer: {problem}")]
    return [*findings, Finding("ok", "the database answers"), _migrations(probes)]


def _private(database, probes):
    """The SQLite file and its side files hold password hashes, link salts and all personal data."""
    opened = {path: probes.open_to_others(path) for path in (database, f"{database}-wal", f"{database}-shm")}
    opened = {path: mode for path, mode in opened.items() if mode is not None}
    if not opened:
        return [Finding("ok", "the SQLite files are readable by their owner only")]
    return [Finding("warning", f"{path} is open to other users of this machine (mode {mode:o}): it holds password "
                               f"hashes and personal data; chmod 600 {path}") for path, mode in opened.items()]


def _migrations(probes):
    current, heads = probes.migrations()
    if current == heads:
        return Finding("ok", f"migrations are at head ({', '.join(sorted(heads))})")
    at = ", ".join(sorted(current)) or "no revision (empty database)"
    return Finding("error", f"the database is at {at}, the code at {', '.join(sorted(heads))}: "
                            "run flask --app app db upgrade")


def _rate_limits(uri, production, workers, probes):
    if uri.startswith("memory://"):
        # Unless told how many workers will run, assume a production server runs several (gunicorn's usual way).
        several = workers > 1 if workers is not None else production
        if several:
            expected = f"{workers} workers are expected" if workers else "production usually runs several workers"
            return [Finding("warning", f"RATELIMIT_STORAGE_URI is memory:// and {expected}: each process counts "
                                       "on its own, so every limit is multiplied by their number; set "
                                       "RATELIMIT_STORAGE_URI=redis://… (Redis shared by all workers and servers)")]
        return [Finding("ok", "rate limits are counted in memory (one process)")]
    problem = probes.rate_limit_storage(uri)
    if problem:
        return [Finding("error", f"rate-limit storage {without_password(uri)} does not answer ({problem}): "
                                 "rate-limited pages (login, personal links) would fail")]
    return [Finding("ok", f"rate-limit storage {without_password(uri)} answers")]


def _queue(url, production, probes):
    if url.startswith("memory://"):
        level = "error" if production else "warning"
        return [Finding(level, "QUEUE_URL is memory://: queued work stays in the web process and no worker sees it; "
                               "leave QUEUE_URL empty (SQLite beside the database) or set redis://…")]
    problem = probes.queue_storage(url)
    if problem:
        return [Finding("error", f"the task queue at {without_password(url)} does not answer ({problem}): "
                                 "messages, PDFs and scheduled work would wait")]
    findings = [Finding("ok", f"the task queue is at {without_password(url)}")]
    state = probes.worker()
    if state is None:
        return findings
    silent, waiting = state
    if silent is None:
        findings.append(Finding("warning", "no worker has ever run: start `flask --app app worker` (README, Deploy): "
                                           "without it no message is sent and nothing happens on schedule"))
    elif silent > WORKER_SILENT_AFTER:
        findings.append(Finding("warning", f"no worker has run for {silent / 60:.0f} minutes: is `flask worker` "
                                           "running? Messages, PDFs and scheduled work wait for it"))
    else:
        findings.append(Finding("ok", f"a worker ran {silent:.0f} s ago"))
    if waiting is not None and waiting > QUEUE_STUCK_AFTER:
        findings.append(Finding("warning", f"the queue is not draining: a job has waited {waiting / 60:.0f} minutes "
                                           "for a worker"))
    return findings


def _mail(settings):
    findings = _mail_security(settings)
    if settings.get("MAIL_TIMEOUT", 30) <= 0:
        findings.append(Finding("error", f"MAIL_TIMEOUT is {settings['MAIL_TIMEOUT']}: it must be a number of "
                                         "seconds above 0 (30 is usual)"))
    if not settings.get("MAIL_SERVER"):
        return [*findings, Finding("warning", "MAIL_SERVER is not set: invitations, reminders and certificate e-mails "
                                              "stay in the outbox, and password reset links are not sent")]
    mode = "implicit TLS" if settings.get("MAIL_USE_SSL") else "STARTTLS" if settings.get("MAIL_USE_TLS") else "plain"
    port = settings.get("MAIL_PORT", 587)
    return [*findings, Finding("ok", f"mail goes out through {settings['MAIL_SERVER']}:{port} ({mode})")]


# Sign-in with an organization's account: each provider's settings that must be set together (half of them: no button).
SIGN_IN_PROVIDERS = {
    "Microsoft": ("OIDC_MICROSOFT_CLIENT_ID", "OIDC_MICROSOFT_CLIENT_SECRET"),
    "Google": ("OIDC_GOOGLE_CLIENT_ID", "OIDC_GOOGLE_CLIENT_SECRET"),
    "OpenID Connect": ("OIDC_ISSUER_URL", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET"),
}


def _sign_in(settings):
    findings = []
    for provider, names in SIGN_IN_PROVIDERS.items():
        missing = [name for name in names if not settings.get(name)]
        if len(missing) < len(names):
            findings.append(Finding("warning", f"{', '.join(missing)} not set: no sign-in with {provider}") if missing
                            else Finding("ok", f"sign-in with {provider} is offered"))
    return findings


def _mail_security(settings):
    """STARTTLS (MAIL_USE_TLS) and implicit TLS (MAIL_USE_SSL) exclude each other; each has its usual port."""
    use_tls, use_ssl, port = settings.get("MAIL_USE_TLS"), settings.get("MAIL_USE_SSL"), settings.get("MAIL_PORT")
    if use_tls and use_ssl:
        return [Finding("error", BOTH_TLS_MODES)]
    if use_ssl and port in (25, 587):
        return [Finding("warning", f"MAIL_USE_SSL is on with MAIL_PORT {port}, where servers expect STARTTLS: "
                                   "use MAIL_PORT=465, or MAIL_USE_TLS=true instead of MAIL_USE_SSL")]
    if use_tls and port == 465:
        return [Finding("warning", "MAIL_USE_TLS is on with MAIL_PORT 465, where servers expect implicit TLS: "
                                   "set MAIL_USE_SSL=true and MAIL_USE_TLS=false")]
    return []


def _chart_images(probes):
    problem = probes.chart_browser()
    if problem:
        return [Finding("warning", f"chart images cannot be drawn: {problem}; PNG/SVG downloads and the charts "
                                   "in the PDF summary are unavailable (the page's own camera button still works)")]
    return [Finding("ok", "chart images can be drawn (kaleido and Chromium found)")]


def without_password(uri):
    """The address with its password replaced by ***, fit for a message or a log."""
    return re.sub(r"(://[^:/@]*:)[^@/]*@", r"\1***@", uri)


def sqlite_path(uri):
    """The file of a SQLite URL (absolute), None for other databases or an in-memory one."""
    if not uri.startswith("sqlite"):
        return None
    path = uri.split(":///", 1)[1].split("?", 1)[0] if ":///" in uri else ""
    return os.path.abspath(path) if path and path != ":memory:" else None


def network_filesystem(folder, mounts_text):
    """The type of the network file system `folder` is on, per /proc/mounts; None when it is local."""
    folder = os.path.realpath(folder)
    best, best_type = "", None
    for line in mounts_text.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        point = _unescape(fields[1])
        inside = folder == point or folder.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best):
            best, best_type = point, fields[2]
    if best_type and best_type.rsplit(".", 1)[-1].startswith(NETWORK_FILESYSTEMS):
        return best_type
    return None


def _unescape(field):
    # /proc/mounts writes spaces, tabs and backslashes in paths as octal escapes (\040).
    return re.sub(r"\\([0-7]{3})", lambda match: chr(int(match.group(1), 8)), field)


def expected_workers(environ):
    """How many worker processes gunicorn will start, from WEB_CONCURRENCY or GUNICORN_CMD_ARGS; None if unsaid."""
    arguments = shlex.split(environ.get("GUNICORN_CMD_ARGS", ""))
    for index, argument in enumerate(arguments):
        if argument in ("-w", "--workers") and index + 1 < len(arguments):
            return _number(arguments[index + 1])
        if argument.startswith("--workers="):
            return _number(argument.split("=", 1)[1])
    return _number(environ.get("WEB_CONCURRENCY", ""))


def _number(text):
    return int(text) if text.strip().isdigit() else None
