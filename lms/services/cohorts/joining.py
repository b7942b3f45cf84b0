"""Placing an existing enrolment in a cohort: a self-study trainee joins one with its key, or
a trainer of the cohort moves the enrolment in.

The enrolment keeps its course version, lesson progress, quiz attempts and history: only its
cohort changes, so the cohort's attendance sessions start counting for it. Seats are counted
and taken under the cohort's lock (`lms.services.learning.seats`)."""

from __future__ import annotations

from typing import Literal

from sqlalchemy import select

from lms.extensions import db
from lms.models import Cohort, Course, Enrolment, User
from lms.services import audit
from lms.services.events import record_changed
from lms.services.learning import seats
from lms.services.learning.enrolment import current_first, enrolment_for

JoinOutcome = Literal["joined", "bad_key", "full", "not_enrolled", "in_cohort", "already_here"]
# Only a trainee who is studying (or has finished the online part) can be placed in a cohort;
# a pending request is decided first, a closed enrolment is enrolled again.
PLACEABLE_STATES = ("active", "completed")


def cohort_for_key(course: Course, key: str) -> Cohort | None:
    key = key.strip().upper()
    if not key:
        return None
    return db.session.execute(
        select(Cohort).where(Cohort.course_id == course.id, Cohort.enrolment_key == key)
    ).scalar_one_or_none()


def join_with_key(user: User, course: Course, key: str) -> JoinOutcome:
    """`user`'s self-study enrolment in `course` joins the cohort of `key`; commits."""
    enrolment = enrolment_for(user, course)
    if enrolment is None or enrolment.state not in PLACEABLE_STATES:
        return "not_enrolled"
    if enrolment.cohort_id is not None:
        # Leaving one cohort for another is a trainer's decision (attendance was taken there).
        return "in_cohort"
    cohort = cohort_for_key(course, key)
    if cohort is None:
        return "bad_key"
    return _place(enrolment, cohort, user, "enrolment.join_cohort")


def move_into_cohort(enrolment: Enrolment, cohort: Cohort, actor: User) -> JoinOutcome:
    """A trainer of `cohort` moves an enrolment of the same course into it; commits."""
    if enrolment.course_id != cohort.course_id or enrolment.state not in PLACEABLE_STATES:
        return "not_enrolled"
    if enrolment.cohort_id == cohort.id:
        return "already_here"
    return _place(enrolment, cohort, actor, "enrolment.move_to_cohort")


def placeable_enrolment(cohort: Cohort, email: str) -> Enrolment | None:
    """The enrolment in the cohort's course of the account with this e-mail address."""
    return (
        db.session.execute(
            select(Enrolment)
            .join(User, User.id == Enrolment.user_id)
            .where(User.email == email.strip().lower(), Enrolment.course_id == cohort.course_id)
            .order_by(*current_first())
            .limit(1)
        )
        .scalars()
        .first()
    )


def _place(enrolment: Enrolment, cohort: Cohort, actor: User, action: str) -> JoinOutcome:
    seats.lock(cohort)  # count and take the seat under the lock: concurrent joins queue here
    db.session.refresh(enrolment)  # its cohort may have changed while we waited
    if enrolment.cohort_id == cohort.id:
        db.session.rollback()
        return "already_here"
    if cohort.capacity is not None and seats.seats_taken(cohort) >= cohort.capacity:
        db.session.rollback()
        return "full"
    previous = enrolment.cohort_id
    enrolment.cohort_id = cohort.id
    audit.record(
        actor,
        action,
        "enrolment",
        enrolment.id,
        {"cohort": cohort.id, "from_cohort": previous, "user": enrolment.user_id},
    )
    db.session.commit()
    # Attendance of the new cohort now counts: certification reconsiders the record.
    record_changed.send(enrolment)
    return "joined"
