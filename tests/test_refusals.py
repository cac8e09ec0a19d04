"""The refusal memo answers a refused address again in the WSGI layer, for the window its 429 named, and no longer."""
import pytest

from refusals import RefusalMemo, door_of


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

    def __init__(self, refusals, retry_after="60"):
        self.calls, self.refusals, self.retry_after = 0, refusals, retry_after

    def __call__(self, environ, start_response):
        self.calls += 1
        if self.calls <= self.refusals:
            start_response("429 TOO MANY REQUESTS", [("Content-Type", "text/html"), ("Retry-After", self.retry_after),
                                                     ("Set-Cookie", "session=someone"), ("Content-Length", "7")])
            return [b"refused"]
        start_response("200 OK", [("Content-Type", "text/html")])
        return [b"welcome"]


def call(memo, path="/p/token", address="203.0.113.9", method="GET"):
    seen = {}

    def start_response(status, headers, exc_info=None):
        seen["status"], seen["headers"] = status, dict(headers)

    body = b"".join(memo({"REQUEST_METHOD": method, "PATH_INFO": path, "REMOTE_ADDR": address}, start_response))
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
    assert ("203.0.113.9", "link") in memo.refused  # the newest refusal is kept
