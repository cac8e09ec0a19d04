"""Running Capacita: /healthz for load balancers, and the check-config, backup and restore commands."""
import os
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import click
from flask import Blueprint, current_app, jsonify
from flask.cli import pass_script_info, with_appcontext
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

import backups
import config_checks
import private_files
from command_line import fail
from extensions import db, limiter
from settings import MIN_SECRET_LENGTH, WEAK_SECRETS

bp = Blueprint("operations", __name__)
MOUNTS_FILE = "/proc/mounts"


def init_app(app):
    app.register_blueprint(bp)
    for command in (check_config, backup, restore):
        app.cli.add_command(command)
    if app.config["BACKUP_FOLDER"]:  # the worker backs the database up every night (UTC hour)
        from task_queue import queue_of

        queue_of(app).register_periodic(nightly_backup, {"hour": str(app.config["BACKUP_HOUR"]), "minute": "30"})


@bp.get("/healthz")
@limiter.exempt
def healthz():
    """200 while the database answers, 503 otherwise; no login, no session, nothing written."""
    problem = database_problem()
    if problem is None:
        response = jsonify(status="ok", database="ok")
    else:
        current_app.logger.warning("health check: the database does not answer (%s)", problem)
        response = jsonify(status="error", database="unavailable")
        response.status_code = 503
    response.headers["Cache-Control"] = "no-store"
    return response


def database_problem():
    """None when the database answers SELECT 1, else a one-line reason (never a password or a traceback)."""
    path = config_checks.sqlite_path(db.engine.url.render_as_string(hide_password=True))
    if path is not None and not Path(path).is_file():
        return f"there is no SQLite database at {path} (run flask --app app db upgrade)"
    try:
        with db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError as error:
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()
        return config_checks.without_password(reason[0] if reason else type(error).__name__)
    return None


# --- check-config ---------------------------------------------------------------------------------------------


@click.command("check-config")
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too.")
@click.option("--workers", type=click.IntRange(1), default=None,
              help="Worker processes that will serve (default: from WEB_CONCURRENCY or GUNICORN_CMD_ARGS).")
@pass_script_info
def check_config(info, strict, workers):
    """Report misconfiguration, one line per check; exit 1 on any error (or warning, with --strict)."""
    try:
        app = info.load_app()
    except RuntimeError as error:  # create_app refuses unsafe settings (a weak SECRET_KEY, no PUBLIC_URL) outright
        findings = [config_checks.Finding("error", f"the app refuses to start: {error}")]
    else:
        with app.app_context():
            findings = _findings(app, workers or config_checks.expected_workers(os.environ))
    for finding in findings:
        click.echo(finding.line(), err=finding.level != "ok")
    errors = sum(finding.level == "error" for finding in findings)
    warnings = sum(finding.level == "warning" for finding in findings)
    click.echo(f"{errors} error(s), {warnings} warning(s).")
    sys.exit(1 if errors or (strict and warnings) else 0)


def _findings(app, workers):
    probes = config_checks.Probes(database=database_problem, migrations=migration_revisions,
                                  rate_limit_storage=_storage_problem, chart_browser=_chart_browser_problem,
                                  mounts=_mounts, open_to_others=private_files.open_to_others,
                                  queue_storage=_queue_problem, worker=_worker_state)
    return config_checks.check_config(app.config, probes, workers, WEAK_SECRETS, MIN_SECRET_LENGTH)


