"""A coach's continuing-education ledger: internal entries recorded once when a CE course is
completed, external activities submitted with evidence, and the progress of each renewable
credential (the pure `hours_progress`).

`activities_for(user)` is the ledger as the pure rules see it (`Activity` values): the renewal
page, its confirmation and the reminders read it from here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import dialects, insert, select

from lms.domain.credentials.evidence import evidence_problem, evidence_type
from lms.domain.credentials.renewal import (
    Activity,
    ContinuingEducation,
    HoursProgress,
    hours_progress,
)
from lms.extensions import db
from lms.models import CeActivity, CourseVersion, Credential, Enrolment, User
from lms.models.types import utcnow
from lms.services import audit, clock
from lms.services.courses.store import course_rules
from lms.services.renewal import evidence, providers

INTERNAL, EXTERNAL = "internal", "external"
SUBMITTED, APPROVED, RETURNED = "submitted", "approved", "returned"


class EvidenceRefused(ValueError):
    """The evidence file cannot be kept: ``problem`` is ``empty``, ``too_large`` or ``type``."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


@dataclass(frozen=True)
class Submission:
    """An external activity as the coach describes it."""

    kind: str
    title: str
    provider: str
    on: date
    hours: Decimal
    area: str
    evidence: bytes
    evidence_name: str


def entries(user: User) -> list[CeActivity]:
    """The coach's ledger rows, newest first."""
    return list(
        db.session.execute(
            select(CeActivity)
            .where(CeActivity.user_id == user.id)
            .order_by(CeActivity.done_on.desc(), CeActivity.id.desc())
        ).scalars()
    )


def as_activity(row: CeActivity) -> Activity:
    return Activity(
        on=row.done_on,
        hours=row.hours,
        area=row.area,
        kind=row.kind,
        approved=row.status == APPROVED,
        used=row.used_by_credential_id is not None,
    )


def activities_for(user: User) -> list[Activity]:
    """The ledger as the pure renewal rules take it: approved and submitted activities (a
    returned one counts for nothing, not even as pending)."""
    return [as_activity(row) for row in entries(user) if row.status != RETURNED]


def submit(user: User, submission: Submission) -> CeActivity:
    """Record an external activity with its evidence; approved at once when its provider is
    pre-approved (recorded with the provider, audited). Commits; raises `EvidenceRefused`."""
    problem = evidence_problem(submission.evidence)
    kind = evidence_type(submission.evidence)
    if problem or kind is None:
        raise EvidenceRefused(problem or "type")
    preapproved = providers.match(submission.provider)
    stored = evidence.store(submission.evidence, kind)
    try:
        row = CeActivity(
            user_id=user.id,
            source=EXTERNAL,
            kind=submission.kind,
            title=submission.title,
            provider=submission.provider,
            done_on=submission.on,
            hours=submission.hours,
            area=submission.area,
            status=APPROVED if preapproved else SUBMITTED,
            provider_id=preapproved.id if preapproved else None,
            decided_at=utcnow() if preapproved else None,
            evidence_file=stored,
            evidence_name=submission.evidence_name[:200],
            evidence_type=kind.mimetype,
        )
        db.session.add(row)
        db.session.flush()
        details = {"hours": str(row.hours), "kind": row.kind, "area": row.area}
        audit.record(user, "ce.submit", "ce_activity", row.id, details)
        if preapproved is not None:
            audit.record(
                None,
                "ce.approve_preapproved",
                "ce_activity",
                row.id,
                {"provider_id": preapproved.id, "provider": preapproved.name},
            )
        db.session.commit()
    except BaseException:
        db.session.rollback()
        evidence.discard(stored)
        raise
    return row


def _completed_on(enrolment: Enrolment) -> date:
    if enrolment.completed_at is None:
        return clock.today()
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return enrolment.completed_at.astimezone(zone).date()


def record_internal(enrolment: Enrolment) -> int | None:
    """Record the completed course as a CE activity if its course data says it is one; once per
    (coach, course version) however often, however concurrently, this is called (the unique
    constraint decides: INSERT … ON CONFLICT DO NOTHING). Returns the new row's id or None."""
    if enrolment.state != "completed":
        return None
    course = course_rules(enrolment.course_version)
    value = course.continuing_education
    if value is None:
        return None
    dialect = db.session.get_bind().dialect.name
    insert_into = {
        "postgresql": dialects.postgresql.insert,
        "sqlite": dialects.sqlite.insert,
    }.get(dialect, insert)
    statement = insert_into(CeActivity).values(
        user_id=enrolment.user_id,
        source=INTERNAL,
        kind="course",
        title=course.title.get(course.main_language, course.slug)[:200],
        provider="",
        done_on=_completed_on(enrolment),
        hours=value.hours,
        area=value.area,
        status=APPROVED,
        course_version_id=enrolment.course_version_id,
        submitted_at=utcnow(),
        decided_at=utcnow(),
        reason="",
        evidence_file="",
        evidence_name="",
        evidence_type="",
    )
    if hasattr(statement, "on_conflict_do_nothing"):
        statement = statement.on_conflict_do_nothing(
            index_elements=["user_id", "course_version_id"]
        )
    new_id = db.session.execute(statement.returning(CeActivity.id)).scalar()
    if new_id is None:
        db.session.rollback()
        return None
    details = {"course": course.slug, "version": course.version, "hours": str(value.hours)}
    audit.record(enrolment.user, "ce.record_internal", "ce_activity", new_id, details)
    db.session.commit()
    return int(new_id)


def on_record_changed(enrolment: Enrolment) -> None:
    if enrolment.state == "completed":  # cheap check first: most changes are not completions
        record_internal(enrolment)


@dataclass(frozen=True)
class CredentialHours:
    """Where one renewable credential's holder stands with continuing-education hours."""

    credential: Credential
    name: Mapping[str, str]  # the credential's name per language
    rule: ContinuingEducation
    progress: HoursProgress


def credential_hours(user: User, activities: list[Activity] | None = None) -> list[CredentialHours]:
    """Each active credential of `user` renewable by CE hours, with the hours counted from its
    first valid day to today (`hours_progress`)."""
    rows = db.session.execute(
        select(Credential)
        .where(Credential.user_id == user.id, Credential.status == "active")
        .order_by(Credential.issued_on.desc(), Credential.id.desc())
    ).scalars()
    today = clock.today()
    if activities is None:
        activities = activities_for(user)
    result = []
    for credential in rows:
        version = db.session.get(CourseVersion, credential.course_version_id)
        spec = course_rules(version).certification.credential if version else None
        if spec is None or spec.renewal is None or spec.renewal.continuing_education is None:
            continue
        rule = spec.renewal.continuing_education
        progress = hours_progress(rule, activities, credential.issued_on, today)
        result.append(CredentialHours(credential, spec.name, rule, progress))
    return result
