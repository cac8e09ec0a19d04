"""`flask --app app backup` and `restore`: a restore drill on SQLite and PostgreSQL, and the refusals around it."""
import shutil
import sqlite3
import threading
from contextlib import closing

import pytest
from sqlalchemy import select

import backups
from extensions import db
from tests.conftest import login
from tests.helpers import backup_kind
from training.models import Participant, Program


def cli(app, *args, **kwargs):
    return app.test_cli_runner().invoke(args=list(args), **kwargs)


@pytest.fixture
def kind(app):
    return backup_kind(app)


def snapshot(app):
    with app.app_context():
        people = {p.email: (p.given_names, p.family_names) for p in db.session.scalars(select(Participant))}
        programs = sorted(db.session.scalars(select(Program.code)))
    return people, programs


def test_restore_drill(app, client, world, kind, tmp_path):
    """Back up, damage, restore: every original row is back and the app serves pages again."""
    before = snapshot(app)
    assert before[0]["jose.nunez@example.mx"] == ("José Ángel", "Núñez Peña") and len(before[0]) == 5
    output = tmp_path / ("drill.sqlite3" if kind == "sqlite" else "drill.dump")
    result = cli(app, "backup", "--output", str(output))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"Backed up {app.config['SQLALCHEMY_DATABASE_URI']} to {output} (")
    assert backups.file_kind(output) == kind

    with app.app_context():  # the damage: a renamed person, a deleted certificate, a program added since
        db.session.get(Participant, world["ids"]["mx1"]).family_names = "Cambiado"
        db.session.execute(db.text("DELETE FROM certificates"))
        db.session.add(Program(code="AFTER-BACKUP", title={"es": "Después"}, timezone="UTC", languages=["es"]))
        db.session.commit()
    assert snapshot(app) != before

    result = cli(app, "restore", str(output), "--yes")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [f"Restored {app.config['SQLALCHEMY_DATABASE_URI']} from {output}."]
    assert snapshot(app) == before
    with app.app_context():
        serials = db.session.scalars(db.text("SELECT serial FROM certificates")).all()
    assert serials == ["TEST-2026-0900"]
    login(client, world["emails"]["admin"])
    page = client.get(f"/programs/{world['ids']['program']}/participants")
    assert page.status_code == 200 and "Núñez Peña" in page.get_data(as_text=True)


def test_restore_asks_first_and_a_no_changes_nothing(app, world, kind, tmp_path):
    output = tmp_path / "backup"
    assert cli(app, "backup", "--output", str(output)).exit_code == 0
    with app.app_context():
        db.session.get(Participant, world["ids"]["mx1"]).family_names = "Cambiado"
        db.session.commit()
    result = cli(app, "restore", str(output), input="n\n")
    assert result.exit_code == 1
    assert "Replace everything in" in result.stdout and result.stderr == "Nothing was restored.\n"
    assert snapshot(app)[0]["jose.nunez@example.mx"] == ("José Ángel", "Cambiado")


def test_backup_never_overwrites_a_file(app, kind, tmp_path):
    output = tmp_path / "existing"
    output.write_text("keep me")
    result = cli(app, "backup", "--output", str(output))
    assert result.exit_code == 1 and result.stderr == f"{output} already exists: choose another --output.\n"
    assert output.read_text() == "keep me"


