"""The Huey instance: SQLite storage in the instance folder by default, Redis in production.

`LMS_QUEUE_URL` unset (or `sqlite:///path`) keeps the queue in a file beside the database, so
the one-command run needs nothing else; `redis://host:port/db` lets `lms worker` processes on
any number of hosts share it. Tasks are registered on this one module-level instance when
their modules are imported; `configure` points it at the storage the app's config names.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask
from huey import Huey, crontab
from huey.storage import MemoryStorage, RedisStorage, SqliteStorage
from redis import ConnectionPool

huey = Huey("lms", results=False, utc=True, storage_class=MemoryStorage)
_app: dict[str, Flask] = {}
_redis_pools: dict[str, ConnectionPool] = {}


def queue_location(app: Flask) -> str:
    """The queue's storage as configured: a `redis://` URL or `sqlite:///file`."""
    url = str(app.config.get("LMS_QUEUE_URL") or "")
    if not url:
        return f"sqlite:///{Path(app.instance_path) / 'queue.sqlite3'}"
    return url


def is_embedded(app: Flask) -> bool:
    """True when the queue lives in a local file (`lms serve` then starts its own consumer)."""
    return queue_location(app).startswith("sqlite:")


def configure(app: Flask) -> None:
    """Point the Huey instance at the storage the app's configuration names."""
    url = queue_location(app)
    name = str(app.config.get("LMS_QUEUE_NAME") or "lms")
    if url.startswith(("redis://", "rediss://", "unix://")):
        if url not in _redis_pools:  # one pool per server, however many apps are built
            _redis_pools[url] = ConnectionPool.from_url(url)
        huey.storage = RedisStorage(name=name, connection_pool=_redis_pools[url])
    elif url.startswith("sqlite:///"):
        filename = url.removeprefix("sqlite:///")
        _create_private(Path(filename))
        huey.storage = SqliteStorage(name=name, filename=filename)
    elif url == "memory://":
        huey.storage = MemoryStorage(name=name)
    else:
        raise ValueError(f"LMS_QUEUE_URL must be redis://, sqlite:/// or memory://, not {url!r}")
    _app["current"] = app


def _create_private(path: Path) -> None:
    """Queued mail holds reset links: the queue file is readable by its owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass


def app_context() -> AbstractContextManager[Any]:
    """A fresh app context (its own database session) for one job."""
    return _app["current"].app_context()


def mongolian_crontab(**fields: str) -> Callable[[datetime], bool]:
    """A Huey crontab read in Mongolian time (`LMS_TIMEZONE`), whatever the host's zone.

    Huey hands periodic checks naive UTC times (utc=True); the ministry's days start at
    midnight in Ulaanbaatar, so the fields are matched against the local time there.
    """
    matches = crontab(**fields)

    def validate(moment: datetime) -> bool:
        zone = ZoneInfo(_app["current"].config["BABEL_DEFAULT_TIMEZONE"]) if _app else UTC
        local = moment.replace(tzinfo=UTC).astimezone(zone).replace(tzinfo=None)
        return bool(matches(local))

    return validate
