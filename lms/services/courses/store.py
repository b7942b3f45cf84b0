"""Published course versions read back as parsed `Course` objects (cached: they never change)."""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import select

from lms.domain.courses import Course, load_course
from lms.domain.courses.memory_source import MemorySource
from lms.extensions import db
from lms.models import Course as CourseRow
from lms.models import CourseFile, CourseVersion


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
