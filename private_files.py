"""Files that hold personal data (the database, backups, exports) are created readable by their owner only."""
import os
import secrets
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
    """Write `content` (bytes or text) to `path`, a new file open to its owner only that replaces any file there
    once it is whole (a failure leaves the old one as it was). What is no regular file (/dev/stdout, a pipe) is
    written to as it is, its mode untouched."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    path = Path(path)
    if path.exists() and not path.is_file():
        with open(path, "wb") as target:
            target.write(data)
        return
    partial = path.with_name(f".{path.name}.{secrets.token_hex(4)}.partial")
    try:
        with os.fdopen(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE), "wb") as file:
            file.write(data)
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)


def open_to_others(path):
    """The permission bits (e.g. 0o644) of the file at `path` when anyone but its owner may read or write it; None
    when only its owner may, or when there is no such file."""
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        return None
    return mode if mode & 0o077 else None
