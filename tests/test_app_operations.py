"""Operations: /healthz, request ids and access lines (JSON or text), and `flask --app app check-config`."""
import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask.cli import ScriptInfo

import config_checks
import operations
from app import create_app
from assessments.impact.chart_images import images_available
from extensions import db
from tests.conftest import SECRET, statements_run

ROOT = Path(__file__).resolve().parent.parent
UNREACHABLE_POSTGRES = "postgresql+psycopg://capacita:pg-password-1@127.0.0.1:1/capacita"


@pytest.fixture
def make_app(app, database_url):
    """Apps of their own on the test database; the logging setup and engines they make are undone afterwards."""
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    made = []

    def make(**config):
        made.append(create_app({"TESTING": True, "CAPACITA_ENV": "test", "SECRET_KEY": SECRET,
                                "SQLALCHEMY_DATABASE_URI": database_url, "SESSION_COOKIE_SECURE": False,
                                "RATELIMIT_STORAGE_URI": "memory://", **config}))
        return made[-1]

    yield make
    for other in made:
        with other.app_context():
            db.engine.dispose()
    root.handlers[:] = saved_handlers
    root.setLevel(saved_level)


def json_lines(text):
    """Every line a JSON object (fails on any other line: one record must be one line)."""
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def cli(app, *args, **kwargs):
    return app.test_cli_runner().invoke(args=list(args), **kwargs)


# --- /healthz -------------------------------------------------------------------------------------------------


def test_healthz_answers_without_login_session_or_cache(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}
    assert response.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers
    assert re.fullmatch(r"[0-9a-f]{32}", response.headers["X-Request-ID"])


def test_healthz_is_never_rate_limited(client):
    statuses = {client.get("/healthz").status_code for _ in range(40)}
    assert statuses == {200}
    # Rate-limit headers are on for every limited route: none here means no limit applies.
    assert "X-RateLimit-Limit" not in client.get("/healthz").headers


def test_healthz_only_reads(app, client):
    with statements_run(app) as statements:
        assert client.get("/healthz").status_code == 200
    # On SQLite a plain BEGIN (a read), never BEGIN IMMEDIATE (the write lock).
    assert "SELECT 1" in statements and set(statements) <= {"SELECT 1", "BEGIN"}


def test_healthz_is_503_when_the_database_does_not_answer(make_app, capsys):
    broken = make_app(SQLALCHEMY_DATABASE_URI=UNREACHABLE_POSTGRES, LOG_FORMAT="json")
    response = broken.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "error", "database": "unavailable"}
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_data(as_text=True)
    assert "Traceback" not in body and "pg-password-1" not in body
    warning = next(line for line in json_lines(capsys.readouterr().out) if line["level"] == "WARNING")
    assert warning["logger"] == "app" and "Connection refused" in warning["message"]
    assert "pg-password-1" not in warning["message"]


def test_healthz_does_not_create_a_missing_sqlite_file(make_app, tmp_path):
    missing = tmp_path / "capacita.sqlite3"
    response = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{missing}").test_client().get("/healthz")
    assert response.status_code == 503 and response.get_json()["database"] == "unavailable"
    assert not missing.exists()


# --- logs -----------------------------------------------------------------------------------------------------


def test_one_json_access_line_per_request_with_the_token_redacted(make_app, capsys):
    client = make_app(LOG_FORMAT="json").test_client()
    token = "Tk4x" * 11
    capsys.readouterr()
    response = client.get(f"/p/{token}", headers={"X-Request-ID": "lb-7f3a.0042"})
    assert response.headers["X-Request-ID"] == "lb-7f3a.0042"
    out = capsys.readouterr().out
    access = [line for line in json_lines(out) if line["logger"] == "capacita.access"]
    assert len(access) == 1
    line = access[0]
    assert {key: line[key] for key in ("level", "method", "path", "status", "request_id")} == {
        "level": "INFO", "method": "GET", "path": "/p/[redacted]", "status": 404, "request_id": "lb-7f3a.0042"}
    assert line["message"].startswith("GET /p/[redacted] 404 ")
    assert isinstance(line["duration_ms"], float) and 0 <= line["duration_ms"] < 60_000
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", line["time"])
    assert token not in out


