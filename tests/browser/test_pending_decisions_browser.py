"""A reviewer's day: reviewer A proposes a suspension from a coach's record; reviewer B sees it
in the pending-decisions queue (with its number in the menu), confirms it there, and the
registry's row shows the change. By role and label only, axe-checked at 360 and 1,280 px."""

from __future__ import annotations

import re
from datetime import date

import pytest
from flask_babel import force_locale, gettext
from playwright.sync_api import expect

from lms.domain.credentials.lifecycle import SUSPENSION_REASONS
from tests.browser.conftest import assert_no_sideways_scroll, axe_violations
from tests.factories import DEFAULT_PASSWORD, make_user

pytestmark = pytest.mark.browser


def _seed(app, tmp_path):
    from tests.factories import publish_demo_course
    from tests.web.registry_seed import issue

    with app.app_context():
        course = publish_demo_course(tmp_path)
        trainer = make_user(roles=("trainer",), name="Сургагч Дулмаа")
        make_user(roles=("reviewer",), email="a@example.mn", name="Хянагч Анх")
        make_user(roles=("reviewer",), email="b@example.mn", name="Хянагч Бат")
        holder = make_user(name="Батбаяр Дорж", region="khovd")
        return issue(course, holder, date.today().replace(day=1), trainer).number


def _t(app, language, msgid, **values):
    with app.test_request_context(), force_locale(language):
        return gettext(msgid, **values)


def _check(page):
    assert axe_violations(page) == [], page.url
    assert_no_sideways_scroll(page)


def _log_in(page, server, t, email, language):
    page.goto(server + "/account/login")
    page.locator(f"button[lang={language}]").click()
    page.get_by_label(t("Email")).fill(email)
    page.get_by_label(t("Password"), exact=True).fill(DEFAULT_PASSWORD)
    page.get_by_label(t("Password"), exact=True).press("Enter")
    page.wait_for_load_state()


def _pending_link(page, t):
    menu = page.get_by_role("navigation", name=t("Main"))
    return menu.get_by_role("link", name=re.compile("^" + re.escape(t("Pending decisions"))))


@pytest.mark.parametrize("language", ["mn", "en"])
def test_a_second_reviewer_confirms_a_suspension_from_the_queue(
    page, live_server, live_app, tmp_path, language
):
    number = _seed(live_app, tmp_path)
    t = lambda msgid, **values: _t(live_app, language, msgid, **values)  # noqa: E731

    # Reviewer A: from the registry's row to the record, and a proposal with a chosen reason.
    _log_in(page, live_server, t, "a@example.mn", language)
    expect(_pending_link(page, t)).to_have_text(re.compile(r"\b0$"))
    page.get_by_role("navigation", name=t("Main")).get_by_role(
        "link", name=t("Registry"), exact=True
    ).click()
    row = page.get_by_role("row").filter(has_text=number)
    expect(row).to_contain_text(t("Valid"))
    row.get_by_role("link", name="Батбаяр Дорж").click()
    form = page.get_by_role("form", name=t("Propose a status change"))
    form.get_by_label(t("Change")).select_option("suspend")
    form.get_by_label(t("Reason")).select_option(SUSPENSION_REASONS[0])
    form.get_by_label(t("Note"), exact=True).fill("Ажил олгогчоос гомдол ирсэн.")
    form.get_by_role("button", name=t("Propose")).click()
    expect(
        page.get_by_text(
            t("Proposal saved. A different reviewer or administrator must now confirm it.")
        )
    ).to_be_visible()
    expect(page.get_by_text(t("Suspension proposed")).first).to_be_visible()
    # The proposer's own proposal waits for someone else: not in their count.
    expect(_pending_link(page, t)).to_have_text(re.compile(r"\b0$"))
    page.get_by_role("button", name=t("Log out")).click()

    # Reviewer B: the menu says one decision waits; the queue shows who proposed what and why.
    _log_in(page, live_server, t, "b@example.mn", language)
    expect(_pending_link(page, t)).to_have_text(re.compile(r"\b1$"))
    _pending_link(page, t).click()
    expect(page.get_by_role("heading", name=t("Pending decisions"), level=1)).to_be_visible()
    item = page.get_by_role("region", name=re.compile(re.escape(number)))
    expect(item).to_contain_text("Хянагч Анх")
    expect(item).to_contain_text("Ажил олгогчоос гомдол ирсэн.")
    expect(item).to_contain_text(t("Suspension proposed"))
    _check(page)
    item.get_by_label(t("Note (optional)")).fill("Шалгаад зөвшөөрөв.")
    item.get_by_role("button", name=t("Confirm: %(change)s", change=t("Suspend"))).click()
    expect(page.get_by_text(t("Confirmed: the credential's status has changed."))).to_be_visible()
    expect(
        page.get_by_text(t("Nothing is waiting: every proposal has been decided."))
    ).to_be_visible()
    expect(_pending_link(page, t)).to_have_text(re.compile(r"\b0$"))
    _check(page)

    # The registry's row shows the change, with no proposal left on it.
    page.get_by_role("navigation", name=t("Main")).get_by_role(
        "link", name=t("Registry"), exact=True
    ).click()
    row = page.get_by_role("row").filter(has_text=number)
    expect(row).to_contain_text(t("Suspended"))
    expect(row).not_to_contain_text(t("Suspension proposed"))
    _check(page)
