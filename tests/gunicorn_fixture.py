"""A real gunicorn serving a test's database, and N requests fired at it at the same moment.

Minimal and local to the audit and login-limit tests (the shared concurrency helper may replace
it). The server runs `lms:create_app()` as `lms serve` does, on a free port, with the test
app's database, keys and instance folder, so the test can check the database afterwards.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import requests
from flask import Flask

T = TypeVar("T")
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def gunicorn(
    app: Flask, log_dir: Path, *, workers: int = 2, threads: int = 1, **env: str
) -> Iterator[str]:
    """Serve `app`'s database with gunicorn; yields the base URL. `env` adds LMS_* settings."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    config = app.config
    environment = {
        **os.environ,
        "LMS_DATABASE_URL": str(config["SQLALCHEMY_DATABASE_URI"]),
        "LMS_INSTANCE_PATH": app.instance_path,
        "LMS_SECRET_KEY": str(config["SECRET_KEY"]),
        "LMS_DATA_KEY": str(config["LMS_DATA_KEY"]),
        "LMS_PUBLIC_URL": base,
        "LMS_ENV": "development",
        **({"LMS_QUEUE_URL": str(config["LMS_QUEUE_URL"])} if config.get("LMS_QUEUE_URL") else {}),
        **env,
    }
    binary = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    log_path = log_dir / f"gunicorn-{port}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(  # noqa: S603 - our own server binary, fixed arguments
            [binary, "--bind", f"127.0.0.1:{port}", "--workers", str(workers)]
            + ["--threads", str(threads), "--timeout", "120", "lms:create_app()"],
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_until_up(base, process, log_path)
            yield base
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_until_up(base: str, process: subprocess.Popen[bytes], log_path: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited:\n{log_path.read_text()[-3000:]}")
        try:
            if requests.get(base + "/account/login", timeout=10).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer:\n{log_path.read_text()[-3000:]}")


def form_session(url: str) -> tuple[requests.Session, str]:
    """A browser-like session that has loaded the form at `url`, and the form's CSRF token."""
    session = requests.Session()
    page = session.get(url, timeout=30)
    match = _CSRF.search(page.text)
    assert match, f"no CSRF token on {url}"
    return session, match.group(1)


def all_at_once(calls: list[Callable[[], T]]) -> list[T]:
    """Run every call in its own thread, released together by a barrier."""
    barrier = threading.Barrier(len(calls))

    def run(call: Callable[[], T]) -> T:
        barrier.wait()
        return call()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


def post_form(session: requests.Session, url: str, data: dict[str, Any]) -> requests.Response:
    return session.post(url, data=data, allow_redirects=False, timeout=120)
