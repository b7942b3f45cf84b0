"""The installable app and lessons offline (docs/offline.md), in a real Chromium.

A trainee saves a course for offline, loses the connection and reads every lesson (images
too) from the service worker's cache, marked as an offline copy; staff pages and other
people's pages never reach the cache; a newer patch replaces the saved copy; logging out
empties every cache but the public static files.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from lms.extensions import db
from lms.models import Enrolment
from lms.services.cohorts import management as cohort_management
from lms.services.learning import attempts as attempt_service
from lms.services.learning import enrolment as enrolments
from tests.browser.conftest import axe_violations, controlled
from tests.factories import DEFAULT_PASSWORD, make_user, publish_demo_course

pytestmark = pytest.mark.browser

LESSONS = ("/learn/demo/lessons/01-social-model", "/learn/demo/lessons/02-stages")

CACHED_URLS = """async () => {
  const urls = [];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) urls.push(new URL(request.url).pathname);
  }
  return urls;
}"""


def sign_in(page: Any, server: str, email: str) -> None:
    page.goto(server + "/account/login")
    page.fill("#email", email)
    page.fill("#password", DEFAULT_PASSWORD)
    page.click("form.form button[type=submit], form.form input[type=submit]")
    page.wait_for_load_state()


def save_course(page: Any, server: str) -> None:
    page.goto(server + "/courses/demo")
    controlled(page)
    panel = page.locator("[data-offline-course]")
    assert panel.is_visible()
    assert not panel.get_by_role("button", name="Remove the offline copy").is_visible()
    panel.get_by_role("button", name="Save for offline").click()
    expect(panel.locator("[data-offline-status]")).to_contain_text("version 1.0.")
    expect(panel.locator("[data-offline-storage]")).to_contain_text("MB")


def cached(page: Any) -> list[str]:
    return page.evaluate(CACHED_URLS)


@pytest.fixture
def trainee_page(browser: Any, live_server: str, live_app: Any, tmp_path: Any) -> Any:
    with live_app.app_context():
        course = publish_demo_course(tmp_path)
        trainee = make_user(email="trainee@example.mn", locale="en")
        enrolment = enrolments.enrol(trainee, course).enrolment
        enrolment_id = enrolment.id
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    sign_in(page, live_server, "trainee@example.mn")
    page.goto(live_server + "/")
    page.locator("button[lang=en]").click()
    page.wait_for_load_state()
    yield page, enrolment_id
    context.close()


def test_saved_course_reads_offline_and_logout_clears_it(trainee_page, live_server, live_app):
    page, enrolment_id = trainee_page
    save_course(page, live_server)
    urls = cached(page)
    assert set(LESSONS) <= set(urls)
    assert "/learn/demo/offline.json" in urls
    assert any(u.startswith("/courses/demo/files/") and u.endswith(".svg") for u in urls), urls
    assert any(u.startswith("/static/css/app.") for u in urls)  # precached by Workbox
    with live_app.app_context():  # saving is not reading: "continue" still points where it did
        assert db.session.get(Enrolment, enrolment_id).last_lesson_id is None

    page.context.set_offline(True)
    for lesson in LESSONS:
        page.goto(live_server + lesson)
        assert page.locator("h1").first.inner_text()
        assert page.locator("#offline-banner").is_visible()
        image = page.locator("main img").first
        if image.count():
            assert image.evaluate("img => img.complete && img.naturalWidth > 0"), lesson
    page.goto(live_server + "/courses/demo")
    assert page.locator("#offline-banner").is_visible()
    assert axe_violations(page) == []
    # A page that was never saved is not there offline (no stale copy of anything else).
    with pytest.raises(PlaywrightError, match="ERR_INTERNET_DISCONNECTED"):
        page.goto(live_server + "/my")
    page.context.set_offline(False)

    page.goto(live_server + "/courses/demo")
    assert not page.locator("#offline-banner").is_visible()
    with page.expect_navigation():  # the script empties the caches, then sends the form
        page.get_by_role("button", name="Log out").click()
    assert page.evaluate("navigator.onLine")
    # Only the public static files stay (Workbox's precache): nothing of the trainee's.
    left = cached(page)
    assert left, "the precache of the static files stays"
    assert all(u.startswith("/static/") for u in left), left


def test_remove_the_offline_copy(trainee_page, live_server):
    page, _ = trainee_page
    save_course(page, live_server)
    page.get_by_role("button", name="Remove the offline copy").click()
    expect(page.locator("[data-offline-status]")).to_contain_text("removed")
    assert not [u for u in cached(page) if not u.startswith("/static/")]


def test_staff_and_other_peoples_pages_are_never_cached(browser, live_server, live_app, tmp_path):
    """A trainer who is also a trainee saves a course, then opens staff pages and another
    trainee's pages (their record, their attempt): none of them reaches a cache."""
    with live_app.app_context():
        course = publish_demo_course(tmp_path)
        coach = make_user(email="coach@example.mn", roles=("trainee", "trainer"), locale="en")
        enrolments.enrol(coach, course)
        cohort = cohort_management.create_cohort(course, "Дархан 2027", coach)
        other = enrolments.enrol(make_user(), course, key=cohort.enrolment_key).enrolment
        quiz = attempt_service.quiz_of(other, "final")
        attempt = attempt_service.start(other, quiz, "mn").attempt
        visited = [
            "/trainer/",
            f"/trainer/cohorts/{cohort.id}",
            f"/trainer/cohorts/{cohort.id}/progress",
            f"/trainer/enrolments/{other.id}",
            f"/trainer/attempts/{attempt.id}",
            f"/attempts/{attempt.id}/questions/1",  # another trainee's attempt: refused
            f"/attempts/{attempt.id}/review",
            "/my",
        ]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        sign_in(page, live_server, "coach@example.mn")
        save_course(page, live_server)
        for url in visited:
            page.goto(live_server + url)
        urls = cached(page)
        assert set(LESSONS) <= set(urls)
        assert not set(visited) & set(urls), urls
        assert not [u for u in urls if u.startswith(("/trainer", "/attempts"))], urls
        page.context.set_offline(True)
        for url in visited:
            with pytest.raises(PlaywrightError):
                page.goto(live_server + url)
    finally:
        context.close()


