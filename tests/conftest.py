"""Shared fixtures: a migrated database per test run, a fresh app and client per test.

SQLite by default; PostgreSQL when LMS_TEST_DATABASE_URL is set (e.g.
postgresql://postgres@127.0.0.1:5432/test). The schema comes from the migrations,
never from `create_all`, so the tests exercise what production runs.

Under pytest-xdist each worker has its own database: SQLite files live in the worker's own
temporary folder; on PostgreSQL worker `gwN` creates `<database>_gwN` beside the given one.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, has_app_context
from flask.testing import FlaskClient
from sqlalchemy import create_engine, make_url, text

from lms import create_app
from lms.extensions import db as _db
from tests.factories import make_user

TEST_DATABASE_URL = os.environ.get("LMS_TEST_DATABASE_URL", "")


def _reset_postgres_schema(url: str) -> None:
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def _no_wait_for_disk(url: str) -> None:
    """Commits in test databases do not wait for the disk (durability is not under test)."""
    parsed = make_url(url).set(drivername="postgresql+psycopg")
    engine = create_engine(parsed, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'ALTER DATABASE "{parsed.database}" SET synchronous_commit = off'))
    engine.dispose()


def worker_database_url(base_url: str, worker_id: str) -> str:
    """The PostgreSQL database of one xdist worker (created empty), or `base_url` unsplit."""
    if worker_id == "master":
        return base_url
    url = make_url(base_url)
    name = f"{url.database}_{worker_id}"
    engine = create_engine(url.set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def _migrate(config: dict[str, Any]) -> None:
    from flask_migrate import upgrade

    app = create_app(config)
    with app.app_context():
        upgrade()
        _db.engine.dispose()


@pytest.fixture(scope="session", autouse=True)
def _cheap_password_hashing() -> Iterator[None]:
    """Argon2id with argon2-cffi's profile for tests (`profiles.CHEAPEST`) in this process.

    The production parameters cost 0.1–0.4 s of CPU per hash and the suite hashes thousands of
    passwords. Hashes stay Argon2id; servers that tests start in other processes (gunicorn)
    keep the production parameters and verify these hashes as they would any other.
    """
    from argon2 import PasswordHasher, profiles

    from lms.services.accounts import users

    production = users._hasher
    users._hasher = PasswordHasher.from_parameters(profiles.CHEAPEST)
    yield
    users._hasher = production


@pytest.fixture(scope="session")
def instance_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("instance")
    os.environ["LMS_INSTANCE_PATH"] = str(path)
    return path


@pytest.fixture(scope="session")
def migrated_database(instance_dir: Path, worker_id: str) -> str:
    """Migrate once per worker; returns the URL (SQLite: a template file copied per test)."""
    if TEST_DATABASE_URL:
        url = worker_database_url(TEST_DATABASE_URL, worker_id)
        _reset_postgres_schema(url)
        _migrate({"SQLALCHEMY_DATABASE_URI": url})
        _no_wait_for_disk(url)
        return url
    template = instance_dir / "template.sqlite3"
    _migrate({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{template}"})
    return f"sqlite:///{template}"


def _fresh_database_url(template_url: str, tmp_path: Path) -> str:
    if template_url.startswith("sqlite:///"):
        target = tmp_path / "test.sqlite3"
        shutil.copyfile(template_url.removeprefix("sqlite:///"), target)
        return f"sqlite:///{target}"
    return template_url


_EMPTY_ALL: dict[str, str] = {}


def _empty_all(app: Flask) -> None:
    """Empty every table and restart its ids, in one round trip.

    Not TRUNCATE: it recreates each table's files (about a second for 30 tables, per test).
    DELETE on mostly empty tables takes milliseconds; `session_replication_role = replica`
    (the test role is a superuser) skips foreign-key checks and the audit tables'
    append-only triggers for this one transaction only.
    """
    with app.app_context():
        _db.session.remove()
        url = str(_db.engine.url)
        with _db.engine.begin() as connection:
            if url not in _EMPTY_ALL:
                sequences = connection.execute(
                    text("SELECT sequencename FROM pg_sequences WHERE schemaname = 'public'")
                ).scalars()
                _EMPTY_ALL[url] = " ".join(
                    [
                        "SET LOCAL session_replication_role = replica;",
                        *(f'DELETE FROM "{t.name}";' for t in _db.metadata.sorted_tables),  # noqa: S608
                        *(f'ALTER SEQUENCE "{name}" RESTART;' for name in sequences),
                    ]
                )
            connection.exec_driver_sql(_EMPTY_ALL[url])


class IsolatedClient(FlaskClient):
    """Runs each request in its own app context, as a real server does.

    Tests hold an app context open for factories; without this, `g` (and with it
    Flask-Login's cached user) and the database session would leak between requests.
    """

    def open(self, *args: Any, **kwargs: Any) -> Any:
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        if has_app_context():
            _db.session.expire_all()
        return response


TEST_CONFIG: dict[str, Any] = {
    "TESTING": True,
    "WTF_CSRF_ENABLED": False,
    "RATELIMIT_ENABLED": False,
    "SERVER_NAME": "lms.test",
    "LMS_PUBLIC_URL": "http://lms.test",
}


def test_queue_url(tmp_path: Path, worker_id: str) -> str:
    """The job queue of one test: a SQLite file (SQLite run), or on PostgreSQL runs a Redis
    database per xdist worker (`LMS_TEST_REDIS_URL`, default the local Redis); each test also
    names its own queue (`LMS_QUEUE_NAME` in `make_app`), so parallel runs never share jobs."""
    if not TEST_DATABASE_URL:
        return f"sqlite:///{tmp_path / 'queue.sqlite3'}"
    base = os.environ.get("LMS_TEST_REDIS_URL", "redis://127.0.0.1:6379").rstrip("/")
    number = 1 + (int(worker_id.removeprefix("gw")) if worker_id.startswith("gw") else 0)
    return f"{base}/{number}"


@pytest.fixture
def make_app(
    migrated_database: str, tmp_path: Path, worker_id: str
) -> Iterator[Callable[..., Flask]]:
    """Build an app on a clean copy of the migrated database, with config overrides."""
    url = _fresh_database_url(migrated_database, tmp_path)
    queue_url = test_queue_url(tmp_path, worker_id)
    queue_name = f"lms-test-{worker_id}-{os.getpid()}-{tmp_path.name}"
    apps: list[Flask] = []

    def factory(**overrides: Any) -> Flask:
        config = {
            "SQLALCHEMY_DATABASE_URI": url,
            "LMS_QUEUE_URL": queue_url,
            "LMS_QUEUE_NAME": queue_name,
        }
        app = create_app({**TEST_CONFIG, **config, **overrides})
        app.test_client_class = IsolatedClient
        apps.append(app)
        return app

    yield factory
    if queue_url.startswith("redis") and apps:
        from lms.services.queue import huey

        huey.storage.flush_all()  # this test's own queue name only
    if url.startswith("postgresql") and apps:
        _empty_all(apps[0])
    for app in apps:
        with app.app_context():
            _db.session.remove()
            _db.engine.dispose()


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Iterator[Flask]:
    application = make_app()
    with application.app_context():
        yield application


@pytest.fixture
def db(app: Flask) -> Any:
    return _db


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def real_server(app: Flask) -> Iterator[Any]:
    """The real server (gunicorn, 3 workers) on this test's database: tests/concurrency.py."""
    from tests.concurrency import LiveServer

    _db.session.commit()
    with LiveServer.start(app) as server:
        yield server


@pytest.fixture
def login_as(app: Flask, client: FlaskClient) -> Callable[..., Any]:
    """Log the test client in as a new user holding `role` (or as a given user)."""

    def login(role: str | None = "trainee", user: Any = None) -> Any:
        user = user or make_user(roles=(role,) if role else ())
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
        return user

    return login
