"""Refuse again in the WSGI layer an address a rate limit has just refused, until its limit's window has passed."""
import math
import threading
import time

# (method or None for any, path or path prefix ending in "/", door): the rate-limited entrances.
DOORS = (("POST", "/login", "login"), (None, "/p/", "link"), (None, "/verify", "verify"),
         (None, "/verify/", "verify"))
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
    status, headers and body) per address and door, and answers it again until its Retry-After has passed. The
    limiter stays the only judge: the memo only repeats its verdict, per process, for the window it named."""

    def __init__(self, app, capacity=10_000, clock=time.monotonic):
        self.app, self.capacity, self.clock = app, capacity, clock
        self.refused = {}  # (address, door) → (until, status, headers, body)
        self.lock = threading.Lock()

    def forget(self):
        """Drop every remembered refusal (with the limiter's counters, when they are reset)."""
        with self.lock:
            self.refused.clear()

    def __call__(self, environ, start_response):
        door = door_of(environ.get("REQUEST_METHOD", ""), environ.get("PATH_INFO", ""))
        if door is None:
            return self.app(environ, start_response)
        key, now = (environ.get("REMOTE_ADDR", ""), door), self.clock()
        memo = self.refused.get(key)
        if memo is not None and now < memo[0]:
            until, status, headers, body = memo
            start_response(status, [*headers, ("Content-Length", str(len(body))),
                                    ("Retry-After", str(math.ceil(until - now)))])
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
        wait = _seconds(dict((name.lower(), value) for name, value in seen["headers"]).get("retry-after"))
        if wait:
            kept = [(name, value) for name, value in seen["headers"] if name.lower() not in PRIVATE_HEADERS]
            self._remember(key, (now + wait, seen["status"], kept, body), now)
        return [body]

    def _remember(self, key, memo, now):
        with self.lock:
            if len(self.refused) >= self.capacity:  # many addresses: drop the expired, then the oldest half
                self.refused = {k: v for k, v in self.refused.items() if v[0] > now}
                if len(self.refused) >= self.capacity:
                    self.refused = dict(list(self.refused.items())[self.capacity // 2:])
            self.refused[key] = memo


def _seconds(text):
    try:
        return max(0, int(text))
    except (TypeError, ValueError):
        return 0
