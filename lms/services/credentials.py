"""Certification: evaluating a trainee's record, issuing credentials, changing their status."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from lms.domain.certification import Decision, TraineeRecord, evaluate
from lms.domain.credentials.lifecycle import (
    CredentialStatus,
    effective_status,
    expiry_date,
    in_renewal_window,
    transition,
)
from lms.domain.credentials.numbers import credential_number
from lms.domain.credentials.snapshot import CredentialSnapshot
from lms.domain.credentials.status_list import pick_status_index
from lms.extensions import db
from lms.models import (
    AttendanceMark,
    AttendanceSession,
    Course,
    Credential,
    CredentialEvent,
    Enrolment,
    PracticumRecord,
    User,
)
from lms.models.types import utcnow
from lms.services import audit
from lms.services.course_store import parsed_course
from lms.services.progress import completed_lessons, passed_quizzes

ACTIVE = CredentialStatus.ACTIVE.value


def today() -> date:
    """The date in Mongolia (credentials are dated where they are issued and used)."""
    from zoneinfo import ZoneInfo

    from flask import current_app

    return datetime.now(ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])).date()


def active_credential_slugs(user: User, on: date | None = None) -> frozenset[str]:
    """Courses in which `user` holds a credential that is active (and unexpired) on `on`."""
    on = on or today()
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


def attendance(enrolment: Enrolment) -> tuple[int, int] | None:
    """(sessions attended, sessions held) in the enrolment's cohort; None without sessions."""
    if enrolment.cohort_id is None:
        return None
    held = db.session.execute(
        select(func.count())
        .select_from(AttendanceSession)
        .where(AttendanceSession.cohort_id == enrolment.cohort_id)
    ).scalar_one()
    if not held:
        return None
    attended = db.session.execute(
        select(func.count())
        .select_from(AttendanceMark)
        .join(AttendanceSession, AttendanceSession.id == AttendanceMark.session_id)
        .where(
            AttendanceSession.cohort_id == enrolment.cohort_id,
            AttendanceMark.user_id == enrolment.user_id,
            AttendanceMark.present.is_(True),
        )
    ).scalar_one()
    return attended, held


def practicum(enrolment: Enrolment) -> tuple[frozenset[str], float]:
    rows = db.session.execute(
        select(PracticumRecord).where(PracticumRecord.enrolment_id == enrolment.id)
    ).scalars()
    signed: set[str] = set()
    hours = 0.0
    for row in rows:
        hours += row.hours
        if row.competency_id:
            signed.add(row.competency_id)
    return frozenset(signed), hours


def trainee_record(enrolment: Enrolment) -> TraineeRecord:
    from lms.services.enrolment import learner_record

    signed, hours = practicum(enrolment)
    learner = learner_record(enrolment.user)
    return TraineeRecord(
        completed_lessons=frozenset(completed_lessons(enrolment)),
        passed_quizzes=frozenset(passed_quizzes(enrolment)),
        signed_competencies=signed,
        practicum_hours=hours,
        attendance=attendance(enrolment),
        active_credentials=learner.active_credentials,
        completed_courses=learner.completed_courses,
    )


def decision(enrolment: Enrolment) -> Decision:
    return evaluate(parsed_course(enrolment.course_version), trainee_record(enrolment))


def current_credential(enrolment: Enrolment) -> Credential | None:
    """The enrolment's latest credential that is not superseded (any other status), if any."""
    return (
        db.session.execute(
            select(Credential)
            .where(
                Credential.enrolment_id == enrolment.id,
                Credential.status != CredentialStatus.SUPERSEDED.value,
            )
            .order_by(Credential.id.desc())
        )
        .scalars()
        .first()
    )


def maybe_issue(enrolment: Enrolment) -> Credential | None:
    """Issue automatically when the rules are met and the course issues without approval."""
    if current_credential(enrolment) is not None:
        return None
    verdict = decision(enrolment)
    if not verdict.eligible or verdict.needs_trainer_approval:
        return None
    return issue(enrolment, actor=None)


