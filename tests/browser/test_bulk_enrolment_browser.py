"""A trainer enrols people from an Excel CSV (BOM, semicolons, Cyrillic) by keyboard alone,
checks the preview table row by row, confirms, and sees the result; in both languages."""

from __future__ import annotations

import re

import pytest

from lms.extensions import db
from lms.models import Enrolment, User
from lms.services.cohorts import management as cohort_management
from lms.services.learning import enrolment as enrolments
from tests.browser.conftest import assert_no_sideways_scroll, axe_violations
from tests.factories import DEFAULT_PASSWORD, make_user, publish_demo_course

pytestmark = pytest.mark.browser

CSV = (
    "\ufeffНэр;И-мэйл;Утас;Аймаг;Байгууллага\r\n"
    "Батбаяр Өлзий;batbayar@example.mn;9911 2233;Ховд аймаг;Ховд ТББ\r\n"
    "Үүрцайх Дорж;uurtsaikh@example.mn;;Баянгол;\r\n"
    "Сарангэрэл Бат;OLD@example.mn;;khovd;\r\n"
    "Долгор;here@example.mn;;;\r\n"
    "Алдаатай Мөр;алдаа@;;Марс;\r\n"
)


def either(english, mongolian):
    """A name as shown before and after the Mongolian catalogue is merged."""
    return re.compile(f"^(?:{re.escape(english)}|{re.escape(mongolian)})$")


def press_and_load(locator, key="Enter"):
    locator.focus()
    assert locator.evaluate("el => el === document.activeElement"), "control cannot take focus"
    with locator.page.expect_navigation():
        locator.page.keyboard.press(key)


def check_page(page):
    assert axe_violations(page) == [], page.url
    assert_no_sideways_scroll(page)


@pytest.mark.parametrize("language", ["mn", "en"])
def test_bulk_enrolment_by_keyboard_on_a_phone(browser, live_server, live_app, tmp_path, language):
    with live_app.app_context():
        course = publish_demo_course(tmp_path, enrolment="key")
        trainer = make_user(roles=("trainer",), email="trainer@example.mn")
        cohort = cohort_management.create_cohort(course, "Ховд, 2027 хавар", trainer)
        make_user(email="old@example.mn", name="Сарангэрэл Б.")
        enrolments.enrol(make_user(email="here@example.mn"), course, key=cohort.enrolment_key)
        cohort_id = cohort.id
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(live_server + "/account/login")
    page.locator("#email").focus()
    page.keyboard.type("trainer@example.mn")
    page.keyboard.press("Tab")
    page.keyboard.type(DEFAULT_PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    if language == "en":
        press_and_load(page.get_by_role("button", name="English"))

    page.goto(f"{live_server}/trainer/cohorts/{cohort_id}")
    check_page(page)
    press_and_load(
        page.get_by_role(
            "link",
            name=either("Enrol many people from a CSV file", "CSV файлаас олон хүнийг элсүүлэх"),
        )
    )
    check_page(page)
    upload = page.get_by_label(either("CSV file", "CSV файл"))
    upload.focus()
    upload.set_input_files(
        {"name": "хүмүүс.csv", "mimeType": "text/csv", "buffer": CSV.encode("utf-8")}
    )
    press_and_load(page.get_by_role("button", name=either("Check the file", "Файлыг шалгах")))

    table = page.get_by_role("table", name=either("What happens to each row", "Мөр бүрд юу болох"))
    rows = table.locator("tbody tr")
    assert rows.count() == 5
    assert "Батбаяр Өлзий" in rows.nth(0).inner_text()
    assert "Ховд аймаг" in rows.nth(0).inner_text() or "Khovd province" in rows.nth(0).inner_text()
    assert "Сарангэрэл Б." in rows.nth(2).inner_text()  # the existing account's own name
    assert "Марс" in rows.nth(4).inner_text()
    check_page(page)
    with live_app.app_context():  # nothing happens before the trainer confirms
        assert db.session.query(User).filter_by(email="batbayar@example.mn").count() == 0

    press_and_load(
        page.get_by_role(
            "button",
            name=either(
                "Enrol everyone marked to be enrolled", "Элсүүлэхээр тэмдэглэсэн бүгдийг элсүүлэх"
            ),
        )
    )
    assert page.url.endswith(f"/trainer/cohorts/{cohort_id}")
    assert page.get_by_role("status").locator(".flash-success").is_visible()
    check_page(page)
    with live_app.app_context():
        emails = {
            email
            for (email,) in db.session.query(User.email)
            .join(Enrolment, Enrolment.user_id == User.id)
            .filter(Enrolment.cohort_id == cohort_id, Enrolment.state == "active")
        }
    assert emails == {
        "batbayar@example.mn",
        "uurtsaikh@example.mn",
        "old@example.mn",
        "here@example.mn",
    }
    context.close()
