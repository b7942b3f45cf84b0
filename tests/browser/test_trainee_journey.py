"""A trainee takes the introductory seminar by keyboard on a 320 px screen, in both languages:
enrol, read every lesson, start the final quiz, lose the page mid-quiz, come back, submit, pass.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from lms.domain.quiz import drawn_from_json
from lms.extensions import db
from lms.models import AttendanceSession, Cohort, QuizAttempt, User
from lms.quiz.display import tokens_for
from lms.services.cohorts import attendance
from lms.services.cohorts import management as cohort_management
from lms.services.courses import publishing
from lms.services.learning import attempts as attempt_service
from tests.browser.conftest import assert_no_sideways_scroll, axe_violations
from tests.factories import DEFAULT_PASSWORD, make_user

pytestmark = pytest.mark.browser

INTRO = Path(__file__).resolve().parents[2] / "courses" / "intro-seminar"
TEXT = {
    "mn": {
        "enrol": "Элсэх",
        "complete": "Дууссан гэж тэмдэглээд үргэлжлүүлэх",
        "start": "Шалгалтыг эхлүүлэх",
        "continue": "Оролдлогоо үргэлжлүүлэх",
        "submit": "Хариултаа илгээх",
        "passed": "Тэнцсэн",
        "log_in": "Нэвтрэх",
        "key": "Элсэлтийн код",
        "valid": "Хүчинтэй",
    },
    "en": {
        "enrol": "Enrol",
        "complete": "Mark as completed and continue",
        "start": "Start the quiz",
        "continue": "Continue your attempt",
        "submit": "Submit my answers",
        "passed": "Passed",
        "log_in": "Log in",
        "key": "Enrolment key",
        "valid": "Valid",
    },
}


def trainer_id(cohort_id):
    return db.session.get(Cohort, cohort_id).created_by_id


def press(locator, key="Enter"):
    """Operate a control with the keyboard, as a keyboard-only user does once focused on it."""
    locator.focus()
    assert locator.evaluate("el => el === document.activeElement"), "control cannot take focus"
    assert locator.evaluate("el => el.tabIndex >= 0 && !el.disabled"), "not in the tab order"
    locator.page.keyboard.press(key)


def press_and_load(locator, key="Enter"):
    """Press a control that loads a new page, and wait for that page."""
    with locator.page.expect_navigation():
        press(locator, key)


def check_page(page):
    assert axe_violations(page) == [], page.url
    assert_no_sideways_scroll(page)


def answer_question(page, number, question, drawn, language, tokens):
    name = f"q{number}"
    keyboard = page.keyboard
    match question.type:
        case "single":
            option = next(o for o in question.options if o.correct)
            press(page.locator(f"#{name}-{tokens.choices[option.id]}"), "Space")
        case "multiple":
            for option in question.options:
                box = page.locator(f"#{name}-{tokens.choices[option.id]}")
                if option.correct and not box.is_checked():  # a resumed page shows saved ticks
                    press(box, "Space")
        case "true_false":
            truth = tokens.choices["true" if question.answer else "false"]
            press(page.locator(f"#{name}-{truth}"), "Space")
        case "text" | "numeric":
            page.locator(f"#{name}-answer").focus()
            typed = (
                question.accept[language][0] if question.type == "text" else f"{question.answer:g}"
            )
            keyboard.type(typed)
        case "ordering":  # each item's select of positions
            for position, item in enumerate(question.items, 1):
                select = page.locator(f"#{name}-{tokens.choices[item.id]}")
                select.focus()
                keyboard.press("Home")  # from "Position", also on a resumed page
                for _ in range(position):
                    keyboard.press("ArrowDown")
                assert select.input_value() == str(position)
        case "matching":
            for pair in question.pairs:
                select = page.locator(f"#{name}-{tokens.prompts[pair.id]}")
                select.focus()
                keyboard.press("Home")  # from "Choose…", also on a resumed page
                for _ in range(drawn.order.index(pair.id) + 1):
                    keyboard.press("ArrowDown")
                assert select.input_value() == tokens.choices[pair.id]


@pytest.mark.parametrize("language", ["mn", "en"])
def test_intro_seminar_by_keyboard_on_a_small_phone(browser, live_server, live_app, language):
    with live_app.app_context():
        published = publishing.publish_path(INTRO, allow_dirty=True)
        assert published.status == "published"
        trainee = make_user(email="bat@example.mn", name="Батбаяр Өлзий")
        trainer = make_user(roles=("trainer",))
        cohort = cohort_management.create_cohort(published.course_version.course, "Ховд", trainer)
        key, cohort_id, trainee_id = cohort.enrolment_key, cohort.id, trainee.id
        session_id = attendance.add_session(cohort, date(2027, 3, 1), "", trainer).id
    text = TEXT[language]
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(live_server + "/account/login")
    page.get_by_label("И-мэйл").focus()
    page.keyboard.type("bat@example.mn")
    page.keyboard.press("Tab")
    page.keyboard.type(DEFAULT_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/my(#main)?$"))  # a trainee lands on My learning
    if language == "en":
        press_and_load(page.get_by_role("button", name="English"))

    page.goto(live_server + "/courses/intro-seminar")
    check_page(page)
    page.get_by_label(text["key"]).focus()
    page.keyboard.type(key)
    press_and_load(page.get_by_role("button", name=text["enrol"], exact=True))
    with live_app.app_context():  # the trainer marks the seminar day
        session = db.session.get(AttendanceSession, session_id)
        attendance.mark_attendance(
            session, {trainee_id}, db.session.get(User, trainer_id(cohort_id))
        )
    lesson_links = page.locator("a[href*='/learn/intro-seminar/lessons/']")
    lessons = [lesson_links.nth(i).get_attribute("href") for i in range(lesson_links.count())]
    assert len(lessons) >= 10
    for number, href in enumerate(dict.fromkeys(lessons)):
        page.goto(live_server + href)
        if number == 0:
            check_page(page)
        press_and_load(page.get_by_role("button", name=text["complete"]))

    page.goto(live_server + "/learn/intro-seminar/quizzes/final")
    check_page(page)
    press_and_load(page.get_by_role("button", name=text["start"]))
    with live_app.app_context():
        attempt = db.session.query(QuizAttempt).filter_by(quiz_id="final").one()
        quiz = attempt_service.quiz_of(attempt, "final")
        drawn = drawn_from_json(attempt.drawn)
        tokens = [tokens_for(attempt, quiz.question(d.question_id), d) for d in drawn]
        attempt_id = attempt.id
    seen_types = set()
    for number, item in enumerate(drawn, 1):
        question = quiz.question(item.question_id)
        page.wait_for_url(re.compile(rf"/attempts/{attempt_id}/questions/{number}$"))
        if number == 5:
            # The connection drops before question 5 is answered: the tab is closed. Answers 1-4
            # were saved by the server.
            page.close()
            page = context.new_page()
            page.goto(live_server + "/learn/intro-seminar/quizzes/final")
            press_and_load(page.get_by_role("link", name=text["continue"]))
            # Resumed at the first unanswered question; the earlier answers are still saved.
            assert page.url.endswith(f"/attempts/{attempt_id}/questions/5")
            page.goto(live_server + f"/attempts/{attempt_id}/questions/1")
            assert (
                page.locator(
                    "input:checked, select option:checked[value]:not([value='']),"
                    " input[type=text][value]"
                ).count()
                >= 1
            )
            page.goto(live_server + f"/attempts/{attempt_id}/questions/5")
        answer_question(page, number, question, item, language, tokens[number - 1])
        if question.type not in seen_types:
            seen_types.add(question.type)
            check_page(page)
        press_and_load(page.locator(".quiz-nav button").first)
    assert seen_types == {
        "single",
        "multiple",
        "true_false",
        "text",
        "numeric",
        "ordering",
        "matching",
    }
    page.wait_for_url(re.compile(rf"/attempts/{attempt_id}/review$"))
    check_page(page)
    press_and_load(page.get_by_role("button", name=text["submit"]))
    page.wait_for_url(re.compile(rf"/attempts/{attempt_id}$"))
    assert page.get_by_text(text["passed"], exact=True).is_visible()
    check_page(page)

    # The seminar's credential was issued automatically: the dashboard leads to the certificate.
    page.goto(live_server + "/my")
    press_and_load(page.locator("a[href^='/certificates/']").first)
    check_page(page)
    assert page.get_by_text("Батбаяр Өлзий").first.is_visible()
    verify_url = page.locator(".certificate-qr a").get_attribute("href")
    assert verify_url.startswith("http://lms.test/verify/")  # from LMS_PUBLIC_URL, not the Host
    # Scanning the QR code: a stranger's browser opens the public page (the test server stands
    # in for the public address).
    verify_url = verify_url.replace("http://lms.test", live_server, 1)
    stranger = browser.new_context(viewport={"width": 320, "height": 640})
    public = stranger.new_page()
    public.goto(verify_url)
    assert public.get_by_text(TEXT["mn"]["valid"], exact=True).is_visible()  # default language
    assert public.get_by_text("Батбаяр Өлзий").is_visible()
    check_page(public)
    stranger.close()
    context.close()


def _start_knowledge_check(page, live_server, live_app, tmp_path, email):
    """A new trainee signs in, enrols in the demo course and starts its first knowledge check."""
    from tests.factories import publish_demo_course

    with live_app.app_context():
        publish_demo_course(tmp_path)
        make_user(email=email)
    page.goto(live_server + "/account/login")
    page.fill("#email", email)
    page.fill("#password", DEFAULT_PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.goto(live_server + "/courses/demo")
    with page.expect_navigation():
        page.get_by_role("button", name="Элсэх").click()
    page.goto(live_server + "/learn/demo/quizzes/check-1")
    with page.expect_navigation():
        page.get_by_role("button", name="Шалгалтыг эхлүүлэх").click()


def test_answers_save_themselves_with_javascript(page, live_server, live_app, tmp_path):
    _start_knowledge_check(page, live_server, live_app, tmp_path, "auto@example.mn")
    page.locator("fieldset.question input").first.check()
    page.get_by_role("status").filter(has_text="Хадгалсан").wait_for()
    with live_app.app_context():
        attempt = db.session.query(QuizAttempt).one()
        assert attempt.seq == 1
        assert len(attempt_service.saved_answers(attempt)) == 1
    # The page's sequence token followed the background save: pressing Next saves again.
    with page.expect_navigation():
        page.locator(".quiz-nav button").first.click()
    assert "хуучирсан байсан тул" not in page.content()  # not refused as a stale page


def test_next_pressed_while_an_autosave_is_on_its_way(page, live_server, live_app, tmp_path):
    """A trainee answers and presses Next at once: the background save is still on its way
    (held back here for a second) when the form is sent. The button waits for it and sends the
    newest token, so the answer is not refused as an out-of-date page."""
    _start_knowledge_check(page, live_server, live_app, tmp_path, "quick@example.mn")
    # The server gets the background save at once; its answer reaches the page a second later.
    page.add_init_script(
        """(() => {
          const realFetch = window.fetch.bind(window);
          window.heldSaves = 0;
          window.fetch = (url, options) => realFetch(url, options).then((response) => {
            window.heldSaves += 1;
            return new Promise((resolve) => setTimeout(() => resolve(response), 1500));
          });
        })();"""
    )
    page.reload()
    page.locator("fieldset.question input").first.check()
    # Saved on the server; the page has not been told yet.
    page.wait_for_function("() => window.heldSaves > 0")
    with page.expect_navigation():
        page.locator(".quiz-nav button").first.click()
    assert re.search(r"/questions/2$", page.url), page.url
    assert "хуучирсан байсан тул" not in page.content()
    with live_app.app_context():
        attempt = db.session.query(QuizAttempt).one()
        assert attempt.seq == 2  # the background save, then the button's
        assert len(attempt_service.saved_answers(attempt)) == 1


@pytest.mark.parametrize(("width", "language"), [(320, "mn"), (360, "en")])
def test_an_ordering_question_with_long_items_on_a_small_phone(
    browser, live_server, live_app, tmp_path, width, language
):
    """Long items wrap in full beside a short select of positions; a position given twice is
    refused with an error summary that names the items (also without JavaScript), and the
    autosave says so in its status. Screenshots land in the test's tmp_path."""
    from tests.factories import publish_demo_course
    from tests.web.test_quiz_ordering import LONG, QUIZ, _final

    with live_app.app_context():
        publish_demo_course(tmp_path, replace={"quizzes/final.yml": (_final(), QUIZ)})
        make_user(email="order@example.mn")
    texts = {item: LONG[item][0 if language == "mn" else 1] for item in LONG}
    saved_text = {"mn": "Хадгалсан", "en": "Saved"}[language]
    # Without JavaScript first (axe needs scripts, so the page checks come with them below).
    for javascript in (False, True):
        context = browser.new_context(
            viewport={"width": width, "height": 740}, java_script_enabled=javascript
        )
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.goto(live_server + "/account/login")
        page.fill("#email", "order@example.mn")
        page.fill("#password", DEFAULT_PASSWORD)
        with page.expect_navigation():
            page.keyboard.press("Enter")
        if language == "en":
            press_and_load(page.get_by_role("button", name="English"))
        if not javascript:
            page.goto(live_server + "/courses/demo")
            press_and_load(page.get_by_role("button", name=TEXT[language]["enrol"], exact=True))
            page.goto(live_server + "/learn/demo/quizzes/final")
            press_and_load(page.get_by_role("button", name=TEXT[language]["start"]))
        with live_app.app_context():
            attempt = db.session.query(QuizAttempt).one()
            number = 1 + [d["question_id"] for d in attempt.drawn].index("stages")
            attempt_id = attempt.id
        page.goto(live_server + f"/attempts/{attempt_id}/questions/{number}")
        selects = {item: page.get_by_label(text, exact=True) for item, text in texts.items()}
        for item, text in texts.items():  # every item's whole text is shown, nothing cut off
            label = page.locator("label", has_text=text)
            assert label.inner_text().strip() == text
            assert label.evaluate("e => e.scrollWidth <= e.clientWidth")
            box, select = label.bounding_box(), selects[item].bounding_box()
            assert box["x"] + box["width"] <= select["x"]  # the select beside the text
            assert select["width"] < width * 0.4  # short: the text keeps most of the line
        if javascript:
            check_page(page)
            page.screenshot(path=tmp_path / f"ordering-{width}-{language}.png", full_page=True)
            # The autosave refuses a position given twice, and its status says which items.
            selects["find"].select_option("3")
            selects["engage"].select_option("3")
            status = page.get_by_role("status").filter(has_text=texts["find"])
            status.wait_for()
            assert texts["engage"] in status.inner_text()
            selects["find"].select_option("1")
            page.get_by_role("status").filter(has_text=re.compile(f"^{saved_text}$")).wait_for()
            with live_app.app_context():
                saved = attempt_service.saved_answers(db.session.get(QuizAttempt, attempt_id))
            assert saved["stages"] == ["find", "", "engage"]
        else:
            selects["find"].select_option("1")
        selects["profile"].select_option("1")  # the position "find" has
        press_and_load(page.locator(".quiz-nav button").first)  # "Save and next"
        summary = page.get_by_role("alert")
        assert texts["find"] in summary.inner_text()
        assert texts["profile"] in summary.inner_text()
        positions = [selects[i].input_value() for i in texts]
        assert positions == (["3", "1", "1"] if javascript else ["", "1", "1"])  # as given
        assert selects["profile"].get_attribute("aria-invalid") == "true"
        if javascript:
            check_page(page)
            page.screenshot(
                path=tmp_path / f"ordering-refused-{width}-{language}.png", full_page=True
            )
        # The error summary's link leads to a select concerned.
        press(summary.get_by_role("link").first)
        target = page.evaluate("location.hash")
        assert target in {"#" + selects[i].get_attribute("id") for i in ("find", "profile")}
        context.close()
