"""The author preview in a browser: accessible pages, a keyboard-operable quiz, live reload."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from lms.preview import create_preview_app
from tests.browser.conftest import axe_violations
from tests.domain.course_builder import LESSON_1_EN, valid_files, write_course

pytestmark = pytest.mark.browser


@pytest.fixture
def course_folder(tmp_path: Path) -> Path:
    return write_course(tmp_path, valid_files())


@pytest.fixture
def preview_server(instance_dir: Path, course_folder: Path) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, create_preview_app(course_folder), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()
    server.server_close()


PAGES = [
    "/",
    "/lessons/01-social-model",
    "/lessons/02-stages",
    "/quizzes/check-1",
    "/quizzes/final",
]


@pytest.mark.parametrize("language", ["mn", "en"])
@pytest.mark.parametrize("path", PAGES)
def test_preview_page_is_axe_clean(page, preview_server, path, language):
    page.goto(preview_server + "/")
    page.locator(f"button[lang={language}]").click()  # the interface language
    page.goto(f"{preview_server}{path}?lang={'en' if language == 'mn' else 'mn'}")
    assert page.locator("html").get_attribute("lang") == language
    assert axe_violations(page) == []
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], "horizontal scrolling"


def test_quiz_is_operable_by_keyboard(page, preview_server):
    page.goto(preview_server + "/")
    page.locator("button[lang=en]").click()  # English labels for the test
    page.goto(preview_server + "/quizzes/check-1?lang=en")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.type") == "radio":
            break
    else:
        pytest.fail("Tab never reached a radio button")
    first = page.get_by_role("radio", name="Barriers are in society")
    second = page.get_by_role("radio", name="Disability is in the person")
    expect(first).to_be_focused()
    page.keyboard.press("Space")
    expect(first).to_be_checked()
    page.keyboard.press("ArrowDown")
    expect(second).to_be_checked()
    expect(first).not_to_be_checked()

    page.goto(preview_server + "/quizzes/final?lang=en")
    page.get_by_role("checkbox", name="Natural support").press("Space")
    expect(page.get_by_role("checkbox", name="Natural support")).to_be_checked()
    page.get_by_label("Your answer").first.fill("supported employment")
    position = page.get_by_role("combobox", name="Engagement")  # the item's position
    position.focus()
    position.select_option(label="1")
    expect(position).to_have_value("1")
    expect(page.get_by_role("combobox", name="Mobility")).to_be_visible()
    expect(
        page.get_by_role("heading", name="Answer key and feedback (authors only)")
    ).to_have_count(5)


def test_page_reloads_when_a_file_changes(page, preview_server, course_folder):
    page.goto(preview_server + "/lessons/01-social-model?lang=en")
    expect(page.get_by_text("Attitudes")).to_be_visible()
    lesson = course_folder / "lessons/01-social-model.en.md"
    lesson.write_text(LESSON_1_EN.replace("Attitudes", "Expectations"), encoding="utf-8")
    expect(page.get_by_text("Expectations")).to_be_visible(timeout=8000)
