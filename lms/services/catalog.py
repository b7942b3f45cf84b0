"""Reading published courses."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lms.extensions import db
from lms.models import Course, CourseFile, CourseVersion


def published_versions() -> list[dict[str, Any]]:
    """Every course with its versions, oldest first, as plain data."""
    courses = db.session.execute(
        select(Course).options(selectinload(Course.versions)).order_by(Course.slug)
    ).scalars()
    return [
        {
            "slug": course.slug,
            "versions": [
                {
                    "version": v.version,
                    "commit": v.commit,
                    "content_hash": v.content_hash,
                    "published_at": v.published_at.isoformat(timespec="seconds"),
                    "title": v.meta["title"],
                }
                for v in sorted(course.versions, key=lambda v: (v.major, v.minor, v.patch))
            ],
        }
        for course in courses
    ]


def course_file(slug: str, version: str, path: str) -> CourseFile | None:
    return db.session.execute(
        select(CourseFile)
        .join(CourseVersion)
        .join(Course)
        .where(Course.slug == slug, CourseVersion.version == version, CourseFile.path == path)
    ).scalar_one_or_none()
