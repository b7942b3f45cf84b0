"""Issue 16 journeys at 360 px in Mongolian, by role and label: a self-study trainee joins a
cohort later and is certified; a trainee resumes a quiz at the first unanswered question.

Set LMS_SCREENSHOTS to a folder to keep screenshots of the course page, dashboard and result.
"""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

import pytest

from lms.domain.quiz import drawn_from_json
from lms.extensions import db
from lms.models import AttendanceSession, Enrolment, QuizAttempt
from lms.services.cohorts import attendance
from lms.services.cohorts import management as cohort_management
from lms.services.courses import publishing
from lms.services.learning import attempts as attempt_service
from lms.services.learning import progress
from tests.browser.conftest import assert_no_sideways_scroll, axe_violations
from tests.factories import DEFAULT_PASSWORD, add_graded_attempt, make_user

pytestmark = pytest.mark.browser

INTRO = Path(__file__).resolve().parents[2] / "courses" / "intro-seminar"
SCREENSHOTS = os.environ.get("LMS_SCREENSHOTS")


def _check(page, name=None):
    assert axe_violations(page) == [], page.url
    assert_no_sideways_scroll(page)
    if SCREENSHOTS and name:
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=True)


def _log_in(browser, live_server, email):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="mn-MN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(live_server + "/account/login")
    page.get_by_label("И-мэйл").fill(email)
    page.get_by_label("Нууц үг").fill(DEFAULT_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Нэвтрэх").click()
    return context, page


def test_self_study_trainee_joins_a_cohort_later_and_is_certified(browser, live_server, live_app):
    with live_app.app_context():
        course = publishing.publish_path(INTRO, allow_dirty=True).course_version.course
        make_user(email="bat@example.mn", name="Батбаяр Өлзий")
        trainer = make_user(roles=("trainer",), email="trainer@example.mn")
        cohort = cohort_management.create_cohort(course, "Ховд 2027", trainer)
        key = cohort.enrolment_key
        session_id = attendance.add_session(cohort, date(2027, 3, 1), "", trainer).id
    context, page = _log_in(browser, live_server, "bat@example.mn")
    page.goto(live_server + "/courses/intro-seminar")
    assert page.get_by_role("heading", name="Гэрчилгээ авахад юу шаардлагатай вэ").is_visible()
    _check(page, "course-before-enrolment")
    with page.expect_navigation():
        page.get_by_role("button", name="Элсэх", exact=True).click()  # no key: self-study

    # The online part: every lesson of the outline, marked done by its button; then the final
    # quiz (graded directly here: taking it by keyboard is test_trainee_journey's part).
    outline = page.locator("section.outline a[href*='/lessons/']")
    lessons = list(
        dict.fromkeys(outline.nth(i).get_attribute("href") for i in range(outline.count()))
    )
    assert len(lessons) >= 10
    for href in lessons:
        page.goto(live_server + href)
        with page.expect_navigation():
            page.get_by_role("button", name="Дууссан гэж тэмдэглээд үргэлжлүүлэх").click()
    with live_app.app_context():
        enrolment = db.session.query(Enrolment).one()
        assert enrolment.cohort_id is None
        add_graded_attempt(enrolment, score=10, max_score=10)
        db.session.commit()
        progress.refresh_completion(enrolment)

    page.goto(live_server + "/my")
    _check(page, "dashboard-needs-a-cohort")
    with page.expect_navigation():
        page.get_by_role("link", name="Кодоор бүлэгт нэгдэх").click()
    page.get_by_label("Бүлгийн элсэлтийн код").fill(key.lower())
    _check(page, "course-join-a-cohort")
    with page.expect_navigation():
        page.get_by_role("button", name="Бүлэгт нэгдэх").click()
    assert page.get_by_text("Та бүлэгт нэгдлээ.").is_visible()

    # The trainer marks the seminar day on the session page.
    trainer_context, trainer_page = _log_in(browser, live_server, "trainer@example.mn")
    trainer_page.goto(live_server + f"/trainer/sessions/{session_id}")
    trainer_page.get_by_label("Батбаяр Өлзий").check()
    with trainer_page.expect_navigation():
        trainer_page.get_by_role("button", name="Ирцийг хадгалах").first.click()
    trainer_context.close()
    with live_app.app_context():
        assert db.session.query(AttendanceSession).count() == 1

    page.goto(live_server + "/my")
    credential_link = page.get_by_role("link", name=re.compile("гэрчилгээгээ харах$"))
    assert credential_link.is_visible()
    assert page.get_by_role("link", name="Гэрчилгээг татах (PDF)").is_visible()
    _check(page, "dashboard-certified")
    with page.expect_navigation():
        credential_link.click()
    assert page.get_by_text("Батбаяр Өлзий").first.is_visible()
    context.close()


def test_continue_lands_on_the_first_unanswered_question(browser, live_server, live_app):
    with live_app.app_context():
        publishing.publish_path(INTRO, allow_dirty=True)
        make_user(email="saraa@example.mn")
    context, page = _log_in(browser, live_server, "saraa@example.mn")
    page.goto(live_server + "/courses/intro-seminar")
    with page.expect_navigation():
        page.get_by_role("button", name="Элсэх", exact=True).click()
    page.goto(live_server + "/learn/intro-seminar/quizzes/final")
    with page.expect_navigation():
        page.get_by_role("button", name="Шалгалтыг эхлүүлэх").click()
    with live_app.app_context():  # questions 1-3 were answered on another device
        attempt = db.session.query(QuizAttempt).one()
        attempt_id = attempt.id
        quiz = attempt_service.quiz_of(attempt, "final")
        drawn = drawn_from_json(attempt.drawn)
        answers = {}
        for item in drawn[:3]:
            question = quiz.question(item.question_id)
            answers[item.question_id] = _an_answer(question)
        assert attempt_service.save(attempt, attempt.seq, answers) == "saved"
    page.goto(live_server + "/learn/intro-seminar/quizzes/final")
    with page.expect_navigation():
        page.get_by_role("link", name="Оролдлогоо үргэлжлүүлэх").click()
    assert page.url.endswith(f"/attempts/{attempt_id}/questions/4")
    assert page.get_by_text("Асуулт 4").first.is_visible()
    _check(page)
    # The review stays one click away; submitting shows the result with the answers given.
    page.goto(live_server + "/learn/intro-seminar/quizzes/final")
    with page.expect_navigation():
        page.get_by_role("link", name="Хариултаа хянаж илгээх").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Хариултаа илгээх").click()
    assert page.get_by_role("heading", name="Тэнцээгүй").is_visible()
    assert page.get_by_role("heading", name="Таны хариултууд").is_visible()
    _check(page, "result")
    context.close()


def _an_answer(question):
    """Any well-formed answer (right or wrong does not matter here)."""
    match question.type:
        case "single":
            return question.options[0].id
        case "multiple":
            return [question.options[0].id]
        case "true_false":
            return True
        case "text":
            return "хариулт"
        case "numeric":
            return 1.0
        case "ordering":
            return [item.id for item in question.items]
        case "matching":
            return {pair.id: pair.id for pair in question.pairs}
    raise AssertionError(question.type)
