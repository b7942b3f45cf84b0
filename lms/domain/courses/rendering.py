"""Rendering a course's lessons to sanitised HTML, with links resolved to real URLs.

Publishing and the author preview both call this, with different URL schemes, so a lesson
looks the same in both. All HTML comes from `lms.domain.render`, the one sanitising renderer.
"""

from __future__ import annotations

import re
from typing import Protocol

from lms.domain.courses.content import resolve_reference
from lms.domain.courses.model import LessonText
from lms.domain.render import render_inline, render_markdown

_LESSON_FILE = re.compile(r"^lessons/([a-z0-9][a-z0-9-]*)\.[a-z]{2}\.md$")
_QUIZ_FILE = re.compile(r"^quizzes/([a-z0-9][a-z0-9-]*)\.yml$")


class CourseUrls(Protocol):
    """Where a course's pages and files are served."""

    def lesson(self, lesson_id: str) -> str: ...

    def quiz(self, quiz_id: str) -> str: ...

    def asset(self, path: str) -> str: ...


def link_resolver(document: str, urls: CourseUrls) -> _Resolver:
    """A `resolve_link` for `render_markdown` that maps course-relative links to URLs."""
    return _Resolver(document, urls)


class _Resolver:
    def __init__(self, document: str, urls: CourseUrls) -> None:
        self.document = document
        self.urls = urls

    def __call__(self, url: str) -> str | None:
        path = resolve_reference(self.document, url)
        if path is None:
            return None
        lesson = _LESSON_FILE.match(path)
        if lesson:
            return self.urls.lesson(lesson.group(1))
        quiz = _QUIZ_FILE.match(path)
        if quiz:
            return self.urls.quiz(quiz.group(1))
        return self.urls.asset(path)


def render_lesson(text: LessonText, urls: CourseUrls) -> str:
    """The lesson body as sanitised HTML with every relative link resolved."""
    return render_markdown(
        text.body, resolve_link=link_resolver(text.source_path, urls), language=text.language
    )


def render_quiz_text(text: str, quiz_id: str, urls: CourseUrls) -> str:
    """A quiz text (question, option, feedback) as sanitised inline HTML."""
    return render_inline(text, resolve_link=link_resolver(f"quizzes/{quiz_id}.yml", urls))
