"""Files that hold personal data (the database, backups, exports) are created readable by their owner only."""
import os
import stat
from pathlib import Path

PRIVATE_FILE = 0o600
PRIVATE_FOLDER = 0o700


def private_folder(path):
    """Make the folder at `path` (and its parents) if missing, a new one open to its owner only."""
    Path(path).mkdir(mode=PRIVATE_FOLDER, parents=True, exist_ok=True)


def create_private(path):
    """An empty file at `path` open to its owner only, unless one is there: SQLite and pg_dump then write into it
    and keep its mode (SQLite gives a database's -wal and -shm files the database file's mode)."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))
    except FileExistsError:
        pass


def write_private(path, content):
    """Write `content` (bytes or text) to `path`, which ends up open to its owner only, even if it was there."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
    with os.fdopen(descriptor, "wb") as file:
        os.fchmod(file.fileno(), PRIVATE_FILE)
        file.write(data)


def open_to_others(path):
    """The permission bits (e.g. 0o644) of the file at `path` when anyone but its owner may read or write it; None
    when only its owner may, or when there is no such file."""
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        return None
    return mode if mode & 0o077 else None
