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

The memo is bounded (`capacity` entries; when full, the older half is dropped) and process-local."""
import hmac
import logging
import threading
import time

from flask import current_app, g, request, session
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import CSRFProtect, same_origin
from itsdangerous import BadData, BadSignature, SignatureExpired, URLSafeTimedSerializer
from wtforms import ValidationError

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
CSRF_SALT = "wtf-csrf-token"  # Flask-WTF's, so that the tokens it signs in pages are the ones checked here


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
    if isinstance(value, dict):
        return {key: copied(item) for key, item in value.items()}
    if isinstance(value, list):
        return [copied(item) for item in value]
    if isinstance(value, tuple):
        return tuple(copied(item) for item in value)
    return value


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
        cookie = request.cookies.get(self.get_cookie_name(app))
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
        super().__init__(app)

    def _is_exempt(self):
        # Nothing is exempt in Capacita (every POST checks its token): then there is nothing to look up per request.
        return bool(self._exempt_views or self._exempt_blueprints) and super()._is_exempt()

    def _get_csrf_token(self):
        field_name = current_app.config["WTF_CSRF_FIELD_NAME"]
        if might_be_a_form(request) and request.mimetype in FORM_TYPES:
            form = request.form
            if form.get(field_name):
                return form[field_name]
            for key in form:  # a form with a prefix names it {prefix}-csrf_token
                if key.endswith(field_name) and form[key]:
                    return form[key]
        for header_name in current_app.config["WTF_CSRF_HEADERS"]:
            token = request.headers.get(header_name)
            if token:
                return token
        return None

    def protect(self, apply_exemptions=False):
        if apply_exemptions and (not request.endpoint or self._is_exempt()):
            return
        if request.method not in current_app.config["WTF_CSRF_METHODS"]:
            return
        try:
            self.validate(self._get_csrf_token())
        except ValidationError as error:
            logging.getLogger("flask_wtf.csrf").info(error.args[0])
            self._error_response(error.args[0])
        if request.is_secure and current_app.config["WTF_CSRF_SSL_STRICT"]:
            if not request.referrer:
                self._error_response("The referrer header is missing.")
            if not same_origin(request.referrer, f"https://{request.host}/"):
                self._error_response("The referrer does not match the host.")
        g.csrf_valid = True  # FlaskForm skips its own check

    def validate(self, data):
        """flask_wtf.csrf.validate_csrf, with the same messages, the signature's check remembered."""
        config = current_app.config
        secret_key = config.get("WTF_CSRF_SECRET_KEY", current_app.secret_key)
        if secret_key is None:
            raise RuntimeError("A secret key is required to use CSRF.")
        field_name = config["WTF_CSRF_FIELD_NAME"]
        time_limit = config.get("WTF_CSRF_TIME_LIMIT", 3600)
        if not data:
            raise ValidationError("The CSRF token is missing.")
        if field_name not in session:
            raise ValidationError("The CSRF session token is missing.")
        key = (secret_key, data)
        remembered = self.memo.get(key)
        if remembered is not None:
            signed_at, token = remembered
            if not within_age(signed_at, time_limit):
                raise ValidationError("The CSRF token has expired.")
        else:
            serializer = URLSafeTimedSerializer(secret_key, salt=CSRF_SALT)
            try:
                token, signed = serializer.loads(data, max_age=time_limit, return_timestamp=True)
            except SignatureExpired as error:
                raise ValidationError("The CSRF token has expired.") from error
            except BadData as error:
                raise ValidationError("The CSRF token is invalid.") from error
            self.memo.put(key, int(signed.timestamp()), token)
        if not isinstance(token, str) or not hmac.compare_digest(session[field_name], token):
            raise ValidationError("The CSRF tokens do not match.")
