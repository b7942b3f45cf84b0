"""Benchmark: page weight and first contentful paint on an emulated slow phone (issue 20).

Budgets: every page under 60 KB transferred (HTML + CSS + JS as sent, compressed; images,
fonts and the manifest excluded) and first contentful paint under 3 s on an emulated slow 3G
phone. Printed per page against the budget, never asserted; not part of the tests or CI.

It seeds a fresh SQLite database as bench/bench_pages.py does (bundled courses, a trainee
enrolled in all of them with a quiz attempt, a credential), starts the real server (gunicorn,
2 workers), signs in through the login form with Debian's Chromium (Playwright), then loads
each page cold (browser cache off, no `lms_css` cookie, service worker bypassed: a first
visit, which gets the stylesheet inline and prefetches the file) under Chromium's
network emulation through the DevTools protocol (Network.emulateNetworkConditions) and a 4×
CPU slowdown (Emulation.setCPUThrottlingRate), at 360 px. Bytes are the encoded (on the wire)
lengths Chromium reports per response (Network.loadingFinished); FCP is the page's own
`first-contentful-paint` entry. Each page is then loaded again with the browser cache on (a
repeat visit: the hashed static files come from the cache). The service worker is bypassed in
both: Chromium's emulated network applies to the page, not to the worker's own fetches, so
pages the worker handles would look faster than they are.

Profiles (Chrome DevTools' presets): "slow-3g" 2,000 ms round trip, 50 KB/s down (the
budget's), and "fast-3g" 563 ms, 180 KB/s, for comparison.

    .venv/bin/python bench/bench_page_budget.py                 # about a minute after seeding
    .venv/bin/python bench/bench_page_budget.py --profile fast-3g --runs 3
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path
from typing import Any

os.environ.setdefault("LMS_BENCH_DIR", "/tmp/lms-bench-budget")  # noqa: S108 - not bench_pages'
sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_pages import EMAIL, PASSWORD, gunicorn, recreate, seed_and_count  # noqa: E402

BUDGET_BYTES = 60 * 1024
BUDGET_FCP_MS = 3000
CHROMIUM = os.environ.get("LMS_CHROMIUM", "/usr/bin/chromium")
PROFILES = {  # latency (ms), download and upload (bytes per second)
    "slow-3g": (2000, 500 * 1000 / 8 * 0.8, 500 * 1000 / 8 * 0.8),
    "fast-3g": (562.5, 1.6 * 1000 * 1000 / 8 * 0.9, 750 * 1000 / 8 * 0.9),
}
COUNTED = {"Document", "Stylesheet", "Script", "Prefetch"}  # a first visit prefetches the CSS


def measure(page: Any, url: str, profile: str, cold: bool = True) -> tuple[int, float]:
    """One load of `url`: bytes of HTML, CSS and JS on the wire, and FCP in ms. Cold: the
    browser cache off; else a repeat visit with it. The service worker is bypassed in both:
    the emulated network does not reach the worker's own fetches, which would flatter it."""
    latency, down, up = PROFILES[profile]
    if cold:  # a first visit: neither the file nor the cookie saying the browser has it
        page.context.clear_cookies(name="lms_css")
    cdp = page.context.new_cdp_session(page)
    kinds: dict[str, str] = {}
    sizes: dict[str, float] = {}
    cdp.on("Network.responseReceived", lambda e: kinds.__setitem__(e["requestId"], e["type"]))
    cdp.on(
        "Network.loadingFinished",
        lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]),
    )
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": cold})
    cdp.send("Network.setBypassServiceWorker", {"bypass": True})
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": latency, "downloadThroughput": down, "uploadThroughput": up},
    )
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
    try:
        page.goto(url, wait_until="load", timeout=120_000)
        fcp = page.evaluate(
            """() => new Promise((done) => {
                const seen = performance.getEntriesByName("first-contentful-paint")[0];
                if (seen) return done(seen.startTime);
                new PerformanceObserver((list) => done(list.getEntries()[0].startTime))
                    .observe({ type: "paint", buffered: true });
            })"""
        )
    finally:
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": 1})
        cdp.send(
            "Network.emulateNetworkConditions",
            {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
        )
        cdp.detach()
    weight = sum(size for rid, size in sizes.items() if kinds.get(rid) in COUNTED)
    return int(weight), float(fcp)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--profile", choices=sorted(PROFILES), default="slow-3g")
    parser.add_argument("--runs", type=int, default=1, help="loads per page (median shown)")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    recreate("sqlite")
    facts = seed_and_count("sqlite")
    pages = {
        "login (anonymous)": "/account/login",
        "catalog": "/courses",
        "dashboard": "/my",
        "course": "/courses/job-coach-training",
        "lesson": facts["lesson"],
        "quiz question": facts["question"],
        "verify (public)": f"/verify/{facts['number']}",
    }
    rows = []
    with gunicorn("sqlite") as (_process, port):
        base = f"http://127.0.0.1:{port}"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            context = browser.new_context(viewport={"width": 360, "height": 740}, locale="mn-MN")
            page = context.new_page()
            weight, fcp = measure(page, base + pages["login (anonymous)"], args.profile)
            rows.append(("login (anonymous)", weight, fcp, float("nan")))
            page.fill("#email", EMAIL)
            page.fill("#password", PASSWORD)
            page.click("form.form button[type=submit], form.form input[type=submit]")
            page.wait_for_load_state()
            for name, path in pages.items():
                if name == "login (anonymous)":
                    continue
                runs = [measure(page, base + path, args.profile) for _ in range(args.runs)]
                weights, paints = zip(*runs, strict=True)
                repeat = [
                    measure(page, base + path, args.profile, cold=False)[1]
                    for _ in range(args.runs)
                ]
                rows.append(
                    (
                        name,
                        int(statistics.median(weights)),
                        statistics.median(paints),
                        statistics.median(repeat),
                    )
                )
            browser.close()
    print(
        f"profile {args.profile}: {PROFILES[args.profile][0]:.0f} ms round trip, "
        f"{PROFILES[args.profile][1] / 1000:.0f} KB/s down, CPU 4x slower, 360 px, cold"
    )
    print("(repeat: the same page again with the browser cache on; service worker bypassed)")
    header = f"{'page':22} {'KB (HTML+CSS+JS)':>17} {'budget':>7} {'FCP ms':>8} {'budget':>7}"
    print(header + f" {'repeat FCP ms':>14}")
    for name, weight, fcp, repeat in rows:
        weight_ok = "ok" if weight <= BUDGET_BYTES else "OVER"
        fcp_ok = "ok" if fcp <= BUDGET_FCP_MS else "OVER"
        again = f"{repeat:14.0f}" if repeat == repeat else f"{'-':>14}"
        print(f"{name:22} {weight / 1024:17.1f} {weight_ok:>7} {fcp:8.0f} {fcp_ok:>7} {again}")


if __name__ == "__main__":
    main()
