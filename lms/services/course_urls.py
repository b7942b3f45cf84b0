"""The URL scheme of published course content (kept stable: it is stored in lesson HTML)."""

from __future__ import annotations

from urllib.parse import quote


class PublishedUrls:
    """Links inside a published lesson: pages by course slug, files by exact version."""

    def __init__(self, slug: str, version: str) -> None:
        self.slug = slug
        self.version = version

    def lesson(self, lesson_id: str) -> str:
        return f"/learn/{self.slug}/lessons/{lesson_id}"

    def quiz(self, quiz_id: str) -> str:
        return f"/learn/{self.slug}/quizzes/{quiz_id}"

    def asset(self, path: str) -> str:
        return f"/courses/{self.slug}/{self.version}/files/{quote(path)}"
