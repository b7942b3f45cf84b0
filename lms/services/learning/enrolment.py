"""Enrolling in courses: open, by cohort key, or by a trainer's approval."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal

from sqlalchemy import Select, bindparam, case, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from lms.domain.courses import Prerequisite
from lms.domain.enrolment import course_work_complete, unmet_prerequisites
from lms.extensions import db
from lms.models import Cohort, Course, CourseVersion, Credential, Enrolment, User
from lms.models.types import utcnow
from lms.services import audit, notifications
from lms.services.courses.store import course_rules, latest_patch, latest_version
from lms.services.learning import progress as learning_progress  # imports this module too
from lms.services.learning import seats
from lms.services.learning.prerequisites import learner_record

ACTIVE, REQUESTED, COMPLETED, DECLINED, WITHDRAWN = (
    "active",
    "requested",
    "completed",
    "declined",
    "withdrawn",
)
Outcome = Literal[
    "enrolled", "requested", "already", "unmet", "bad_key", "full", "unavailable", "same_cohort"
]


@dataclass
class EnrolResult:
    outcome: Outcome
    enrolment: Enrolment | None = None
    unmet: list[Prerequisite] = field(default_factory=list)


OPEN_STATES = (REQUESTED, ACTIVE)
CLOSED_STATES = (DECLINED, WITHDRAWN)


def current_first(enrolment: Any = Enrolment) -> tuple[Any, Any]:
    """ORDER BY for the *current* enrolment of a (user, course), which has more than one once
    a coach retakes the course for renewal: the open one (at most one, a unique index), else
    the newest that was not declined or withdrawn, else the newest."""
    rank = case(
        (enrolment.state.in_(OPEN_STATES), 0), (enrolment.state.in_(CLOSED_STATES), 2), else_=1
    )
    return rank, enrolment.id.desc()


def enrolment_for(user: User, course: Course) -> Enrolment | None:
    """`user`'s current enrolment in `course` (see `current_first`)."""
    return (
        db.session.execute(
            select(Enrolment)
            .where(Enrolment.user_id == user.id, Enrolment.course_id == course.id)
            .order_by(*current_first())
            .limit(1)
        )
        .scalars()
        .first()
    )


def retake_for(credential: Credential) -> Enrolment | None:
    """The enrolment retaking the course to renew `credential` (one at most: a unique index)."""
    return db.session.execute(
        select(Enrolment).where(Enrolment.renews_credential_id == credential.id)
    ).scalar_one_or_none()


def enrol(
    user: User, course: Course, key: str | None = None, *, renews: Credential | None = None
) -> EnrolResult:
    """Enrol `user` as the course's enrolment mode allows; commits.

    `renews`: a retake of the course to renew that credential (the caller decided it may be
    renewed so): a new enrolment beside the one that earned it, linked to it. One open
    enrolment per course stays a database rule, so of two concurrent requests one enrols."""
    existing = enrolment_for(user, course) if renews is None else retake_for(renews)
    if existing is not None and existing.state not in (DECLINED, WITHDRAWN):
        return EnrolResult("already", existing)
    version = latest_version(course)
    if version is None:
        return EnrolResult("unavailable")
    parsed = course_rules(version)
    unmet = unmet_prerequisites(parsed.prerequisites, learner_record(user), course.slug)
    if unmet:
        return EnrolResult("unmet", unmet=unmet)
    cohort = None
    if parsed.enrolment == "key" or (key or "").strip():
        # A key is required for `key` courses and optional elsewhere: it joins the trainee to
        # the cohort whose attendance their trainer records.
        cohort = _cohort_for_key(course, key or "")
        if cohort is None:
            return EnrolResult("bad_key")
        version = cohort.course_version
        if cohort.capacity is not None:
            # Count and enrol under the cohort's lock: concurrent enrolments queue here.
            seats.lock(cohort)
            if seats.seats_taken(cohort) >= cohort.capacity:
                db.session.rollback()
                return EnrolResult("full")
    state = REQUESTED if parsed.enrolment == "approval" else ACTIVE
    enrolment = existing or Enrolment(
        user_id=user.id, course_id=course.id, renews_credential_id=renews.id if renews else None
    )
    enrolment.course_version_id = version.id
    enrolment.cohort_id = cohort.id if cohort else None
    enrolment.state = state
    enrolment.requested_at = utcnow()
    enrolment.activated_at = utcnow() if state == ACTIVE else None
    db.session.add(enrolment)
    try:
        db.session.flush()
    except IntegrityError:  # a double-clicked enrol button: the first one won
        db.session.rollback()
        return EnrolResult("already", enrolment_for(user, course))
    audit.record(
        user,
        "enrolment.request" if state == REQUESTED else "enrolment.enrol",
        "enrolment",
        enrolment.id,
        {
            "course": course.slug,
            "version": version.version,
            "cohort": enrolment.cohort_id,
            **({"renews": renews.number} if renews is not None else {}),
        },
    )
    if state == REQUESTED:
        notifications.enrolment_requested(enrolment)
    db.session.commit()
    return EnrolResult("requested" if state == REQUESTED else "enrolled", enrolment)


def _cohort_for_key(course: Course, key: str) -> Cohort | None:
    key = key.strip().upper()
    if not key:
        return None
    return db.session.execute(
        select(Cohort).where(Cohort.course_id == course.id, Cohort.enrolment_key == key)
    ).scalar_one_or_none()


