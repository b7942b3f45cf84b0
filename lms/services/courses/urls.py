"""The URL scheme of published course content (kept stable: it is stored in lesson HTML)."""

from __future__ import annotations

from urllib.parse import quote

ASSET_KEY_LENGTH = 16


def asset_key(content_hash: str) -> str:
    """The part of a version's content hash that names its files in URLs."""
    return content_hash[:ASSET_KEY_LENGTH]


class PublishedUrls:
    """Links inside published content: pages by course slug, files by the version's content.

    Files are addressed by content hash (not version number) so that lessons can be rendered
    while the course is being checked, before its version is read, and cached forever.
    """

    def __init__(self, slug: str, content_hash: str) -> None:
        self.slug = slug
        self.key = asset_key(content_hash)

    def lesson(self, lesson_id: str) -> str:
        return f"/learn/{self.slug}/lessons/{lesson_id}"

    def quiz(self, quiz_id: str) -> str:
        return f"/learn/{self.slug}/quizzes/{quiz_id}"

    def asset(self, path: str) -> str:
        return f"/courses/{self.slug}/files/{self.key}/{quote(path)}"
