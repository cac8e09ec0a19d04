"""Signatures already verified, remembered per process: the session cookie and the CSRF token a browser sends again
with each request are checked by HMAC once, not on every request.

Each check costs a serializer built anew, an HMAC, base64 and a JSON parse: about a tenth of a millisecond each,
on every request of a test taker (an autosave is half a millisecond of framework work in all). A browser sends
the same cookie and the same token for many requests in a row, so the outcome of the check is remembered, keyed by
the exact string received and the keys that verified it:

- Only what passed the full check is remembered; anything else (a tampered, forged or unknown string) is another
  key, so it is checked in full and refused as before.
- The signature's timestamp is remembered with it, and the age limit is applied to it on every request, as
  itsdangerous does: an expired cookie or token is refused the moment it expires, remembered or not.
- The keys are part of the memo's key: a new SECRET_KEY, or a fallback key removed from SECRET_KEY_FALLBACKS, makes
  every string verified with the old keys a stranger again.
- A session is revoked in the database, not in its cookie (a participant's link and session version, a staff
  member's session version: training/services_links.py, the user loader): those checks still run on every request.
- The CSRF token is still compared with this session's own token on every request: a token lifted from another
  browser's page stays refused.

The other way round, the token a page embeds (`csrf_token()`) is signed once per session token and remembered: Flask-WTF
would sign the session's token again on every page (a serializer, JSON, zlib, an HMAC: ~0.1 ms). A remembered token
is exactly what Flask-WTF would have made, for the same secret and the same session token, but for its timestamp:
- With no time limit (WTF_CSRF_TIME_LIMIT = None, Capacita's setting: tokens live as long as their session), the
  timestamp is never checked, so an earlier one is as good.
- With a time limit, the token is remembered within the second it was signed only: itsdangerous's timestamps are whole
  seconds, so it is the very string Flask-WTF would sign then, and every page gets a token as young as before.
- A new session token (a new session, a login) or a new secret is another key: its token is signed anew.

The memo is bounded (`capacity` entries; when full, the older half is dropped) and process-local."""
import hmac
import logging
import threading
import time

from flask import current_app, g, request, session
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import CSRFProtect, generate_csrf, same_origin
from itsdangerous import BadData, BadSignature, SignatureExpired, URLSafeTimedSerializer
from werkzeug.http import parse_cookie
from wtforms import ValidationError

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
SCALARS = frozenset({str, int, float, bool, type(None)})  # immutable, holding nothing: copied as themselves
CSRF_SALT = "wtf-csrf-token"  # Flask-WTF's, so that the tokens it signs in pages are the ones checked here


# Flask-WTF's own words for why a token was refused: they go to the log only (app.py's CSRFError handler shows the
# participant a translated page), so they stay as Flask-WTF writes them, for whoever greps the logs.
LOGGED_REASONS = {
    "missing": "The CSRF token is missing.",
    "no_session": "The CSRF session token is missing.",
    "expired": "The CSRF token has expired.",
    "invalid": "The CSRF token is invalid.",
    "mismatch": "The CSRF tokens do not match.",
}


def might_be_a_form(request):
    """False when the body cannot be a form: both form types have "form" in their name, and reading the raw
    Content-Type is cheaper than request.mimetype, which parses it anew at each use."""
    return "form" in request.environ.get("CONTENT_TYPE", "").lower()


