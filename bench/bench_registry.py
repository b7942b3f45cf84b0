"""Benchmark: the registry at 10,000 trainees and 100,000 credentials, against /healthz.

Seeds the database if needed (bench/seed_registry.py), starts the app under gunicorn on a free
port, logs in as a reviewer, and measures one request at a time (N each, after a warm-up):

- a bare /healthz request: the baseline every ratio is against;
- the registry list page with filters (five filter sets in turn);
- the eligibility check (the page's POST, by credential number and by national ID);
- the public verification page /verify/<number>;
- the CSV export of all 100,000 rows: time to first byte, total time, size, and the peak
  memory growth of the gunicorn worker that served it (VmHWM reset before, from /proc);
- for information: the XLSX export, the CSV without national IDs, and two API calls.

Targets (issue 7): list and eligibility within 3x the /healthz p95; the CSV export of 100,000
rows under 5 s with under 50 MB extra memory. Timings are printed, never asserted.

    .venv/bin/python bench/bench_registry.py --db both --requests 200
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
import seed_registry  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
GUNICORN = str(Path(sys.executable).parent / "gunicorn")
LIST_FILTERS = [
    {"region": "khovd", "status": "active"},
    {"course": "job-coach-training", "qualifies_on": "{today}"},
    {"q": "Өлзийсайхан", "sort": "issued", "descending": "1"},
    {"sort": "expires", "descending": "1", "page": "20"},
    {"region": "ub-bayangol", "kind": "training", "per_page": "100"},
    # A full name (265 holders): the trigram index's case on PostgreSQL (docs/performance.md).
    {"q": "Тэмүүлэн Дорж"},
]


@dataclass
class Client:
    """One-request-per-connection HTTP client (gunicorn's sync workers close every connection)."""

    port: int
    cookie: str = ""
    headers: dict[str, str] = field(default_factory=dict)

    def request(
        self, method: str, path: str, body: str | None = None, extra: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], bytes, float, float]:
        """(status, headers, body, seconds to first byte, total seconds)."""
        headers = dict(self.headers, **(extra or {}))
        if self.cookie:
            headers["Cookie"] = self.cookie
        if body is not None and "Content-Type" not in headers:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        first = response.read(1)
        ttfb = time.perf_counter() - started
        data = first + response.read()
        total = time.perf_counter() - started
        connection.close()
        return response.status, dict(response.getheaders()), data, ttfb, total

    def keep_cookie(self, headers: dict[str, str]) -> None:
        found = re.search(r"session=[^;]+", headers.get("Set-Cookie", ""))
        if found:
            self.cookie = found.group(0)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def csrf_token(html: bytes) -> str:
    found = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', html)
    if not found:
        raise RuntimeError("no CSRF token in the page")
    return found.group(1).decode()


def login(client: Client) -> None:
    _, headers, html, _, _ = client.request("GET", "/account/login")
    client.keep_cookie(headers)
    form = {
        "csrf_token": csrf_token(html),
        "email": seed_registry.REVIEWER_EMAIL,
        "password": seed_registry.REVIEWER_PASSWORD,
    }
    status, headers, _, _, _ = client.request("POST", "/account/login", urlencode(form))
    if status != 302:
        raise RuntimeError(f"login failed: {status}")
    client.keep_cookie(headers)


def worker_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]


def memory_kib(pid: int, field_name: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field_name + ":"):
            return int(line.split()[1])
    return 0


def reset_peaks(pids: list[int]) -> dict[int, int]:
    """Reset each worker's peak RSS (Linux clear_refs 5); returns the RSS now."""
    for pid in pids:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
    return {pid: memory_kib(pid, "VmRSS") for pid in pids}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(n: int, call: Callable[[int], tuple[int, Any, bytes, float, float]]) -> dict[str, Any]:
    """Call `call(i)` n times after 5 warm-up calls; p50/p95 of the total time in ms."""
    for i in range(5):
        call(i)
    times: list[float] = []
    statuses: set[int] = set()
    for i in range(n):
        status, _, _, _, total = call(i)
        statuses.add(status)
        times.append(total * 1000)
    return summary(times, statuses)


