"""The course being previewed: re-read from disk on every request, problems sorted by page.

Nothing is cached between requests except the content hash, and that only while no file's
size, time stamps or inode has changed, so an edit shows on the next request.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from lms.domain.courses import (
    Course,
    DirectorySource,
    LessonText,
    Problem,
    content_hash,
    load_course,
)
from lms.domain.courses.lesson_file import read_lesson, split_front_matter
from lms.domain.courses.problems import ProblemLog
from lms.domain.courses.questions import Quiz
from lms.domain.courses.quiz_file import QuizReader
from lms.domain.courses.values import Reader
from lms.domain.courses.yaml_reader import SUPPORTED_LANGUAGES, parse_yaml

_LESSON_FILE = re.compile(r"^lessons/([a-z0-9][a-z0-9-]*)\.([a-z]{2})\.md$")
_QUIZ_FILE = re.compile(r"^quizzes/([a-z0-9][a-z0-9-]*)\.yml$")


@dataclass(frozen=True)
class Workspace:
    """One reading of the course folder: the course (None on errors) and every problem."""

    source: DirectorySource
    course: Course | None
    problems: list[Problem]

    def lesson_files(self, lesson_id: str) -> dict[str, str]:
        """``{language: relative path}`` of the lesson's files that exist, course order."""
        found = {}
        for rel in self.source.list_files("lessons/"):
            match = _LESSON_FILE.match(rel)
            if match and match.group(1) == lesson_id:
                found[match.group(2)] = rel
        order = self.course.languages if self.course else SUPPORTED_LANGUAGES
        return dict(sorted(found.items(), key=lambda item: _position(order, item[0])))

    def has_lesson(self, lesson_id: str) -> bool:
        """A lesson page exists: in the outline, or (course not loadable) a file exists."""
        if self.course is not None:
            return lesson_id in self.course.lessons
        return bool(self.lesson_files(lesson_id))

    def lesson_ids(self) -> list[str]:
        """Lessons with a page, in outline order (course not loadable: by file name)."""
        if self.course is not None:
            return [i.id for i in self.course.outline_items() if i.kind == "lesson"]
        ids = (_LESSON_FILE.match(rel) for rel in self.source.list_files("lessons/"))
        return list(dict.fromkeys(match.group(1) for match in ids if match))

    def quiz_ids(self) -> list[str]:
        """Quizzes with a page, in outline order (course not loadable: by file name)."""
        if self.course is not None:
            return [i.id for i in self.course.outline_items() if i.kind == "quiz"]
        ids = (_QUIZ_FILE.match(rel) for rel in self.source.list_files("quizzes/"))
        return [match.group(1) for match in ids if match]

    def has_quiz(self, quiz_id: str) -> bool:
        """A quiz page exists: in the outline, or (course not loadable) its file exists."""
        if self.course is not None:
            return quiz_id in self.course.quizzes
        return f"quizzes/{quiz_id}.yml" in self.source.list_files("quizzes/")

    def lesson_problems(self, lesson_id: str) -> list[Problem]:
        """Problems in the lesson's files (every language)."""
        return self._problems_in(self.lesson_files(lesson_id).values())

    def quiz_problems(self, quiz_id: str) -> list[Problem]:
        """Problems in the quiz file."""
        return self._problems_in([f"quizzes/{quiz_id}.yml"])

    def overview_problems(self) -> list[Problem]:
        """Problems of course.yml and of every file that has no page of its own."""
        owned = {self.source.display_path(rel) for rel in self._page_files()}
        return [problem for problem in self.problems if problem.path not in owned]

    def problems_elsewhere(self, shown: list[Problem]) -> list[Problem]:
        """When the course cannot be loaded, every page lists the problems it does not own."""
        if self.course is not None:
            return []
        return [problem for problem in self.problems if problem not in shown]

    def _problems_in(self, rels: Iterable[str]) -> list[Problem]:
        paths = {self.source.display_path(rel) for rel in rels}
        return [problem for problem in self.problems if problem.path in paths]

    def _page_files(self) -> list[str]:
        files = []
        for rel in self.source.list_files(""):
            lesson = _LESSON_FILE.match(rel)
            quiz = _QUIZ_FILE.match(rel)
            if (lesson and self.has_lesson(lesson.group(1))) or (
                quiz and self.has_quiz(quiz.group(1))
            ):
                files.append(rel)
        return files


def _position(order: tuple[str, ...], language: str) -> int:
    return order.index(language) if language in order else len(order)


def read_workspace(path: Path) -> Workspace:
    """Load the course folder as it is on disk now."""
    source = DirectorySource(path)
    result = load_course(source)
    return Workspace(source, result.course, result.problems)


class ChangeWatch:
    """The folder's `content_hash`, recomputed only when a file's metadata changed.

    The page polls this every 1.5 seconds; hashing every video each time would be wasteful.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._stamp: tuple[tuple[str, int, int, int, int], ...] | None = None
        self._hash = ""

    def current_hash(self) -> str:
        """The content hash of the folder as it is now."""
        source = DirectorySource(self.path)
        stamp = tuple(_stat(self.path, rel) for rel in source.list_files(""))
        with self._lock:
            if stamp != self._stamp:
                self._hash = content_hash(source)
                self._stamp = stamp
            return self._hash


def _stat(folder: Path, rel: str) -> tuple[str, int, int, int, int]:
    try:
        info = (folder / rel).stat()
    except OSError:
        return (rel, -1, -1, -1, -1)
    return (rel, info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)


def lesson_on_disk(workspace: Workspace, lesson_id: str, language: str) -> LessonText | None:
    """One language of a lesson read straight from its file, for a course that has errors.

    The course as a whole cannot be loaded then, but the author still wants to see the lesson
    being written. Front matter that cannot be read leaves a body-only lesson titled by its id.
    """
    rel = workspace.lesson_files(lesson_id).get(language)
    data = workspace.source.read_bytes(rel) if rel else None
    if rel is None or data is None:
        return None
    text = data.decode("utf-8", errors="replace").removeprefix("\ufeff")
    files = set(workspace.source.list_files(""))
    read = read_lesson(rel, workspace.source.display_path(rel), text, language, files, [])
    if read is not None:
        return read.text
    parts = split_front_matter(text)
    body, body_line = (parts[1], parts[2]) if parts else (text, 1)
    return LessonText(language, lesson_id, 0, None, (), body, rel, body_line)


def quiz_on_disk(workspace: Workspace, quiz_id: str) -> Quiz | None:
    """A quiz read straight from its file, for a course that has errors (see `lesson_on_disk`).

    Its problems are already in the workspace; texts missing in a language stay missing.
    """
    rel = f"quizzes/{quiz_id}.yml"
    data = workspace.source.read_bytes(rel)
    if data is None:
        return None
    text = data.decode("utf-8", errors="replace").removeprefix("\ufeff")
    log = ProblemLog([], workspace.source.display_path(rel))
    files = set(workspace.source.list_files(""))
    try:
        return QuizReader(Reader(log), rel, files).read(parse_yaml(text, log), quiz_id)
    except Exception:  # noqa: BLE001 - the loader reported the problem; show what we have
        return None
