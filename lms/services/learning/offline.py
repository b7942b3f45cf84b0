"""What "Save for offline" stores for one enrolment: the pinned version's lessons and images.

Paths only (no host): the trainee's browser fetches them from the site it is on. Read-only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select

from lms.extensions import db
from lms.models import Enrolment, LessonContent
from lms.services.courses.urls import PublishedUrls

# Images only: videos are too large for a phone's storage, and captions go with them.
_IMAGE = re.compile(r"""<img\b[^>]*?\bsrc="(/courses/[^"/]+/files/[^"]+)\"""", re.IGNORECASE)


@dataclass(frozen=True)
class OfflineList:
    slug: str
    version: str
    version_id: int
    pages: list[str]
    files: list[str]


def offline_list(enrolment: Enrolment) -> OfflineList:
    """The course page, every lesson of the enrolment's version and the images they show."""
    version = enrolment.course_version
    slug = enrolment.course.slug
    urls = PublishedUrls(slug, version.content_hash)
    rows = db.session.execute(
        select(LessonContent.lesson_id, LessonContent.html)
        .where(LessonContent.course_version_id == version.id)
        .order_by(LessonContent.position, LessonContent.language)
    )
    lessons: dict[str, None] = {}
    files: dict[str, None] = {}
    prefix = f"/courses/{slug}/files/{urls.key}/"
    for lesson_id, html in rows:
        lessons[urls.lesson(lesson_id)] = None
        for src in _IMAGE.findall(html or ""):
            if src.startswith(prefix):
                files[src] = None
    return OfflineList(
        slug=slug,
        version=version.version,
        version_id=version.id,
        pages=[f"/courses/{slug}", *lessons],
        files=list(files),
    )
