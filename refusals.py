"""Refuse again in the WSGI layer a visitor a rate limit has just refused, while the refusal's page stays true."""
import math
import threading
import time

from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

from training.localized import SUPPORTED_LANGUAGES

# (method or None for any, path or path prefix ending in "/", door): the rate-limited entrances.
DOORS = (("POST", "/login", "login"), (None, "/p/", "link"), (None, "/verify", "verify"),
         (None, "/verify/", "verify"))
# Set in the request's environ by the app's 429 handler: how many seconds the page's words ("wait 3 minutes") stay
# true. The memo replays the page no longer than that. In the environ, not a header: nothing to keep from clients.
REPLAYABLE_FOR = "capacita.refusal_replayable_for"
# Never replayed: another browser behind the same address must not receive someone's cookie or request id.
PRIVATE_HEADERS = {"set-cookie", "x-request-id", "retry-after", "content-length"}


def door_of(method, path):
    """The rate-limited door a request knocks at, or None."""
    for door_method, door_path, door in DOORS:
        if door_method not in (None, method):
            continue
        if path == door_path or (door_path.endswith("/") and path.startswith(door_path)):
            return door
    return None


class RefusalMemo:
    """WSGI middleware in front of the app (behind ProxyFix, so REMOTE_ADDR is the real client).

    An attacker goes on knocking after the first 429; each knock would cost a session, a template and a round trip
    to the limiter's storage, as much as a test taker's answer. The memo keeps the refusal the app answered (its
    status, headers and body) per address, door and browser language, and answers it again while its words stay
    true (`replayable_for`). The limiter stays the only judge: the memo only repeats its verdict, per process.

    The language the browser's Accept-Language picks among the site's is in the key, so that someone else behind
    the same office address whose browser asks for another language gets a page of their own from the app. The
    language picked, not the header's text, which an attacker could vary at will; and not the session cookie,
    although a language chosen on the site lives there: each new cookie would be a new key, and an attacker keeping
    one per connection would reach the app with every knock. Such a visitor may get, for a minute at most, the page
    of someone at the same address whose browser picks the same language.

    `device(environ)` names the browser when it holds a valid device cookie (one it got by logging in, which an
    attacker cannot make up), else None; it is part of the key too. Such a browser is not held up by the limits its
    address's guessers meet, so it must never get their refusals, nor they its own."""

    def __init__(self, app, languages=SUPPORTED_LANGUAGES, capacity=10_000, clock=time.monotonic, device=None):
        self.app, self.languages, self.capacity, self.clock = app, languages, capacity, clock
        self.device = device or (lambda environ: None)
        # (address, door, browser's language, device) → (replay until, retry at, status, headers, body)
        self.refused = {}
        self.lock = threading.Lock()

    def forget(self):
        """Drop every remembered refusal (with the limiter's counters, when they are reset)."""
        with self.lock:
            self.refused.clear()

    def __call__(self, environ, start_response):
        method = environ.get("REQUEST_METHOD", "")
        door = door_of(method, environ.get("PATH_INFO", ""))
        if door is None or method == "HEAD":  # a HEAD's refusal has no body to replay to a GET
            return self.app(environ, start_response)
        language = parse_accept_header(environ.get("HTTP_ACCEPT_LANGUAGE"), LanguageAccept).best_match(self.languages)
        key, now = (environ.get("REMOTE_ADDR", ""), door, language, self.device(environ)), self.clock()
        memo = self.refused.get(key)
        if memo is not None and now < memo[0]:
            _until, retry_at, status, headers, body = memo
            start_response(status, [*headers, ("Content-Length", str(len(body))),
                                    ("Retry-After", str(math.ceil(retry_at - now)))])
            return [body]
        return self._answer_and_remember(key, now, environ, start_response)

    def _answer_and_remember(self, key, now, environ, start_response):
        seen = {}

        def capture(status, headers, exc_info=None):
            seen["status"], seen["headers"] = status, headers
            return start_response(status, headers, exc_info)

        result = self.app(environ, capture)
        if not seen.get("status", "").startswith("429"):
            return result
        try:
            body = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        named = dict((name.lower(), value) for name, value in seen["headers"])
        wait = _seconds(named.get("retry-after"))
        replayable = min(wait, _seconds(environ.get(REPLAYABLE_FOR, wait)))
        if replayable:
            kept = [(name, value) for name, value in seen["headers"] if name.lower() not in PRIVATE_HEADERS]
            self._remember(key, (now + replayable, now + wait, seen["status"], kept, body), now)
        return [body]

    def _remember(self, key, memo, now):
        with self.lock:
            if len(self.refused) >= self.capacity:  # many addresses: drop the expired, then the oldest half
                self.refused = {k: v for k, v in self.refused.items() if v[0] > now}
                if len(self.refused) >= self.capacity:
                    self.refused = dict(list(self.refused.items())[self.capacity // 2:])
            self.refused[key] = memo


def replayable_for(wait):
    """Seconds a 429 page that says to wait `wait` seconds may be answered again, as too_many.html words it. Its
    words can only overstate the wait as it shrinks: whole minutes (rounded up) stay true until the next whole
    minute; a count of seconds may overstate by five at most (someone reloading sees it go down), so that a
    flood costs a page every five seconds and not one a second."""
    if wait < 60:
        return min(wait, 5)
    return wait - 60 * ((wait + 59) // 60 - 1)


def _seconds(text):
    try:
        return max(0, int(text))
    except (TypeError, ValueError):
        return 0
