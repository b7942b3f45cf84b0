"""A course held in memory: how a published version's stored files are read back."""

from __future__ import annotations

from collections.abc import Mapping

from lms.domain.courses.problems import Problem


class MemorySource:
    """A `CourseSource` over ``{relative path: bytes}`` (e.g. the files of a published version)."""

    def __init__(self, name: str, files: Mapping[str, bytes], siblings: set[str]) -> None:
        self.name = name
        self._files = dict(files)
        self._siblings = set(siblings)

    def display_path(self, rel: str) -> str:
        """``<slug>/<rel>``, as the trainer's repository would show it."""
        return f"{self.name}/{rel}" if rel else self.name

    def read_bytes(self, rel: str) -> bytes | None:
        """The stored bytes of a file, or None."""
        return self._files.get(rel)

    def list_files(self, prefix: str = "") -> list[str]:
        """Sorted stored paths starting with ``prefix``."""
        return sorted(path for path in self._files if path.startswith(prefix))

    def sibling_slugs(self) -> set[str]:
        """The courses that existed beside this one when it was published."""
        return set(self._siblings)

    def access_problems(self) -> list[Problem]:
        """Nothing can go wrong reading memory."""
        return []
