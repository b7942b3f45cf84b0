"""What trainers do before the cohort workspace exists: cohorts, requests, accommodations."""

from __future__ import annotations

import secrets

from sqlalchemy import select

from lms.extensions import db
from lms.models import Accommodation, Cohort, Course, Enrolment, User
from lms.models.types import utcnow
from lms.services import audit
from lms.services.course_store import latest_version

# No 0/O or 1/I: keys are read aloud and typed on phones.
_KEY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_enrolment_key() -> str:
    return "".join(secrets.choice(_KEY_ALPHABET) for _ in range(8))


def create_cohort(course: Course, name: str, actor: User) -> Cohort:
    version = latest_version(course)
    if version is None:
        raise LookupError(course.slug)
    cohort = Cohort(
        course_id=course.id,
        course_version_id=version.id,
        name=name.strip(),
        enrolment_key=new_enrolment_key(),
        created_by_id=actor.id,
    )
    db.session.add(cohort)
    db.session.flush()
    audit.record(
        actor, "cohort.create", "cohort", cohort.id, {"course": course.slug, "name": cohort.name}
    )
    db.session.commit()
    return cohort


def pending_requests() -> list[Enrolment]:
    return list(
        db.session.execute(
            select(Enrolment).where(Enrolment.state == "requested").order_by(Enrolment.requested_at)
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


def accommodations() -> list[tuple[Accommodation, User]]:
    rows = db.session.execute(
        select(Accommodation, User).join(User, User.id == Accommodation.user_id).order_by(User.name)
    )
    return [(accommodation, user) for accommodation, user in rows]
