"""Renewal by taking the course again: a second enrolment in the same course, for renewal.

A coach whose credential is in its renewal window, its grace period or has lapsed may enrol in
its course again; the new enrolment is linked to the credential it renews
(`Enrolment.renews_credential_id`). When it is certified, the new credential supersedes the old
one with reason ``renewal`` (`credentials.issuing`): from the day after the old one's last day
inside the window or the grace period, from the day it is issued once the old one has lapsed.

One open (requested or active) enrolment per course stays a database rule (a partial unique
index), so a double-clicked "Enrol again to renew" makes one enrolment.
"""

from __future__ import annotations

from sqlalchemy import select, update

from lms.domain.credentials.renewal import Phase, phase
from lms.extensions import db
from lms.models import Course, Credential, Enrolment, User
from lms.models.types import utcnow
from lms.services import audit, clock
from lms.services.cohorts.joining import cohort_for_key
from lms.services.learning import enrolment as enrolments
from lms.services.learning.enrolment import EnrolResult
from lms.services.renewal import standing

RETAKE_PHASES = frozenset({Phase.WINDOW, Phase.GRACE, Phase.LAPSED})


def renewable_by_retake(user: User, course: Course) -> Credential | None:
    """The credential `user` may renew by taking `course` again today, if any: their newest
    active credential of the course whose renewal window has opened (or whose grace period has
    started or ended), with no retake for it under way or done."""
    credential = (
        db.session.execute(
            select(Credential)
            .where(
                Credential.user_id == user.id,
                Credential.course_slug == course.slug,
                Credential.status == "active",
            )
            .order_by(Credential.id.desc())
            .limit(1)
        )
        .scalars()
        .first()
    )
    if credential is None or credential.expires_on is None:
        return None
    rules = standing.rules_for(credential)
    if rules is None or phase(credential.expires_on, clock.today(), rules) not in RETAKE_PHASES:
        return None
    retake = enrolments.retake_for(credential)
    if retake is not None and retake.state not in enrolments.CLOSED_STATES:
        return None  # retaking it already (or certified, waiting for the credential)
    current = enrolments.enrolment_for(user, course)
    if (
        current is not None
        and current.id != credential.enrolment_id
        and current.state in enrolments.OPEN_STATES
    ):
        return None
    return credential


def enrol_to_renew(user: User, course: Course, key: str | None = None) -> EnrolResult:
    """Enrol `user` in `course` again to renew their credential; commits.

    ``unavailable`` when no credential of theirs may be renewed so today; ``same_cohort`` for
    the key of the cohort the credential was earned in (its attendance would count again: a
    retake is taken in a new cohort, or on one's own where the course allows). The enrolment that
    earned the credential is closed as completed if it was still open (its work is certified):
    one open enrolment per course."""
    credential = renewable_by_retake(user, course)
    if credential is None:
        return EnrolResult("unavailable")
    cohort = cohort_for_key(course, key or "")
    if cohort is not None and cohort.id == credential.enrolment.cohort_id:
        # Attendance is kept per person and session: the old sessions would count again.
        return EnrolResult("same_cohort")
    closed = db.session.execute(
        update(Enrolment)
        .where(
            Enrolment.id == credential.enrolment_id,
            Enrolment.state.in_(enrolments.OPEN_STATES),
        )
        .values(state=enrolments.COMPLETED, completed_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if closed.rowcount == 1:  # type: ignore[attr-defined]
        audit.record(
            user,
            "enrolment.complete",
            "enrolment",
            credential.enrolment_id,
            {"why": "retaken for renewal", "credential": credential.number},
        )
        db.session.commit()
    return enrolments.enrol(user, course, key, renews=credential)
