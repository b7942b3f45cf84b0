"""A first visit paints from the HTML alone (the stylesheet inline, allowed by its hash in the
Content-Security-Policy); the next page links the file the first one prefetched."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import VIEWPORTS

pytestmark = pytest.mark.browser

HEADER_COLOUR = "getComputedStyle(document.querySelector('.site-header')).backgroundColor"
SKIP_LINK_TOP = "getComputedStyle(document.querySelector('.skip-link')).top"


def test_the_first_page_is_styled_inline_and_the_next_links_the_file(browser, live_server):
    context = browser.new_context(viewport=VIEWPORTS["phone"], locale="mn-MN")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    violations: list[Any] = []
    page.expose_function("reportViolation", lambda text: violations.append(text))
    page.add_init_script(
        """document.addEventListener("securitypolicyviolation",
            (e) => window.reportViolation(e.violatedDirective + " " + e.blockedURI));"""
    )
    stylesheets: list[str] = []
    page.on("request", lambda r: "/static/css/" in r.url and stylesheets.append(r.url))
    try:
        page.goto(live_server + "/account/login")
        assert page.locator("head style").count() == 1
        assert page.locator('link[rel="stylesheet"]').count() == 0
        assert page.evaluate(HEADER_COLOUR) not in {"rgba(0, 0, 0, 0)", "transparent"}
        assert page.evaluate(SKIP_LINK_TOP) == "-48px"  # hidden until focused: styled
        cookies = {c["name"]: c for c in context.cookies()}
        assert cookies["lms_css"]["httpOnly"]

        page.goto(live_server + "/courses")
        assert page.locator("head style").count() == 0
        assert page.locator('link[rel="stylesheet"]').count() == 1
        assert page.evaluate(HEADER_COLOUR) not in {"rgba(0, 0, 0, 0)", "transparent"}
        assert all(".css" in url and "/static/css/app." in url for url in stylesheets)
        assert violations == []
        assert errors == []
    finally:
        context.close()
