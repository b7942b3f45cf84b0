"""Reading published courses."""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any, cast

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lms.domain.courses import Prerequisite
from lms.domain.enrolment import unmet_prerequisites
from lms.domain.learning_path import PathCourse, learning_path_order
from lms.extensions import db
from lms.models import Course, CourseFile, CourseVersion, Enrolment, User
from lms.services.courses.store import course_rules, latest_version
from lms.services.courses.urls import ASSET_KEY_LENGTH
from lms.services.learning.enrolment import current_first
from lms.services.learning.prerequisites import learner_record
from lms.services.learning.progress import (
    OutlineSection,
    Progress,
    lesson_titles_of,
    localised,
    outline,
)


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


def course_file(slug: str, key: str, path: str) -> CourseFile | None:
    """A stored file of the version whose content hash starts with `key` (see course_urls)."""
    if len(key) != ASSET_KEY_LENGTH or not all(c in "0123456789abcdef" for c in key):
        return None
    return db.session.execute(
        select(CourseFile)
        .join(CourseVersion)
        .join(Course)
        .where(
            Course.slug == slug,
            CourseVersion.content_hash.startswith(key, autoescape=True),
            CourseFile.path == path,
        )
    ).scalar_one_or_none()


@dataclass(frozen=True)
class PrerequisiteView:
    slug: str
    title: str
    requires: str  # "completion" or "credential"
    met: bool | None  # None when nobody is signed in


@dataclass(frozen=True)
class CatalogEntry:
    slug: str
    version: str
    title: str
    summary: str
    kind: str
    hours: dict[str, float]
    languages: list[str]
    enrolment_mode: str
    prerequisites: list[PrerequisiteView]
    enrolment_state: str | None
    step: int | None = None  # its place in the learning path (1, 2, …), None: not in it
    holds_credential: bool = False  # the signed-in learner holds an active credential of it
    signed_in: bool = False  # prerequisites were checked against a learner's record

    @property
    def prerequisites_met(self) -> bool:
        return all(p.met for p in self.prerequisites)

    @property
    def path_status(self) -> str | None:
        """Where the signed-in learner stands on this step (None for a visitor):
        credential, completed, active, requested, open or locked."""
        if self.holds_credential:
            return "credential"
        if self.enrolment_state in ("completed", "active", "requested"):
            return self.enrolment_state
        if not self.signed_in:
            return None
        return "open" if self.prerequisites_met else "locked"


def catalog_entries(user: User | None, language: str) -> list[CatalogEntry]:
    """Every published course at its newest version, with what the visitor needs to know,
    in learning-path order (`lms.domain.learning_path`): the path first, then the others."""
    courses = db.session.execute(
        select(Course).options(selectinload(Course.versions)).order_by(Course.slug)
    ).scalars()
    latest = {c.slug: v for c in courses if (v := latest_version(c)) is not None}
    record = learner_record(user) if user else None
    states: dict[int, str] = {}
    if user:
        for e in db.session.execute(
            select(Enrolment).where(Enrolment.user_id == user.id).order_by(*current_first())
        ).scalars():
            states.setdefault(e.course_id, e.state)  # the current enrolment comes first
    order = learning_path_order(
        [
            PathCourse(
                slug,
                localised(v.meta["title"], language),
                tuple(p["course"] for p in v.meta["prerequisites"]),
            )
            for slug, v in latest.items()
        ]
    )
    steps = {slug: number for number, slug in enumerate(order.path, start=1)}
    entries = []
    for slug in order.slugs:
        version = latest[slug]
        meta = version.meta
        views = []
        for p in meta["prerequisites"]:
            other = latest.get(p["course"])
            title = localised(other.meta["title"], language) if other else p["course"]
            met = None
            if record is not None:
                met = not unmet_prerequisites(
                    [Prerequisite(p["course"], p["requires"])], record, slug
                )
            views.append(PrerequisiteView(p["course"], title, p["requires"], met))
        entries.append(
            CatalogEntry(
                slug=slug,
                version=version.version,
                title=localised(meta["title"], language),
                summary=localised(meta["summary"], language),
                kind=version.kind,
                hours=meta["hours"],
                languages=meta["languages"],
                enrolment_mode=meta["enrolment"],
                prerequisites=views,
                enrolment_state=states.get(version.course_id),
                step=steps.get(slug),
                holds_credential=record is not None and slug in record.active_credentials,
                signed_in=record is not None,
            )
        )
    return entries


@dataclass(frozen=True)
class CredentialNeeds:
    """What a course's credential asks for, shown before and after enrolment."""

    lessons: int
    quizzes: int
    attendance_percent: int | None  # share of a cohort's sessions, None: no attendance rule
    practicum_hours: float
    competencies: int

    @property
    def needs_cohort(self) -> bool:
        """Attendance is taken in a cohort's sessions: self-study alone cannot meet it."""
        return self.attendance_percent is not None


def credential_needs(version: CourseVersion) -> CredentialNeeds:
    requires = course_rules(version).certification.requires
    practicum = requires.practicum
    return CredentialNeeds(
        lessons=len(requires.lessons),
        quizzes=len(requires.quizzes),
        attendance_percent=(
            round(requires.attendance * 100) if requires.attendance is not None else None
        ),
        practicum_hours=practicum.hours if practicum else 0.0,
        competencies=len(practicum.competencies) if practicum else 0,
    )


def course_needs(course: Course) -> CredentialNeeds | None:
    version = latest_version(course)
    return credential_needs(version) if version is not None else None


def course_outline(course: Course, language: str) -> list[OutlineSection]:
    """The newest version's outline, shown before enrolment (nothing is done yet)."""
    version = latest_version(course)
    if version is None:
        return []
    titles = lesson_titles_of({version.id}, language).get(version.id, {})
    # `outline` reads only the version from the enrolment when progress and titles are given.
    visitor = cast(Enrolment, SimpleNamespace(course_version=version))
    return outline(visitor, language, Progress(), titles)
