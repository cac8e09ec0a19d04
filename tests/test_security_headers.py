"""Security defaults of every response: headers, cookies, secret-key rules, error pages instead of tracebacks."""
import pytest

from app import create_app
from tests.conftest import login
from tests.helpers import app_with, failed_logins


def test_security_headers_on_every_kind_of_response(client, world):
    for url in ("/login", "/programs", "/no-such-page", "/static/css/app.css"):
        headers = client.get(url).headers
        csp = headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp and "script-src 'self'" in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"


def test_pages_have_no_inline_scripts_or_styles(client, world):
    login(client, world["emails"]["admin"])
    for url in ("/login", "/programs", f"/programs/{world['ids']['program']}", "/users/new"):
        html = client.get(url).get_data(as_text=True)
        assert "<script>" not in html and " style=" not in html and "onclick=" not in html


def test_session_cookie_is_http_only_and_same_site(client, world):
    response = login(client, world["emails"]["admin"])
    cookie = next(value for value in response.headers.getlist("Set-Cookie") if value.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_logged_in_pages_are_not_cached(client, world):
    login(client, world["emails"]["admin"])
    assert client.get("/programs").headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("secret", ["", "dev", "short-secret"])
def test_production_refuses_to_start_without_a_strong_secret(monkeypatch, tmp_path, secret):
    monkeypatch.setenv("CAPACITA_ENV", "production")
    monkeypatch.setenv("PUBLIC_URL", "https://capacita.example.org")
    monkeypatch.setenv("SECRET_KEY", secret)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'x.sqlite3'}")
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app()


def test_production_needs_its_public_url(monkeypatch, tmp_path):
    monkeypatch.setenv("CAPACITA_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "k" * 48)
    monkeypatch.delenv("PUBLIC_URL", raising=False)
    with pytest.raises(RuntimeError, match="PUBLIC_URL"):
        create_app()


def test_production_starts_with_a_strong_secret_and_secure_cookies(monkeypatch, tmp_path):
    monkeypatch.setenv("CAPACITA_ENV", "production")
    monkeypatch.setenv("PUBLIC_URL", "https://capacita.example.org")
    monkeypatch.setenv("SECRET_KEY", "x" * 8 + "a-long-random-value-from-the-environment")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'x.sqlite3'}")
    app = create_app()
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert "Strict-Transport-Security" in app.test_client().get("/login").headers


def test_postgres_urls_get_the_psycopg_driver(monkeypatch):
    monkeypatch.setenv("CAPACITA_ENV", "development")
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db.internal:5432/capacita")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u:p@db.internal:5432/capacita"
    # A server connection lost while idle (a restart) is replaced at checkout, not handed to a request.
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"] == {"pool_pre_ping": True}


def test_a_sqlite_file_is_not_pinged_on_every_checkout(monkeypatch, tmp_path):
    monkeypatch.setenv("CAPACITA_ENV", "development")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/capacita.sqlite3")
    assert create_app().config["SQLALCHEMY_ENGINE_OPTIONS"] == {"pool_pre_ping": False}


def test_unknown_pages_get_a_translated_404_page(client):
    response = client.get("/programs/999999/nothing")
    assert response.status_code == 404
    assert "No encontramos esa página." in response.get_data(as_text=True)


def test_sqlite_is_configured_for_several_workers(app):
    from sqlalchemy import text

    from extensions import db

    with app.app_context(), db.engine.connect() as connection:
        if connection.dialect.name != "sqlite":
            pytest.skip("SQLite pragmas only apply to SQLite")
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() >= 5000


def test_an_unknown_environment_name_is_refused(monkeypatch):
    monkeypatch.setenv("CAPACITA_ENV", "staging")
    monkeypatch.setenv("SECRET_KEY", "")
    with pytest.raises(RuntimeError, match="CAPACITA_ENV"):
        create_app()


def test_behind_a_trusted_proxy_the_limit_counts_each_real_client(tmp_path):
    app = app_with(tmp_path, TRUSTED_PROXIES=1)
    assert failed_logins(app, "203.0.113.7", 11)[-1] == 429
    assert failed_logins(app, "198.51.100.4", 1) == [200]


REDIS_SCRIPT = """
import sys, uuid
sys.path.insert(0, {root!r})
from tests.helpers import app_with, failed_logins
from pathlib import Path
prefix = uuid.uuid4().hex  # concurrent runs (CI and a developer) must not share counters
config = dict(RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/15", RATELIMIT_KEY_PREFIX=prefix, TRUSTED_PROXIES=1)
first = app_with(Path({tmp!r}), **config)
second = app_with(Path({tmp!r}), **config)
print(failed_logins(first, "192.0.2.9", 6), failed_logins(second, "192.0.2.9", 5))
"""


def test_rate_limits_can_live_in_redis_for_several_servers(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    import redis

    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/15", socket_connect_timeout=2).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis server on 127.0.0.1:6379")
    # Its own process: Flask-Limiter keeps one storage per process, which must not leak into other tests.
    root = str(Path(__file__).resolve().parent.parent)
    output = subprocess.run([sys.executable, "-c", REDIS_SCRIPT.format(root=root, tmp=str(tmp_path))], cwd=root,
                            capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1]
    first, second = output.split("] [")
    assert first == "[200, 200, 200, 200, 200, 200"
    # The second server sees the attempts the first one counted: the fifth more is the eleventh in all.
    assert second.endswith("429]")


def test_hsts_only_where_the_site_is_served_over_https(monkeypatch, tmp_path):
    monkeypatch.setenv("CAPACITA_ENV", "development")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'x.sqlite3'}")
    # A developer's http://127.0.0.1 must not be pinned to HTTPS for a year.
    assert "Strict-Transport-Security" not in create_app().test_client().get("/login").headers


def test_personal_pages_are_never_stored_by_a_browser_or_proxy(app, client, world):
    from tests.helpers import enter, link_for, path_of

    link = link_for(app, world["ids"]["mx1"])
    assert client.get(path_of(link)).headers["Cache-Control"] == "no-store"
    enter(client, link)
    for url in ("/me", "/me/agenda.ics", "/me/agenda.pdf", "/verify/world-certificate-code-" + "x" * 20):
        assert client.get(url).headers["Cache-Control"] == "no-store", url


def test_links_in_messages_use_the_configured_address_not_the_request_host(app, client, world, run_tasks):
    from sqlalchemy import func, select

    from extensions import db
    from tests.conftest import csrf_from
    from training.models import OutboundMessage

    client.environ_base["HTTP_HOST"] = "evil.example"  # every request, the login included, claims another host
    login(client, world["emails"]["admin"])
    program = world["ids"]["program"]
    page = client.get(f"/programs/{program}/messages")
    assert page.status_code == 200
    response = client.post(f"/programs/{program}/invitations",
                           data={"csrf_token": csrf_from(page.get_data(as_text=True)), "scope": "all"})
    assert response.status_code == 302 and "evil.example" not in response.headers["Location"]
    run_tasks()
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(OutboundMessage)) == 5
    public = app.config["PUBLIC_URL"].rstrip("/") + "/p/"
    # The stored bodies keep {link}; the outbox and its export show (and the sender sends) the built links.
    for url in (f"/programs/{program}/messages", f"/programs/{program}/messages/export.csv"):
        shown = client.get(url).get_data().decode("utf-8-sig")
        assert shown.count(public) >= 5 and "evil.example" not in shown, url
