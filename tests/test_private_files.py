"""Finding 12: the instance folder is 0700, the SQLite database and its WAL/SHM 0600.

Whatever the umask, files the product creates are private; existing looser files are reported
with a logged warning at startup. (On PostgreSQL the database is not a file: only the instance
folder and its keys are checked, which this test does on either database.)
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from lms import create_app
from lms.private_files import warn_if_loose


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask():
    previous = os.umask(0o022)  # the usual default that made the files world-readable
    yield
    os.umask(previous)


def test_a_new_sqlite_database_and_its_wal_are_private(tmp_path, open_umask):
    database = tmp_path / "lms.sqlite3"
    import lms  # noqa: F401  (registers the connect listeners: WAL, private files)

    engine = create_engine(f"sqlite:///{database}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE t (x INTEGER)"))
        connection.execute(text("INSERT INTO t VALUES (1)"))
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        companions = [Path(f"{database}{suffix}") for suffix in ("-wal", "-shm")]
        assert all(path.exists() for path in companions)
        for path in [database, *companions]:
            assert _mode(path) == 0o600, path
    engine.dispose()


def test_a_new_instance_folder_is_private(tmp_path, monkeypatch, open_umask):
    instance = tmp_path / "fresh" / "instance"
    monkeypatch.setenv("LMS_INSTANCE_PATH", str(instance))
    create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance}/lms.sqlite3"})
    assert _mode(instance) == 0o700
    for secret in ("secret_key", "data_key"):
        assert _mode(instance / secret) == 0o600


def test_looser_existing_files_are_reported_at_startup(tmp_path, monkeypatch, caplog):
    instance = tmp_path / "old"
    instance.mkdir(mode=0o755)
    os.chmod(instance, 0o755)  # noqa: S103 - the loose mode under test
    database = instance / "lms.sqlite3"
    database.touch()
    os.chmod(database, 0o644)
    monkeypatch.setenv("LMS_INSTANCE_PATH", str(instance))
    with caplog.at_level(logging.WARNING, logger="lms.private_files"):
        create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}"})
    warned = " ".join(r.getMessage() for r in caplog.records)
    assert f"{instance} is mode 755" in warned
    assert f"{database} is mode 644" in warned
    assert _mode(database) == 0o644  # reported, not changed behind the operator's back

    os.chmod(instance, 0o700)
    os.chmod(database, 0o600)
    assert warn_if_loose(instance, f"sqlite:///{database}") == []
