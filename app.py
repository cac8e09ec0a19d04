"""Application factory: configuration, extensions, blueprints, error pages, security headers and CLI."""
import logging
import math
import os
import re
import secrets
import time
from contextlib import suppress
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from flask import Flask, abort, g, has_request_context, render_template, request, session
from flask.globals import request_ctx
from flask_babel import get_locale, get_translations
from flask_babel import lazy_gettext as _l
from flask_limiter import Limiter
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from werkzeug.http import parse_cookie

import operations
import settings
import task_queue
import transactions  # noqa: F401  (its engine listeners begin and guard every request's transaction)
from extensions import babel, csrf, db, limiter, login_manager, mail, migrate
from logs import configure_logging
from private_files import create_private, private_folder, write_private
from refusals import REPLAYABLE_FOR, RefusalMemo, replayable_for
from signed_memo import RememberedSessionInterface, might_be_a_form
from training.localized import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES

LANGUAGES = SUPPORTED_LANGUAGES
LIMITER_CONTEXT = "_limiter_request_context"  # what Flask-Limiter keeps on the request context, once used
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",  # blob: the chart's camera button draws its PNG through one
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def create_app(test_config=None):
    """Build the app; `test_config` overrides settings (tests pass their database and a secret)."""
    app = Flask(__name__, instance_relative_config=True)
    _configure(app, test_config or {})
    configure_logging(app, RedactPersonalLinks())  # first: its request id and timer start before anything else
    _remember_refusals(app)
    _trust_proxies(app)  # around the memo: it must see the real client's address
    _reject_nul_characters(app)
    _refuse_lone_surrogates(app)
    _redact_tokens_in_logs()
    _init_extensions(app)
    _bound_route_ids(app)  # before the blueprints: each route's converters are chosen when it is added
    _register_blueprints(app)
    _register_error_pages(app)
    _register_security_headers(app)
    _register_template_helpers(app)
    _run_hooks_as_one(app)  # last: every hook above is registered
    return app


def _configure(app, overrides):
    environ = settings.Environment(os.environ)
    private_folder(app.instance_path)  # it holds the development secret and the SQLite database
    app.config.update(settings.from_environment(environ, app.instance_path, app.root_path))
    app.config.update(overrides)
    # A server's connection may have dropped while idle (a PostgreSQL restart): ping it at checkout. A SQLite file
    # has no connection to lose, and the ping would be one more statement on every request.
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS",
                          {"pool_pre_ping": not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")})
    settings.refuse_unknown_environment(app.config)
    settings.refuse_production_without_public_url(app.config, "PUBLIC_URL" in environ or "PUBLIC_URL" in overrides)
    if not app.config["SECRET_KEY"] and app.config["CAPACITA_ENV"] == "development":
        app.config["SECRET_KEY"] = _development_secret(app)
    settings.refuse_weak_secret(app.config)


def _development_secret(app):
    # Kept in instance/ so sessions survive a restart of `make run`; never used in production.
    path = Path(app.instance_path) / "secret_key"
    if not path.exists():
        write_private(path, secrets.token_urlsafe(48))
    return path.read_text().strip()


def _remember_refusals(app):
    from training.devices import DEVICE_COOKIE, DeviceCookies

    devices = app.extensions["device_cookies"] = DeviceCookies(app.config["SECRET_KEY"])

    def trusted_device(environ):
        # A browser with a valid device cookie gets refusals of its own: not those written to guessers at its address.
        cookies = environ.get("HTTP_COOKIE", "")
        device = devices.read(parse_cookie(cookies).get(DEVICE_COOKIE)) if DEVICE_COOKIE in cookies else None
        return device.nonce if device is not None else None

    app.wsgi_app = app.extensions["refusals"] = RefusalMemo(app.wsgi_app, languages=LANGUAGES, device=trusted_device)


def _trust_proxies(app):
    count = app.config["TRUSTED_PROXIES"]
    if count > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)


