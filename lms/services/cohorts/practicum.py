"""Practicum sign-off: append-only records, never one's own, audited; a wrong one is voided.

What may be recorded is the pure rule `lms.domain.practicum.entry_problems` (a day between the
enrolment's start and today in Mongolia; a competency or more than zero hours). A record is
never edited: `void_record` marks it void once (who, when, why), after which it no longer
counts, and certification is reconsidered. Reconsidering never takes back an issued
credential: if one was issued on the voided record, a reviewer decides on it in the registry.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import update

from lms.domain.practicum import PracticumEntry, enrolment_start, entry_problems, void_problems
from lms.extensions import db
from lms.models import Enrolment, PracticumRecord, User
from lms.models.types import utcnow
from lms.permissions import can_follow_enrolment
from lms.services import audit, clock
from lms.services.courses.store import course_rules
from lms.services.events import record_changed
from lms.services.learning.prerequisites import holds_grant


class SignOffRefused(PermissionError):
    """The actor may not sign off this practicum (shown to the trainer)."""


class PracticumRejected(ValueError):
    """The record cannot be saved or voided as given; `problems` are the domain's codes."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(", ".join(problems))
        self.problems = problems


def may_sign_off(actor: User, enrolment: Enrolment) -> str | None:
    """None when `actor` may sign off `enrolment`'s practicum, else why not."""
    if enrolment.user_id == actor.id:
        return "own"
    if not actor.has_role("trainer"):
        return "role"
    if not can_follow_enrolment(actor, enrolment):
        return "not_followed"  # not their cohort, nor a course they are assigned to
    if current_app.config["LMS_SIGNOFF_REQUIRES_TRAINER_CREDENTIAL"] and not holds_grant(
        actor, "sign-off-practicum"
    ):
        return "credential"
    return None


def _local_date(moment: datetime) -> date:
    return moment.astimezone(ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])).date()


def earliest_observation(enrolment: Enrolment) -> date:
    """The first day a practicum of `enrolment` can have been observed (`enrolment_start`)."""
    return enrolment_start(
        _local_date(enrolment.activated_at) if enrolment.activated_at else None,
        _local_date(enrolment.requested_at),
        enrolment.cohort.starts_on if enrolment.cohort is not None else None,
    )


def competency_ids(enrolment: Enrolment) -> frozenset[str]:
    practicum = course_rules(enrolment.course_version).certification.requires.practicum
    return frozenset(c.id for c in practicum.competencies) if practicum else frozenset()


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
    """Record observed hours and/or sign off a competency; audited; may issue; commits.

    Raises `SignOffRefused` (the actor may not) or `PracticumRejected` (the record could not
    be true: see `lms.domain.practicum.entry_problems`).
    """
    refusal = may_sign_off(actor, enrolment)
    if refusal:
        raise SignOffRefused(refusal)
    problems = entry_problems(
        PracticumEntry(competency_id or None, hours, observed_on),
        earliest=earliest_observation(enrolment),
        today=clock.today(),
        competencies=competency_ids(enrolment),
    )
    if problems:
        raise PracticumRejected(problems)
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
            "record": record.id,
            "competency": competency_id,
            "hours": hours,
            "observed_on": observed_on.isoformat(),
            "supervisor": record.supervisor_name,
        },
    )
    db.session.commit()
    record_changed.send(enrolment)
    return record


def find_record(enrolment: Enrolment, record_id: int) -> PracticumRecord | None:
    """`enrolment`'s practicum record `record_id` (None: no such record of this enrolment)."""
    record = db.session.get(PracticumRecord, record_id)
    return record if record is not None and record.enrolment_id == enrolment.id else None


def void_record(record: PracticumRecord, actor: User, reason: str) -> None:
    """Mark `record` void with `reason`; audited; certification reconsidered; commits.

    Once only: a conditional UPDATE (``WHERE voided_at IS NULL``), so of two people voiding
    at the same moment one succeeds and the other gets ``already_void``. Raises
    `SignOffRefused` (the actor may not sign off this practicum, so may not void it either)
    or `PracticumRejected`.
    """
    enrolment = record.enrolment
    refusal = may_sign_off(actor, enrolment)
    if refusal:
        raise SignOffRefused(refusal)
    problems = void_problems(reason, already_void=record.voided_at is not None)
    if problems:
        raise PracticumRejected(problems)
    done = db.session.execute(
        update(PracticumRecord)
        .where(PracticumRecord.id == record.id, PracticumRecord.voided_at.is_(None))
        .values(voided_at=utcnow(), voided_by_id=actor.id, void_reason=reason.strip())
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        db.session.rollback()
        raise PracticumRejected(["already_void"])
    audit.record(
        actor,
        "practicum.void",
        "enrolment",
        enrolment.id,
        {
            "record": record.id,
            "competency": record.competency_id,
            "hours": record.hours,
            "observed_on": record.observed_on.isoformat(),
            "reason": reason.strip(),
        },
    )
    db.session.commit()
    db.session.expire(record)
    record_changed.send(enrolment)
