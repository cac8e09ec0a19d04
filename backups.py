"""Backups and restores: SQLite through its online backup API, PostgreSQL through pg_dump and pg_restore."""
import os
import re
import shutil
import sqlite3
import subprocess
from contextlib import closing
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy.engine import URL, make_url

from private_files import create_private

SQLITE_HEADER = b"SQLite format 3\x00"
PG_DUMP_HEADER = b"PGDMP"
SUFFIXES = {"sqlite": "sqlite3", "postgresql": "dump"}
KINDS = {"sqlite": "a SQLite backup", "postgresql": "a PostgreSQL dump (pg_dump --format=custom)"}


class BackupError(Exception):
    """A problem an operator must fix; the message is one line and never holds a password."""


def default_name(kind, moment):
    """capacita-YYYYMMDD-HHMMSS.sqlite3 or .dump."""
    return f"capacita-{moment:%Y%m%d-%H%M%S}.{SUFFIXES[kind]}"


def older_than(folder, moment):
    """The backups in `folder` (named by default_name) made before `moment`, by the time in their names."""
    found = []
    for path in Path(folder).glob("capacita-*"):
        match = re.fullmatch(r"capacita-(\d{8}-\d{6})\.(sqlite3|dump)", path.name)
        if match and datetime.strptime(match.group(1), "%Y%m%d-%H%M%S").replace(tzinfo=timezone.utc) < moment:
            found.append(path)
    return sorted(found)


def file_kind(path):
    """"sqlite", "postgresql" (a pg_dump custom archive) or None, from the file's first bytes."""
    with open(path, "rb") as file:
        head = file.read(len(SQLITE_HEADER))
    if head.startswith(SQLITE_HEADER):
        return "sqlite"
    if head.startswith(PG_DUMP_HEADER):
        return "postgresql"
    return None


def require_kind(path, kind):
    found = file_kind(path)
    if found is None:
        raise BackupError(f"{path} is not a backup: neither a SQLite database nor a pg_dump custom archive.")
    if found != kind:
        raise BackupError(f"{path} is {KINDS[found]}, but this app's database is {kind}: it needs {KINDS[kind]}.")


# --- SQLite ---------------------------------------------------------------------------------------------------


def backup_sqlite(database, output):
    """Copy the live database file to `output`, consistent even while the app writes, and check the copy."""
    if not Path(database).is_file():
        raise BackupError(f"There is no SQLite database at {database}.")
    partial = _partial(output)
    try:
        create_private(partial)  # a copy of every password hash and personal detail: its owner's only
        _sqlite_copy(database, partial)
        with closing(sqlite3.connect(partial)) as copy:
            # One self-contained file: the copy would otherwise keep the live database's WAL mode and side files.
            copy.execute("PRAGMA journal_mode=DELETE")
        _check_integrity(partial)
        partial.replace(output)
    finally:
        partial.unlink(missing_ok=True)


def restore_sqlite(backup, database):
    """Replace the database's content with the backup's, in place, so connections elsewhere see it whole."""
    require_kind(backup, "sqlite")
    _check_integrity(backup)
    with closing(sqlite3.connect(backup)) as source:
        known = source.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'")
        if known.fetchone() is None:
            raise BackupError(f"{backup} is a SQLite database but not a Capacita backup (no alembic_version table).")
    _sqlite_copy(backup, database)


def _sqlite_copy(source, target):
    # In one step (pages=-1) the source is read in a single transaction, so the copy is a consistent snapshot; the
    # target is written under its own lock, so other connections wait on their busy timeout and never see half.
    with closing(sqlite3.connect(source, timeout=15)) as reader, closing(sqlite3.connect(target, timeout=15)) as writer:
        reader.backup(writer)


def _check_integrity(path):
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
            rows = [row[0] for row in connection.execute("PRAGMA integrity_check")]
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} cannot be read as a SQLite database: {error}.") from error
    if rows != ["ok"]:
        raise BackupError(f"{path} failed SQLite's integrity check: {rows[0]}")


def _partial(output):
    # Written beside the output and renamed when complete: a file with the final name is always a whole backup.
    return Path(output).with_name(Path(output).name + ".partial")


# --- PostgreSQL -----------------------------------------------------------------------------------------------


def backup_postgresql(url, output, server_major):
    """pg_dump's custom archive of the database at `output`; returns warnings (a pg_dump newer than the server)."""
    pg_dump, pg_restore = binary("pg_dump"), binary("pg_restore")
    warnings = compare_versions("pg_dump", client_major(pg_dump), server_major)
    dbname, env = libpq_connection(url)
    partial = _partial(output)
    try:
        create_private(partial)  # pg_dump writes into it and keeps its mode
        _run([pg_dump, "--format=custom", "--no-password", f"--file={partial}", f"--dbname={dbname}"], env, url)
        _run([pg_restore, "--list", str(partial)], env, url)  # the archive's table of contents reads back
        partial.replace(output)
    finally:
        partial.unlink(missing_ok=True)
    return warnings


def restore_postgresql(url, backup, server_major):
    """Replace the database's tables with the archive's, in one transaction; returns warnings."""
    require_kind(backup, "postgresql")
    pg_restore = binary("pg_restore")
    warnings = compare_versions("pg_restore", client_major(pg_restore), server_major)
    dbname, env = libpq_connection(url)
    # A single transaction: when any statement fails, the database is left exactly as it was.
    _run([pg_restore, "--clean", "--if-exists", "--no-owner", "--single-transaction", "--no-password",
          f"--dbname={dbname}", str(backup)], env, url)
    return warnings


def binary(name):
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} was not found on PATH: install the PostgreSQL client of the server's version "
                          "(Debian: apt-get install postgresql-client-15).")
    return found


def client_major(path):
    """The major version a pg_dump or pg_restore reports ("pg_dump (PostgreSQL) 15.20 (Debian …)" → 15)."""
    result = subprocess.run([path, "--version"], capture_output=True, text=True, check=False)
    match = re.search(r"\(PostgreSQL\)\s+(\d+)", result.stdout)
    return int(match.group(1)) if match else None


def compare_versions(tool, client, server):
    """Refuse a client older than the server (it cannot read its catalog); warn about a newer one."""
    if client is None or server is None or client == server:
        return []
    if client < server:
        raise BackupError(f"{tool} {client} is older than the PostgreSQL {server} server: install "
                          f"postgresql-client-{server} or put its bin folder first on PATH.")
    return [f"{tool} {client} is newer than the PostgreSQL {server} server: its dumps need pg_restore {client} or "
            f"newer, and its restores may set options the server does not know; postgresql-client-{server} matches."]


def libpq_connection(url):
    """A libpq URI without the password, and an environment carrying it (PGPASSWORD is not shown by `ps`)."""
    parsed = make_url(url)
    if not parsed.drivername.startswith("postgresql"):
        raise BackupError(f"{parsed.drivername} is not PostgreSQL.")
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = parsed.password
    # "postgresql+psycopg://" names SQLAlchemy's driver; libpq knows only "postgresql://".
    # (URL.set cannot remove a password: it ignores None.)
    bare = URL.create("postgresql", username=parsed.username, host=parsed.host, port=parsed.port,
                      database=parsed.database, query=parsed.query)
    return bare.render_as_string(hide_password=False), env


def _run(command, env, url):
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {_first_error(result.stderr, url)}")
    return result


def _first_error(stderr, url):
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    line = next((line for line in lines if "error:" in line), lines[0] if lines else "no message")
    password = make_url(url).password
    return line.replace(password, "***") if password else line
