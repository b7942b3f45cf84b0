"""A live server and headless Chromium (Debian's) for browser tests, with axe-core.

Without /usr/bin/chromium the browser tests skip with a message, unless
LMS_REQUIRE_BROWSER=1 (as in CI), which makes a missing browser a failure.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

CHROMIUM = os.environ.get("LMS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORTS = {"phone": {"width": 360, "height": 740}, "desktop": {"width": 1280, "height": 900}}


def _require_browser() -> None:
    if shutil.which(CHROMIUM) or os.path.exists(CHROMIUM):
        return
    message = f"Chromium not found at {CHROMIUM}: apt-get install -y chromium"
    if os.environ.get("LMS_REQUIRE_BROWSER") == "1":
        pytest.fail(message + " (LMS_REQUIRE_BROWSER=1)")
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def live_app(make_app: Callable[..., Flask]) -> Flask:
    return make_app(WTF_CSRF_ENABLED=True, SERVER_NAME=None)


@pytest.fixture
def live_server(live_app: Flask) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()
    server.server_close()


@pytest.fixture(params=sorted(VIEWPORTS))
def page(request: pytest.FixtureRequest, browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport=VIEWPORTS[request.param], locale="mn-MN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def axe_violations(page: Any) -> list[str]:
    """Serious and critical axe-core findings on the page, as readable lines."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


def assert_no_sideways_scroll(page: Any) -> None:
    """Nothing may stick out to the right: a phone user would have to scroll sideways."""
    width = page.viewport_size["width"]
    wide = page.evaluate(
        """(width) => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > width + 1)
            .slice(0, 5)
            .map(e => `${e.tagName.toLowerCase()}.${e.className}: `
                + e.textContent.trim().slice(0, 40))""",
        width,
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= width, (page.url, wide)


WAIT_FOR_CONTROL = """() => new Promise((done) => {
    if (navigator.serviceWorker.controller) return done(true);
    navigator.serviceWorker.addEventListener("controllerchange", () => done(true), { once: true });
    setTimeout(() => done(Boolean(navigator.serviceWorker.controller)), 5000);
})"""


def controlled(page: Any) -> None:
    """Wait until the service worker controls the page (it claims clients when it activates).

    An install that failed (a precache request dropped by the test server) is retried on the
    next page load, as a browser does; after five loads it is a failure, never a hang."""
    for _attempt in range(5):
        if page.evaluate(WAIT_FOR_CONTROL):
            return
        page.reload()
    raise AssertionError("the service worker never took control of the page")
