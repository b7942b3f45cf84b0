"""Published course versions read back as parsed `Course` objects (cached: they never change)."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from sqlalchemy import select

from lms.domain.courses import Course, Quiz
from lms.domain.courses.memory_source import MemorySource
from lms.extensions import db
from lms.models import Course as CourseRow
from lms.models import CourseFile, CourseVersion

if TYPE_CHECKING:
    from lms.domain.courses.course_file import CourseFile as CourseHeader


def parsed_course(version: CourseVersion) -> Course:
    """The course exactly as published in `version`."""
    return _parse(version.id, version.content_hash)


@lru_cache(maxsize=64)
def _parse(version_id: int, content_hash: str) -> Course:
    # content_hash is part of the key so a reused id (tests, restored databases) never
    # returns another version's course.
    version = db.session.get(CourseVersion, version_id)
    if version is None or version.content_hash != content_hash:
        raise LookupError(f"course version {version_id} not found")
    from lms.domain.courses.loader import load_course  # the checker: on first use (issue 18)

    files = {
        row.path: row.data
        for row in db.session.execute(
            select(CourseFile).where(CourseFile.course_version_id == version_id)
        ).scalars()
    }
    result = load_course(MemorySource(version.course.slug, files, set(version.siblings)))
    if result.course is None:  # pragma: no cover - it was valid when published
        raise LookupError(f"stored course version {version_id} no longer loads")
    return result.course


def stored_quiz(version: CourseVersion, quiz_id: str) -> Quiz | None:
    """One quiz of `version`, read from its own stored file (issue 18).

    The same `Quiz` as `parsed_course(version).quizzes.get(quiz_id)`, without loading the
    course: a quiz page reads two small files instead of rendering every lesson again.
    """
    return _quiz(version.id, version.content_hash, quiz_id)


def course_rules(version: CourseVersion) -> Course:
    """`version` as its `course.yml` describes it, **without lessons and quizzes** (issue 18).

    Outline, prerequisites and certification rules equal `parsed_course(version)`'s: what
    judging a record needs (the dashboard judges every enrolment) without loading the course.
    """
    return _rules(version.id, version.content_hash)


@lru_cache(maxsize=64)
def _rules(version_id: int, content_hash: str) -> Course:
    from lms.domain.courses.stored import course_rules as rules_of

    course = rules_of(_header(version_id, content_hash))
    if course is None:  # pragma: no cover - it was valid when published
        raise LookupError(f"stored course version {version_id} no longer loads")
    return course


def course_languages(version: CourseVersion) -> tuple[str, ...]:
    """The languages of `version`, from its `course.yml` alone."""
    return _header(version.id, version.content_hash).languages


@lru_cache(maxsize=256)
def _quiz(version_id: int, content_hash: str, quiz_id: str) -> Quiz | None:
    version, header = _version(version_id, content_hash), _header(version_id, content_hash)
    rel = f"quizzes/{quiz_id}.yml"
    paths = set(
        db.session.execute(
            select(CourseFile.path).where(CourseFile.course_version_id == version_id)
        ).scalars()
    )
    if rel not in paths:
        return None
    from lms.domain.courses.stored import read_quiz  # the YAML readers: on first use

    data = db.session.execute(
        select(CourseFile.data).where(
            CourseFile.course_version_id == version_id, CourseFile.path == rel
        )
    ).scalar_one()
    return read_quiz(version.course.slug, header, quiz_id, data, paths)


@lru_cache(maxsize=64)
def _header(version_id: int, content_hash: str) -> CourseHeader:
    version = _version(version_id, content_hash)
    data = db.session.execute(
        select(CourseFile.data).where(
            CourseFile.course_version_id == version_id, CourseFile.path == "course.yml"
        )
    ).scalar_one()
    from lms.domain.courses.stored import read_course_header  # the YAML readers: on first use

    header = read_course_header(version.course.slug, data, set(version.siblings))
    if header is None:  # pragma: no cover - it was valid when published
        raise LookupError(f"stored course version {version_id} no longer loads")
    return header


def _version(version_id: int, content_hash: str) -> CourseVersion:
    version = db.session.get(CourseVersion, version_id)
    if version is None or version.content_hash != content_hash:
        raise LookupError(f"course version {version_id} not found")
    return version


def latest_version(course: CourseRow) -> CourseVersion | None:
    """The highest published version (by semantic version, not by publishing date)."""
    return max(course.versions, key=lambda v: (v.major, v.minor, v.patch), default=None)


def latest_patch(version: CourseVersion) -> CourseVersion:
    """The newest patch release of the same MAJOR.MINOR (the version itself if none)."""
    same_line = [
        v for v in version.course.versions if (v.major, v.minor) == (version.major, version.minor)
    ]
    return max(same_line, key=lambda v: v.patch)


def find_course(slug: str) -> CourseRow | None:
    return db.session.execute(select(CourseRow).where(CourseRow.slug == slug)).scalar_one_or_none()