@pytest.mark.parametrize("offered", ["has space", "semi;colon", "x" * 129, "<script>", ""])
def test_a_malformed_request_id_is_replaced(make_app, capsys, offered):
    client = make_app(LOG_FORMAT="json").test_client()
    headers = {"X-Request-ID": offered} if offered else {}
    given = client.get("/healthz", headers=headers).headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", given)
    access = [line for line in json_lines(capsys.readouterr().out) if line["logger"] == "capacita.access"]
    assert [line["request_id"] for line in access] == [given]


def test_text_lines_outside_production(make_app, capsys, monkeypatch):
    monkeypatch.delenv("LOG_FORMAT", raising=False)
    app = make_app()
    assert app.config["LOG_FORMAT"] == "text"
    capsys.readouterr()
    response = app.test_client().get("/healthz", headers={"X-Request-ID": "abc-123"})
    assert response.status_code == 200
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} INFO capacita\.access \[abc-123\] "
                        r"GET /healthz 200 \d+\.\d ms", lines[0])


def test_production_logs_json_unless_told_otherwise(make_app, monkeypatch):
    monkeypatch.delenv("LOG_FORMAT", raising=False)
    production = {"CAPACITA_ENV": "production", "PUBLIC_URL": "https://capacita.example.org"}
    assert make_app(**production).config["LOG_FORMAT"] == "json"
    monkeypatch.setenv("LOG_FORMAT", "text")
    assert make_app(**production).config["LOG_FORMAT"] == "text"
    with pytest.raises(RuntimeError, match="LOG_FORMAT"):
        make_app(LOG_FORMAT="xml")


def test_an_exception_is_one_json_line_with_its_traceback(make_app, capsys):
    app = make_app(LOG_FORMAT="json", TESTING=False)

    def boom():
        raise ValueError("kaboom at /p/SecretTokenValue123")

    app.add_url_rule("/boom", "boom", boom)
    response = app.test_client().get("/boom", headers={"X-Request-ID": "req-boom-1"})
    assert response.status_code == 500 and "kaboom" not in response.get_data(as_text=True)
    lines = json_lines(capsys.readouterr().out)
    error = next(line for line in lines if line["level"] == "ERROR")
    assert error["logger"] == "app" and error["message"] == "Exception on /boom [GET]"
    assert error["request_id"] == "req-boom-1"
    assert error["exception"].startswith("Traceback (most recent call last):")
    assert error["exception"].endswith("ValueError: kaboom at /p/SecretTokenValue123")
    assert [line["status"] for line in lines if line["logger"] == "capacita.access"] == [500]


def test_the_development_servers_own_request_line_is_dropped():
    from logs import not_a_server_request_line

    request_line = logging.LogRecord("werkzeug", logging.INFO, "", 0, '127.0.0.1 - - [x] "%s" %s %s',
                                     ("GET / HTTP/1.1", "200", "-"), None)
    startup = logging.LogRecord("werkzeug", logging.INFO, "", 0, " * Running on http://127.0.0.1:5000", (), None)
    assert not not_a_server_request_line(request_line) and not_a_server_request_line(startup)


# --- check-config ---------------------------------------------------------------------------------------------


def test_check_config_prints_what_it_checked_and_passes(app):
    result = cli(app, "check-config")
    assert result.exit_code == 0, result.output
    for line in ("OK: the database answers", "OK: migrations are at head", "OK: debug mode is off",
                 f"OK: SECRET_KEY is set ({len(SECRET)} characters)",
                 "OK: rate limits are counted in memory (one process)"):
        assert line in result.stdout
    warnings = ["WARNING: MAIL_SERVER is not set: invitations, reminders and certificate e-mails stay in the outbox, "
                "and password reset links are not sent",
                "WARNING: QUEUE_URL is memory://: queued work stays in the web process and no worker sees it; leave "
                "QUEUE_URL empty (SQLite beside the database) or set redis://…"]
    # Chart images need a Chromium: a machine without one (a newcomer's) gets the warning, one with it the OK line.
    if images_available():
        assert "OK: chart images can be drawn (kaleido and Chromium found)" in result.stdout
    else:
        warnings.append("WARNING: chart images cannot be drawn: kaleido or a Chromium (chromium, chromium-browser, "
                        "google-chrome, chrome) is missing on PATH (apt-get install chromium); PNG/SVG downloads and "
                        "the charts in the PDF summary are unavailable (the page's own camera button still works)")
    assert result.stderr.splitlines() == warnings
    assert result.stdout.splitlines()[-1] == f"0 error(s), {len(warnings)} warning(s)."
    assert cli(app, "check-config", "--strict").exit_code == 1  # the warning now fails


