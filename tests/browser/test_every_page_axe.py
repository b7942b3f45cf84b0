"""Every HTML page, in both languages, at 360 px and on a desktop: no serious axe finding.

New GET pages must be added to PAGES (the first test fails otherwise).
"""

from __future__ import annotations

import pytest

from lms.services import accounts
from tests.browser.conftest import axe_violations
from tests.factories import DEFAULT_PASSWORD, make_user

pytestmark = pytest.mark.browser

NOT_PAGES = {
    "static",
    "main.healthz",
    "main.set_language",
    "auth.logout",
    "courses.course_file_view",
}

# endpoint: (role to log in as or None, path builder)
PAGES = {
    "main.index": (None, lambda ctx: "/"),
    "auth.register": (None, lambda ctx: "/account/register"),
    "auth.login": (None, lambda ctx: "/account/login"),
    "auth.reset_request": (None, lambda ctx: "/account/reset"),
    "auth.reset_password": (None, lambda ctx: f"/account/reset/{ctx['token']}"),
    "auth.account": ("trainee", lambda ctx: "/account/"),
    "admin.users": ("admin", lambda ctx: "/admin/users"),
    "admin.user_roles": ("admin", lambda ctx: f"/admin/users/{ctx['other'].id}"),
    "errors.404": (None, lambda ctx: "/no-such-page"),
    "errors.403": ("trainee", lambda ctx: "/admin/users"),
}


def test_every_page_is_listed(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()} - NOT_PAGES
    assert endpoints <= PAGES.keys(), sorted(endpoints - PAGES.keys())


@pytest.mark.parametrize("language", ["mn", "en"])
@pytest.mark.parametrize("endpoint", sorted(PAGES))
def test_page_is_axe_clean(page, live_server, live_app, endpoint, language):
    role, path = PAGES[endpoint]
    with live_app.app_context():
        other = make_user(email="other@example.mn")
        ctx = {"other": other, "token": accounts.make_reset_token(other)}
        if role:
            make_user(roles=(role,), email=f"{role}@example.mn")
        url = path(ctx)
    if role:
        page.goto(live_server + "/account/login")
        page.fill("#email", f"{role}@example.mn")
        page.fill("#password", DEFAULT_PASSWORD)
        page.click("form.form button[type=submit], form.form input[type=submit]")
    page.goto(live_server + "/")
    page.locator(f"button[lang={language}]").click()
    page.goto(live_server + url)
    assert page.locator("html").get_attribute("lang") == language
    assert axe_violations(page) == []
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], "horizontal scrolling"
