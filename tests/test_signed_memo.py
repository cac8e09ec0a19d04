"""The session cookie and CSRF token checks remembered per process (signed_memo.py) refuse what the full checks
refuse: a tampered or expired cookie, one signed with a key no longer in use, a token from another session or past
its time limit. And the per-request work trimmed in app.py and logs.py keeps its behaviour."""
import json
import subprocess
import sys
import time
from pathlib import Path
from unittest import mock

import pytest
from flask import Flask, request

from signed_memo import RememberedSessionInterface, VerifiedMemo
from tests.conftest import csrf_from
from tests.helpers import enter, link_for, open_pre_test

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def pre_test(app, world):
    return open_pre_test(app, world["ids"]["program"])


def browser_with(app, cookie):
    """Another browser holding `cookie` as its session cookie."""
    other = app.test_client()
    other.set_cookie("session", cookie)
    return other


def entered(app, client, world):
    """The session cookie of a participant who came in through their link, already used once (so remembered)."""
    enter(client, link_for(app, world["ids"]["mx1"]))
    assert client.get("/me").status_code == 200
    return client.get_cookie("session").value


def test_a_remembered_cookie_altered_by_one_character_opens_nothing(app, client, world):
    cookie = entered(app, client, world)
    assert browser_with(app, cookie).get("/me").status_code == 200  # the same string: remembered, still good
    # The signature's first character: every one of its bits counts. (The last character of a 20-byte signature
    # carries 2 bits base64 ignores, so changing it can decode to the same bytes, which itsdangerous also accepts.)
    head, signature = cookie.rsplit(".", 1)
    tampered = f"{head}.{'A' if signature[0] != 'A' else 'B'}{signature[1:]}"
    assert browser_with(app, tampered).get("/me").status_code == 403
    payload_changed = cookie.replace(cookie.split(".")[1][:4], "AAAA", 1)
    assert browser_with(app, payload_changed).get("/me").status_code == 403


def test_a_remembered_cookie_expires_with_the_session_lifetime(app, client, world):
    cookie = entered(app, client, world)
    lifetime = app.permanent_session_lifetime.total_seconds()
    assert browser_with(app, cookie).get("/me").status_code == 200
    with mock.patch("time.time", return_value=time.time() + lifetime - 60):
        assert browser_with(app, cookie).get("/me").status_code == 200
    with mock.patch("time.time", return_value=time.time() + lifetime + 60):
        assert browser_with(app, cookie).get("/me").status_code == 403
    # Signed in the future (a clock set back): refused like itsdangerous refuses it.
    with mock.patch("time.time", return_value=time.time() - 3600):
        assert browser_with(app, cookie).get("/me").status_code == 403


def test_a_new_secret_key_refuses_remembered_cookies_unless_the_old_one_is_a_fallback(app, client, world, monkeypatch):
    cookie = entered(app, client, world)
    old = app.config["SECRET_KEY"]
    monkeypatch.setitem(app.config, "SECRET_KEY", "n" * 48)
    assert browser_with(app, cookie).get("/me").status_code == 403
    monkeypatch.setitem(app.config, "SECRET_KEY_FALLBACKS", [old])
    assert browser_with(app, cookie).get("/me").status_code == 200
    monkeypatch.setitem(app.config, "SECRET_KEY_FALLBACKS", [])  # the fallback retired: the cookie with it
    assert browser_with(app, cookie).get("/me").status_code == 403


def test_a_view_changing_its_session_does_not_change_what_the_next_request_reads():
    app = Flask(__name__)
    app.secret_key = "k" * 48
    app.session_interface = interface = RememberedSessionInterface()
    cookie = interface.get_signing_serializer(app).dumps({"participant": {"id": 1, "tabs": [1]}})
    with app.test_request_context(headers={"Cookie": f"session={cookie}"}):
        first = interface.open_session(app, request)
        first["participant"]["id"] = 2
        first["participant"]["tabs"].append(2)
        second = interface.open_session(app, request)
        second["participant"]["tabs"].append(3)
        third = interface.open_session(app, request)
    assert third["participant"] == {"id": 1, "tabs": [1]}


def test_the_memo_stays_within_its_capacity():
    memo = VerifiedMemo(capacity=4)
    for index in range(10):
        memo.put(("key", index), 0, index)
    assert len(memo.entries) <= 4
    assert memo.get(("key", 9)) == (0, 9)  # the newest stay
    assert memo.get(("key", 0)) is None


def _started(app, client, world):
    enter(client, link_for(app, world["ids"]["mx1"]))
    page = client.get("/me/tests/pre").get_data(as_text=True)
    assert client.post("/me/tests/pre/start", data={"csrf_token": csrf_from(page)}).status_code == 302
    return csrf_from(client.get("/me/tests/pre").get_data(as_text=True))


def _autosave(client, token, question, value, seq):
    return client.post("/me/tests/pre/answers", data=json.dumps({"question": question, "value": value, "seq": seq}),
                       headers={"X-CSRFToken": token, "Content-Type": "application/json"})


def test_a_remembered_token_is_still_refused_in_another_session(app, client, world, pre_test):
    token = _started(app, client, world)
    assert _autosave(client, token, pre_test["questions"][0], "a", 10).status_code == 200  # verified, remembered
    other = app.test_client()
    enter(other, link_for(app, world["ids"]["mx2"]))
    other.get("/me/tests/pre")  # their session has a CSRF token of its own
    refused = _autosave(other, token, pre_test["questions"][0], "a", 10)
    assert refused.status_code == 400
    assert "El formulario caducó" in refused.get_data(as_text=True)


