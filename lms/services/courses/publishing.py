"""Publishing a course: validate, render every lesson once, store an immutable version."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from lms.domain.courses import Course, CourseSource, Module, Problem, content_hash, load_course
from lms.domain.courses.course_file import KnownCourses
from lms.domain.courses.rendering import link_resolver
from lms.domain.courses.versions import parse_version
from lms.extensions import db
from lms.models import Course as CourseRow
from lms.models import CourseFile, CourseVersion, LessonContent, User
from lms.services import audit
from lms.services.courses.origin import locate
from lms.services.courses.urls import PublishedUrls

Status = Literal["published", "unchanged", "refused"]


@dataclass
class PublishResult:
    status: Status
    slug: str = ""
    version: str = ""
    message: str = ""
    problems: list[Problem] = field(default_factory=list)
    course_version: CourseVersion | None = None


def publish_path(
    path: Path, *, ref: str | None = None, allow_dirty: bool = False, actor: User | None = None
) -> PublishResult:
    """Publish the course folder at `path` (optionally at a Git `ref`)."""
    origin = locate(path, ref, allow_dirty)
    if origin.source is None:
        return PublishResult("refused", message=origin.refusal or "cannot read the course")
    return publish_source(origin.source, commit=origin.commit, actor=actor)


def publish_source(
    source: CourseSource, *, commit: str | None, actor: User | None
) -> PublishResult:
    """Validate and store `source` as a new version, all or nothing. Commits on success.

    Unchanged content is recognised by its hash before anything is parsed, so republishing
    costs little more than reading the files.
    """
    digest = content_hash(source)
    row = db.session.execute(
        select(CourseRow).where(CourseRow.slug == source.name)
    ).scalar_one_or_none()
    existing = next((v for v in row.versions if v.content_hash == digest), None) if row else None
    if existing is not None:
        return PublishResult(
            "unchanged",
            existing.course.slug,
            existing.version,
            f"{existing.course.slug} {existing.version} is already published with this content",
            course_version=existing,
        )
    urls = PublishedUrls(source.name, digest)
    # Lessons are rendered once, while they are checked, with their final links.
    # A prerequisite may be a folder beside this one or a course already published here (a
    # trainer who keeps each course in its own repository publishes the prerequisite first).
    published = frozenset(db.session.execute(select(CourseRow.slug)).scalars())
    loaded = load_course(
        source, lambda document: link_resolver(document, urls), KnownCourses(published=published)
    )
    if loaded.course is None:
        return PublishResult(
            "refused", slug=source.name, message="the course has errors", problems=loaded.problems
        )
    course = loaded.course
    if row is not None and any(v.version == course.version for v in row.versions):
        return PublishResult(
            "refused",
            course.slug,
            course.version,
            f"{course.slug} {course.version} is already published with different "
            "content: bump the version in course.yml",
            loaded.problems,
        )
    try:
        version = _store(source, course, digest, commit, actor, row)
        audit.record(
            actor,
            "course.publish",
            "course_version",
            version.id,
            {"slug": course.slug, "version": course.version, "commit": commit, "hash": digest},
        )
        db.session.commit()
    except IntegrityError:
        # Another publisher stored the same version or content at the same moment.
        db.session.rollback()
        return PublishResult(
            "refused",
            course.slug,
            course.version,
            f"{course.slug} {course.version} was published concurrently; run again",
        )
    except BaseException:
        db.session.rollback()  # all or nothing: the previous versions stay as they were
        raise
    return PublishResult(
        "published",
        course.slug,
        course.version,
        f"published {course.slug} {course.version}",
        loaded.problems,
        version,
    )


def _store(
    source: CourseSource,
    course: Course,
    digest: str,
    commit: str | None,
    actor: User | None,
    row: CourseRow | None,
) -> CourseVersion:
    if row is None:
        row = CourseRow(slug=course.slug)
        db.session.add(row)
    semver = parse_version(course.version)
    assert semver is not None  # the loader accepts only MAJOR.MINOR.PATCH  # noqa: S101
    version = CourseVersion(
        course=row,
        version=course.version,
        major=semver.major,
        minor=semver.minor,
        patch=semver.patch,
        commit=commit,
        content_hash=digest,
        kind=course.kind,
        meta=course_meta(course),
        # What the course could name when it was published (the stored copy reloads with it).
        siblings=sorted(source.sibling_slugs() | {p.course for p in course.prerequisites}),
        published_by_id=actor.id if actor else None,
    )
    db.session.add(version)
    for path in source.list_files(""):
        data = source.read_bytes(path)
        if data is not None:
            db.session.add(CourseFile(course_version=version, path=path, data=data))
    position = 0
    for item in course.outline_items():
        if item.kind != "lesson":
            continue
        position += 1
        for language, text in course.lessons[item.id].texts.items():
            db.session.add(
                LessonContent(
                    course_version=version,
                    lesson_id=item.id,
                    language=language,
                    position=position,
                    title=text.title,
                    minutes=text.minutes,
                    summary=text.summary,
                    outcomes=list(text.outcomes),
                    html=text.html,
                )
            )
    db.session.flush()
    return version


def course_meta(course: Course) -> dict[str, Any]:
    """What catalog and outline pages show, without re-reading the course files."""
    outline: list[dict[str, Any]] = []
    for entry in course.outline:
        if isinstance(entry, Module):
            outline.append(
                {
                    "module": entry.id,
                    "title": dict(entry.title),
                    "items": [{item.kind: item.id} for item in entry.items],
                }
            )
        else:
            outline.append({entry.kind: entry.id})
    credential = course.certification.credential
    return {
        "title": dict(course.title),
        "summary": dict(course.summary),
        "languages": list(course.languages),
        "hours": {"classroom": course.hours.classroom, "practicum": course.hours.practicum},
        "enrolment": course.enrolment,
        "prerequisites": [
            {"course": p.course, "requires": p.requires} for p in course.prerequisites
        ],
        "outline": outline,
        "quizzes": {qid: dict(quiz.title) for qid, quiz in course.quizzes.items()},
        "credential": {
            "name": dict(credential.name),
            "valid_for_months": credential.valid_for_months,
            "qualifies_for_subsidy": credential.qualifies_for_subsidy,
        },
    }