class RedactPersonalLinks(logging.Filter):
    """Access logs show /p/[redacted] and /password/reset/[redacted]: a personal or reset link in a log file would
    open someone's page or account."""

    PATTERN = re.compile(r"(/p/|/password/reset/)[A-Za-z0-9_.-]+")

    def filter(self, record):
        if isinstance(record.args, tuple):
            record.args = tuple(self._clean(value) for value in record.args)
        elif isinstance(record.args, dict):  # gunicorn's access log passes its atoms as a mapping
            record.args = {key: self._clean(value) for key, value in record.args.items()}
        if isinstance(record.msg, str):
            record.msg = self._clean(record.msg)
        return True

    def _clean(self, value):
        return self.PATTERN.sub(r"\1[redacted]", value) if isinstance(value, str) else value


def _redact_tokens_in_logs():
    for name in ("werkzeug", "gunicorn.access"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactPersonalLinks) for f in logger.filters):
            logger.addFilter(RedactPersonalLinks())


def _reject_nul_characters(app):
    # No form field has a use for NUL, and PostgreSQL refuses it in text: answer 400 before anything runs.
    @app.before_request
    def refuse_nul():
        # Only a form body is parsed here: reading request.form for a JSON autosave costs more than the check. The
        # query string is looked at as sent (its values hold NUL only where it has %00), rather than decoded into
        # request.args on every request for the check alone.
        current = request._get_current_object()  # one context lookup, not one per attribute
        # Every value of a field sent more than once (a view may keep the last), and every field's name.
        form = current.form.items(multi=True) if might_be_a_form(current) and current.mimetype in FORM_TYPES else ()
        query = current.query_string
        if b"%00" in query or b"\x00" in query or "\x00" in current.path \
                or any("\x00" in name or "\x00" in value for name, value in form):
            abort(400)


def _refuse_lone_surrogates(app):
    # Form data is decoded with replacement characters; JSON's "\ud800" escapes are not: a request body holding one
    # is unreadable (400, or `get_json(silent=True)` is None), before anything could store it.
    from flask.json.provider import DefaultJSONProvider

    from training.unicode_text import holds_lone_surrogate

    class StoredTextJSON(DefaultJSONProvider):
        def loads(self, s, **kwargs):
            value = super().loads(s, **kwargs)
            if holds_lone_surrogate(value):
                raise ValueError("a lone UTF-16 surrogate")
            return value

    app.json = StoredTextJSON(app)


@event.listens_for(Engine, "do_connect")
def _create_sqlite_file_privately(dialect, _record, cargs, cparams):
    # SQLite would create a new database file readable by everyone (the process's umask); it holds password hashes,
    # link salts and all personal data. Its -wal and -shm files take the database file's mode.
    if dialect.name == "sqlite" and cargs and cargs[0] not in ("", ":memory:") and not cparams.get("uri"):
        with suppress(OSError):  # no such folder, no permission: SQLite's own error (a 503, a clear message) follows
            create_private(cargs[0])


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record):
    # WAL lets readers and a writer work at once across worker processes; the busy timeout makes
    # writers queue instead of failing; foreign keys are off by default in SQLite.
    if type(dbapi_connection).__module__ != "sqlite3":
        return
    dbapi_connection.isolation_level = None  # let SQLAlchemy's "begin" hook below choose BEGIN's kind
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _init_extensions(app):
    # Flask's signed cookie session, its check of an unchanged cookie remembered (signed_memo.py explains why it
    # stays as safe): ~0.1 ms of every request.
    app.session_interface = RememberedSessionInterface()
    db.init_app(app)
    migrate.init_app(app, db, render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=_select_locale)
    limiter.init_app(app)
    _check_limits_only_where_declared(app)
    mail.init_app(app)  # its defaults (charset, Date's zone); each batch's connection reads the settings anew
    login_manager.init_app(app)
    login_manager.login_view = "training.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"
    task_queue.init_app(app)


