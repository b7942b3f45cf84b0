"""A reviewer filters the registry, finds a coach by national registration number, opens the
record, checks eligibility on a date and proposes a revocation; a second reviewer confirms it.
In Mongolian and in English, mostly by keyboard, with axe on every page on the way."""

from __future__ import annotations

import re
from datetime import date

import pytest
from flask_babel import force_locale, gettext
from playwright.sync_api import expect

from tests.browser.conftest import assert_no_sideways_scroll, axe_violations
from tests.factories import DEFAULT_PASSWORD, make_user

pytestmark = pytest.mark.browser

NATIONAL_ID = "УБ99112233"


def _seed(app, tmp_path):
    from tests.factories import publish_demo_course
    from tests.web.registry_seed import issue

    with app.app_context():
        course = publish_demo_course(tmp_path)
        trainer = make_user(roles=("trainer",), name="Сургагч Дулмаа")
        first = make_user(roles=("reviewer",), email="first@example.mn", name="Хянагч Нэг")
        make_user(roles=("reviewer",), email="second@example.mn", name="Хянагч Хоёр")
        bat = make_user(name="Батбаяр Дорж", region="ub-bayangol", national_id=NATIONAL_ID)
        sarnai = make_user(name="Сарнай Өлзий", region="khovd")
        today = date.today()
        one = issue(course, bat, today.replace(day=1), trainer)
        two = issue(course, sarnai, today.replace(day=1), trainer)
        return {"bat": (bat.id, one.number), "sarnai": (sarnai.id, two.number), "first": first.id}


def _t(app, language, msgid, **values):
    """The text the app shows for `msgid` in `language` (the catalogue's, when it has one)."""
    with app.test_request_context(), force_locale(language):
        return gettext(msgid, **values)


def _check(page):
    assert axe_violations(page) == [], page.url
    assert_no_sideways_scroll(page)


def _log_in(page, server, email, language):
    page.goto(server + "/account/login")
    page.fill("#email", email)
    page.fill("#password", DEFAULT_PASSWORD)
    page.press("#password", "Enter")
    page.wait_for_load_state()
    page.locator(f"button[lang={language}]").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == language


def _press(locator):
    """Activate a control from the keyboard, as a keyboard-only user does."""
    locator.focus()
    locator.press("Enter")


@pytest.mark.parametrize("language", ["mn", "en"])
def test_reviewer_journey(page, live_server, live_app, tmp_path, language):
    data = _seed(live_app, tmp_path)
    t = lambda msgid, **values: _t(live_app, language, msgid, **values)  # noqa: E731
    bat_id, bat_number = data["bat"]
    _, sarnai_number = data["sarnai"]

    _log_in(page, live_server, "first@example.mn", language)
    _press(page.get_by_role("link", name=t("Registry"), exact=True))
    expect(page.get_by_role("heading", name=t("Registry of certified coaches"))).to_be_visible()
    _check(page)

    # Filter by region: the URL carries the filter, the table shows only that region. The
    # filters are in a collapsed panel below the heading, so the table comes first.
    page.get_by_text(t("Filter the list"), exact=True).click()
    page.get_by_label(t("Aimag or district"), exact=True).select_option("khovd")
    _press(page.get_by_role("button", name=t("Apply filters")))
    page.wait_for_url(re.compile(r"/registry/\?region=khovd$"))
    table = page.get_by_role("table")
    assert sarnai_number in table.inner_text()
    assert bat_number not in table.inner_text()
    _check(page)

    # Find by national registration number: posted, and never in the address.
    page.get_by_label(t("National registration number"), exact=True).fill("уб99112233")
    page.get_by_label(t("National registration number"), exact=True).press("Enter")
    page.wait_for_url(re.compile(r"/registry/\?nid=[0-9a-f]{64}$"))
    assert bat_number in page.get_by_role("table").inner_text()
    assert NATIONAL_ID in page.get_by_role("table").inner_text()
    _press(page.get_by_role("link", name="Батбаяр Дорж"))
    expect(page.get_by_role("heading", name="Батбаяр Дорж", level=1)).to_be_visible()
    _check(page)

    # Eligibility on a date: a POST that answers in words.
    _press(
        page.get_by_role("navigation", name=t("Registry")).get_by_role(
            "link", name=t("Eligibility check")
        )
    )
    page.get_by_label(t("Credential number or national registration number")).fill(bat_number)
    page.get_by_label(t("On the date")).fill(date.today().isoformat())
    _press(page.get_by_role("button", name=t("Check")))
    verdict = page.get_by_role("status").filter(has_text=t("Yes: qualified"))
    expect(verdict).to_be_visible()
    _check(page)

    # Propose a revocation from the record: it waits for a second person.
    _press(page.get_by_role("link", name=bat_number))
    page.wait_for_url(re.compile(rf"/registry/coaches/{bat_id}#credential-"))
    form = page.get_by_role("form", name=t("Propose a status change"))
    form.get_by_label(t("Change")).select_option("revoke")
    form.get_by_label(t("Reason")).select_option("fraud")
    form.get_by_label(t("Note"), exact=True).fill("Баримт хуурамч байсан.")
    _press(form.get_by_role("button", name=t("Propose")))
    expect(
        page.get_by_text(
            t("Proposal saved. A different reviewer or administrator must now confirm it.")
        )
    ).to_be_visible()
    expect(page.get_by_role("button", name=t("Withdraw my proposal"))).to_be_visible()
    assert (
        page.get_by_role("button", name=t("Confirm: %(change)s", change=t("Revoke"))).count() == 0
    )
    _check(page)
    record_url = page.url
    _press(page.get_by_role("button", name=t("Log out")))

    # The second reviewer confirms; the status changes, the record says who did what.
    _log_in(page, live_server, "second@example.mn", language)
    page.goto(record_url)
    _press(page.get_by_role("button", name=t("Confirm: %(change)s", change=t("Revoke"))))
    expect(page.get_by_text(t("Confirmed: the credential's status has changed."))).to_be_visible()
    facts = page.locator("dl.facts").nth(1).inner_text()
    assert t("Revoked") in facts
    decisions = page.get_by_role("region", name=t("Registry decisions")).inner_text()
    assert "Хянагч Нэг" in decisions
    assert "Хянагч Хоёр" in decisions
    _check(page)
