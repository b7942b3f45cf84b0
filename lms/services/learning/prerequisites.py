"""What a learner already holds, for prerequisites and sign-off rights (read-only queries).

The issuing side lives in `lms.services.credentials`; this module only reads, so enrolment
and cohort services can ask without depending on it."""

from __future__ import annotations

from datetime import date
from types import MappingProxyType

from sqlalchemy import select

from lms.domain.credentials.lifecycle import CredentialStatus, effective_status
from lms.domain.credentials.renewal import Phase, phase
from lms.domain.enrolment import LearnerRecord
from lms.extensions import db
from lms.models import Course, Credential, Enrolment, User
from lms.services import clock
from lms.services.courses.store import course_rules, find_course, latest_version

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


def credentials_in_grace(user: User, on: date | None = None) -> dict[str, frozenset[str]]:
    """Course slug → its refresher courses, for `user`'s credentials past their last day but
    inside the grace period of their course's renewal rules on `on` (today)."""
    on = on or clock.today()
    expired = db.session.execute(
        select(Credential).where(
            Credential.user_id == user.id,
            Credential.status == ACTIVE,
            Credential.expires_on.is_not(None),
            Credential.expires_on < on,
        )
    ).scalars()
    found: dict[str, frozenset[str]] = {}
    for credential in expired:
        course = find_course(credential.course_slug)
        version = latest_version(course) if course is not None else None
        if version is None:
            continue
        rules = course_rules(version).certification.credential.renewal
        if rules is not None and phase(credential.expires_on, on, rules) is Phase.GRACE:
            found[credential.course_slug] = frozenset(rules.refreshers)
    return found


def learner_record(user: User) -> LearnerRecord:
    completed = db.session.execute(
        select(Course.slug)
        .join(Enrolment, Enrolment.course_id == Course.id)
        .where(Enrolment.user_id == user.id, Enrolment.state == COMPLETED)
    ).scalars()
    return LearnerRecord(
        completed_courses=frozenset(completed),
        active_credentials=active_credential_slugs(user),
        in_grace=MappingProxyType(credentials_in_grace(user)),
    )
