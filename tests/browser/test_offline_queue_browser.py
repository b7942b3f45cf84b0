"""Quiz answers and lesson completions made without a connection (static/js/offline-queue.js):
kept on the device with their sequence token, sent in order when the connection returns, the
server's rules deciding; a stale answer is reported, a timed quiz and submitting need a
connection. The connection is cut with Playwright's `context.set_offline`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from lms.domain.quiz import drawn_from_json
from lms.extensions import db
from lms.models import AttemptAnswer, LessonProgress, QuizAttempt
from lms.quiz.display import tokens_for
from lms.services.courses import publishing
from lms.services.learning import attempts as attempt_service
from lms.services.learning import enrolment as enrolments
from tests.browser.conftest import axe_violations, controlled
from tests.factories import DEFAULT_PASSWORD, make_user, publish_demo_course

pytestmark = pytest.mark.browser

INTRO = Path(__file__).resolve().parents[2] / "courses" / "intro-seminar"
ON_DEVICE_MN = "Энэ төхөөрөмж дээр хадгалсан, одоогоор илгээгдээгүй."


def _log_in(page: Any, live_server: str, email: str) -> None:
    page.goto(live_server + "/account/login")
    page.fill("#email", email)
    page.fill("#password", DEFAULT_PASSWORD)
    with page.expect_navigation():
        page.locator("#password").press("Enter")


def _start(course: Any, quiz_id: str, email: str) -> dict[str, Any]:
    """A trainee enrolled in `course` with an attempt at `quiz_id` in progress."""
    user = make_user(email=email)
    enrolment = enrolments.enrol(user, course).enrolment
    quiz = attempt_service.quiz_of(enrolment, quiz_id)
    attempt = attempt_service.start(enrolment, quiz, "mn").attempt
    drawn = drawn_from_json(attempt.drawn)
    questions = [quiz.question(d.question_id) for d in drawn]
    return {
        "id": attempt.id,
        "seq": attempt.seq,
        "questions": questions,
        "tokens": [tokens_for(attempt, q, d) for q, d in zip(questions, drawn, strict=True)],
    }


def _answers(attempt_id: int) -> list[AttemptAnswer]:
    db.session.expire_all()
    return list(
        db.session.execute(
            select(AttemptAnswer)
            .where(AttemptAnswer.attempt_id == attempt_id)
            .order_by(AttemptAnswer.saved_at, AttemptAnswer.id)
        ).scalars()
    )


def _status(page: Any) -> Any:
    return page.locator("form.quiz-form .save-status")


def _on_device_text(page: Any) -> str:
    return page.locator("form.quiz-form").get_attribute("data-on-device-text")


def _queue(page: Any) -> list[dict[str, Any]]:
    return page.evaluate("() => window.lmsOfflineQueue.all()")


OTHER_PERSONS_ENTRY = """() => new Promise((resolve, reject) => {
  const opening = indexedDB.open("lms-offline", 1);
  opening.onupgradeneeded = () =>
    opening.result.createObjectStore("queue", {keyPath: "id", autoIncrement: true});
  opening.onsuccess = () => {
    const tx = opening.result.transaction("queue", "readwrite");
    tx.objectStore("queue").put({
      kind: "lesson", user: "someone else", state: "waiting", fields: [], label: "02-stages",
      url: "/learn/demo/lessons/02-stages/complete", page: "/learn/demo/lessons/02-stages"});
    tx.oncomplete = () => { opening.result.close(); resolve(true); };
    tx.onerror = () => reject(tx.error);
  };
})"""
STORED_USERS = """() => new Promise((resolve) => {
  const opening = indexedDB.open("lms-offline", 1);
  opening.onsuccess = () => {
    const all = opening.result.transaction("queue").objectStore("queue").getAll();
    all.onsuccess = () => resolve(all.result.map((e) => e.user));
  };
})"""


def _intro_attempt(live_app: Any, email: str) -> dict[str, Any]:
    with live_app.app_context():
        published = publishing.publish_path(INTRO, allow_dirty=True)
        return _start(published.course_version.course, "check-1", email)


def test_three_answers_offline_reach_the_server_in_order(browser, live_server, live_app):
    attempt = _intro_attempt(live_app, "tuya@example.mn")
    questions, tokens, attempt_id = attempt["questions"], attempt["tokens"], attempt["id"]
    assert [q.type for q in questions[:4]] == ["single", "matching", "true_false", "text"]
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="mn-MN")
    try:
        first = context.new_page()
        first.set_default_timeout(10_000)
        _log_in(first, live_server, "tuya@example.mn")
        # Three questions open while online (without the service worker a page cannot be
        # opened offline), then the connection drops.
        pages = {}
        for number in (1, 3, 4):
            page = first if number == 1 else context.new_page()
            page.set_default_timeout(10_000)
            page.goto(f"{live_server}/attempts/{attempt_id}/questions/{number}")
            pages[number] = page
        context.set_offline(True)

        single = next(o for o in questions[0].options if o.correct)
        pages[1].locator(f"#q1-{tokens[0].choices[single.id]}").check()
        truth = tokens[2].choices["true" if questions[2].answer else "false"]
        pages[3].locator(f"#q3-{truth}").check()
        typed = questions[3].accept["mn"][0]
        pages[4].locator("#q4-answer").fill(typed)
        for number, page in pages.items():
            status = _status(page)
            status.filter(has_text=ON_DEVICE_MN).wait_for()
            assert status.inner_text() == _on_device_text(page), number
        kept = _queue(pages[4])
        assert [(e["number"], e["seq"], e["state"]) for e in kept] == [
            (1, attempt["seq"], "waiting"),
            (3, attempt["seq"] + 1, "waiting"),
            (4, attempt["seq"] + 2, "waiting"),
        ]
        assert axe_violations(pages[1]) == []
        with live_app.app_context():
            assert _answers(attempt_id) == []  # nothing reached the server yet

        context.set_offline(False)  # the pages send the queue when the connection returns
        for page in pages.values():
            _status(page).filter(has_text=re.compile("^Хадгалсан$")).wait_for()
        pages[1].locator(".offline-report .notice").wait_for()
        assert _queue(pages[1]) == []
        with live_app.app_context():
            saved = _answers(attempt_id)
            assert [a.question_id for a in saved] == [questions[n].id for n in (0, 2, 3)]
            assert saved[0].value == single.id
            assert saved[2].value == typed
            row = db.session.get(QuizAttempt, attempt_id)
            assert row.seq == attempt["seq"] + 3
        # Each page now carries the server's current token: a further change saves online.
        pages[4].locator("#q4-answer").fill(typed + " ")
        pages[4].wait_for_function(
            "seq => document.querySelector('input[name=seq]').value === String(seq)",
            arg=attempt["seq"] + 4,
        )
    finally:
        context.close()


def test_a_stale_offline_answer_is_reported_and_given_back(browser, live_server, live_app):
    attempt = _intro_attempt(live_app, "saraa@example.mn")
    questions, tokens, attempt_id = attempt["questions"], attempt["tokens"], attempt["id"]
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="mn-MN")
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        _log_in(page, live_server, "saraa@example.mn")
        page.goto(f"{live_server}/attempts/{attempt_id}/questions/1")
        context.set_offline(True)
        wrong = next(o for o in questions[0].options if not o.correct)
        page.locator(f"#q1-{tokens[0].choices[wrong.id]}").check()
        _status(page).filter(has_text=ON_DEVICE_MN).wait_for()
        with live_app.app_context():  # meanwhile the attempt moves on from another device
            row = db.session.get(QuizAttempt, attempt_id)
            assert attempt_service.save(row, row.seq, {questions[2].id: True}) == "saved"

        context.set_offline(False)
        report = page.locator(".offline-report .error-summary")
        report.wait_for()
        link = report.get_by_role("link", name="1-р асуулт")
        assert link.get_attribute("href") == f"/attempts/{attempt_id}/questions/1"
        stale_text = page.locator(".offline-report").get_attribute("data-stale-text")
        assert stale_text in report.inner_text()
        assert axe_violations(page) == []
        with live_app.app_context():  # the server's rule decided: not saved
            assert [a.question_id for a in _answers(attempt_id)] == [questions[2].id]
        assert [e["state"] for e in _queue(page)] == ["stale"]

        # Opening the question gives the answer back in the form, marked as not saved.
        page.goto(f"{live_server}/attempts/{attempt_id}/questions/1")
        restored = page.locator("form.quiz-form").get_attribute("data-restored-text")
        _status(page).filter(has_text=restored).wait_for()
        assert page.locator(f"#q1-{tokens[0].choices[wrong.id]}").is_checked()
        assert _queue(page) == []
    finally:
        context.close()


def test_a_timed_quiz_and_submitting_need_a_connection(browser, live_server, live_app, tmp_path):
    with live_app.app_context():
        course = publish_demo_course(tmp_path, enrolment="open")
        attempt = _start(course, "final", "bold@example.mn")
    attempt_id = attempt["id"]
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="mn-MN")
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        _log_in(page, live_server, "bold@example.mn")
        page.goto(f"{live_server}/attempts/{attempt_id}/questions/1")
        assert page.locator("form.quiz-form").get_attribute("data-timed") == "1"
        timed_text = page.locator("form.quiz-form").get_attribute("data-timed-offline-text")
        context.set_offline(True)
        _status(page).filter(has_text=timed_text).wait_for()  # said as the connection drops
        field = page.locator("form.quiz-form input:not([type=hidden]), form.quiz-form select").first
        if field.get_attribute("type") in ("radio", "checkbox"):
            field.check()
        elif field.evaluate("el => el.tagName") == "SELECT":
            field.select_option(index=1)
        else:
            field.fill("1")
        page.locator("form.quiz-form button[value=stay]").click()
        assert _status(page).inner_text() == timed_text
        assert page.url.endswith(f"/attempts/{attempt_id}/questions/1")
        assert _queue(page) == []  # a timed answer is never kept for later

        context.set_offline(False)
        page.goto(f"{live_server}/attempts/{attempt_id}/review")
        context.set_offline(True)
        page.locator("form.submit-form button[type=submit]").click()
        offline_text = page.locator("form.submit-form").get_attribute("data-offline-text")
        page.locator(".submit-status").filter(has_text=offline_text).wait_for()
        assert axe_violations(page) == []
        with live_app.app_context():
            db.session.expire_all()
            assert db.session.get(QuizAttempt, attempt_id).state == attempt_service.IN_PROGRESS
    finally:
        context.close()


def test_a_lesson_marked_complete_offline_is_recorded_later(
    browser, live_server, live_app, tmp_path
):
    with live_app.app_context():
        course = publish_demo_course(tmp_path, enrolment="open")
        user = make_user(email="nomin@example.mn")
        enrolment_id = enrolments.enrol(user, course).enrolment.id
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="mn-MN")
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        _log_in(page, live_server, "nomin@example.mn")
        page.goto(f"{live_server}/learn/demo/lessons/01-social-model")
        # Another trainee's completion left on this (shared) phone is neither sent nor shown.
        page.evaluate(OTHER_PERSONS_ENTRY)
        context.set_offline(True)
        page.locator("form.lesson-complete [type=submit]").click()
        status = page.locator(".offline-status")
        status.filter(has_text=status.get_attribute("data-lesson-queued-text")).wait_for()
        assert page.url.endswith("/learn/demo/lessons/01-social-model")
        assert [e["kind"] for e in _queue(page)] == ["lesson"]
        with live_app.app_context():
            assert (
                db.session.query(LessonProgress).filter_by(enrolment_id=enrolment_id).count() == 0
            )

        context.set_offline(False)
        page.locator(".offline-report .notice").wait_for()
        assert _queue(page) == []
        with live_app.app_context():
            db.session.expire_all()
            done = db.session.query(LessonProgress).filter_by(enrolment_id=enrolment_id).all()
            assert [p.lesson_id for p in done] == ["01-social-model"]
        assert "02-stages" not in page.locator(".offline-report").inner_text()
        left = page.evaluate(STORED_USERS)
        assert left == ["someone else"]
    finally:
        context.close()


SERVICE_WORKER = Path(__file__).resolve().parents[2] / "lms" / "static" / "sw.js"


def test_quiz_pages_reloaded_offline_show_the_answers_on_the_device(browser, live_server, live_app):
    """With the service worker (docs/offline.md), quiz pages open offline from its cache: the
    trainee goes on to the next question and reloads, and the answers kept on the device are
    filled in again until they are sent."""
    if not SERVICE_WORKER.exists():
        pytest.skip("no service worker (lms/static/sw.js) to serve quiz pages offline")
    attempt = _intro_attempt(live_app, "gerel@example.mn")
    questions, tokens, attempt_id = attempt["questions"], attempt["tokens"], attempt["id"]
    question_url = f"{live_server}/attempts/{attempt_id}/questions/"
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="mn-MN")
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        _log_in(page, live_server, "gerel@example.mn")
        page.goto(question_url + "1")
        controlled(page)
        for number in (2, 1):  # loads under the worker keep the quiz pages (NetworkFirst)
            page.goto(question_url + str(number))
        assert page.evaluate("() => Boolean(navigator.serviceWorker.controller)")
        context.set_offline(True)

        single = next(o for o in questions[0].options if o.correct)
        page.locator(f"#q1-{tokens[0].choices[single.id]}").check()
        with page.expect_navigation():
            page.locator(".quiz-nav button[value=next]").click()
        assert page.url == question_url + "2"
        matching = questions[1]
        for pair in matching.pairs:
            select = page.locator(f"#q2-{tokens[1].prompts[pair.id]}")
            select.select_option(value=tokens[1].choices[pair.id])
        _status(page).filter(has_text=ON_DEVICE_MN).wait_for()

        page.reload()  # offline: the worker's copy, with the answer from the device filled in
        _status(page).filter(has_text=ON_DEVICE_MN).wait_for()
        for pair in matching.pairs:
            select = page.locator(f"#q2-{tokens[1].prompts[pair.id]}")
            assert select.input_value() == tokens[1].choices[pair.id]
        page.goto(question_url + "1")
        _status(page).filter(has_text=ON_DEVICE_MN).wait_for()
        assert page.locator(f"#q1-{tokens[0].choices[single.id]}").is_checked()
        with live_app.app_context():
            assert _answers(attempt_id) == []

        context.set_offline(False)
        _status(page).filter(has_text=re.compile("^Хадгалсан$")).wait_for()
        with live_app.app_context():
            saved = _answers(attempt_id)
            assert [a.question_id for a in saved] == [questions[0].id, questions[1].id]
            assert saved[1].value == {p.id: p.id for p in matching.pairs}
    finally:
        context.close()
