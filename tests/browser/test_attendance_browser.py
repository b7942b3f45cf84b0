"""A trainer takes the attendance of a 90-person seminar day with the keyboard alone."""

from __future__ import annotations

from datetime import date

import pytest

from lms.domain.progress_grid import name_sort_key
from lms.extensions import db
from lms.models import AttendanceMark
from lms.services.cohorts import attendance
from lms.services.cohorts import management as cohort_management
from tests.browser.conftest import assert_no_sideways_scroll, axe_violations
from tests.factories import DEFAULT_PASSWORD, enrol_many, make_user, publish_demo_course

pytestmark = pytest.mark.browser


def _focused(page):
    return page.evaluate(
        "() => { const e = document.activeElement;"
        " return e ? (e.id || e.tagName.toLowerCase() + ':' + e.textContent.trim()) : ''; }"
    )


def _log_in(page, live_server, email):
    page.goto(live_server + "/account/login")
    page.locator("#email").focus()
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    page.keyboard.type(DEFAULT_PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_ninety_trainees_marked_by_keyboard(page, live_server, live_app, tmp_path):
    with live_app.app_context():
        course = publish_demo_course(tmp_path)
        trainer = make_user(roles=("trainer",), email="coach@example.mn")
        cohort = cohort_management.create_cohort(course, "Ховд 2027", trainer)
        users = enrol_many(cohort, 90)
        session = attendance.add_session(cohort, date(2027, 3, 1), "Өдөр 1", trainer)
        session_id = session.id
        in_order = sorted(users, key=lambda u: (name_sort_key(u.name), u.id))
        expected = {u.id for u in in_order[::3]}  # every third trainee in the list came
        first_box = f"present-{in_order[0].id}"
        last_box = f"present-{in_order[-1].id}"

    _log_in(page, live_server, "coach@example.mn")
    page.goto(f"{live_server}/trainer/sessions/{session_id}")
    assert page.locator("input[name=present]").count() == 90
    # From the top of the page, Tab until the first trainee's checkbox has focus.
    for _ in range(40):
        if _focused(page) == first_box:
            break
        page.keyboard.press("Tab")
    assert _focused(page) == first_box, "the trainee list is not reachable by Tab"
    for index in range(90):
        if index % 3 == 0:
            page.keyboard.press("Space")
        if index < 89:
            page.keyboard.press("Tab")
    assert _focused(page) == last_box
    assert page.locator("input[name=present]:checked").count() == 30
    count = page.locator("#attendance-count")
    assert "30" in count.inner_text()
    assert "90" in count.inner_text()
    page.keyboard.press("Tab")  # past the last trainee: the save button at the bottom
    assert page.evaluate("document.activeElement.type") == "submit"
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert page.url.endswith(f"/trainer/sessions/{session_id}")
    assert page.locator("input[name=present]:checked").count() == 30
    count = page.locator("#attendance-count").inner_text()
    assert "30" in count
    assert "90" in count
    with live_app.app_context():
        present = {
            mark.user_id
            for mark in db.session.query(AttendanceMark).filter_by(session_id=session_id)
            if mark.present
        }
        assert present == expected
        assert db.session.query(AttendanceMark).filter_by(session_id=session_id).count() == 90
    assert axe_violations(page) == []
    assert_no_sideways_scroll(page)


def test_filter_and_mark_everyone_by_keyboard(page, live_server, live_app, tmp_path):
    with live_app.app_context():
        course = publish_demo_course(tmp_path)
        trainer = make_user(roles=("trainer",), email="coach@example.mn")
        cohort = cohort_management.create_cohort(course, "Ховд 2027", trainer)
        enrol_many(cohort, 90)
        session_id = attendance.add_session(cohort, date(2027, 3, 1), "", trainer).id

    _log_in(page, live_server, "coach@example.mn")
    page.goto(f"{live_server}/trainer/sessions/{session_id}")
    # The script reveals a name filter; typing narrows the list (9 of the 90 are "Өлзий").
    search = page.locator("#attendance-filter")
    search.focus()
    page.keyboard.type("өлзий")
    assert page.locator("input[name=present]:visible").count() == 9
    page.keyboard.press("Enter")  # Enter in the filter must not save
    assert page.locator("input[name=present]:checked").count() == 0
    page.keyboard.press("Tab")  # from the filter straight into the filtered list
    page.keyboard.press("Space")
    assert page.locator("input[name=present]:checked").count() == 1
    for _ in range(3):  # back past the filter and "everyone absent" to "everyone present"
        page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.value") == "all"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("input[name=present]:checked").count() == 90
    with live_app.app_context():
        marks = db.session.query(AttendanceMark).filter_by(session_id=session_id).all()
        assert len(marks) == 90
        assert all(mark.present for mark in marks)
