"""Where a course's files come from: the `CourseSource` protocol and a directory on disk.

Paths given to a source are POSIX paths relative to the course folder (``lessons/x.en.md``).
Hidden files and folders (a name starting with ``.``) and symbolic links are not part of a
course, so every source skips them and the content hash does not depend on them.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Protocol

from lms.domain.courses.problems import N_, Problem, ProblemLog


class CourseSource(Protocol):
    """Read access to one course folder and the names of the courses beside it."""

    @property
    def name(self) -> str:
        """The folder name (must equal the course slug)."""
        ...

    def display_path(self, rel: str) -> str:
        """The path shown in problems, e.g. ``courses/intro-seminar/lessons/x.en.md``."""
        ...

    def read_bytes(self, rel: str) -> bytes | None:
        """The content of a file, or None if it does not exist or cannot be read."""
        ...

    def list_files(self, prefix: str = "") -> list[str]:
        """Sorted relative paths of all files whose path starts with ``prefix``."""
        ...

    def sibling_slugs(self) -> set[str]:
        """Names of the course folders (with a ``course.yml``) beside this one."""
        ...

    def access_problems(self) -> list[Problem]:
        """Problems met while reading the source itself (missing folder, git errors)."""
        ...


def is_hidden(rel: str) -> bool:
    """True for paths with a component starting with ``.`` (``.git``, ``.DS_Store``)."""
    return any(part.startswith(".") for part in rel.split("/"))


def content_hash(source: CourseSource) -> str:
    """SHA-256 (hex) over every file of the course, sorted by path.

    Each file contributes ``path NUL size NUL bytes``, so moving bytes between files or renaming
    a file changes the hash. Equal content from a directory and from Git gives equal hashes.
    """
    digest = hashlib.sha256()
    for rel in sorted(source.list_files("")):
        data = source.read_bytes(rel)
        size = b"-" if data is None else str(len(data)).encode()
        digest.update(rel.encode("utf-8", "surrogateescape") + b"\0" + size + b"\0")
        digest.update(data or b"")
    return digest.hexdigest()


class DirectorySource:
    """A course folder on disk (what trainers check while writing)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.name = path.name or path.resolve().name
        self._files: list[str] | None = None
        self._listed: frozenset[str] = frozenset()
        self._problems: list[Problem] = []

    def display_path(self, rel: str) -> str:
        """``<path>/<rel>`` with forward slashes."""
        return (self.path / rel).as_posix() if rel else self.path.as_posix()

    def access_problems(self) -> list[Problem]:
        """A missing folder, a file instead of a folder, unreadable folders."""
        self.list_files()
        return list(self._problems)

    def _problem(self, template: str, **params: object) -> None:
        ProblemLog(self._problems, self.path.as_posix()).error(1, template, "", **params)

    def list_files(self, prefix: str = "") -> list[str]:
        """Regular, non-hidden files below the folder (listed once, then cached)."""
        if self._files is None:
            self._files = self._walk()
            self._listed = frozenset(self._files)
        return [rel for rel in self._files if rel.startswith(prefix)]

    def _walk(self) -> list[str]:
        if not self.path.exists():
            self._problem(N_("no such course folder"))
            return []
        if not self.path.is_dir():
            self._problem(N_("not a folder: give the path of a course folder"))
            return []
        files: list[str] = []

        def report(error: OSError) -> None:
            self._problem(N_("cannot read folder: %(error)s"), error=error.strerror or error)

        for folder, dirs, names in os.walk(self.path, onerror=report, followlinks=False):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            base = Path(folder)
            for name in names:
                full = base / name
                if name.startswith(".") or full.is_symlink() or not full.is_file():
                    continue
                files.append(full.relative_to(self.path).as_posix())
        return sorted(files)

    def read_bytes(self, rel: str) -> bytes | None:
        """The file's bytes; None for anything not listed (so no ``..`` or symlink escapes)."""
        self.list_files()
        if rel not in self._listed:
            return None
        try:
            return (self.path / rel).read_bytes()
        except OSError:
            return None

    def sibling_slugs(self) -> set[str]:
        """Folders beside this one that hold a ``course.yml``."""
        try:
            parent = self.path.resolve().parent
            return {
                entry.name
                for entry in parent.iterdir()
                if entry.is_dir() and (entry / "course.yml").is_file()
            }
        except OSError:
            return set()