def test_a_newer_patch_replaces_the_saved_copy(trainee_page, live_server, live_app, tmp_path):
    page, _ = trainee_page
    save_course(page, live_server)
    with live_app.app_context():
        publish_demo_course(
            tmp_path / "patch",
            version="1.0.1",
            replace={"lessons/02-stages.en.md": ("The five stages", "The five stages, revised")},
        )
    page.evaluate("sessionStorage.removeItem('lms-offline-checked')")
    page.goto(live_server + "/courses/demo")  # online: the saved copy is checked and renewed
    saved = page.evaluate(
        """async () => {
            for (let tries = 0; tries < 100; tries++) {
                const cache = await caches.open("lms-offline");
                const list = await cache.match("/learn/demo/offline.json");
                const version = list && (await list.json()).version;
                if (version === "1.0.1") return version;
                await new Promise((done) => setTimeout(done, 100));
            }
            return null;
        }"""
    )
    assert saved == "1.0.1"
    page.context.set_offline(True)
    page.goto(live_server + LESSONS[1])
    assert "revised" in page.content()


def test_own_quiz_page_reloads_offline(trainee_page, live_server, live_app):
    """NetworkFirst for the trainee's quiz pages: a reload without a connection shows the
    page last seen (the answer queue itself is the quiz page's script)."""
    page, enrolment_id = trainee_page
    with live_app.app_context():
        enrolment = db.session.get(Enrolment, enrolment_id)
        quiz = attempt_service.quiz_of(enrolment, "final")
        attempt_id = attempt_service.start(enrolment, quiz, "en").attempt.id
    url = f"{live_server}/attempts/{attempt_id}/questions/1"
    page.goto(live_server + "/my")
    controlled(page)
    page.goto(url)
    question = page.locator("main h1").first.inner_text()
    page.context.set_offline(True)
    page.reload()
    assert page.locator("main h1").first.inner_text() == question
    assert page.locator("#offline-banner").is_visible()
    page.context.set_offline(False)
    with page.expect_navigation():  # the script empties the caches, then sends the form
        page.get_by_role("button", name="Log out").click()
    assert not [u for u in cached(page) if u.startswith("/attempts/")]


def test_a_session_that_ended_leaves_nothing_personal(trainee_page, live_server):
    """No logout (the session simply ended): the first page seen signed out clears it all."""
    page, _ = trainee_page
    save_course(page, live_server)
    page.context.clear_cookies()
    page.goto(live_server + "/courses")
    page.wait_for_load_state()
    left = page.evaluate(
        """async () => {
            for (let tries = 0; tries < 50; tries++) {
                if (!(await caches.keys()).includes("lms-offline")) break;
                await new Promise((done) => setTimeout(done, 100));
            }
            return await caches.keys();
        }"""
    )
    assert all(name.startswith("workbox-precache") for name in left), left
