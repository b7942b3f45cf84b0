"""Who teaches a cohort, who follows a course's enrolments outside cohorts, and the pushes
that publish courses."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from lms.extensions import db
from lms.models.types import UTCDateTime, utcnow


class CohortTrainer(db.Model):  # type: ignore[name-defined,misc]
    """A trainer of a cohort (its creator and co-trainers): they see and act on it."""

    __tablename__ = "cohort_trainer"
    __table_args__ = (UniqueConstraint("cohort_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CourseTrainer(db.Model):  # type: ignore[name-defined,misc]
    """A trainer an administrator assigned to a course: they follow its enrolments that have
    no cohort (an open course taken alone, a request not tied to a cohort)."""

    __tablename__ = "course_trainer"
    __table_args__ = (UniqueConstraint("course_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class HookDelivery(db.Model):  # type: ignore[name-defined,misc]
    """A push notification received on /hooks/git; a repeated delivery is answered from here."""

    __tablename__ = "hook_delivery"

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[str] = mapped_column(String(100), unique=True)
    commit: Mapped[str] = mapped_column(String(80), default="")
    ref: Mapped[str] = mapped_column(String(200), default="")
    # processing, published, unchanged, refused, ignored, error
    status: Mapped[str] = mapped_column(String(20))
    response: Mapped[str] = mapped_column(Text, default="")
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
