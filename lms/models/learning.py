"""Enrolments, lesson progress, quiz attempts and accommodations."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, Float, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.extensions import db
from lms.models.course import Course, CourseVersion
from lms.models.types import UTCDateTime, utcnow
from lms.models.user import User


class Cohort(db.Model):  # type: ignore[name-defined,misc]
    """A group taught together on one course version; its key lets trainees enrol."""

    __tablename__ = "cohort"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"), index=True)
    course_version_id: Mapped[int] = mapped_column(ForeignKey("course_version.id"))
    name: Mapped[str] = mapped_column(String(200))
    enrolment_key: Mapped[str] = mapped_column(String(40), unique=True)
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    # Where it meets: a region code (lms.domain.regions), or online.
    region: Mapped[str] = mapped_column(String(40), default="")
    online: Mapped[bool] = mapped_column(default=False)
    # Most active trainees the cohort takes; None: no limit.
    capacity: Mapped[int | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    course: Mapped[Course] = relationship()
    course_version: Mapped[CourseVersion] = relationship()


class Enrolment(db.Model):  # type: ignore[name-defined,misc]
    """A trainee on a course, pinned to the course version they started on."""

    __tablename__ = "enrolment"
    # One enrolment per (user, course), except retakes for renewal (`renews_credential_id`):
    # each renews one credential, once; and whatever the kind, one OPEN (requested or active)
    # enrolment per (user, course) at a time. Partial unique indexes, so a double-clicked
    # "enrol" or "enrol again" makes one row whichever request wins.
    __table_args__ = (
        Index(
            "uq_enrolment_first",
            "user_id",
            "course_id",
            unique=True,
            sqlite_where=text("renews_credential_id IS NULL"),
            postgresql_where=text("renews_credential_id IS NULL"),
        ),
        Index(
            "uq_enrolment_open",
            "user_id",
            "course_id",
            unique=True,
            sqlite_where=text("state IN ('requested', 'active')"),
            postgresql_where=text("state IN ('requested', 'active')"),
        ),
        Index("uq_enrolment_renews_credential_id", "renews_credential_id", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"), index=True)
    course_version_id: Mapped[int] = mapped_column(ForeignKey("course_version.id"))
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohort.id"))
    # requested -> active -> completed; requested -> declined; active -> withdrawn
    state: Mapped[str] = mapped_column(String(20), index=True)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    activated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    decision_message: Mapped[str] = mapped_column(String(500), default="")
    last_lesson_id: Mapped[str | None] = mapped_column(String(80))
    # A retake for renewal: the credential this enrolment renews once it is certified
    # (`use_alter`: credential refers to enrolment too).
    renews_credential_id: Mapped[int | None] = mapped_column(
        ForeignKey("credential.id", use_alter=True)
    )

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    course: Mapped[Course] = relationship()
    course_version: Mapped[CourseVersion] = relationship()
    cohort: Mapped[Cohort | None] = relationship()
    progress: Mapped[list[LessonProgress]] = relationship(back_populates="enrolment")


class LessonProgress(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "lesson_progress"
    __table_args__ = (UniqueConstraint("enrolment_id", "lesson_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolment.id"), index=True)
    lesson_id: Mapped[str] = mapped_column(String(80))
    completed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    enrolment: Mapped[Enrolment] = relationship(back_populates="progress")


class QuizAttempt(db.Model):  # type: ignore[name-defined,misc]
    """One attempt at a quiz; questions and option order are fixed when it starts."""

    __tablename__ = "quiz_attempt"
    __table_args__ = (UniqueConstraint("enrolment_id", "quiz_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolment.id"), index=True)
    course_version_id: Mapped[int] = mapped_column(ForeignKey("course_version.id"))
    quiz_id: Mapped[str] = mapped_column(String(80))
    number: Mapped[int]
    state: Mapped[str] = mapped_column(String(20), index=True)
    seed: Mapped[int]
    drawn: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    language: Mapped[str] = mapped_column(String(5))
    # Every saved answer form carries `seq`; a save with an older value changes nothing.
    seq: Mapped[int] = mapped_column(default=0)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    graded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    score: Mapped[float | None] = mapped_column(Float)
    max_score: Mapped[float | None] = mapped_column(Float)
    percent: Mapped[float | None] = mapped_column(Float)
    passed: Mapped[bool | None]
    results: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)

    enrolment: Mapped[Enrolment] = relationship()
    course_version: Mapped[CourseVersion] = relationship()
    answers: Mapped[list[AttemptAnswer]] = relationship(back_populates="attempt")


class AttemptAnswer(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "attempt_answer"
    __table_args__ = (UniqueConstraint("attempt_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("quiz_attempt.id"), index=True)
    question_id: Mapped[str] = mapped_column(String(80))
    value: Mapped[Any] = mapped_column(JSON)
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    attempt: Mapped[QuizAttempt] = relationship(back_populates="answers")


class Accommodation(db.Model):  # type: ignore[name-defined,misc]
    """Extra time for a trainee, applied to every timed quiz."""

    __tablename__ = "accommodation"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), unique=True)
    time_multiplier: Mapped[float] = mapped_column(Float, default=1.0)
    no_time_limit: Mapped[bool] = mapped_column(default=False)
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    set_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
