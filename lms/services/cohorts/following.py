"""What trainers do before the cohort workspace exists: cohorts, requests, accommodations."""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, and_, or_, select, true
from sqlalchemy.orm import joinedload

from lms.domain.roles import ADMIN
from lms.extensions import db
from lms.models import (
    Cohort,
    CohortTrainer,
    CourseTrainer,
    Enrolment,
    User,
)

# No 0/O or 1/I: keys are read aloud and typed on phones.


def taught_cohort_ids(user: User) -> Select[tuple[int]]:
    """SQL: ids of the cohorts `user` teaches (creator or co-trainer)."""
    return select(CohortTrainer.cohort_id).where(CohortTrainer.user_id == user.id)


def assigned_course_ids(user: User) -> Select[tuple[int]]:
    """SQL: ids of the courses an administrator assigned `user` to (see `CourseTrainer`)."""
    return select(CourseTrainer.course_id).where(CourseTrainer.user_id == user.id)


def _followed(user: User) -> ColumnElement[bool]:
    """SQL condition on Enrolment: in a cohort `user` teaches, or in no cohort on a course
    `user` is assigned to (`lms.permissions.can_follow_enrolment` says the same per row)."""
    if user.has_role(ADMIN):
        return true()
    return and_(
        Enrolment.user_id != user.id,
        or_(
            and_(
                Enrolment.cohort_id.is_(None),
                Enrolment.course_id.in_(assigned_course_ids(user)),
            ),
            Enrolment.cohort_id.in_(taught_cohort_ids(user)),
        ),
    )


def pending_requests(user: User) -> list[Enrolment]:
    """Enrolment requests `user` may decide (see `lms.permissions.can_follow_enrolment`)."""
    return list(
        db.session.execute(
            select(Enrolment)
            .options(
                joinedload(Enrolment.user),
                joinedload(Enrolment.cohort),
                joinedload(Enrolment.course_version),
            )
            .where(Enrolment.state == "requested", _followed(user))
            .order_by(Enrolment.requested_at)
        ).scalars()
    )


def cohort_enrolments(cohort: Cohort) -> list[Enrolment]:
    return list(
        db.session.execute(
            select(Enrolment)
            .where(Enrolment.cohort_id == cohort.id, Enrolment.state.in_(("active", "completed")))
            .order_by(Enrolment.id)
        ).scalars()
    )
