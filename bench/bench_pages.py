"""Benchmark: the pages trainees wait on, as worker CPU per request against /healthz.

For each database (SQLite file, PostgreSQL database `bench_pages` that this script drops and
creates itself, never another), it migrates a fresh database, publishes the bundled courses,
creates a trainee enrolled in all of them (with a quiz attempt in progress) and a credential,
then starts the real server (gunicorn, 2 sync workers), logs in through the login form and
drives each page with a Python client one request at a time (wrk cannot log in or follow the
autosave's sequence token): N requests of the page, then N of /healthz, repeated in rounds
so that both see the same machine. Per request it reads the workers' CPU time
(utime + stime from /proc/<pid>/stat; on PostgreSQL plus the database backends serving them),
which is steady on a busy machine where wall time is not. Query counts come from an
SQLAlchemy listener in this process, with the Flask test client. Also: cold start (`lms serve`
to its first 200 against a bare Flask app under gunicorn) and the workers' RSS after all pages.

Targets (issue 18): lesson and quiz question <= 2.5x /healthz CPU on SQLite, <= 3x on
PostgreSQL and <= 4 queries; autosave <= 3x; dashboard <= 4x and <= 8 queries. Printed, never
asserted; not part of the tests or CI.

    .venv/bin/python bench/bench_pages.py                 # both databases, about 2-3 minutes
    .venv/bin/python bench/bench_pages.py --db sqlite --requests 100
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_registry import Client, csrf_token, free_port, memory_kib, worker_pids  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
DATA = Path(os.environ.get("LMS_BENCH_DIR", "/tmp/lms-bench")) / "pages"  # noqa: S108
ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
BENCH_DB = "bench_pages"
BACKENDS_SQL = "SELECT pid FROM pg_stat_activity WHERE datname = 'bench_pages'"
EMAIL, PASSWORD = "trainee@bench.example", "bench trainee password"  # noqa: S105
BROWSER = {"Accept-Encoding": "gzip, deflate, br"}  # what a phone's browser sends
TICKS = os.sysconf("SC_CLK_TCK")
# page: (CPU ratio target on SQLite, on PostgreSQL, query target)
TARGETS = {
    "lesson": (2.5, 3.0, 4),
    "quiz question": (2.5, 3.0, 4),
    "autosave POST": (3.0, 3.0, None),
    "dashboard": (4.0, 4.0, 8),
    "catalog (signed in)": (None, None, None),
    "/verify/<n>": (None, None, None),
}


def database_url(kind: str) -> str:
    if kind == "sqlite":
        return f"sqlite:///{DATA / 'sqlite' / 'lms.sqlite3'}"
    return ADMIN_URL.rsplit("/", 1)[0] + "/" + BENCH_DB


def recreate(kind: str) -> None:
    folder = DATA / kind
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    folder.chmod(0o700)
    if kind == "postgresql":
        from sqlalchemy import create_engine, text

        engine = create_engine(
            ADMIN_URL.replace("postgresql://", "postgresql+psycopg://"),
            isolation_level="AUTOCOMMIT",
        )
        with engine.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)"))
            connection.execute(text(f"CREATE DATABASE {BENCH_DB}"))
        engine.dispose()


def environment(kind: str) -> dict[str, str]:
    env = dict(os.environ)
    # A deployed server runs from bytecode (pip compiles it on install); a shell with
    # PYTHONDONTWRITEBYTECODE=1 would make every start compile ~260 modules from source.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return dict(
        env,
        PYTHONPYCACHEPREFIX=str(DATA / "pycache"),
        LMS_INSTANCE_PATH=str(DATA / kind),
        LMS_DATABASE_URL=database_url(kind),
        LMS_RATELIMIT_ENABLED="0",
        LMS_ENV="development",
        LMS_PUBLIC_URL="http://127.0.0.1",
    )


def seed_and_count(kind: str) -> dict[str, Any]:
    """Fill the database and count each page's queries in this process (test client)."""
    os.environ.update(environment(kind))
    from flask_migrate import upgrade
    from sqlalchemy import event, select

    from lms import create_app
    from lms.extensions import db
    from lms.models import Course, Enrolment
    from lms.services import demo
    from lms.services.accounts import users as accounts
    from lms.services.courses import publishing
    from lms.services.courses.store import latest_version
    from lms.services.credentials import issuing
    from lms.services.learning import attempts

    app = create_app()
    with app.app_context():
        upgrade()
        for folder in demo.bundled_course_folders():
            publishing.publish_path(folder, allow_dirty=True)
        trainee = accounts.create_user(
            accounts.NewAccount(email=EMAIL, name="Бат Суралцагч", password=PASSWORD),
            roles=("trainee",),
        )
        trainer = accounts.create_user(
            accounts.NewAccount(email="trainer@bench.example", name="Багш", password=PASSWORD),
            roles=("trainer",),
        )
        db.session.commit()
        enrolments = []
        for course in db.session.execute(select(Course).order_by(Course.slug)).scalars():
            version = latest_version(course)
            assert version is not None  # noqa: S101
            enrolment = Enrolment(
                user_id=trainee.id, course_id=course.id, course_version_id=version.id
            )
            enrolment.state = "active"
            db.session.add(enrolment)
            enrolments.append((course.slug, enrolment, version))
        db.session.commit()
        slug, enrolment, version = next(e for e in enrolments if e[0] == "job-coach-training")
        lesson = next(item["lesson"] for item in _items(version.meta) if "lesson" in item)
        quiz_id = next(item["quiz"] for item in _items(version.meta) if "quiz" in item)
        quiz = attempts.quiz_of(enrolment, quiz_id)
        attempt = attempts.start(enrolment, quiz, "mn").attempt
        other = next(e for e in enrolments if e[0] == "intro-seminar")[1]
        credential = issuing.issue(other, trainer)
        facts = {
            "lesson": f"/learn/{slug}/lessons/{lesson}",
            "question": f"/attempts/{attempt.id}/questions/1",
            "number": credential.number,
        }
        user_id, seq = trainee.get_id(), attempt.seq

    statements: list[str] = []
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    app.config["WTF_CSRF_ENABLED"] = False  # the counting client posts without a form token
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = user_id
    counts: dict[str, int] = {}
    for name, url in [
        ("lesson", facts["lesson"]),
        ("quiz question", facts["question"]),
        ("dashboard", "/my"),
        ("catalog (signed in)", "/courses"),
        ("/verify/<n>", f"/verify/{facts['number']}"),
    ]:
        client.get(url)  # warm caches, as in a running worker
        statements.clear()
        client.get(url)
        counts[name] = len(statements)
    statements.clear()
    client.post(facts["question"], data={"seq": str(seq)}, headers={"Accept": "application/json"})
    counts["autosave POST"] = len(statements)
    facts["counts"] = counts
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    return facts


