"""What trainers do before the cohort workspace exists: cohorts, requests, accommodations."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import date

from sqlalchemy import ColumnElement, Select, and_, or_, select, true

from lms.domain.roles import ADMIN
from lms.extensions import db
from lms.models import (
    Accommodation,
    Cohort,
    CohortTrainer,
    Course,
    CourseVersion,
    Enrolment,
    PracticumRecord,
    User,
)
from lms.models.types import utcnow
from lms.services import audit, cohorts
from lms.services.cohorts import CohortDetails
from lms.services.course_store import latest_version

# No 0/O or 1/I: keys are read aloud and typed on phones.
_KEY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_enrolment_key() -> str:
    return "".join(secrets.choice(_KEY_ALPHABET) for _ in range(8))


def create_cohort(
    course: Course,
    name: str,
    actor: User,
    *,
    version: CourseVersion | None = None,
    details: CohortDetails | None = None,
    co_trainers: Iterable[User] = (),
) -> Cohort:
    """A cohort on `version` (default: the newest); its creator and `co_trainers` teach it.

    Audited with everything set; commits.
    """
    version = version or latest_version(course)
    if version is None or version.course_id != course.id:
        raise LookupError(course.slug)
    details = details or CohortDetails(name=name)
    cohort = Cohort(
        course_id=course.id,
        course_version_id=version.id,
        name=name.strip(),
        enrolment_key=new_enrolment_key(),
        starts_on=details.starts_on,
        ends_on=details.ends_on,
        region=details.region,
        online=details.online,
        capacity=details.capacity,
        created_by_id=actor.id,
    )
    db.session.add(cohort)
    db.session.flush()
    db.session.add(CohortTrainer(cohort_id=cohort.id, user_id=actor.id, added_by_id=actor.id))
    audit.record(
        actor,
        "cohort.create",
        "cohort",
        cohort.id,
        {
            "course": course.slug,
            "name": cohort.name,
            "version": version.version,
            "starts_on": details.starts_on.isoformat() if details.starts_on else None,
            "ends_on": details.ends_on.isoformat() if details.ends_on else None,
            "region": details.region,
            "online": details.online,
            "capacity": details.capacity,
        },
    )
    for user in co_trainers:
        if user.id != actor.id:
            cohorts.add_trainer(cohort, user, actor, commit=False)
    db.session.commit()
    return cohort


def taught_cohort_ids(user: User) -> Select[tuple[int]]:
    """SQL: ids of the cohorts `user` teaches (creator or co-trainer)."""
    return select(CohortTrainer.cohort_id).where(CohortTrainer.user_id == user.id)


def visible_cohorts(user: User) -> list[Cohort]:
    """The cohorts `user` may see: their own, or every cohort for an admin."""
    query = select(Cohort).order_by(Cohort.id.desc())
    if not user.has_role(ADMIN):
        query = query.where(Cohort.id.in_(taught_cohort_ids(user)))
    return list(db.session.execute(query).scalars())


def _followed(user: User) -> ColumnElement[bool]:
    """SQL condition on Enrolment: in a cohort `user` teaches, or in no cohort (any trainer)."""
    if user.has_role(ADMIN):
        return true()
    return and_(
        Enrolment.user_id != user.id,
        or_(Enrolment.cohort_id.is_(None), Enrolment.cohort_id.in_(taught_cohort_ids(user))),
    )


def pending_requests(user: User) -> list[Enrolment]:
    """Enrolment requests `user` may decide (see `lms.permissions.can_follow_enrolment`)."""
    return list(
        db.session.execute(
            select(Enrolment)
            .where(Enrolment.state == "requested", _followed(user))
            .order_by(Enrolment.requested_at)
        ).scalars()
    )


def followed_enrolments(user: User, limit: int = 200) -> list[Enrolment]:
    """The latest active or completed enrolments `user` follows as a trainer."""
    return list(
        db.session.execute(
            select(Enrolment)
            .where(Enrolment.state.in_(("active", "completed")), _followed(user))
            .order_by(Enrolment.id.desc())
            .limit(limit)
        ).scalars()
    )


def set_accommodation(user: User, multiplier: float, no_limit: bool, actor: User) -> None:
    """Extra time for every timed quiz `user` starts from now on; audited; commits."""
    row = db.session.execute(
        select(Accommodation).where(Accommodation.user_id == user.id)
    ).scalar_one_or_none()
    if row is None:
        row = Accommodation(user_id=user.id)
        db.session.add(row)
    row.time_multiplier = multiplier
    row.no_time_limit = no_limit
    row.set_by_id = actor.id
    row.set_at = utcnow()
    db.session.flush()
    audit.record(
        actor,
        "accommodation.set",
        "user",
        user.id,
        {"time_multiplier": multiplier, "no_time_limit": no_limit},
    )
    db.session.commit()


def accommodations(trainer: User) -> list[tuple[Accommodation, User]]:
    """Accommodations of the trainees `trainer` follows (every one for an admin)."""
    followed = select(Enrolment.user_id).where(
        Enrolment.state.in_(("requested", "active", "completed")), _followed(trainer)
    )
    rows = db.session.execute(
        select(Accommodation, User)
        .join(User, User.id == Accommodation.user_id)
        .where(User.id.in_(followed))
        .order_by(User.name)
    )
    return [(accommodation, user) for accommodation, user in rows]


class SignOffRefused(PermissionError):
    """The actor may not sign off this practicum (shown to the trainer)."""


def may_sign_off(actor: User, enrolment: Enrolment) -> str | None:
    """None when `actor` may sign off `enrolment`'s practicum, else why not."""
    from flask import current_app

    from lms.services.credentials import holds_grant

    if enrolment.user_id == actor.id:
        return "own"
    if not actor.has_role("trainer"):
        return "role"
    if current_app.config["LMS_SIGNOFF_REQUIRES_TRAINER_CREDENTIAL"] and not holds_grant(
        actor, "sign-off-practicum"
    ):
        return "credential"
    return None


def record_practicum(
    enrolment: Enrolment,
    actor: User,
    *,
    competency_id: str | None,
    hours: float,
    observed_on: date,
    supervisor_name: str = "",
    notes: str = "",
) -> PracticumRecord:
    """Record observed hours and/or sign off a competency; audited; may issue; commits."""
    refusal = may_sign_off(actor, enrolment)
    if refusal:
        raise SignOffRefused(refusal)
    record = PracticumRecord(
        enrolment_id=enrolment.id,
        competency_id=competency_id or None,
        hours=hours,
        observed_on=observed_on,
        signed_by_id=actor.id,
        supervisor_name=supervisor_name.strip(),
        notes=notes.strip(),
    )
    db.session.add(record)
    db.session.flush()
    audit.record(
        actor,
        "practicum.sign_off" if competency_id else "practicum.hours",
        "enrolment",
        enrolment.id,
        {
            "competency": competency_id,
            "hours": hours,
            "observed_on": observed_on.isoformat(),
            "supervisor": record.supervisor_name,
        },
    )
    db.session.commit()
    from lms.services.credentials import maybe_issue

    maybe_issue(enrolment)
    return record


def cohort_enrolments(cohort: Cohort) -> list[Enrolment]:
    return list(
        db.session.execute(
            select(Enrolment)
            .where(Enrolment.cohort_id == cohort.id, Enrolment.state.in_(("active", "completed")))
            .order_by(Enrolment.id)
        ).scalars()
    )


# Attendance lives in lms.services.attendance; these names stay importable from here.
from lms.services.attendance import (  # noqa: E402, F401
    add_session,
    mark_attendance,
    present_user_ids,
)