def summary(times: list[float], statuses: set[int]) -> dict[str, Any]:
    return {
        "p50": statistics.median(times),
        "p95": percentile(times, 0.95),
        "statuses": sorted(statuses),
        "times": times,
    }


def export_run(client: Client, pids: list[int], path: str) -> dict[str, Any]:
    before = reset_peaks(pids)
    status, _, body, ttfb, total = client.request("GET", path)
    growth = max(memory_kib(pid, "VmHWM") - before[pid] for pid in pids)
    return {
        "status": status,
        "ttfb_s": ttfb,
        "total_s": total,
        "bytes": len(body),
        "rows": body.count(b"\r\n") - 1 if path.endswith(".csv") or ".csv?" in path else None,
        "extra_mb": growth / 1024,
    }


def api_token(kind: str) -> str:
    app = seed_registry.make_app(kind)
    with app.app_context():
        from lms.services.registry import api_tokens

        return api_tokens.create("benchmark", ("registry:read",), actor=None)[1]


@contextmanager
def serve(kind: str, workers: int) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    port = free_port()
    env = dict(
        os.environ,
        LMS_INSTANCE_PATH=str(seed_registry.instance_path(kind)),
        LMS_DATABASE_URL=seed_registry.database_url(kind),
        LMS_RATELIMIT_ENABLED="0",
    )
    process = subprocess.Popen(  # noqa: S603 (our own gunicorn, fixed arguments)
        [GUNICORN, "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "lms:create_app()"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if Client(port).request("GET", "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("gunicorn did not start")
            time.sleep(0.2)
        while len(worker_pids(process.pid)) < workers:
            time.sleep(0.1)
        yield process, port
    finally:
        process.terminate()
        process.wait(timeout=30)


def bench(kind: str, n: int, workers: int, reseed: bool, exports: bool = True) -> dict[str, Any]:
    if reseed or not (seed_registry.instance_path(kind) / "bench-sample.json").exists():
        print(f"[{kind}] seeding 10,000 trainees and 100,000 credentials ...", flush=True)
        print(f"[{kind}] {seed_registry.seed(kind, 10_000, 100_000)}", flush=True)
    sample = seed_registry.sample(kind)
    token = api_token(kind)
    today = date.today().isoformat()
    results: dict[str, Any] = {"database": kind}
    with serve(kind, workers) as (process, port):
        pids = worker_pids(process.pid)
        public = Client(port)
        reviewer = Client(port)
        login(reviewer)
        _, _, page, _, _ = reviewer.request("GET", "/registry/eligibility")
        token_field = csrf_token(page)
        numbers, nationals = sample["numbers"], sample["national_ids"]

        def listing(args: str) -> Callable[[int], Any]:
            return lambda i: reviewer.request("GET", "/registry/?" + args)

        def eligibility(i: int) -> Any:
            query = numbers[i % len(numbers)] if i % 2 else nationals[i % len(nationals)]
            form = {"csrf_token": token_field, "query": query, "on": today}
            return reviewer.request("POST", "/registry/eligibility", urlencode(form))

        bearer = {"Authorization": f"Bearer {token}"}
        results["healthz"] = measure(n, lambda i: public.request("GET", "/healthz"))
        queries = [
            urlencode({key: value.format(today=today) for key, value in filters.items()})
            for filters in LIST_FILTERS
        ]
        by_filter = {args: measure(max(10, n // 5), listing(args)) for args in queries}
        results["list_by_filter"] = by_filter
        results["list"] = summary(
            [t for one in by_filter.values() for t in one["times"]],
            {s for one in by_filter.values() for s in one["statuses"]},
        )
        results["eligibility"] = measure(n, eligibility)
        results["verify"] = measure(
            n, lambda i: public.request("GET", f"/verify/{numbers[i % len(numbers)]}")
        )
        results["api_list"] = measure(
            max(20, n // 5),
            lambda i: public.request(
                "GET", f"/api/v1/registry/credentials?per_page=200&page={i + 1}", extra=bearer
            ),
        )
        results["api_eligibility"] = measure(
            n,
            lambda i: public.request(
                "GET",
                f"/api/v1/registry/eligibility?number={numbers[i % len(numbers)]}",
                extra=bearer,
            ),
        )
        if not exports:  # --no-exports: pages only (bench/bench_export_formats.py for files)
            return results
        results["csv"] = [export_run(reviewer, pids, "/registry/export.csv") for _ in range(2)]
        without_ids = "/registry/export.csv?national_ids=0"
        results["csv_without_ids"] = export_run(reviewer, pids, without_ids)
        results["xlsx"] = export_run(reviewer, pids, "/registry/export.xlsx")
    return results


def report(results: dict[str, Any]) -> None:
    base = results["healthz"]["p95"]
    print(f"\n== {results['database']} ==")
    print(f"{'request':<22}{'p50 ms':>9}{'p95 ms':>9}{'p95/healthz':>13}  target")
    for name, target in (
        ("healthz", None),
        ("list", 3.0),
        ("eligibility", 3.0),
        ("verify", None),
        ("api_list", None),
        ("api_eligibility", None),
    ):
        row = results[name]
        ratio = row["p95"] / base
        met = "met" if target is not None and ratio <= target else "MISSED"
        verdict = "" if target is None else f"≤ {target:g}× {met}"
        print(f"{name:<22}{row['p50']:>9.1f}{row['p95']:>9.1f}{ratio:>12.1f}×  {verdict}")
        if row["statuses"] != [200]:
            print(f"   (statuses {row['statuses']})")
    print("list page by filter:")
    for args, row in results["list_by_filter"].items():
        print(f"   {row['p50']:>7.1f} {row['p95']:>7.1f} ms  ?{args}")
    if "csv" not in results:
        return
    print(f"\n{'export':<22}{'TTFB s':>8}{'total s':>9}{'MB out':>8}{'rows':>8}{'extra MB':>10}")
    runs = [(f"csv #{i + 1}", run) for i, run in enumerate(results["csv"])]
    runs += [("csv, no national IDs", results["csv_without_ids"]), ("xlsx", results["xlsx"])]
    for name, run in runs:
        rows = "" if run["rows"] is None else str(run["rows"])
        print(
            f"{name:<22}{run['ttfb_s']:>8.2f}{run['total_s']:>9.2f}{run['bytes'] / 1e6:>8.1f}"
            f"{rows:>8}{run['extra_mb']:>10.1f}"
        )
    worst = max(results["csv"], key=lambda run: run["total_s"])
    print(
        f"CSV target (< 5 s, < 50 MB extra): {worst['total_s']:.2f} s "
        f"{'met' if worst['total_s'] < 5 else 'MISSED'}, {worst['extra_mb']:.1f} MB "
        f"{'met' if worst['extra_mb'] < 50 else 'MISSED'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="sqlite")
    parser.add_argument("--requests", type=int, default=200, help="Requests per measurement.")
    parser.add_argument("--workers", type=int, default=2, help="Gunicorn workers.")
    parser.add_argument("--reseed", action="store_true", help="Seed again even if seeded.")
    parser.add_argument("--json", type=Path, help="Also write the figures to this file.")
    parser.add_argument("--no-exports", action="store_true", help="Measure the pages only.")
    args = parser.parse_args()
    kinds = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    everything = []
    for kind in kinds:
        results = bench(kind, args.requests, args.workers, args.reseed, not args.no_exports)
        report(results)
        everything.append(results)
    if args.json:
        args.json.write_text(json.dumps(everything, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