class VerifiedMemo:
    """key → (signed at, what the signature covered), for strings whose signature was verified."""

    def __init__(self, capacity=4096):
        self.capacity, self.entries, self.lock = capacity, {}, threading.Lock()

    def get(self, key):
        return self.entries.get(key)

    def put(self, key, signed_at, value):
        with self.lock:
            if len(self.entries) >= self.capacity:  # insertion order: the older half goes
                self.entries = dict(list(self.entries.items())[self.capacity // 2:])
            self.entries[key] = (signed_at, value)

    def clear(self):
        with self.lock:
            self.entries = {}


def within_age(signed_at, max_age):
    """itsdangerous's rule, on a remembered timestamp: no older than `max_age` seconds (None: any age), and not from
    the future."""
    if max_age is None:
        return True
    age = int(time.time()) - signed_at  # time.time looked up at each call, as itsdangerous does (tests move it)
    return 0 <= age <= max_age


def copied(value):
    """A fresh copy of a session's JSON payload (dicts and lists copied, the rest immutable): a view that changes a
    nested value of its session must not change what the memo holds for the next request."""
    if isinstance(value, dict):  # a session's values are mostly text and numbers: kept as they are, without a call
        return {key: item if type(item) in SCALARS else copied(item) for key, item in value.items()}
    if isinstance(value, list):
        return [copied(item) for item in value]
    if isinstance(value, tuple):
        return tuple(copied(item) for item in value)
    return value


def cookies_of(request):
    """request.cookies, parsed from the environ's Cookie header directly: werkzeug finds that header by walking the
    whole environ (~12 µs of every request) before parsing it. WSGI hands the request's cookies on as that one
    header, so the parse is the very one werkzeug makes; it is kept as request.cookies, for whatever reads them
    next."""
    parsed = request.__dict__.get("cookies")
    if parsed is None:
        parsed = request.cookies = parse_cookie(request.environ.get("HTTP_COOKIE", ""), cls=request.dict_storage_class)
    return parsed


def vary_on_cookie(response):
    """response.vary.add("Cookie"): most responses have no Vary header yet, and need no parsed header set for one."""
    if "Vary" in response.headers:
        response.vary.add("Cookie")
    else:
        response.headers.add("Vary", "Cookie")


class RememberedSessionInterface(SecureCookieSessionInterface):
    """Flask's signed cookie session, with the verification of an unchanged cookie remembered (see the module)."""

    def __init__(self, capacity=4096):
        self.memo = VerifiedMemo(capacity)

    def open_session(self, app, request):
        if not app.secret_key:
            return None
        cookie = cookies_of(request).get(self.get_cookie_name(app))
        if not cookie:
            return self.session_class()
        # The same keys, in the same order, as Flask's get_signing_serializer verifies with.
        key = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()), cookie)
        max_age = int(app.permanent_session_lifetime.total_seconds())
        remembered = self.memo.get(key)
        if remembered is not None:
            signed_at, data = remembered
            return self.session_class(copied(data)) if within_age(signed_at, max_age) else self.session_class()
        try:
            data, signed = self.get_signing_serializer(app).loads(cookie, max_age=max_age, return_timestamp=True)
        except BadSignature:
            return self.session_class()
        self.memo.put(key, int(signed.timestamp()), copied(data))
        return self.session_class(data)

    def save_session(self, app, session, response):
        # Most requests leave their session as it came: Flask's save_session would read seven cookie settings before
        # finding it has nothing to write; answered here first, with the same Vary header.
        if not session.modified and not (session and self.should_set_cookie(app, session)):
            if session.accessed:
                vary_on_cookie(response)
            return
        super().save_session(app, session, response)


