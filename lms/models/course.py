"""Published, immutable course versions: their files, rendered lessons and metadata."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, LargeBinary, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.extensions import db
from lms.models.types import UTCDateTime, utcnow


class Course(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "course"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    versions: Mapped[list[CourseVersion]] = relationship(
        back_populates="course", order_by="CourseVersion.id"
    )


class CourseVersion(db.Model):  # type: ignore[name-defined,misc]
    """One published version. Never changed after publishing (enforced below)."""

    __tablename__ = "course_version"
    __table_args__ = (
        UniqueConstraint("course_id", "version"),
        UniqueConstraint("course_id", "content_hash"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"), index=True)
    version: Mapped[str] = mapped_column(String(40))
    major: Mapped[int]
    minor: Mapped[int]
    patch: Mapped[int]
    commit: Mapped[str | None] = mapped_column(String(80))
    content_hash: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(20))
    # Titles, summary, hours, languages, enrolment, outline: what lists and pages show.
    meta: Mapped[dict[str, Any]] = mapped_column(JSON)
    # Course slugs beside this one when published (prerequisites are checked against them).
    siblings: Mapped[list[str]] = mapped_column(JSON)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    course: Mapped[Course] = relationship(back_populates="versions")
    lessons: Mapped[list[LessonContent]] = relationship(
        back_populates="course_version", order_by="LessonContent.position"
    )
    files: Mapped[list[CourseFile]] = relationship(back_populates="course_version")


class CourseFile(db.Model):  # type: ignore[name-defined,misc]
    """The exact bytes of every file of a published version (source of truth)."""

    __tablename__ = "course_file"
    __table_args__ = (UniqueConstraint("course_version_id", "path"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_version_id: Mapped[int] = mapped_column(ForeignKey("course_version.id"), index=True)
    path: Mapped[str] = mapped_column(String(300))
    data: Mapped[bytes] = mapped_column(LargeBinary)

    course_version: Mapped[CourseVersion] = relationship(back_populates="files")


class LessonContent(db.Model):  # type: ignore[name-defined,misc]
    """A lesson in one language, rendered once at publishing to sanitised HTML."""

    __tablename__ = "lesson_content"
    __table_args__ = (UniqueConstraint("course_version_id", "lesson_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_version_id: Mapped[int] = mapped_column(ForeignKey("course_version.id"), index=True)
    lesson_id: Mapped[str] = mapped_column(String(80))
    language: Mapped[str] = mapped_column(String(5))
    position: Mapped[int]
    title: Mapped[str] = mapped_column(String(300))
    minutes: Mapped[int]
    summary: Mapped[str | None] = mapped_column(Text)
    outcomes: Mapped[list[str]] = mapped_column(JSON)
    html: Mapped[str] = mapped_column(Text)

    course_version: Mapped[CourseVersion] = relationship(back_populates="lessons")


class PublishedContentIsImmutable(RuntimeError):
    pass


@event.listens_for(CourseVersion, "before_update")
@event.listens_for(CourseFile, "before_update")
@event.listens_for(LessonContent, "before_update")
def _refuse_change(*_args: object) -> None:
    raise PublishedContentIsImmutable("a published course version is never changed")