def decide(enrolment: Enrolment, approve: bool, actor: User, message: str = "") -> bool:
    """A trainer approves or declines a pending request; audited; commits.

    Decided once: a conditional UPDATE moves the request only while it is still `requested`,
    so of two trainers deciding at the same moment one wins; False for the other (and for a
    request decided earlier), with nothing changed.
    """
    done = db.session.execute(
        update(Enrolment)
        .where(Enrolment.id == enrolment.id, Enrolment.state == REQUESTED)
        .values(
            state=ACTIVE if approve else DECLINED,
            activated_at=utcnow() if approve else None,
            decided_by_id=actor.id,
            decision_message=message.strip()[:500],
        )
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        db.session.rollback()
        return False
    db.session.refresh(enrolment)
    audit.record(
        actor,
        "enrolment.approve" if approve else "enrolment.decline",
        "enrolment",
        enrolment.id,
        {"message": enrolment.decision_message},
    )
    notifications.enrolment_decided(enrolment, approve)
    db.session.commit()
    return True


@dataclass(frozen=True)
class LearningPlace:
    """A course with the trainee's enrolment in it (if any), read in one query with what
    every learning page needs: the pinned version, its newest patch and the progress."""

    course: Course
    enrolment: Enrolment | None
    version: CourseVersion | None  # held here: the session's identity map keeps it weakly
    newest_patch_id: int | None
    progress: learning_progress.Progress


def _newest_patch_id() -> Any:
    newest = aliased(CourseVersion)
    return (
        select(newest.id)
        .where(
            newest.course_id == CourseVersion.course_id,
            newest.major == CourseVersion.major,
            newest.minor == CourseVersion.minor,
        )
        .order_by(newest.patch.desc())
        .limit(1)
        .scalar_subquery()
    )


@cache
def _places() -> Select[Any]:
    """Built once per process with a `user_id` parameter: building it for every request cost
    about a fifth of the lesson page's CPU (issue 18)."""
    lessons, quizzes = learning_progress.progress_columns(Enrolment.id)
    other = aliased(Enrolment)
    current = (
        select(other.id)
        .where(other.course_id == Course.id, other.user_id == bindparam("user_id"))
        .order_by(*current_first(other))
        .limit(1)
        .correlate(Course)
        .scalar_subquery()
    )
    # The current enrolment only: a retake for renewal is a second one in the same course.
    mine = (
        (Enrolment.course_id == Course.id)
        & (Enrolment.user_id == bindparam("user_id"))
        & (Enrolment.id == current)
    )
    # The version is loaded beside the enrolment, so `enrolment.course_version` and
    # `enrolment.course` come from the session's identity map without another query.
    return (
        select(Course, Enrolment, CourseVersion, _newest_patch_id(), lessons, quizzes)
        .select_from(Course)
        .outerjoin(Enrolment, mine)
        .outerjoin(CourseVersion, CourseVersion.id == Enrolment.course_version_id)
    )


@cache
def _place_by_slug() -> Select[Any]:
    return _places().where(Course.slug == bindparam("slug"))


@cache
def _all_places() -> Select[Any]:
    return _places().where(Enrolment.id.is_not(None)).order_by(Enrolment.id)


def _place(row: Any) -> LearningPlace:
    course, enrolment, version, newest, lessons, quizzes = row
    done = learning_progress.Progress.from_columns(lessons, quizzes)
    return LearningPlace(course, enrolment, version, newest, done)


def learning_place(user: User, slug: str) -> LearningPlace | None:
    """The course `slug` and `user`'s enrolment in it; None if there is no such course."""
    row = db.session.execute(_place_by_slug(), {"user_id": user.id, "slug": slug}).one_or_none()
    return _place(row) if row is not None else None


def learning_places(user: User) -> list[LearningPlace]:
    """Every enrolment of `user` (in enrolment order) with its course, version and progress."""
    rows = db.session.execute(_all_places(), {"user_id": user.id})
    return [_place(row) for row in rows]


def follow_patch_releases(enrolment: Enrolment, newest_patch_id: int | None = None) -> None:
    """Version policy: an in-progress trainee moves to a newer patch automatically.

    `newest_patch_id` (from `learning_place`) saves looking the versions up when current."""
    if enrolment.state != ACTIVE or newest_patch_id == enrolment.course_version_id:
        return
    newest = latest_patch(enrolment.course_version)
    if newest.id != enrolment.course_version_id:
        old = enrolment.course_version.version
        enrolment.course_version_id = newest.id
        enrolment.course_version = newest
        audit.record(
            None,
            "enrolment.patch_upgrade",
            "enrolment",
            enrolment.id,
            {"from": old, "to": newest.version},
        )
        db.session.commit()


def update_completion(enrolment: Enrolment, completed: set[str], passed: set[str]) -> bool:
    """Mark the enrolment completed when its course work is done; True when it just was."""
    if enrolment.state != ACTIVE:
        return False
    requires = course_rules(enrolment.course_version).certification.requires
    if not course_work_complete(requires.lessons, requires.quizzes, completed, passed):
        return False
    enrolment.state = COMPLETED
    enrolment.completed_at = utcnow()
    audit.record(enrolment.user, "enrolment.complete", "enrolment", enrolment.id)
    db.session.commit()
    return True
