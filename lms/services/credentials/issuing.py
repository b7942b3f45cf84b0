"""Certification: evaluating a trainee's record, issuing credentials, changing their status."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from lms.domain.credentials.lifecycle import (
    CredentialStatus,
    expiry_date,
)
from lms.domain.credentials.numbers import credential_number
from lms.domain.credentials.renewal import Term, retake_term
from lms.domain.credentials.snapshot import CredentialSnapshot
from lms.domain.credentials.status_list import pick_status_index
from lms.extensions import db
from lms.models import (
    Credential,
    CredentialEvent,
    Enrolment,
    User,
)
from lms.models.types import utcnow
from lms.services import audit, clock, notifications
from lms.services.courses.store import course_rules

ACTIVE = CredentialStatus.ACTIVE.value


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


class AlreadyIssued(ValueError):
    """The enrolment already has a current credential: the first of two requests issued it.

    A credential is created once per enrolment (a partial unique index: one credential that
    is not superseded per enrolment); `existing` is the one that won.
    """

    def __init__(self, existing: Credential | None) -> None:
        super().__init__(existing.number if existing else "")
        self.existing = existing


def _serialise_issues() -> None:
    """Make this transaction the only one issuing until it ends: the audit chain's lock.

    Every issue appends to the audit log anyway; taking that lock first keeps one lock order
    with callers that audited before certification issued (no deadlock), and serialises the
    check for an existing credential and the number and status-list allocation.
    """
    audit.lock_chain()


def issue(
    enrolment: Enrolment,
    actor: User | None,
    *,
    keep_dates_of: Credential | None = None,
    term: Term | None = None,
    commit: bool = True,
) -> Credential:
    """Issue the credential (an immutable snapshot); audited; commits unless told not to.

    `keep_dates_of` reissues with another credential's issue and expiry dates (a correction);
    `term` issues for given first and last valid days (a renewal: from the day after the old
    credential's last day, `lms.domain.credentials.renewal.renewed_term`). The number's year
    is the year of the first valid day.
    Raises `AlreadyIssued` when the enrolment already has a current (not superseded)
    credential, whoever issued it a moment earlier.
    """
    _serialise_issues()
    existing = current_credential(enrolment)
    if existing is not None:
        raise AlreadyIssued(existing)
    course = course_rules(enrolment.course_version)
    spec = course.certification.credential
    version = enrolment.course_version
    renewed = _renewed_by_retake(enrolment)
    if renewed is not None and term is None and keep_dates_of is None:
        term = retake_term(renewed.expires_on, spec.renewal, clock.today())
    expires_on: date | None
    if term is not None:
        issued_on, expires_on = term.starts_on, term.expires_on
    elif keep_dates_of is not None:
        issued_on, expires_on = keep_dates_of.issued_on, keep_dates_of.expires_on
    else:
        issued_on = clock.today()
        expires_on = expiry_date(issued_on, spec.valid_for_months)
    user = enrolment.user
    taken = set(db.session.execute(select(Credential.status_index)).scalars())
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
        # Only reachable past the lock if a writer skipped it; the index still holds.
        db.session.rollback()
        raise AlreadyIssued(current_credential(enrolment)) from None
    _record_event(credential, "issue", None, actor, on=issued_on)
    if renewed is not None:
        _supersede_by_retake(renewed, credential, actor)
    audit.record(
        actor,
        "credential.issue",
        "credential",
        credential.number,
        {"enrolment": enrolment.id, "course": course.slug, "version": version.version},
    )
    notifications.credential_issued(credential, user)  # mailed after the commit
    if commit:
        db.session.commit()
    return credential


def _renewed_by_retake(enrolment: Enrolment) -> Credential | None:
    """The credential a retake enrolment renews (None: not a retake)."""
    if enrolment.renews_credential_id is None:
        return None
    return db.session.get(Credential, enrolment.renews_credential_id)


def _supersede_by_retake(old: Credential, new: Credential, actor: User | None) -> None:
    """The hook for the retake path (R3): `new`, earned by retaking the course, supersedes
    `old` with reason `renewal`, in the issuing transaction. `lifecycle.supersede` issues the
    new credential on the old enrolment; a retake has its own, so the old one is only moved
    here: by a conditional UPDATE, as there; if it was revoked or superseded meanwhile, it is
    left as it is and `new` stands on its own."""
    previous = old.status
    if previous not in (ACTIVE, CredentialStatus.SUSPENDED.value):
        return
    done = db.session.execute(
        update(Credential)
        .where(Credential.id == old.id, Credential.status == previous)
        .values(
            status=CredentialStatus.SUPERSEDED.value,
            status_reason="renewal",
            status_note="",
            status_changed_at=utcnow(),
            superseded_by_id=new.id,
        )
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        return
    db.session.expire(old)
    # Valid to its last day when the renewal follows it without a gap; else replaced today.
    on = max(new.issued_on, clock.today())
    _record_event(old, "supersede", previous, actor, on=on, reason="renewal")
    audit.record(
        actor,
        "credential.supersede",
        "credential",
        old.number,
        {"reason": "renewal", "by": new.number, "retake": new.enrolment_id, "note": ""},
    )


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
    on = on or clock.today()
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


def _issuing_trainer(enrolment: Enrolment, actor: User | None) -> str | None:
    """Who issues: the approving trainer, else (automatic issue) the cohort's trainer."""
    if actor is not None:
        return actor.name
    if enrolment.cohort is not None and enrolment.cohort.created_by_id is not None:
        trainer = db.session.get(User, enrolment.cohort.created_by_id)
        return trainer.name if trainer else None
    return None
