"""The real server under real concurrent requests, for tests of create-once rules and races.

`LiveServer.start(app)` runs gunicorn (`lms:create_app()`, 3 sync workers by default) on a free
loopback port against the test's own database (the SQLite file copied for this test, or the
xdist worker's PostgreSQL database), with the test's instance folder (so the same secret key,
data key and signing keys), rate limits off and `LMS_PUBLIC_URL` set to the server's address.
It waits until `/healthz` answers. Use it through the `real_server` fixture (tests/conftest.py):

    def test_one_credential(app, db, real_server):
        ...make data with the factories; they commit...
        sessions = [real_server.login(trainer.email) for _ in range(8)]
        responses = real_server.post_all(sessions, f"/trainer/enrolments/{e.id}/issue")
        assert all(r.status_code < 500 for r in responses)
        db.session.expire_all()
        ...count rows in the database...

Each `requests.Session` is a browser: `login` signs in through the real login form (CSRF
included). `post_all` fetches a CSRF token for every session first, then releases all the
POSTs at the same instant (a barrier across threads) and returns the responses in order; it
does not follow redirects, so a flash message is read with `messages(session)` afterwards.
Commit (the factories do) before firing: the server sees only committed rows.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from html import unescape
from pathlib import Path
from typing import Any

import requests
from flask import Flask

from tests.factories import DEFAULT_PASSWORD

_CSRF = re.compile(r'<input[^>]*name="(?:[\w-]*-)?csrf_token"[^>]*value="([^"]+)"')
_FLASH = re.compile(r'<p class="flash flash-(\w+)">(.*?)</p>', re.S)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class LiveServer:
    """A running gunicorn serving the test's database; see the module docstring."""

    def __init__(self, base_url: str, log: Path) -> None:
        self.base_url = base_url
        self.log = log

    @classmethod
    @contextmanager
    def start(
        cls, app: Flask, *, workers: int = 3, env: dict[str, str] | None = None
    ) -> Iterator[LiveServer]:
        """Start gunicorn for `app`'s database and instance folder; stop it on exit.

        `env` adds or overrides LMS_* variables (e.g. a Redis rate-limit store).
        """
        port = _free_port()
        base_url = f"http://127.0.0.1:{port}"
        log = Path(app.instance_path) / f"gunicorn-{port}.log"
        environment = {
            **os.environ,
            "LMS_DATABASE_URL": str(app.config["SQLALCHEMY_DATABASE_URI"]),
            "LMS_INSTANCE_PATH": app.instance_path,
            "LMS_PUBLIC_URL": base_url,
            "LMS_RATELIMIT_ENABLED": "0",
            **(env or {}),
        }
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--timeout",
            "60",
            "--graceful-timeout",
            "3",
            "lms:create_app()",
        ]
        with log.open("wb") as output:
            process = subprocess.Popen(  # noqa: S603 - a fixed command line
                command, env=environment, stdout=output, stderr=subprocess.STDOUT
            )
        server = cls(base_url, log)
        try:
            server._wait_until_up(process)
            yield server
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def _wait_until_up(self, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
        """Until /healthz answers (the socket listens before the workers have booted)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{self.log_tail()}")
            try:
                requests.get(self.url("/healthz"), timeout=10)
            except requests.RequestException:
                time.sleep(0.2)
                continue
            return
        raise RuntimeError(f"gunicorn did not answer /healthz in {timeout} s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 40) -> str:
        """The server's last log lines (tracebacks of a 500 are here)."""
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def url(self, path: str) -> str:
        return self.base_url + path

    def session(self) -> requests.Session:
        """A fresh visitor (no cookies)."""
        return requests.Session()

    def login(self, email: str, password: str = DEFAULT_PASSWORD) -> requests.Session:
        """A session signed in through the real login form."""
        session = self.session()
        token = self.csrf_token(session, "/account/login")
        response = session.post(
            self.url("/account/login"),
            data={"email": email, "password": password, "csrf_token": token},
            allow_redirects=False,
            timeout=30,
        )
        if response.status_code != 302:
            raise AssertionError(f"login as {email} answered {response.status_code}")
        return session

    def csrf_token(self, session: requests.Session, page: str = "/") -> str:
        """The CSRF token of `session`, read from a form on `page` (any form of the session's
        pages carries the same token)."""
        response = session.get(self.url(page), timeout=30)
        match = _CSRF.search(response.text)
        if response.status_code != 200 or match is None:
            raise AssertionError(f"no CSRF token on {page} ({response.status_code})")
        return unescape(match.group(1))

    def post_all(
        self,
        sessions: Sequence[requests.Session],
        path: str,
        data: dict[str, Any] | None = None,
        *,
        form_page: str = "/",
        csrf_field: str = "csrf_token",
    ) -> list[requests.Response]:
        """POST `data` to `path` from every session at the same instant.

        The CSRF token is read from `form_page` and sent as `csrf_field` (a form made with
        ``prefix="p"`` expects ``p-csrf_token``)."""
        tokens = [self.csrf_token(session, form_page) for session in sessions]
        return self.fire(
            [
                lambda session=session, token=token: session.post(
                    self.url(path),
                    data={**(data or {}), csrf_field: token},
                    allow_redirects=False,
                    timeout=60,
                )
                for session, token in zip(sessions, tokens, strict=True)
            ]
        )

    @staticmethod
    def fire(calls: Sequence[Callable[[], requests.Response]]) -> list[requests.Response]:
        """Run every call in its own thread, released together by a barrier; in order."""
        barrier = threading.Barrier(len(calls))

        def run(call: Callable[[], requests.Response]) -> requests.Response:
            barrier.wait()
            return call()

        with ThreadPoolExecutor(max_workers=len(calls)) as pool:
            return list(pool.map(run, calls))

    def messages(self, session: requests.Session, page: str) -> list[tuple[str, str]]:
        """The flash messages (category, text) `page` shows to `session`."""
        text = session.get(self.url(page), timeout=30).text
        return [
            (kind, unescape(re.sub(r"<[^>]+>", "", body)).strip())
            for kind, body in _FLASH.findall(text)
        ]