def test_check_config_reports_debug_and_plain_http_in_production(make_app, monkeypatch):
    monkeypatch.setenv("FLASK_DEBUG", "1")  # what `flask --debug` sets
    app = make_app(CAPACITA_ENV="production", PUBLIC_URL="http://capacita.example.org",
                   MAIL_SERVER="smtp.example.org")
    result = cli(app, "check-config", "--workers", "4")
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("ERROR: ")]
    assert errors == [
        "ERROR: debug mode is on in production: the debugger runs any code a visitor sends; unset FLASK_DEBUG and "
        "do not pass --debug",
        "ERROR: PUBLIC_URL http://capacita.example.org is not https: personal links would travel unencrypted and "
        "the session cookie (Secure) would not be sent back",
    ]
    assert "WARNING: RATELIMIT_STORAGE_URI is memory:// and 4 workers are expected" in result.stderr
    assert result.stdout.splitlines()[-1].startswith("2 error(s), ")


def test_check_config_reports_a_weak_secret_without_printing_it(make_app):
    result = cli(make_app(SECRET_KEY="changeme"), "check-config")
    assert result.exit_code == 1
    assert "ERROR: SECRET_KEY is missing, a well-known value or shorter than 32 characters" in result.stderr
    assert "changeme" not in result.output


def test_check_config_says_why_the_app_refuses_to_start():
    def refusing_app():
        return create_app({"CAPACITA_ENV": "production", "SECRET_KEY": "short", "PUBLIC_URL": "https://x.example"})

    result = CliRunner().invoke(operations.check_config, obj=ScriptInfo(create_app=refusing_app))
    assert result.exit_code == 1
    assert result.stderr.startswith("ERROR: the app refuses to start: SECRET_KEY must be set to a random value")
    assert "Traceback" not in result.output