def migration_revisions():
    """(revisions the database is at, revisions the code's migrations end in)."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    state = current_app.extensions["migrate"]
    # Relative to the app, not to the folder the command runs in (cron jobs run in the home folder).
    script = ScriptDirectory.from_config(state.migrate.get_config(os.path.join(current_app.root_path, state.directory)))
    with db.engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_heads()
    return set(current), set(script.get_heads())


def _storage_problem(uri):
    from limits.storage import storage_from_string

    # A short timeout: an unreachable Redis should be reported, not waited for.
    options = {"socket_connect_timeout": 3, "socket_timeout": 3} if uri.startswith("redis") else {}
    try:
        return None if storage_from_string(uri, **options).check() else "connection refused or timed out"
    except Exception as error:  # each storage backend raises its own errors; any of them means the same here
        return config_checks.without_password(f"{type(error).__name__}: {error}")


def _queue_problem(url):
    from task_queue import build_huey

    try:  # reading the queue's storage finds a Redis that does not answer, a file that cannot be opened
        build_huey(url, connect_timeout=3).pending_count()
    except Exception as error:  # each storage raises its own errors; any of them means the same here
        return config_checks.without_password(f"{type(error).__name__}: {error}")
    return None


def _worker_state():
    from training.models import utcnow
    from training.services_jobs import last_beat, oldest_waiting_job

    if database_problem() is not None:
        return None  # the database check says why (and asking SQLite would create an empty file)
    try:
        beat, waiting = last_beat(), oldest_waiting_job()
    except SQLAlchemyError:
        return None  # not migrated yet: the migrations check says so
    now = utcnow()
    return ((now - beat).total_seconds() if beat else None, (now - waiting).total_seconds() if waiting else None)


def _chart_browser_problem():
    from assessments.impact.chart_images import BROWSERS, images_available

    if images_available():
        return None
    return f"kaleido or a Chromium ({', '.join(BROWSERS)}) is missing on PATH (apt-get install chromium)"


def _mounts():
    path = Path(MOUNTS_FILE)
    return path.read_text() if path.is_file() else ""


# --- backup and restore ---------------------------------------------------------------------------------------


@click.command("backup")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Default: capacita-YYYYMMDD-HHMMSS.sqlite3 (or .dump for PostgreSQL; UTC) in this folder.")
@with_appcontext
def backup(output):
    """Back up the database: a SQLite file (online backup API) or a pg_dump custom archive."""
    kind = _database_kind()
    output = output or Path(backups.default_name(kind, datetime.now(timezone.utc)))
    if output.exists():
        _fail(f"{output} already exists: choose another --output.")
    try:
        if kind == "sqlite":
            backups.backup_sqlite(_sqlite_file(), output)
            warnings = []
        else:
            warnings = backups.backup_postgresql(_url(), output, _server_major())
    except backups.BackupError as error:
        _fail(str(error))
    for warning in warnings:
        click.echo(f"WARNING: {warning}", err=True)
    click.echo(f"Backed up {_label()} to {output} ({output.stat().st_size} bytes).")


def nightly_backup(now=None):
    """The worker's nightly backup into BACKUP_FOLDER (owner-only files), keeping BACKUP_KEEP days; the file written,
    or None when it failed (logged: the operator's check-config and logs say so, the worker goes on)."""
    folder, kind = Path(current_app.config["BACKUP_FOLDER"]), db.engine.dialect.name
    now = now or datetime.now(timezone.utc)
    private_files.private_folder(folder)
    output = folder / backups.default_name(kind, now)
    try:
        if kind == "sqlite":
            backups.backup_sqlite(config_checks.sqlite_path(_url()), output)
        else:
            with db.engine.connect() as connection:
                major = connection.dialect.server_version_info[0]
            for warning in backups.backup_postgresql(_url(), output, major):
                current_app.logger.warning("nightly backup: %s", warning)
    except (backups.BackupError, SQLAlchemyError, OSError) as error:
        current_app.logger.error("nightly backup to %s failed: %s", output, error)
        return None
    for old in backups.older_than(folder, now - timedelta(days=current_app.config["BACKUP_KEEP"])):
        old.unlink()
    current_app.logger.info("nightly backup written to %s", output)
    return output


@click.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation (scripts, restore drills).")
@with_appcontext
def restore(file, yes):
    """Replace everything in the database with a backup made by `backup`."""
    kind = _database_kind()
    try:
        backups.require_kind(file, kind)
    except backups.BackupError as error:
        _fail(str(error))
    if not yes and not click.confirm(f"Replace everything in {_label()} with {file}?"):
        _fail("Nothing was restored.")
    warnings = _restore(kind, file)
    for warning in warnings:
        click.echo(f"WARNING: {warning}", err=True)
    click.echo(f"Restored {_label()} from {file}.")
    current, heads = migration_revisions()
    if current != heads:
        click.echo(f"The backup is at revision {', '.join(sorted(current))}: run flask --app app db upgrade.")


def _restore(kind, file):
    server_major = _server_major() if kind == "postgresql" else None
    # No pooled connection may hold a lock or a stale view of the tables while they are replaced.
    db.session.remove()
    db.engine.dispose()
    try:
        if kind == "sqlite":
            backups.restore_sqlite(file, _sqlite_file())
            return []
        return backups.restore_postgresql(_url(), file, server_major)
    except backups.BackupError as error:
        _fail(str(error))
    finally:
        db.engine.dispose()


def _database_kind():
    kind = db.engine.dialect.name
    if kind not in backups.SUFFIXES:
        _fail(f"Backups support SQLite and PostgreSQL, not {kind}.")
    return kind


def _sqlite_file():
    path = config_checks.sqlite_path(_url())
    if path is None:
        _fail("The database is in memory: there is no file to back up or restore.")
    return path


def _server_major():
    problem = database_problem()
    if problem:
        _fail(f"The database {_label()} does not answer: {problem}")
    with db.engine.connect() as connection:
        return connection.dialect.server_version_info[0]


def _url():
    return db.engine.url.render_as_string(hide_password=False)


def _label():
    return db.engine.url.render_as_string(hide_password=True)


def _fail(message):
    fail([message])
