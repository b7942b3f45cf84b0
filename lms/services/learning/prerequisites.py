"""What a learner already holds, for prerequisites and sign-off rights (read-only queries).

The issuing side lives in `lms.services.credentials`; this module only reads, so enrolment
and cohort services can ask without depending on it."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from lms.domain.credentials.lifecycle import CredentialStatus, effective_status
from lms.domain.enrolment import LearnerRecord
from lms.extensions import db
from lms.models import Course, Credential, Enrolment, User
from lms.services import clock

ACTIVE = CredentialStatus.ACTIVE.value
COMPLETED = "completed"  # the enrolment state (lms.services.learning.enrolment)


def active_credential_slugs(user: User, on: date | None = None) -> frozenset[str]:
    """Courses in which `user` holds a credential that is active (and unexpired) on `on`."""
    on = on or clock.today()
    rows = db.session.execute(
        select(Credential, Course.slug)
        .join(Enrolment, Enrolment.id == Credential.enrolment_id)
        .join(Course, Course.id == Enrolment.course_id)
        .where(Credential.user_id == user.id, Credential.status == ACTIVE)
    )
    return frozenset(
        slug
        for credential, slug in rows
        if effective_status(credential.status, credential.expires_on, on) == ACTIVE
    )


def holds_grant(user: User, grant: str) -> bool:
    """Whether `user` holds an active credential granting `grant` (e.g. sign-off-practicum)."""
    on = clock.today()
    for credential in db.session.execute(
        select(Credential).where(Credential.user_id == user.id, Credential.status == ACTIVE)
    ).scalars():
        if effective_status(credential.status, credential.expires_on, on) == ACTIVE and (
            grant in credential.snapshot.get("grants", [])
        ):
            return True
    return False


def learner_record(user: User) -> LearnerRecord:
    completed = db.session.execute(
        select(Course.slug)
        .join(Enrolment, Enrolment.course_id == Course.id)
        .where(Enrolment.user_id == user.id, Enrolment.state == COMPLETED)
    ).scalars()
    return LearnerRecord(
        completed_courses=frozenset(completed), active_credentials=active_credential_slugs(user)
    )
