"""Private files: the instance folder is 0700, the SQLite database and its WAL/SHM 0600.

The instance folder holds the SQLite database (password hashes, e-mails, names, national IDs),
the secret and data keys and the signing keys, so no other account on the machine may read it.

SQLite creates a database file with the process umask (usually 0644) and gives its `-wal`,
`-shm` and `-journal` files the database file's own mode. So the product creates the database
file itself, empty and 0600, just before SQLite first opens it: the WAL and shared-memory files
SQLite adds later inherit 0600. Files that already exist are never changed behind the
operator's back; `warn_if_loose` logs a warning for each one that others can read.
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url

log = logging.getLogger(__name__)

FOLDER_MODE = 0o700
FILE_MODE = 0o600
SQLITE_COMPANIONS = ("", "-wal", "-shm", "-journal")


def make_private_folder(path: Path) -> None:
    """Create `path` (and missing parents) as 0700; an existing folder keeps its mode."""
    if not path.exists():
        path.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
        os.chmod(path, FOLDER_MODE)  # mkdir's mode is filtered by the umask


def sqlite_path(database_url: str) -> Path | None:
    """The file of a SQLite URL, or None (another database, or in memory)."""
    url = make_url(database_url)
    if not url.drivername.startswith("sqlite") or url.database in (None, "", ":memory:"):
        return None
    if str(url.database).startswith("file:"):
        return None  # URI filenames: left to whoever wrote them
    return Path(str(url.database))


def create_private_file(path: Path) -> None:
    """Create an empty file readable by this account only, unless it already exists."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        return
    os.close(fd)


def write_private_file(path: Path, data: bytes) -> None:
    """Write a new file readable by this account only (0600) in a private (0700) folder.

    Refuses to overwrite (`FileExistsError`): callers name files with fresh random names."""
    make_private_folder(path.parent)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


@event.listens_for(Engine, "do_connect")
def _create_sqlite_file_privately(dialect: Any, _record: Any, cargs: Any, _cparams: Any) -> None:
    """Before SQLite opens a file that does not exist yet, create it 0600 (see module doc)."""
    if dialect.name != "sqlite" or not cargs:
        return
    target = str(cargs[0])
    if target in ("", ":memory:") or target.startswith("file:"):
        return
    path = Path(target)
    if path.parent.is_dir():
        create_private_file(path)


def loose_files(instance_path: Path, database_url: str) -> list[tuple[Path, int]]:
    """(path, mode) of every private file or folder that group or others may access."""
    candidates: list[tuple[Path, int]] = [(instance_path, FOLDER_MODE)]
    if instance_path.is_dir():
        candidates += [(child, FILE_MODE) for child in instance_path.iterdir() if child.is_file()]
    database = sqlite_path(database_url)
    if database is not None:
        candidates += [(Path(f"{database}{suffix}"), FILE_MODE) for suffix in SQLITE_COMPANIONS]
    found: dict[Path, int] = {}
    for path, allowed in candidates:
        try:
            mode = stat.S_IMODE(path.stat().st_mode)
        except FileNotFoundError:
            continue
        if mode & ~allowed & 0o077:
            found[path] = mode
    return sorted(found.items())


def warn_if_loose(instance_path: Path, database_url: str) -> list[tuple[Path, int]]:
    """Log a warning for each private file others can read; returns them (for tests)."""
    found = loose_files(instance_path, database_url)
    for path, mode in found:
        wanted = FOLDER_MODE if path.is_dir() else FILE_MODE
        log.warning(
            "%s is mode %o: other accounts on this machine can read it; run chmod %o %s",
            path,
            mode,
            wanted,
            path,
        )
    return found
