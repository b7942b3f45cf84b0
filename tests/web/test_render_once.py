"""Published quiz texts are rendered once per process; the author's preview always afresh."""

from __future__ import annotations

from lms.services.courses.urls import PublishedUrls
from lms.web import question_display
from lms.web.question_display import QuizTexts


class _PreviewUrls:
    def lesson(self, lesson_id: str) -> str:
        return f"/preview/lessons/{lesson_id}"

    def quiz(self, quiz_id: str) -> str:
        return f"/preview/quizzes/{quiz_id}"

    def asset(self, path: str) -> str:
        return f"/preview/files/{path}"


def test_a_published_text_is_rendered_once(monkeypatch):
    calls: list[str] = []
    real = question_display.render_quiz_text

    def counting(text, quiz_id, urls):
        calls.append(text)
        return real(text, quiz_id, urls)

    monkeypatch.setattr(question_display, "render_quiz_text", counting)
    monkeypatch.setattr(question_display, "_PUBLISHED_HTML", {})
    text = {"mn": "**Ажлын** дасгалжуулагч", "en": "**Job** coach"}
    for _ in range(3):  # one QuizTexts per request, as the views make them
        texts = QuizTexts("final", "mn", PublishedUrls("course", "a" * 64))
        assert texts.html(text) == "<strong>Ажлын</strong> дасгалжуулагч"
    assert calls == ["**Ажлын** дасгалжуулагч"]

    # Another version of the course (another content hash) is rendered for itself.
    QuizTexts("final", "mn", PublishedUrls("course", "b" * 64)).html(text)
    assert len(calls) == 2

    for _ in range(2):
        QuizTexts("final", "en", _PreviewUrls()).html(text)
    assert calls[2:] == ["**Job** coach", "**Job** coach"]