def test_the_flask_command_runs_check_config_even_when_the_app_refuses_to_start(tmp_path):
    """Through the real `flask` command: check-config is a plugin command, found before the app is loaded."""
    env = {**os.environ, "CAPACITA_ENV": "production", "SECRET_KEY": "dev", "PUBLIC_URL": "https://x.example",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"}
    result = subprocess.run([str(Path(sys.executable).parent / "flask"), "--app", "app", "check-config"], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stderr
    assert result.stderr.splitlines()[0].startswith("ERROR: the app refuses to start: SECRET_KEY must be set")


def test_check_config_finds_a_sqlite_file_on_nfs(make_app, tmp_path, monkeypatch):
    share = tmp_path / "share"
    share.mkdir()
    mounts = tmp_path / "mounts"
    mounts.write_text(f"/dev/sda1 / ext4 rw,relatime 0 0\nfiles:/export {os.path.realpath(share)} nfs4 rw 0 0\n")
    monkeypatch.setattr(operations, "MOUNTS_FILE", str(mounts))
    database = share / "capacita.sqlite3"
    result = cli(make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{database}"), "check-config")
    assert result.exit_code == 1
    assert (f"ERROR: the SQLite file's folder {share} is on a network file system (nfs4): its locks and WAL do "
            "not work there") in result.stderr
    assert f"ERROR: the database does not answer: there is no SQLite database at {database}" in result.stderr
    assert not database.exists()  # checking created nothing


# --- the checks themselves (pure) -----------------------------------------------------------------------------


def probes(**answers):
    defaults = {"database": lambda: None, "migrations": lambda: ({"0009"}, {"0009"}),
                "rate_limit_storage": lambda uri: None, "chart_browser": lambda: None, "mounts": lambda: "",
                "worker": lambda: (20.0, None)}
    return config_checks.Probes(**{**defaults, **answers})


SETTINGS = {"CAPACITA_ENV": "production", "DEBUG": False, "SECRET_KEY": "s" * 48, "PUBLIC_URL": "https://c.example",
            "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://capacita:hunter2@db/capacita",
            "RATELIMIT_STORAGE_URI": "redis://:hunter2@cache:6379", "MAIL_SERVER": "smtp.example", "LOG_FORMAT": "json",
            "QUEUE_URL": "redis://:hunter2@cache:6379/1"}


def lines(findings, level):
    return [finding.message for finding in findings if finding.level == level]


def test_a_good_production_configuration_has_only_ok_lines():
    findings = config_checks.check_config(SETTINGS, probes(), workers=4)
    assert lines(findings, "error") == [] and lines(findings, "warning") == []
    assert "database is postgresql+psycopg://capacita:***@db/capacita" in lines(findings, "ok")
    assert "rate-limit storage redis://:***@cache:6379 answers" in lines(findings, "ok")
    assert "hunter2" not in repr(findings)


def test_migrations_behind_and_storage_down_are_errors():
    findings = config_checks.check_config(
        SETTINGS, probes(migrations=lambda: ({"0008"}, {"0009"}), rate_limit_storage=lambda uri: "refused"))
    assert lines(findings, "error") == [
        "the database is at 0008, the code at 0009: run flask --app app db upgrade",
        "rate-limit storage redis://:***@cache:6379 does not answer (refused): rate-limited pages (login, personal "
        "links) would fail",
    ]


def test_a_silent_worker_a_stuck_queue_and_an_unreachable_queue_are_reported():
    assert "a worker ran 20 s ago" in lines(config_checks.check_config(SETTINGS, probes()), "ok")
    assert "a worker" not in repr(config_checks.check_config(SETTINGS, probes(worker=lambda: None)))
    never = config_checks.check_config(SETTINGS, probes(worker=lambda: (None, None)))
    assert lines(never, "warning") == ["no worker has ever run: start `flask --app app worker` (README, Deploy): "
                                       "without it no message is sent and nothing happens on schedule"]
    stuck = config_checks.check_config(SETTINGS, probes(worker=lambda: (600.0, 900.0)))
    assert lines(stuck, "warning") == [
        "no worker has run for 10 minutes: is `flask worker` running? Messages, PDFs and scheduled work wait for it",
        "the queue is not draining: a job has waited 15 minutes for a worker"]
    down = config_checks.check_config(SETTINGS, probes(queue_storage=lambda url: "refused"))
    assert lines(down, "error") == ["the task queue at redis://:***@cache:6379/1 does not answer (refused): "
                                    "messages, PDFs and scheduled work would wait"]
    memory = config_checks.check_config({**SETTINGS, "QUEUE_URL": "memory://"}, probes())
    assert lines(memory, "error")[0].startswith("QUEUE_URL is memory://")


def test_the_queue_probe_reports_a_storage_that_does_not_answer(tmp_path):
    assert operations._queue_problem(f"sqlite:///{tmp_path / 'queue.sqlite3'}") is None
    assert "ConnectionError" in operations._queue_problem("redis://:pw@127.0.0.1:1/0")
    assert "pw" not in operations._queue_problem("redis://:pw@127.0.0.1:1/0")


def test_an_unreachable_database_skips_the_migration_check():
    def migrations():
        raise AssertionError("asked the migrations of a database that does not answer")

    findings = config_checks.check_config(SETTINGS, probes(database=lambda: "refused", migrations=migrations))
    assert lines(findings, "error") == ["the database does not answer: refused"]


def test_memory_rate_limits_warn_only_with_several_workers():
    memory = {**SETTINGS, "RATELIMIT_STORAGE_URI": "memory://", "CAPACITA_ENV": "development"}
    assert lines(config_checks.check_config(memory, probes(), workers=1), "warning") == []
    assert len(lines(config_checks.check_config(memory, probes(), workers=3), "warning")) == 1
    production = {**memory, "CAPACITA_ENV": "production"}
    assert "production usually runs several workers" in lines(config_checks.check_config(production, probes()),
                                                              "warning")[0]


def test_sqlite_in_production_is_a_warning_and_missing_mail_and_chromium_too():
    settings = {**SETTINGS, "SQLALCHEMY_DATABASE_URI": "sqlite:////srv/capacita/capacita.sqlite3", "MAIL_SERVER": ""}
    findings = config_checks.check_config(settings, probes(chart_browser=lambda: "no Chromium"), workers=1)
    warnings = lines(findings, "warning")
    assert [message.split(":")[0] for message in warnings] == [
        "SQLite in production", "MAIL_SERVER is not set", "chart images cannot be drawn"]
    assert lines(findings, "error") == []


def test_sign_in_providers_half_configured_are_a_warning():
    settings = {**SETTINGS, "OIDC_GOOGLE_CLIENT_ID": "id", "OIDC_MICROSOFT_CLIENT_ID": "id",
                "OIDC_MICROSOFT_CLIENT_SECRET": "secret"}
    findings = config_checks.check_config(settings, probes())
    assert "OIDC_GOOGLE_CLIENT_SECRET not set: no sign-in with Google" in lines(findings, "warning")
    assert "sign-in with Microsoft is offered" in lines(findings, "ok")
    assert not any("OpenID Connect" in finding.message for finding in findings)


@pytest.mark.parametrize("mounts, folder, expected", [
    ("srv:/e /srv nfs rw 0 0\n", "/srv/capacita", "nfs"),
    ("srv:/e /srv nfs rw 0 0\n/dev/sdb1 /srv/local ext4 rw 0 0\n", "/srv/local/db", None),  # the nearer mount wins
    ("//nas/share /mnt/my\\040share cifs rw 0 0\n", "/mnt/my share/db", "cifs"),  # /proc/mounts escapes spaces
    ("me@host:/x /home/me/remote fuse.sshfs rw 0 0\n", "/home/me/remote", "fuse.sshfs"),
    ("host0 /data 9p rw 0 0\n", "/data", "9p"),
    ("/dev/sda1 / ext4 rw 0 0\nsrv:/e /srvx nfs4 rw 0 0\n", "/srv", None),  # /srvx is not a parent of /srv
])
def test_network_file_systems_from_proc_mounts(mounts, folder, expected):
    assert config_checks.network_filesystem(folder, mounts) == expected


@pytest.mark.parametrize("environ, expected", [
    ({"WEB_CONCURRENCY": "4"}, 4),
    ({"GUNICORN_CMD_ARGS": "--bind 0.0.0.0:8000 --workers 3", "WEB_CONCURRENCY": "4"}, 3),
    ({"GUNICORN_CMD_ARGS": "-w 2"}, 2),
    ({"GUNICORN_CMD_ARGS": "--workers=5"}, 5),
    ({}, None),
])
def test_expected_workers(environ, expected):
    assert config_checks.expected_workers(environ) == expected


def test_an_unreachable_redis_is_reported_quickly():
    assert operations._storage_problem("redis://:pw@127.0.0.1:1/0") is not None


# --- where links point ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("host, port, expected", [
    (None, None, "http://127.0.0.1:5000"),  # `flask run`'s own defaults
    ("127.0.0.1", "5101", "http://127.0.0.1:5101"),  # make run PORT=5101
    ("0.0.0.0", "8080", "http://127.0.0.1:8080"),  # every interface: loopback answers
    ("192.168.1.20", "5000", "http://192.168.1.20:5000"),
    ("::1", "5101", "http://[::1]:5101"),
])
def test_without_public_url_links_reach_the_development_server_that_runs(make_app, world, monkeypatch, host, port,
                                                                       expected):
    monkeypatch.delenv("PUBLIC_URL", raising=False)
    for name, value in (("FLASK_RUN_HOST", host), ("FLASK_RUN_PORT", port)):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)  # what `make run HOST=… PORT=…` sets for each command it runs
    app = make_app(CAPACITA_ENV="development")
    assert app.config["PUBLIC_URL"] == expected
    result = cli(app, "participant-link", "jose.nunez@example.mx", "--program", "TEST-2026")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"{expected}/p/")