def _items(meta: dict[str, Any]) -> Iterator[dict[str, str]]:
    for part in meta["outline"]:
        yield from part.get("items", [part])


def cpu_ticks(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total


def backend_pids() -> list[int]:
    """The PostgreSQL server processes serving the benchmark database."""
    command = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-Atc", BACKENDS_SQL]
    output = subprocess.run(command, capture_output=True, text=True, check=False).stdout  # noqa: S603, S607
    return [int(line) for line in output.split() if line.isdigit()]


@contextmanager
def gunicorn(
    kind: str, app: str = "lms:create_app()"
) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    port = free_port()
    process = subprocess.Popen(  # noqa: S603
        [str(BIN / "gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers", "2", app],
        cwd=ROOT,
        env=environment(kind),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(port, process)
        while len(worker_pids(process.pid)) < 2:
            time.sleep(0.05)
        yield process, port
    finally:
        process.terminate()
        process.wait(timeout=30)


def wait_for(port: int, process: subprocess.Popen[bytes], timeout: float = 60) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout and process.poll() is None:
        try:
            if Client(port).request("GET", "/healthz")[0] == 200:
                return time.monotonic() - started
        except OSError:
            time.sleep(0.02)
    raise RuntimeError("the server did not answer")


def login(client: Client) -> None:
    _, headers, html, _, _ = client.request("GET", "/account/login")
    client.keep_cookie(headers)
    form = {"csrf_token": csrf_token(html), "email": EMAIL, "password": PASSWORD}
    status, headers, _, _, _ = client.request("POST", "/account/login", urlencode(form))
    if status != 302:
        raise RuntimeError(f"login failed: {status}")
    client.keep_cookie(headers)


def cpu_per_request(pids: Callable[[], list[int]], n: int, call: Callable[[], Any]) -> float:
    watched = pids()
    before = cpu_ticks(watched)
    for _ in range(n):
        call()
    return (cpu_ticks(watched) - before) / TICKS / n * 1000  # ms


def drive(kind: str, facts: dict[str, Any], n: int, rounds: int) -> dict[str, Any]:
    with gunicorn(kind) as (process, port):
        plain = Client(port)  # uncompressed, to read forms
        login(plain)
        client = Client(port, cookie=plain.cookie, headers=dict(BROWSER))
        question = facts["question"]
        # The question page's CSRF token and sequence token for the autosave form.
        form = plain.request("GET", question)[2]
        token = csrf_token(form)
        found = re.search(rb'name="seq" value="(\d+)"', form)
        seq = {"value": int(found.group(1)) if found else 0}

        def autosave() -> Any:
            body = urlencode({"csrf_token": token, "seq": str(seq["value"])})
            status, _, data, _, _ = client.request(
                "POST", question, body, {"Accept": "application/json"}
            )
            if status == 200:
                seq["value"] = json.loads(data)["seq"]

        pages: dict[str, Callable[[], Any]] = {
            "lesson": lambda: client.request("GET", facts["lesson"]),
            "quiz question": lambda: client.request("GET", question),
            "autosave POST": autosave,
            "dashboard": lambda: client.request("GET", "/my"),
            "catalog (signed in)": lambda: client.request("GET", "/courses"),
            "/verify/<n>": lambda: client.request("GET", f"/verify/{facts['number']}"),
        }
        workers = worker_pids(process.pid)

        def watched() -> list[int]:
            return workers + (backend_pids() if kind == "postgresql" else [])

        healthz = lambda: client.request("GET", "/healthz")  # noqa: E731
        for call in [healthz, *pages.values()]:
            for _ in range(10):
                call()  # warm-up: caches, connections
        results: dict[str, Any] = {}
        for name, call in pages.items():
            page_ms, base_ms = [], []
            for _ in range(rounds):  # alternate so both see the same load
                page_ms.append(cpu_per_request(watched, n, call))
                base_ms.append(cpu_per_request(watched, n, healthz))
            results[name] = {"cpu_ms": sum(page_ms) / rounds, "healthz_ms": sum(base_ms) / rounds}
        _, headers, body, _, _ = client.request("GET", facts["lesson"])
        results["lesson bytes (repeat visit)"] = len(body)
        results["rss_mb"] = max(memory_kib(pid, "VmRSS") for pid in workers) / 1024
    return results


BARE_APP = """
from flask import Flask
app = Flask(__name__)

@app.get("/healthz")
def healthz():
    return {"status": "ok"}
"""


def cold_start(kind: str) -> dict[str, float]:
    """Seconds from starting `lms serve` to its first 200, and the same for a bare Flask app."""
    env = environment(kind)
    compile_all = [sys.executable, "-m", "compileall", "-q", "lms"]
    subprocess.run(compile_all, cwd=ROOT, env=env, check=False, stdout=subprocess.DEVNULL)  # noqa: S603
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "bare.py").write_text(BARE_APP)
        for name, command, cwd in [
            ("bare", [str(BIN / "gunicorn"), "--workers", "2", "bare:app"], folder),
            ("lms serve", [str(BIN / "lms"), "serve", "--workers", "2", "--no-worker"], ROOT),
        ]:
            port = free_port()
            if name == "bare":
                command += ["--bind", f"127.0.0.1:{port}"]
            else:
                command += ["--port", str(port)]
            started = time.monotonic()
            process = subprocess.Popen(  # noqa: S603
                command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
            try:
                wait_for(port, process)
                results[name] = time.monotonic() - started
            finally:
                process.terminate()
                process.wait(timeout=30)
    return results


def report(
    kind: str, facts: dict[str, Any], results: dict[str, Any], cold: dict[str, float]
) -> None:
    column = 0 if kind == "sqlite" else 1
    print(f"\n{kind}: worker CPU per request{' incl. PostgreSQL backends' if column else ''}")
    print(f"{'page':22} {'queries':>7} {'CPU ms':>7} {'healthz':>7} {'ratio':>6}  target")
    for name, target in TARGETS.items():
        row = results[name]
        ratio = row["cpu_ms"] / row["healthz_ms"] if row["healthz_ms"] else float("nan")
        limit, query_limit = target[column], target[2]
        verdict = []
        if limit is not None:
            verdict.append(f"<= {limit}x {'met' if ratio <= limit else 'MISSED'}")
        if query_limit is not None:
            met = facts["counts"][name] <= query_limit
            verdict.append(f"<= {query_limit} queries {'met' if met else 'MISSED'}")
        print(
            f"{name:22} {facts['counts'][name]:>7} {row['cpu_ms']:>7.2f} "
            f"{row['healthz_ms']:>7.2f} {ratio:>5.1f}x  {'; '.join(verdict) or '-'}"
        )
    size = results["lesson bytes (repeat visit)"]
    print(f"lesson page transferred on a repeat visit: {size / 1024:.1f} KB (target <= 10 KB)")
    print(f"worker RSS after the pages: {results['rss_mb']:.0f} MB (target <= 100 MB)")
    ratio = cold["lms serve"] / cold["bare"]
    print(
        f"cold start to first 200: lms serve {cold['lms serve']:.2f} s, bare Flask app under "
        f"gunicorn {cold['bare']:.2f} s: {ratio:.1f}x (target <= 3x)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--requests", type=int, default=60, help="per page per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--reseed", action="store_true", help="new databases and counts")
    args = parser.parse_args()
    kinds = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    for kind in kinds:
        saved = DATA / kind / "facts.json"
        if args.reseed or not saved.exists():
            recreate(kind)
            # Seeding imports the app; a child process keeps this one free of its state.
            seeded = subprocess.run(  # noqa: S603
                [sys.executable, __file__, "--seed-only", kind],
                cwd=ROOT,
                stdout=subprocess.PIPE,
                text=True,
                check=True,
            )
            saved.write_text(seeded.stdout.splitlines()[-1])
        facts = json.loads(saved.read_text())
        results = drive(kind, facts, args.requests, args.rounds)
        report(kind, facts, results, cold_start(kind))


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--seed-only":
        import logging

        logging.disable(logging.CRITICAL)
        print(json.dumps(seed_and_count(sys.argv[2])))
    else:
        main()