class RememberedCSRFProtect(CSRFProtect):
    """Flask-WTF's CSRF protection (its `protect`, with the same checks and messages), with the verification of
    the token's signature remembered (see the module), and no form parsing for a body that is not a form: a JSON
    autosave carries its token in the X-CSRFToken header, and its request.form would be empty anyway."""

    def __init__(self, app=None, capacity=4096):
        self.memo = VerifiedMemo(capacity)
        self.signed = VerifiedMemo(capacity)  # (secret, session token, second or None) → the token pages embed
        super().__init__(app)

    def init_app(self, app):
        super().init_app(app)
        # Flask-WTF's csrf_token(), in templates and in their context, through the memo (see the module).
        processors = app.template_context_processors[None]
        added = processors[-1]()  # the processor Flask-WTF has just added
        if added.get("csrf_token") is not generate_csrf:
            raise RuntimeError("Flask-WTF no longer adds csrf_token() as signed_memo.py expects")
        app.jinja_env.globals["csrf_token"] = self.generate
        processors[-1] = lambda: {**added, "csrf_token": self.generate}

    def generate(self):
        """flask_wtf.csrf.generate_csrf(), the token of an unchanged session token remembered (see the module)."""
        app = current_app._get_current_object()
        config = app.config
        field_name = config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
        secret_key = config.get("WTF_CSRF_SECRET_KEY", app.secret_key)
        if not field_name or not secret_key:
            return generate_csrf()  # Flask-WTF's own error
        here = g._get_current_object()
        if field_name in here:
            return here.get(field_name)  # this request's token already, as generate_csrf answers it
        raw = session.get(field_name)
        if not isinstance(raw, str):  # no session token yet (Flask-WTF makes one), or an unusable one
            return generate_csrf()
        time_limit = config.get("WTF_CSRF_TIME_LIMIT", 3600)
        key = (secret_key, raw, None if time_limit is None else int(time.time()))
        remembered = self.signed.get(key)
        if remembered is not None:
            setattr(here, field_name, remembered[1])  # as Flask-WTF keeps it: FlaskForm's fields read it there
            return remembered[1]
        token = generate_csrf()
        if key[2] is None or key[2] == int(time.time()):  # signed within the key's second, not the next one's
            self.signed.put(key, 0, token)
        return token

    def _is_exempt(self):
        # Nothing is exempt in Capacita (every POST checks its token): then there is nothing to look up per request.
        return bool(self._exempt_views or self._exempt_blueprints) and super()._is_exempt()

    def _get_csrf_token(self, current=None, config=None):
        current = request._get_current_object() if current is None else current
        config = current_app.config if config is None else config
        field_name = config["WTF_CSRF_FIELD_NAME"]
        if might_be_a_form(current) and current.mimetype in FORM_TYPES:
            form = current.form
            if form.get(field_name):
                return form[field_name]
            for key in form:  # a form with a prefix names it {prefix}-csrf_token
                if key.endswith(field_name) and form[key]:
                    return form[key]
        headers = current.headers
        for header_name in config["WTF_CSRF_HEADERS"]:
            token = headers.get(header_name)
            if token:
                return token
        return None

    def protect(self, apply_exemptions=False):
        # The request, the app and its config looked up once: each use of Flask's proxies is a context lookup.
        current = request._get_current_object()
        if apply_exemptions and (not current.endpoint or self._is_exempt()):
            return
        app = current_app._get_current_object()
        config = app.config
        if current.method not in config["WTF_CSRF_METHODS"]:
            return
        try:
            self.validate(self._get_csrf_token(current, config), app)
        except ValidationError as error:
            logging.getLogger("flask_wtf.csrf").info(error.args[0])
            self._error_response(error.args[0])
        if current.is_secure and config["WTF_CSRF_SSL_STRICT"]:
            if not current.referrer:
                self._error_response("The referrer header is missing.")
            if not same_origin(current.referrer, f"https://{current.host}/"):
                self._error_response("The referrer does not match the host.")
        g.csrf_valid = True  # FlaskForm skips its own check

    def validate(self, data, app=None):
        """flask_wtf.csrf.validate_csrf, with the same messages, the signature's check remembered."""
        app = current_app._get_current_object() if app is None else app
        config = app.config
        secret_key = config.get("WTF_CSRF_SECRET_KEY", app.secret_key)
        if secret_key is None:
            raise RuntimeError("A secret key is required to use CSRF.")
        field_name = config["WTF_CSRF_FIELD_NAME"]
        time_limit = config.get("WTF_CSRF_TIME_LIMIT", 3600)
        if not data:
            raise ValidationError(LOGGED_REASONS["missing"])
        session_here = session._get_current_object()
        if field_name not in session_here:
            raise ValidationError(LOGGED_REASONS["no_session"])
        key = (secret_key, data)
        remembered = self.memo.get(key)
        if remembered is not None:
            signed_at, token = remembered
            if not within_age(signed_at, time_limit):
                raise ValidationError(LOGGED_REASONS["expired"])
        else:
            serializer = URLSafeTimedSerializer(secret_key, salt=CSRF_SALT)
            try:
                token, signed = serializer.loads(data, max_age=time_limit, return_timestamp=True)
            except SignatureExpired as error:
                raise ValidationError(LOGGED_REASONS["expired"]) from error
            except BadData as error:
                raise ValidationError(LOGGED_REASONS["invalid"]) from error
            self.memo.put(key, int(signed.timestamp()), token)
        if not isinstance(token, str) or not hmac.compare_digest(session_here[field_name], token):
            raise ValidationError(LOGGED_REASONS["mismatch"])