def test_public_url_wins_and_production_still_requires_it(make_app, monkeypatch):
    monkeypatch.setenv("FLASK_RUN_PORT", "5101")
    monkeypatch.setenv("PUBLIC_URL", "https://capacita.example.org")
    assert make_app(CAPACITA_ENV="development").config["PUBLIC_URL"] == "https://capacita.example.org"
    monkeypatch.delenv("PUBLIC_URL")
    monkeypatch.setenv("CAPACITA_ENV", "production")
    with pytest.raises(RuntimeError, match="PUBLIC_URL must be set in production"):
        create_app({"SECRET_KEY": SECRET})


def test_make_run_passes_its_host_and_port_to_every_command():
    """`make run HOST=… PORT=…`: the migration, the demo (whose certificates carry QR codes) and the server all get
    the address, so links and QR codes point at the server make starts."""
    result = subprocess.run(["make", "-n", "run", "HOST=0.0.0.0", "PORT=5101"], cwd=ROOT, capture_output=True,
                            text=True, timeout=60)
    calls = re.findall(r"FLASK_RUN_HOST=(\S+) FLASK_RUN_PORT=(\S+) \S*flask --app app (\w+)", result.stdout)
    assert [name for _host, _port, name in calls] == ["db", "demo", "worker", "run"]  # the worker beside the server
    assert all((host, port) == ("0.0.0.0", "5101") for host, port, _name in calls), calls
    assert result.stdout.count("flask --app app") == len(calls)  # no command without the address