def test_a_remembered_token_expires_at_the_time_limit(app, client, world, pre_test, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_TIME_LIMIT", 3600)
    token = _started(app, client, world)
    question = pre_test["questions"][0]
    assert _autosave(client, token, question, "a", 10).status_code == 200
    with mock.patch("time.time", return_value=time.time() + 1800):
        assert _autosave(client, token, question, "b", 20).status_code == 200
    with mock.patch("time.time", return_value=time.time() + 3700):
        assert _autosave(client, token, question, "c", 30).status_code == 400
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert _autosave(client, forged, question, "d", 40).status_code == 400


def test_an_autosave_says_it_varies_by_cookie_and_sets_none(app, client, world, pre_test):
    token = _started(app, client, world)
    response = _autosave(client, token, pre_test["questions"][0], "a", 10)
    assert response.status_code == 200
    assert "Cookie" in response.headers.get("Vary", "")
    assert "Set-Cookie" not in response.headers


def test_a_header_a_view_sets_is_kept_and_the_others_are_added_once(app, client, world):
    entered(app, client, world)
    response = client.get("/me")
    assert response.headers.getlist("Referrer-Policy") == ["no-referrer"]  # no_store's, not the default
    assert response.headers.getlist("Cache-Control") == ["no-store"]
    assert response.headers.getlist("X-Frame-Options") == ["DENY"]
    assert len(response.headers.getlist("Content-Security-Policy")) == 1


def test_each_request_gets_its_own_request_id(client):
    first, second = client.get("/login"), client.get("/login")
    assert first.headers["X-Request-ID"] != second.headers["X-Request-ID"]
    assert client.get("/login", headers={"X-Request-ID": "proxy-id-1"}).headers["X-Request-ID"] == "proxy-id-1"


def test_nul_in_a_query_key_or_value_is_refused(client):
    assert client.get("/login?a%00=1").status_code == 400
    assert client.get("/login?a=1&a=b%00").status_code == 400  # in a repeated key's second value too
    assert client.get("/login?a=%2500").status_code == 200  # "%00" written out, not a NUL


APPLICATION_LIMIT_SCRIPT = """
import sys
sys.path.insert(0, {root!r})
from pathlib import Path
from tests.helpers import app_with
app = app_with(Path({tmp!r}), RATELIMIT_APPLICATION="2 per minute")
client = app.test_client()
print([client.get("/login").status_code for _ in range(3)])
"""


def test_an_application_wide_limit_still_counts_on_routes_without_a_limit_of_their_own(tmp_path):
    # The before_request check of the limiter is skipped while no such limit exists: one set up must find it
    # running. Its own process: the limiter is one object per process, its limits would leak into other tests.
    script = APPLICATION_LIMIT_SCRIPT.format(root=str(ROOT), tmp=str(tmp_path))
    output = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    assert output.stdout.strip().splitlines()[-1] == "[200, 200, 429]"


@pytest.mark.parametrize("header", [
    None, "", "session=abc.def", "a=1; session=abc.def; b=2", 'session="quoted\\073value"; x=1',
    "session=first; session=second", "  session = spaced ;other=1", "broken;;session=x", "xsession=1; session=2",
])
def test_the_session_cookie_is_read_as_werkzeug_reads_the_request_cookies(header):
    from werkzeug.test import EnvironBuilder
    from werkzeug.wrappers import Request

    from signed_memo import cookies_of

    environ = EnvironBuilder(headers={"Cookie": header} if header is not None else {}).get_environ()
    read = cookies_of(Request(environ))
    assert read == Request(environ).cookies
    assert type(read) is type(Request(environ).cookies)
    request_seen = Request(environ)
    assert cookies_of(request_seen) is request_seen.cookies  # kept for whatever reads them next


def test_new_request_ids_are_uuid4_hex():
    import uuid

    from logs import new_request_id

    ids = {new_request_id() for _ in range(200)}
    assert len(ids) == 200
    for value in ids:
        parsed = uuid.UUID(hex=value)
        assert (parsed.hex, parsed.version, parsed.variant) == (value, 4, uuid.RFC_4122)


def _hooked_app(merge):
    """A bare app with hooks recording their order, one before_request answering for /stop; merged when asked."""
    from app import _run_hooks_as_one

    app, calls = Flask("hooked"), []
    for name in ("b1", "b2", "b3"):
        app.before_request(lambda name=name: calls.append(name) or ("stopped" if name == "b2" and request.path
                                                                    == "/stop" else None))
    for name in ("a1", "a2", "a3"):
        def after(response, name=name):
            calls.append(name)
            response.headers.add("X-Order", name)
            return response
        app.after_request(after)
    app.context_processor(lambda: {"x": 1, "y": 1})
    app.context_processor(lambda: {"y": 2})
    if merge:
        _run_hooks_as_one(app)
    app.before_request(lambda: calls.append("b4"))  # registered later: after the others, as Flask orders them
    app.after_request(lambda response: calls.append("a4") or response)

    @app.route("/go")
    @app.route("/stop")
    def view():
        from flask import render_template_string
        calls.append("view")
        return render_template_string("{{ x }}{{ y }}")

    return app, calls


def test_hooks_run_as_one_in_flasks_order():
    for path in ("/go", "/stop"):
        answers = []
        for merge in (False, True):
            app, calls = _hooked_app(merge)
            response = app.test_client().get(path)
            answers.append((calls, response.get_data(as_text=True), response.headers.getlist("X-Order")))
        assert answers[0] == answers[1]
    assert answers[1][0][:3] == ["b1", "b2", "a4"]  # /stop: b2's answer stops b3, b4 and the view
