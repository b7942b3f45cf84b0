"""A person registers, logs in, switches language and logs out, in a real browser."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import axe_violations

pytestmark = pytest.mark.browser


def _check(page, seen):
    assert axe_violations(page) == [], page.url
    # Nothing may stick out sideways on a phone.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"horizontal scroll on {page.url}"
    seen.append(page.url)


def test_register_login_switch_language_logout(page, live_server):
    seen: list[str] = []
    page.goto(live_server + "/")
    assert page.locator("html").get_attribute("lang") == "mn"
    _check(page, seen)

    page.get_by_role("link", name="Бүртгүүлэх").first.click()
    _check(page, seen)
    # Submitting empty shows an error summary, accessible too.
    page.get_by_role("button", name="Бүртгүүлэх").click()
    assert page.get_by_role("alert").is_visible()
    _check(page, seen)

    page.get_by_label("Овог нэр").fill("Төмөрбаатар Өлзий")
    page.get_by_label("И-мэйл").fill("tomorbaatar@example.mn")
    page.get_by_label("Нууц үг").fill("a long enough password")
    page.get_by_label("Аймаг эсвэл дүүрэг").select_option("ovorkhangai")
    page.get_by_label("Байгууллага").fill("Өвөрхангай аймгийн ХБХ-ийн төв")
    page.get_by_label("Регистрийн дугаар (заавал биш)").fill("ӨВ88010112")
    page.get_by_role("button", name="Бүртгүүлэх").click()
    # The same answer as for an address that already has an account (no account discovery).
    assert page.get_by_text("Энэ хаяг руу дараагийн алхмыг").is_visible()
    _check(page, seen)

    page.get_by_role("link", name="Нэвтрэх").first.click()
    _check(page, seen)
    page.get_by_label("И-мэйл").fill("tomorbaatar@example.mn")
    page.get_by_label("Нууц үг").fill("a long enough password")
    page.get_by_role("button", name="Нэвтрэх").click()
    page.get_by_role("link", name="Миний бүртгэл").click()
    assert page.get_by_role("heading", name="Миний бүртгэл").is_visible()
    _check(page, seen)

    page.get_by_role("button", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="My account").is_visible()
    _check(page, seen)

    page.get_by_role("button", name="Log out").click()
    assert page.get_by_role("link", name="Log in").first.is_visible()
    _check(page, seen)
    assert len(seen) >= 7


def test_keyboard_only_login(page, live_server, live_app):
    from tests.factories import make_user

    with live_app.app_context():
        make_user(email="keys@example.mn")
    page.goto(live_server + "/account/login")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Үндсэн агуулга руу шилжих")
    assert skip.evaluate("el => el === document.activeElement")
    page.keyboard.press("Enter")
    assert re.search(r"#main$", page.url)
    page.get_by_label("И-мэйл").focus()
    page.keyboard.type("keys@example.mn")
    page.keyboard.press("Tab")
    page.keyboard.type("correct horse battery")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(live_server) + r"/my(#main)?$"))
    assert page.get_by_role("button", name="Гарах").is_visible()
