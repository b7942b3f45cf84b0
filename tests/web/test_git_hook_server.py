"""The push hook on a real server: gunicorn answers while a `lms worker` runs the publish job.

Git is made slow for the worker only (a `git` on its PATH that sleeps a second before each
call), so the publish job is certainly still running when the second push arrives. The times
are printed (run with `-s` to see them), not asserted: the assertion is about order, that
each push was answered while the job of the first was still `processing`.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import requests
from sqlalchemy import select

from lms.domain.courses.push import sign
from lms.models import CourseVersion, HookDelivery
from tests.gunicorn_fixture import gunicorn
from tests.web.test_git_hook import SECRET, Repo, push_of

SLOW_GIT = '#!/bin/sh\nsleep 1\nexec {git} "$@"\n'


def _post(base: str, payload: dict[str, object], delivery: str) -> tuple[requests.Response, float]:
    body = json.dumps(payload).encode()
    headers = {
        "Content-Type": "application/json",
        "X-GitHub-Event": "push",
        "X-GitHub-Delivery": delivery,
        "X-Hub-Signature-256": sign(SECRET.encode(), body),
    }
    started = time.perf_counter()
    response = requests.post(base + "/hooks/git", data=body, headers=headers, timeout=30)
    return response, time.perf_counter() - started


def _status(db, delivery: str) -> str:
    db.session.rollback()
    return db.session.execute(
        select(HookDelivery.status).where(HookDelivery.delivery_id == delivery)
    ).scalar_one()


def _wait_for(db, delivery: str, wanted: set[str], log: Path) -> str:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        status = _status(db, delivery)
        if status in wanted:
            return status
        time.sleep(0.05)
    raise AssertionError(f"{delivery} stayed {status}:\n{log.read_text()[-3000:]}")


def test_the_hook_answers_while_the_publish_job_runs(app, db, tmp_path):
    (tmp_path / "repo").mkdir()
    repo = Repo(tmp_path / "repo")
    commit = repo.commit()
    settings = {
        "LMS_GIT_HOOK_SECRET": SECRET,
        "LMS_COURSE_REPO_URL": str(repo.root),
        "LMS_COURSE_REPO_PATHS": "courses/demo",
        "LMS_QUEUE_NAME": str(app.config["LMS_QUEUE_NAME"]),
    }
    slow = tmp_path / "slow-bin"
    slow.mkdir()
    (slow / "git").write_text(SLOW_GIT.format(git=shutil.which("git")))
    (slow / "git").chmod(0o755)
    config = app.config
    worker_env = {
        **os.environ,
        **settings,
        "PATH": f"{slow}{os.pathsep}{os.environ['PATH']}",
        "LMS_DATABASE_URL": str(config["SQLALCHEMY_DATABASE_URI"]),
        "LMS_INSTANCE_PATH": app.instance_path,
        "LMS_SECRET_KEY": str(config["SECRET_KEY"]),
        "LMS_DATA_KEY": str(config["LMS_DATA_KEY"]),
        "LMS_ENV": "development",
        "LMS_QUEUE_URL": str(config["LMS_QUEUE_URL"]),
    }
    log_path = tmp_path / "worker.log"
    lms = str(Path(sys.executable).parent / "lms")
    with gunicorn(app, tmp_path, **settings) as base, log_path.open("w") as log:
        worker = subprocess.Popen(  # noqa: S603 - our own CLI, fixed arguments
            [lms, "worker", "--no-periodic", "--threads", "1"],
            env=worker_env,
            stdout=log,
            stderr=log,
        )
        try:
            first, first_took = _post(base, push_of(commit), "first")
            assert first.status_code == 202, first.text
            assert first.json()["status"] == "queued"
            # The worker takes the job; git is slow for it, so it stays `processing` a while.
            _wait_for(db, "first", {"processing"}, log_path)
            second, second_took = _post(base, push_of(commit), "second")
            job_still_running = _status(db, "first")
            assert second.status_code == 202, second.text
            assert job_still_running == "processing"  # answered while the job was running
            first_done = _wait_for(db, "first", {"published", "refused", "error"}, log_path)
            second_done = _wait_for(db, "second", {"unchanged", "published", "error"}, log_path)
        finally:
            worker.send_signal(signal.SIGINT)  # Huey's graceful stop
            worker.wait(timeout=60)
    print(f"\nhook answered in {first_took * 1000:.0f} ms and {second_took * 1000:.0f} ms")
    assert (first_done, second_done) == ("published", "unchanged"), log_path.read_text()[-3000:]
    db.session.rollback()
    versions = db.session.execute(select(CourseVersion.commit)).scalars().all()
    assert versions == [commit]