def _check_limits_only_where_declared(app):
    """Flask-Limiter's before_request hook checks only the limits that are not on a view: application-wide, default,
    meta and blueprint limits, and the in-memory fallback's when the storage is down (a view's own @limiter.limit
    is checked by its decorator, when the view runs). Capacita declares none of them, so on every request the hook
    did nothing but bookkeeping: ~0.05 ms of each autosave (resolving the view's name, exemptions, the request's
    limiter context). It now runs only while one of them exists; one added later (a setting, a blueprint limit)
    finds it running again."""
    hooks = app.before_request_funcs[None]
    position = hooks.index(limiter._check_request_limit)
    check = hooks[position]
    manager = limiter.limit_manager

    def check_limits_beyond_views():
        if (manager._application_limits or manager._default_limits or manager._blueprint_limits
                or limiter._meta_limits or limiter._storage_dead):
            check()

    hooks[position] = check_limits_beyond_views
    # Its after_request (a 404's deduction for limit_misses) and teardown read the request's limiter context, made
    # on first use: a request that never made one (no limit checked, no limit read) has nothing for them to do.
    after, teardown = app.after_request_funcs[None], app.teardown_request_funcs[None]
    inject = next(hook for hook in after if getattr(hook, "func", None) is Limiter._Limiter__inject_headers)
    release = teardown[teardown.index(limiter._Limiter__release_context)]

    def inject_if_used(response):
        return inject(response) if hasattr(request_ctx, LIMITER_CONTEXT) else response

    def release_if_used(error=None):
        if hasattr(request_ctx, LIMITER_CONTEXT):
            release(error)

    after[after.index(inject)] = inject_if_used
    teardown[teardown.index(release)] = release_if_used


def _run_hooks_as_one(app):
    """The app-wide before_request functions (the request id and timer, the NUL check, CSRF, the limiter) become one
    function calling them in the same order, and likewise the after_request ones (security headers, Flask-Login's
    remember cookie, the limiter's headers, the access line), in the reverse order Flask calls them in: Flask looks
    up each registered function and asks whether it is a coroutine (`ensure_sync`) on every request, ~0.5 µs each.
    A before_request function's answer still stops the others and the view. Functions registered later (a test, a
    blueprint) are Flask's again, in their usual place after these."""
    from inspect import iscoroutinefunction

    before = app.before_request_funcs.get(None, [])
    if len(before) > 1 and not any(iscoroutinefunction(func) for func in before):
        first_to_last = tuple(before)

        def before_request():
            for func in first_to_last:
                answer = func()
                if answer is not None:
                    return answer
            return None

        app.before_request_funcs[None] = [before_request]
    after = app.after_request_funcs.get(None, [])
    if len(after) > 1 and not any(iscoroutinefunction(func) for func in after):
        last_to_first = tuple(reversed(after))

        def after_request(response):
            for func in last_to_first:
                response = func(response)
            return response

        app.after_request_funcs[None] = [after_request]
    # The templates' app-wide context processors likewise (Flask's g/request/session, csrf_token, current_user,
    # the assessments' and this module's helpers): each one's names over the previous ones', as Flask merges them.
    processors = app.template_context_processors.get(None, [])
    if len(processors) > 1 and not any(iscoroutinefunction(func) for func in processors):
        in_order = tuple(processors)

        def template_context():
            context = {}
            for func in in_order:
                context.update(func())
            return context

        app.template_context_processors[None] = [template_context]


def _select_locale():
    if not has_request_context():
        return None  # command line: the default language
    chosen = session.get("language")
    if chosen in LANGUAGES:
        return chosen
    participant_language = getattr(g, "participant_language", None)  # set by the participant's pages
    if participant_language in LANGUAGES:
        return participant_language
    if current_user and current_user.is_authenticated and current_user.language in LANGUAGES:
        return current_user.language
    return request.accept_languages.best_match(LANGUAGES) or DEFAULT_LANGUAGE