def test_backup_names_its_file_by_the_time(app, kind, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert cli(app, "backup").exit_code == 0
    made = [path.name for path in tmp_path.iterdir()]
    suffix = "sqlite3" if kind == "sqlite" else "dump"
    assert len(made) == 1 and made[0].startswith("capacita-20") and made[0].endswith(f".{suffix}")
    assert len(made[0]) == len(f"capacita-YYYYMMDD-HHMMSS.{suffix}")


def test_the_workers_nightly_backup_writes_a_private_file_and_keeps_the_last_days(app, world, kind, tmp_path):
    import os
    import stat
    from datetime import datetime, timezone

    from operations import nightly_backup

    folder = tmp_path / "nightly"
    folder.mkdir(mode=0o700)
    suffix = "sqlite3" if kind == "sqlite" else "dump"
    (folder / f"capacita-20261120-023000.{suffix}").write_text("old")  # older than BACKUP_KEEP days: removed
    (folder / f"capacita-20261201-023000.{suffix}").write_text("recent")  # kept
    (folder / "notes.txt").write_text("not a backup")  # never touched
    app.config.update(BACKUP_FOLDER=str(folder), BACKUP_KEEP=14)
    try:
        with app.app_context():
            written = nightly_backup(datetime(2026, 12, 6, 2, 30, tzinfo=timezone.utc))
    finally:
        app.config.update(BACKUP_FOLDER="")
    assert written == folder / f"capacita-20261206-023000.{suffix}"
    assert sorted(path.name for path in folder.iterdir()) == [
        f"capacita-20261201-023000.{suffix}", f"capacita-20261206-023000.{suffix}", "notes.txt"]
    assert stat.S_IMODE(os.stat(written).st_mode) == 0o600 and backups.file_kind(written) == kind


def test_a_worker_with_a_backup_folder_runs_the_backup_every_night(tmp_path):
    from datetime import datetime

    from app import create_app
    from task_queue import queue_of

    app = create_app({"TESTING": True, "CAPACITA_ENV": "test", "SECRET_KEY": "s" * 40, "QUEUE_URL": "memory://",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.sqlite3'}", "BACKUP_FOLDER": str(tmp_path),
                      "BACKUP_HOUR": 3})
    nightly = queue_of(app).tasks["operations.nightly_backup"].s()  # a periodic task of the worker's scheduler
    assert nightly.validate_datetime(datetime(2026, 12, 6, 3, 30))  # at BACKUP_HOUR:30 UTC, every day
    assert not nightly.validate_datetime(datetime(2026, 12, 6, 2, 30))


def test_restore_refuses_a_file_of_the_wrong_kind(app, world, kind, tmp_path):
    text_file = tmp_path / "notes.txt"
    text_file.write_text("not a backup")
    result = cli(app, "restore", str(text_file), "--yes")
    assert result.exit_code == 1
    assert result.stderr == f"{text_file} is not a backup: neither a SQLite database nor a pg_dump custom archive.\n"
    other = tmp_path / "other"
    if kind == "sqlite":
        other.write_bytes(b"PGDMP\x01\x0e\x00" + b"\x00" * 64)
        expected = (f"{other} is a PostgreSQL dump (pg_dump --format=custom), but this app's database is sqlite: it "
                    "needs a SQLite backup.\n")
    else:
        with closing(sqlite3.connect(other)) as connection:
            connection.execute("CREATE TABLE alembic_version (version_num TEXT)")
        expected = (f"{other} is a SQLite backup, but this app's database is postgresql: it needs a PostgreSQL dump "
                    "(pg_dump --format=custom).\n")
    result = cli(app, "restore", str(other), "--yes")
    assert result.exit_code == 1 and result.stderr == expected
    assert len(snapshot(app)[0]) == 5  # nothing touched


# --- SQLite ---------------------------------------------------------------------------------------------------


def test_a_sqlite_backup_is_consistent_while_someone_writes(tmp_path):
    """Rows go in pairs, one transaction per pair: every copy must hold whole pairs and pass the integrity check."""
    live = tmp_path / "live.sqlite3"
    with closing(sqlite3.connect(live)) as connection:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("CREATE TABLE pairs (n INTEGER)")
    stop = threading.Event()

    def write():
        with closing(sqlite3.connect(live, timeout=15, isolation_level=None)) as connection:
            while not stop.is_set():
                connection.execute("BEGIN IMMEDIATE")
                connection.execute("INSERT INTO pairs VALUES (1)")
                connection.execute("INSERT INTO pairs VALUES (2)")
                connection.execute("COMMIT")

    writer = threading.Thread(target=write)
    writer.start()
    try:
        counts = []
        for index in range(5):
            copy = tmp_path / f"copy-{index}.sqlite3"
            backups.backup_sqlite(live, copy)
            with closing(sqlite3.connect(copy)) as connection:
                counts.append(connection.execute("SELECT count(*) FROM pairs").fetchone()[0])
                assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one file, no -wal
    finally:
        stop.set()
        writer.join()
    assert all(count % 2 == 0 for count in counts) and counts[-1] > 0
    assert not list(tmp_path.glob("*.partial"))


def test_a_sqlite_database_of_another_app_is_refused(tmp_path):
    stranger = tmp_path / "places.sqlite"
    with closing(sqlite3.connect(stranger)) as connection:
        connection.execute("CREATE TABLE moz_places (url TEXT)")
    target = tmp_path / "capacita.sqlite3"
    with pytest.raises(backups.BackupError, match="not a Capacita backup"):
        backups.restore_sqlite(stranger, target)


def test_a_damaged_sqlite_backup_is_refused(tmp_path):
    damaged = tmp_path / "damaged.sqlite3"
    with closing(sqlite3.connect(damaged)) as connection:
        connection.execute("CREATE TABLE alembic_version (version_num TEXT)")
        connection.executemany("INSERT INTO alembic_version VALUES (?)", [("x" * 500,)] * 200)
    data = bytearray(damaged.read_bytes())
    data[4096:8192] = b"\xff" * 4096  # the second page, header and all
    damaged.write_bytes(bytes(data))
    with pytest.raises(backups.BackupError, match="integrity check|cannot be read"):
        backups.restore_sqlite(damaged, tmp_path / "target.sqlite3")


# --- PostgreSQL (no server needed) ----------------------------------------------------------------------------


def test_the_driver_prefix_and_password_stay_out_of_pg_dumps_arguments():
    dbname, env = backups.libpq_connection("postgresql+psycopg://capacita:s%40cret@db.internal:5433/capacita"
                                           "?sslmode=require")
    assert dbname == "postgresql://capacita@db.internal:5433/capacita?sslmode=require"
    assert env["PGPASSWORD"] == "s@cret"


@pytest.mark.skipif(shutil.which("pg_dump") is None, reason="pg_dump not on PATH")
def test_a_failing_pg_dump_says_why_without_the_password(tmp_path):
    with pytest.raises(backups.BackupError) as raised:
        backups.backup_postgresql("postgresql+psycopg://capacita:pw-9d2k@127.0.0.1:1/capacita",
                                  tmp_path / "x.dump", None)
    assert str(raised.value).startswith("pg_dump failed: pg_dump: error: connection to server at \"127.0.0.1\", "
                                        "port 1 failed")
    assert "pw-9d2k" not in str(raised.value)
    assert list(tmp_path.iterdir()) == []


def test_missing_pg_tools_are_named(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(backups.BackupError, match="pg_dump was not found on PATH: install the PostgreSQL client"):
        backups.backup_postgresql("postgresql+psycopg://u@h/d", tmp_path / "x.dump", 15)


def test_client_and_server_versions():
    with pytest.raises(backups.BackupError, match="pg_dump 14 is older than the PostgreSQL 15 server: install "
                                                  "postgresql-client-15"):
        backups.compare_versions("pg_dump", 14, 15)
    assert backups.compare_versions("pg_dump", 15, 15) == []
    assert backups.compare_versions("pg_restore", 16, 15) == [
        "pg_restore 16 is newer than the PostgreSQL 15 server: its dumps need pg_restore 16 or newer, and its "
        "restores may set options the server does not know; postgresql-client-15 matches."]


@pytest.mark.skipif(shutil.which("pg_dump") is None, reason="pg_dump not on PATH")
def test_the_installed_pg_dump_reports_its_major_version():
    assert isinstance(backups.client_major(shutil.which("pg_dump")), int)
