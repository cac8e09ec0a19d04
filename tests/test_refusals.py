"""The refusal memo answers a refused address again in the WSGI layer, for the window its 429 named, and no longer."""
import pytest

from refusals import REPLAYABLE_FOR, RefusalMemo, door_of, replayable_for


@pytest.mark.parametrize(("method", "path", "door"), [
    ("POST", "/login", "login"), ("GET", "/login", None), ("GET", "/p/abc", "link"), ("POST", "/p/abc", "link"),
    ("GET", "/verify", "verify"), ("GET", "/verify/CODE123", "verify"), ("GET", "/me", None),
    ("POST", "/me/tests/pre/answers", None), ("GET", "/programs", None), ("GET", "/verifyx", None),
])
def test_only_the_rate_limited_doors_are_watched(method, path, door):
    assert door_of(method, path) == door


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


class App:
    """A WSGI app that refuses the first `refusals` requests with a 429, then answers 200."""

    def __init__(self, refusals, retry_after="60", replayable_for=None):
        self.calls, self.refusals, self.retry_after, self.replayable_for = 0, refusals, retry_after, replayable_for

    def __call__(self, environ, start_response):
        self.calls += 1
        if self.calls <= self.refusals:
            if self.replayable_for:
                environ[REPLAYABLE_FOR] = self.replayable_for  # as app.py's 429 handler does
            start_response("429 TOO MANY REQUESTS", [("Content-Type", "text/html"), ("Retry-After", self.retry_after),
                                                     ("Set-Cookie", "session=someone"), ("Content-Length", "7")])
            body = f"refused {environ.get('HTTP_ACCEPT_LANGUAGE', '')}".strip()
            return [b"" if environ["REQUEST_METHOD"] == "HEAD" else body.encode()]
        start_response("200 OK", [("Content-Type", "text/html")])
        return [b"welcome"]


def call(memo, path="/p/token", address="203.0.113.9", method="GET", **headers):
    seen = {}

    def start_response(status, headers, exc_info=None):
        seen["status"], seen["headers"] = status, dict(headers)

    environ = {"REQUEST_METHOD": method, "PATH_INFO": path, "REMOTE_ADDR": address, **headers}
    body = b"".join(memo(environ, start_response))
    return seen["status"][:3], seen["headers"], body


def test_a_refused_address_is_refused_again_without_reaching_the_app_until_the_window_passes():
    app, clock = App(refusals=1), Clock()
    memo = RefusalMemo(app, clock=clock)
    assert call(memo)[0] == "429" and app.calls == 1
    clock.now += 45
    status, headers, body = call(memo, path="/p/another-token")
    assert (status, body, app.calls) == ("429", b"refused", 1)
    assert headers["Retry-After"] == "15" and headers["Content-Length"] == "7"
    assert "Set-Cookie" not in headers  # another browser behind the same address gets no one's cookie
    clock.now += 15
    assert call(memo)[0] == "200" and app.calls == 2


def test_other_addresses_doors_and_pages_still_reach_the_app():
    app, clock = App(refusals=1), Clock()
    memo = RefusalMemo(app, clock=clock)
    call(memo)
    assert call(memo, address="198.51.100.4")[0] == "200"
    assert call(memo, path="/verify/CODE123")[0] == "200"
    assert call(memo, path="/me")[0] == "200"
    assert app.calls == 4


def test_a_refusal_without_retry_after_is_not_remembered_and_forget_clears_the_memo():
    app = App(refusals=2, retry_after="soon")
    memo = RefusalMemo(app, clock=Clock())
    assert [call(memo)[0] for _ in range(3)] == ["429", "429", "200"] and app.calls == 3
    refusing = RefusalMemo(App(refusals=1), clock=Clock())
    call(refusing)
    refusing.forget()
    assert call(refusing)[0] == "200"


def test_the_memo_stays_within_its_capacity():
    clock = Clock()
    memo = RefusalMemo(App(refusals=10**6), capacity=4, clock=clock)
    for number in range(10):
        call(memo, address=f"203.0.113.{number}")
    assert len(memo.refused) <= 4
    assert [key[:2] for key in memo.refused][-1] == ("203.0.113.9", "link")  # the newest refusal is kept


@pytest.mark.parametrize(("wait", "replayable"), [(1, 1), (3, 3), (59, 5), (60, 60), (61, 1), (150, 30),
                                                   (3600, 60)])
def test_a_refusal_page_is_replayed_only_while_its_words_overstate_the_wait_by_little(wait, replayable):
    # too_many.html: "59 seconds" may say so for five seconds; "3 minutes" (150 s) becomes "2 minutes" after 30 s.
    assert replayable_for(wait) == replayable


def test_the_page_is_replayed_only_while_its_text_is_true_and_retry_after_stays_true():
    app, clock = App(refusals=2, retry_after="150", replayable_for=30), Clock()
    memo = RefusalMemo(app, clock=clock)
    assert call(memo)[0] == "429"
    clock.now += 29
    status, headers, _body = call(memo)
    assert (status, headers["Retry-After"], app.calls) == ("429", "121", 1)
    clock.now += 1
    assert call(memo)[0] == "429" and app.calls == 2  # "wait 3 minutes" is no longer true: the app words it again


def test_another_visitor_behind_the_same_address_gets_a_page_in_their_own_language():
    app, clock = App(refusals=10), Clock()
    memo = RefusalMemo(app, clock=clock)
    assert call(memo, HTTP_ACCEPT_LANGUAGE="es")[2] == b"refused es"
    assert call(memo, HTTP_ACCEPT_LANGUAGE="en")[2] == b"refused en" and app.calls == 2
    assert call(memo, HTTP_ACCEPT_LANGUAGE="es")[2] == b"refused es" and app.calls == 2  # the same: replayed


def test_a_new_cookie_or_language_header_with_every_knock_does_not_reach_the_app_again():
    # What an attacker can vary at will stays out of the key: only the language the header picks counts.
    app, clock = App(refusals=10), Clock()
    memo = RefusalMemo(app, clock=clock)
    for number in range(5):
        call(memo, HTTP_COOKIE=f"session=attempt-{number}", HTTP_ACCEPT_LANGUAGE=f"en;q=0.{number + 1}, xx")
    assert app.calls == 1


def test_a_refusal_to_a_head_request_is_not_replayed_to_a_get():
    app, clock = App(refusals=10), Clock()
    memo = RefusalMemo(app, clock=clock)
    assert call(memo, method="HEAD")[2] == b""
    assert call(memo)[2] == b"refused" and app.calls == 2  # the same address, door and language


def test_a_browser_with_a_device_cookie_gets_neither_its_addresss_refusals_nor_they_its_own():
    # A browser that logged in before is not held up by the limits its address's guessers meet (app.py names it by its
    # valid device cookie, which an attacker cannot make up).
    app, clock = App(refusals=2), Clock()
    memo = RefusalMemo(app, clock=clock, device=lambda environ: environ.get("HTTP_X_DEVICE"))
    assert call(memo, path="/login", method="POST")[0] == "429" and app.calls == 1
    assert call(memo, path="/login", method="POST")[0] == "429" and app.calls == 1  # the guesser: replayed
    assert call(memo, path="/login", method="POST", HTTP_X_DEVICE="nonce-1")[0] == "429" and app.calls == 2
    assert call(memo, path="/login", method="POST", HTTP_X_DEVICE="nonce-2")[0] == "200" and app.calls == 3
    assert call(memo, path="/login", method="POST", HTTP_X_DEVICE="nonce-1")[0] == "429" and app.calls == 3
    assert call(memo, path="/login", method="POST")[0] == "429" and app.calls == 3
