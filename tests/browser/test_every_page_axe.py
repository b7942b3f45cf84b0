"""Every HTML page, in both languages, at 360 px and on a desktop: no serious axe finding.

New GET pages must be added to PAGES (the first test fails otherwise). Pages that change
state on POST are reached through the GET page that holds their form.
"""

from __future__ import annotations

from typing import Any

import pytest

from lms.services import accounts, trainer_tools
from lms.services import attempts as attempt_service
from lms.services import enrolment as enrolments
from tests.browser.conftest import assert_no_sideways_scroll, axe_violations
from tests.factories import (
    DEFAULT_PASSWORD,
    issue_demo_credential,
    make_user,
    publish_demo_course,
)

pytestmark = pytest.mark.browser

NOT_PAGES = {
    "static",
    "main.healthz",
    "main.set_language",
    "auth.logout",
    "courses.course_file_view",
    "learn.enrol",
    "learn.complete_lesson",
    "quiz.start",
    "quiz.save_question",
    "quiz.submit",
    "trainer.decide",
    "trainer.create_cohort",
    "trainer.accommodation",
    "trainer.sign_off",
    "trainer.approve_credential",
    "trainer.mark_attendance",
    "certificates.certificate_pdf",
    "certificates.credential_jwt",
    "certificates.api_credential",
    "certificates.jwks",
    "certificates.status_list",
    "certificates.issuer",
}


def _enrolled(ctx: dict[str, Any]) -> Any:
    course = publish_demo_course(ctx["tmp_path"])
    return enrolments.enrol(ctx["user"], course).enrolment


def _attempt(ctx: dict[str, Any], submit: bool = False) -> Any:
    enrolment = _enrolled(ctx)
    quiz = attempt_service.quiz_of(enrolment, "final")
    attempt = attempt_service.start(enrolment, quiz, "mn").attempt
    if submit:
        attempt_service.submit(attempt, attempt.seq, {})
    return attempt


def _trainer_page(ctx: dict[str, Any]) -> str:
    course = publish_demo_course(ctx["tmp_path"], enrolment="approval")
    enrolments.enrol(ctx["other"], course)
    trainer_tools.create_cohort(course, "Ховд 2027", ctx["user"])
    trainer_tools.set_accommodation(ctx["other"], 1.5, False, ctx["user"])
    return "/trainer/"


def _trainee_page(ctx: dict[str, Any]) -> str:
    enrolment_id = issue_demo_credential(ctx["tmp_path"], ctx["other"]).enrolment_id
    return f"/trainer/enrolments/{enrolment_id}"


def _attendance_page(ctx: dict[str, Any]) -> str:
    from datetime import date

    cohort = issue_demo_credential(ctx["tmp_path"], ctx["other"]).enrolment.cohort
    trainer_tools.add_session(cohort, date(2027, 1, 5), "Өдөр 1", ctx["user"])
    return f"/trainer/cohorts/{cohort.id}/attendance"


# endpoint: (role to log in as or None, setup returning the path)
PAGES = {
    "main.index": (None, lambda ctx: "/"),
    "auth.register": (None, lambda ctx: "/account/register"),
    "auth.login": (None, lambda ctx: "/account/login"),
    "auth.reset_request": (None, lambda ctx: "/account/reset"),
    "auth.reset_password": (None, lambda ctx: f"/account/reset/{ctx['token']}"),
    "auth.account": ("trainee", lambda ctx: "/account/"),
    "learn.catalog": (None, lambda ctx: publish_demo_course(ctx["tmp_path"]) and "/courses"),
    "learn.course": ("trainee", lambda ctx: _enrolled(ctx) and "/courses/demo"),
    "learn.dashboard": ("trainee", lambda ctx: _enrolled(ctx) and "/my"),
    "learn.lesson": ("trainee", lambda ctx: _enrolled(ctx) and "/learn/demo/lessons/02-stages"),
    "quiz.overview": ("trainee", lambda ctx: _attempt(ctx) and "/learn/demo/quizzes/final"),
    "quiz.question": ("trainee", lambda ctx: f"/attempts/{_attempt(ctx).id}/questions/1"),
    "quiz.review": ("trainee", lambda ctx: f"/attempts/{_attempt(ctx).id}/review"),
    "quiz.result": ("trainee", lambda ctx: f"/attempts/{_attempt(ctx, submit=True).id}"),
    "trainer.home": ("trainer", _trainer_page),
    "certificates.certificate": (
        "trainee",
        lambda ctx: f"/certificates/{issue_demo_credential(ctx['tmp_path'], ctx['user']).number}",
    ),
    "certificates.verify": (
        None,
        lambda ctx: f"/verify/{issue_demo_credential(ctx['tmp_path'], ctx['other']).number}",
    ),
    "trainer.trainee": ("trainer", _trainee_page),
    "trainer.attendance": ("trainer", _attendance_page),
    "admin.credential": (
        "admin",
        lambda ctx: f"/admin/credentials/{issue_demo_credential(ctx['tmp_path']).number}",
    ),
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
def test_page_is_axe_clean(page, live_server, live_app, tmp_path, endpoint, language):
    role, setup = PAGES[endpoint]
    with live_app.app_context():
        other = make_user(email="other@example.mn")
        user = make_user(roles=(role,), email=f"{role}@example.mn") if role else None
        ctx = {
            "other": other,
            "user": user,
            "token": accounts.make_reset_token(other),
            "tmp_path": tmp_path,
        }
        url = setup(ctx)
    if role:
        page.goto(live_server + "/account/login")
        page.fill("#email", f"{role}@example.mn")
        page.fill("#password", DEFAULT_PASSWORD)
        page.click("form.form button[type=submit], form.form input[type=submit]")
        page.wait_for_load_state()
    page.goto(live_server + "/")
    page.locator(f"button[lang={language}]").click()
    page.wait_for_load_state()
    page.goto(live_server + url)
    assert page.locator("html").get_attribute("lang") == language
    assert axe_violations(page) == []
    assert_no_sideways_scroll(page)
