"""Course trainers: the trainers an administrator assigns to a course.

They follow the course's enrolments that have no cohort (an open course taken alone, a
request not tied to a cohort): decide requests, sign off practicum, issue credentials
(`lms.permissions.can_follow_enrolment`). Cohort enrolments stay with the cohort's trainers.
"""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from lms.domain.roles import TRAINER
from lms.extensions import db
from lms.models import Course, CourseTrainer, User
from lms.services import audit


class CourseTrainerRefused(ValueError):
    """Only accounts holding the trainer role can be assigned to a course."""


def assigned_courses(user: User) -> list[Course]:
    """The courses `user` is assigned to, by slug."""
    return list(
        db.session.execute(
            select(Course)
            .join(CourseTrainer, CourseTrainer.course_id == Course.id)
            .where(CourseTrainer.user_id == user.id)
            .order_by(Course.slug)
        ).scalars()
    )


def all_courses() -> list[Course]:
    return list(db.session.execute(select(Course).order_by(Course.slug)).scalars())


def assign(course: Course, trainer: User, actor: User | None) -> bool:
    """Assign `trainer` to `course`; False when already assigned. Audited; commits.

    Once per (course, trainer): a unique constraint, so two admins assigning at the same
    moment make one row and the second is told it was already there.
    """
    if not trainer.has_role(TRAINER):
        raise CourseTrainerRefused(trainer.email)
    row = CourseTrainer(
        course_id=course.id, user_id=trainer.id, added_by_id=actor.id if actor else None
    )
    db.session.add(row)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        return False
    audit.record(actor, "course.trainer_assign", "course", course.slug, {"user": trainer.id})
    db.session.commit()
    return True


def unassign(course: Course, trainer: User, actor: User | None) -> bool:
    """Take `trainer` off `course`; False when they were not assigned. Audited; commits."""
    done = db.session.execute(
        delete(CourseTrainer).where(
            CourseTrainer.course_id == course.id, CourseTrainer.user_id == trainer.id
        )
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        db.session.rollback()
        return False
    audit.record(actor, "course.trainer_unassign", "course", course.slug, {"user": trainer.id})
    db.session.commit()
    return True


def set_courses(trainer: User, course_ids: set[int], actor: User | None) -> tuple[int, int]:
    """Make `trainer`'s assigned courses exactly `course_ids`; (assigned, unassigned)."""
    current = {course.id: course for course in assigned_courses(trainer)}
    wanted = {course.id: course for course in all_courses() if course.id in course_ids}
    added = sum(assign(wanted[i], trainer, actor) for i in sorted(wanted.keys() - current.keys()))
    removed = sum(
        unassign(current[i], trainer, actor) for i in sorted(current.keys() - wanted.keys())
    )
    return added, removed
