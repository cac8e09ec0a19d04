"""Files holding personal data (the SQLite database, backups, the command line's exports) are their owner's only,
whatever the process's umask; check-config says when an existing database file is open to others."""
import os
import stat
from contextlib import closing

import pytest
from sqlalchemy import create_engine, text

import private_files
from app import create_app
from tests.conftest import SECRET
from tests.helpers import backup_kind


@pytest.fixture(autouse=True)
def everyone_may_read():
    """The usual umask (022): what a process creates is readable by every user unless it says otherwise."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def cli(app, *args):
    result = app.test_cli_runner().invoke(args=list(args))
    assert result.exit_code == 0, result.output
    return result


def test_a_new_sqlite_database_and_its_side_files_are_their_owners_only(tmp_path):
    database = tmp_path / "capacita.sqlite3"
    engine = create_engine(f"sqlite:///{database}")
    with closing(engine.connect()) as connection:
        connection.execute(text("CREATE TABLE people (name TEXT)"))
        connection.execute(text("INSERT INTO people VALUES ('Ana')"))
        connection.commit()
        for path in (database, f"{database}-wal", f"{database}-shm"):  # WAL: the app's pragma on every connection
            assert mode(path) == 0o600, path
    engine.dispose()
    assert sorted(os.listdir(tmp_path)) == ["capacita.sqlite3"]  # nothing else was left beside it


def test_the_task_queues_sqlite_file_is_its_owners_only(tmp_path):
    from task_queue import build_huey

    queue = tmp_path / "instance" / "queue.sqlite3"
    huey = build_huey(f"sqlite:///{queue}")
    huey.pending_count()
    assert mode(queue) == 0o600 and mode(queue.parent) == 0o700


def test_an_existing_database_keeps_its_mode_and_check_config_says_it_is_open(tmp_path):
    database = tmp_path / "capacita.sqlite3"
    database.touch(mode=0o644)
    app = create_app({"TESTING": True, "CAPACITA_ENV": "test", "SECRET_KEY": SECRET,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}", "RATELIMIT_STORAGE_URI": "memory://"})
    cli(app, "db", "upgrade")
    assert mode(database) == 0o644  # the app never changes an operator's file behind their back
    result = app.test_cli_runner().invoke(args=["check-config"])
    assert (f"WARNING: {database} is open to other users of this machine (mode 644): it holds password hashes and "
            f"personal data; chmod 600 {database}") in result.stderr
    database.chmod(0o600)
    for side in ("-wal", "-shm"):
        os.chmod(f"{database}{side}", 0o600)
    result = app.test_cli_runner().invoke(args=["check-config"])
    assert "is open to other users" not in result.output
    assert "OK: the SQLite files are readable by their owner only" in result.stdout
    with app.app_context():
        from extensions import db

        db.engine.dispose()


def test_backups_are_their_owners_only(app, world, tmp_path):
    backup_kind(app)  # skips on PostgreSQL without pg_dump
    output = tmp_path / "backup"
    cli(app, "backup", "--output", str(output))
    assert mode(output) == 0o600


def test_the_command_lines_exports_are_their_owners_only(app, world, tmp_path):
    participants, attendance, impact = tmp_path / "p.csv", tmp_path / "a.xlsx", tmp_path / "impact.json"
    participants.write_text("an older export")
    participants.chmod(0o644)
    cli(app, "export-participants", "--program", "TEST-2026", "--output", str(participants))
    cli(app, "export-attendance", "--program", "TEST-2026", "--format", "xlsx", "--output", str(attendance))
    cli(app, "impact", "--program", "TEST-2026", "--output", str(impact))
    for path in (participants, attendance, impact):
        assert mode(path) == 0o600, path
    assert "Núñez" in participants.read_text(encoding="utf-8-sig")


def test_certificates_written_by_the_command_are_their_owners_only(app, world, tmp_path):
    folder = tmp_path / "certificados"
    cli(app, "issue-certificates", "--program", "TEST-2026", "--output-dir", str(folder))
    assert mode(folder) == 0o700
    written = sorted(folder.iterdir())
    assert [path.name for path in written][-1] == "register.csv" and len(written) == 2
    assert {mode(path) for path in written} == {0o600}


def test_open_to_others_reads_the_permission_bits(tmp_path):
    path = tmp_path / "f"
    assert private_files.open_to_others(path) is None
    private_files.write_private(path, "x")
    assert private_files.open_to_others(path) is None and mode(path) == 0o600
    path.chmod(0o640)
    assert private_files.open_to_others(path) == 0o640
    private_files.private_folder(tmp_path / "a" / "b")
    assert mode(tmp_path / "a" / "b") == 0o700


def test_writing_to_what_is_no_regular_file_leaves_its_mode_alone(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo, 0o644)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        private_files.write_private(fifo, b"report")
        assert os.read(reader, 100) == b"report"
    finally:
        os.close(reader)
    assert mode(fifo) == 0o644 and sorted(os.listdir(tmp_path)) == ["pipe"]


def test_an_export_replaces_the_old_file_only_once_it_is_whole(tmp_path, monkeypatch):
    path = tmp_path / "export.csv"
    path.write_text("the older export")

    def fail(*_args):
        raise OSError("disk full")

    monkeypatch.setattr(private_files.Path, "replace", fail)
    with pytest.raises(OSError):
        private_files.write_private(path, "new")
    assert path.read_text() == "the older export" and sorted(os.listdir(tmp_path)) == ["export.csv"]