def issue(
    enrolment: Enrolment,
    actor: User | None,
    *,
    keep_dates_of: Credential | None = None,
    commit: bool = True,
) -> Credential:
    """Issue the credential (an immutable snapshot); audited; commits unless told not to.

    `keep_dates_of` reissues with another credential's issue and expiry dates (a correction).
    """
    course = parsed_course(enrolment.course_version)
    spec = course.certification.credential
    version = enrolment.course_version
    issued_on = keep_dates_of.issued_on if keep_dates_of else today()
    expires_on = (
        keep_dates_of.expires_on if keep_dates_of else expiry_date(issued_on, spec.valid_for_months)
    )
    user = enrolment.user
    taken = set(db.session.execute(select(Credential.status_index)).scalars())
    for _ in range(5):  # another credential may take the same serial at the same moment
        serial = (
            1
            + db.session.execute(
                select(func.count())
                .select_from(Credential)
                .where(Credential.number.startswith(f"{spec.prefix}-{issued_on.year}-"))
            ).scalar_one()
        )
        snapshot = CredentialSnapshot(
            number=credential_number(spec.prefix, issued_on.year, serial),
            holder_name=user.name,
            region=user.region,
            organisation=user.organisation,
            course_slug=course.slug,
            course_title=dict(course.title),
            course_version=version.version,
            course_commit=version.commit or version.content_hash,
            kind=course.kind,
            credential_name=dict(spec.name),
            classroom_hours=course.hours.classroom,
            practicum_hours=course.hours.practicum,
            issued_on=issued_on,
            expires_on=expires_on,
            qualifies_for_subsidy=spec.qualifies_for_subsidy,
            issuing_trainer=_issuing_trainer(enrolment, actor),
            grants=tuple(spec.grants),
        )
        credential = Credential(
            number=snapshot.number,
            user_id=user.id,
            enrolment_id=enrolment.id,
            course_version_id=version.id,
            snapshot=snapshot.to_json(),
            issued_on=issued_on,
            expires_on=snapshot.expires_on,
            qualifies_for_subsidy=spec.qualifies_for_subsidy,
            status=ACTIVE,
            status_index=pick_status_index(taken),
            issued_by_id=actor.id if actor else None,
            course_slug=course.slug,
            kind=course.kind,
            region=snapshot.region,
            organisation=snapshot.organisation,
            holder_folded=snapshot.holder_name.casefold(),
        )
        db.session.add(credential)
        try:
            db.session.flush()
        except IntegrityError:
            db.session.rollback()
            continue
        _record_event(credential, "issue", None, actor, on=issued_on)
        audit.record(
            actor,
            "credential.issue",
            "credential",
            credential.number,
            {"enrolment": enrolment.id, "course": course.slug, "version": version.version},
        )
        if commit:
            db.session.commit()
        return credential
    raise RuntimeError("could not allocate a credential number")


def change_status(
    credential: Credential,
    action: str,
    actor: User | None,
    reason: str = "",
    note: str = "",
    *,
    proposed_by: User | None = None,
) -> None:
    """Suspend, reinstate or revoke; audited; commits. Raises IllegalTransition.

    `proposed_by` names the reviewer who proposed a change that `actor` confirms (the
    registry's two-person rule); the audit entry then names both.
    """
    old = credential.status
    credential.status = transition(old, action).value  # type: ignore[arg-type]
    credential.status_reason = reason
    credential.status_note = note.strip()
    credential.status_changed_at = utcnow()
    _record_event(credential, action, old, actor, reason=reason, note=credential.status_note)
    audit.record(
        actor,
        f"credential.{action}",
        "credential",
        credential.number,
        {
            "from": old,
            "to": credential.status,
            "reason": reason,
            "note": credential.status_note,
            **({"proposed_by": proposed_by.id} if proposed_by is not None else {}),
        },
    )
    db.session.commit()


def _record_event(
    credential: Credential,
    action: str,
    old: str | None,
    actor: User | None,
    *,
    on: date | None = None,
    reason: str = "",
    note: str = "",
) -> None:
    """Append the status history the registry answers "status on date D" from."""
    on = on or today()
    if credential.status_since is None or on >= credential.status_since:
        credential.status_since = on
    db.session.add(
        CredentialEvent(
            credential_id=credential.id,
            action=action,
            from_status=old,
            to_status=credential.status,
            effective_on=on,
            actor_id=actor.id if actor else None,
            reason=reason,
            note=note,
        )
    )


def find(number: str) -> Credential | None:
    from lms.domain.credentials.numbers import normalise_number

    canonical = normalise_number(number)
    if canonical is None:
        return None
    return db.session.execute(
        select(Credential).where(Credential.number == canonical)
    ).scalar_one_or_none()


def holds_grant(user: User, grant: str) -> bool:
    """Whether `user` holds an active credential granting `grant` (e.g. sign-off-practicum)."""
    on = today()
    for credential in db.session.execute(
        select(Credential).where(Credential.user_id == user.id, Credential.status == ACTIVE)
    ).scalars():
        if effective_status(credential.status, credential.expires_on, on) == ACTIVE and (
            grant in credential.snapshot.get("grants", [])
        ):
            return True
    return False


def _issuing_trainer(enrolment: Enrolment, actor: User | None) -> str | None:
    """Who issues: the approving trainer, else (automatic issue) the cohort's trainer."""
    if actor is not None:
        return actor.name
    if enrolment.cohort is not None and enrolment.cohort.created_by_id is not None:
        trainer = db.session.get(User, enrolment.cohort.created_by_id)
        return trainer.name if trainer else None
    return None


class RenewalRefused(ValueError):
    """Renewal is only possible inside the renewal window."""


def supersede(old: Credential, actor: User | None, reason: str, note: str = "") -> Credential:
    """Renew (new dates, inside the renewal window) or reissue (a correction, same dates).

    A new credential is issued from the holder's current profile and the enrolment's current
    course version; the old one becomes `superseded`, linked to the new one, and stays
    verifiable. Audited; commits.
    """
    if reason == "renewal" and not in_renewal_window(old.expires_on, today()):
        raise RenewalRefused(old.number)
    transition(old.status, "supersede")  # refuses revoked and already superseded credentials
    new = issue(
        old.enrolment, actor, keep_dates_of=old if reason == "correction" else None, commit=False
    )
    previous = old.status
    old.status = CredentialStatus.SUPERSEDED.value
    old.superseded_by_id = new.id
    _record_event(old, "supersede", previous, actor, reason=reason, note=note.strip())
    old.status_reason = reason
    old.status_note = note.strip()
    old.status_changed_at = utcnow()
    audit.record(
        actor,
        "credential.supersede",
        "credential",
        old.number,
        {"reason": reason, "by": new.number, "note": old.status_note},
    )
    db.session.commit()
    return new