def _seconds_until_allowed(error):
    """How long until the limit that refused lets this address in again: when the oldest attempt its moving window
    counts drops out (one read of the limiter's storage, on refusals only), never longer than the window."""
    refused = limiter.current_limit
    if refused is None or not refused.breached:  # not refused by a limit the limiter knows of: say its window
        limit = getattr(error, "limit", None)
        return limit.limit.get_expiry() if limit is not None else 60
    reset_at, remaining = refused.window
    if remaining > 0:  # the oldest attempt dropped out between the check and this read: in already
        return 1
    return max(1, min(refused.limit.get_expiry(), math.ceil(reset_at - time.time())))


def _bound_route_ids(app):
    from werkzeug.routing import IntegerConverter

    from training.textkeys import MAX_ID

    class DatabaseId(IntegerConverter):
        """`<int:…>`: a number no id column holds is a 404, not a database error."""

        def __init__(self, url_map, *args, **kwargs):
            kwargs.setdefault("max", MAX_ID)
            super().__init__(url_map, *args, **kwargs)

    app.url_map.converters["int"] = DatabaseId


def _register_blueprints(app):
    import assessments
    import certificates
    import training

    # Each registers its routes, commands and what it adds to training's hooks (demo parts, personal-data sections,
    # cards of the participant's page), in this order: nothing registers by being imported.
    training.init_app(app)
    assessments.init_app(app)
    certificates.init_app(app)
    operations.init_app(app)  # /healthz and the check-config, backup and restore commands


def _register_error_pages(app):
    messages = {
        400: _l("The request could not be understood."),
        403: _l("You do not have access to this page."),
        404: _l("We could not find that page."),
        405: _l("That action is not allowed here."),
        413: _l("The file is too large."),
        500: _l("Something went wrong on our side. Please try again."),
    }

    def render_error(error):
        db.session.rollback()  # the page itself reads the database (the logged-in user) after a failed write
        code = getattr(error, "code", 500) or 500
        return render_template("error.html", code=code, message=messages.get(code, messages[500])), code

    for code in messages:
        app.register_error_handler(code, render_error)

    @app.errorhandler(OperationalError)
    def database_unavailable(error):
        # The server restarting or unreachable, or SQLite busy beyond its timeout: a clean 503 the browser may retry
        # (the test page keeps unsent answers and sends them again), from a page that does not read the database.
        app.logger.warning("database unavailable: %s", type(error.orig).__name__)
        with suppress(Exception):
            db.session.rollback()
        return render_template("unavailable.html", code=503), 503, {"Retry-After": "5", "Cache-Control": "no-store"}

    @app.errorhandler(429)
    def too_many(error):
        # Mostly met by attacks: a page that reads nothing (no user, no menus), so refusing costs little.
        wait = getattr(error, "retry_after", None) or _seconds_until_allowed(error)
        # For refusals.py, which answers it again meanwhile to the same address (0: never).
        request.environ[REPLAYABLE_FOR] = replayable_for(wait) if getattr(error, "replayable", True) else 0
        return (render_template("too_many.html", code=429, wait=wait, note=getattr(error, "note", None)), 429,
                {"Retry-After": str(wait), "Cache-Control": "no-store"})

    @app.errorhandler(CSRFError)
    def csrf_error(_error):
        message = _l("Your form expired or came from another site. Go back, reload the page and try again.")
        return render_template("error.html", code=400, message=message), 400


SECURITY_HEADERS = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
    ("X-Frame-Options", "DENY"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
)
HSTS = ("Strict-Transport-Security", "max-age=31536000; includeSubDomains")


def _register_security_headers(app):
    # Each header is added unless the response has it already, as setdefault would, in one pass over the response's
    # headers: seven setdefault calls, each a scan of them, cost ~20 µs of every request.
    everywhere = [(name.lower(), name, value) for name, value in SECURITY_HEADERS]
    production = [*everywhere, (HSTS[0].lower(), *HSTS)]
    no_store = [("cache-control", "Cache-Control", "no-store")]

    @app.after_request
    def add_headers(response):
        headers = response.headers
        present = {name.lower() for name, _value in headers}
        wanted = production if app.config["CAPACITA_ENV"] == "production" else everywhere
        # A staff member's session carries their id (logins set no remember cookie and no request loader is
        # registered): checking the key spares loading the user, with its session-protection hash, on pages
        # that never asked who is signed in, such as every autosave.
        if "_user_id" in session:
            wanted = [*wanted, *no_store]
        headers.extend([(name, value) for key, name, value in wanted if key not in present])
        return response


def request_translations():
    """Flask-Babel's translations for this request, as its get_translations finds them, kept on its per-request state
    with the locale and domain objects they were found for: its own lookup redoes a dozen context-local lookups
    and rebuilds the locale's name on every call, and a page translates dozens of strings. A changed locale
    (force_locale, refresh) or domain is seen at the next call."""
    try:
        state = g._flask_babel
    except (AttributeError, RuntimeError):  # outside an app context, or before Flask-Babel's first look
        return get_translations()
    names = state.__dict__
    found = names.get("capacita_translations")
    if found is not None and found[0] is names.get("babel_locale") and found[1] is names.get("babel_domain") \
            and found[0] is not None:
        return found[2]
    translations = get_translations()
    state.capacita_translations = (names.get("babel_locale"), names.get("babel_domain"), translations)
    return translations


LAYOUT_VARIANTS = 32  # languages × addresses the app answers on; more are rendered each time, not kept


def layout_parts():
    """base.html's parts that depend only on the page's language and the app's address (templates/_layout_parts.html),
    rendered once for each and kept: every page would otherwise render them again."""
    from flask import current_app

    language = str(get_locale() or DEFAULT_LANGUAGE)
    key = language, request.script_root
    kept = current_app.extensions.setdefault("capacita.layout_parts", {})
    parts = kept.get(key)
    if parts is None:
        template = current_app.jinja_env.get_template("_layout_parts.html")
        context = {"current_language": language}
        current_app.update_template_context(context)
        parts = template.make_module(context)
        if len(kept) < LAYOUT_VARIANTS:
            kept[key] = parts
    return parts


def _install_template_gettext(app):
    """The templates' _(), ngettext… (installed by Flask-Babel) through `request_translations`."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda text: request_translations().ugettext(text),
        ngettext=lambda singular, plural, count: request_translations().ungettext(singular, plural, count),
        pgettext=lambda context, text: request_translations().upgettext(context, text),
        npgettext=lambda context, singular, plural, count: request_translations().unpgettext(
            context, singular, plural, count),
        newstyle=True)


def _register_template_helpers(app):
    from training import labels, schedule
    from training.access import can, role_here
    from training.countries import country_name
    from training.timezones import timezone_names

    app.add_template_filter(labels.number, "number")  # {{ score|number(1) }}: "12,5" on a Spanish page
    _install_template_gettext(app)
    app.add_template_global(layout_parts)

    @app.context_processor
    def inject():
        locale = get_locale()
        language = str(locale or DEFAULT_LANGUAGE)
        # Babel is handed the request's Locale object where it takes one: a language code is parsed into a new
        # Locale at each call (a date on a page takes ~4 of them).
        locale = locale or language
        return {
            "current_language": language,
            "country_name": country_name,
            "delegation_label": lambda delegation: labels.delegation_label(delegation, language),
            "labels": labels,
            "clock": lambda moment, zone: schedule.clock(moment, zone, locale),
            "day": lambda moment, zone: schedule.day(moment, zone, locale),
            # A date and time in `zone`, short ("5/12/26, 17:00"): pages that say their zone once, above a table.
            "moment": lambda moment, zone: format_datetime(moment, "short", tzinfo=ZoneInfo(zone), locale=locale),
            "day_shift": schedule.day_shift,
            "zone_label": lambda zone: schedule.zone_label(zone, locale),
            "timezone_names": timezone_names,
            "can": can,  # what the page offers the user: {% if can("activities.plan") %}
            "role_here": role_here,  # the user's role in the page's program (base.html's "who" line)
        }
