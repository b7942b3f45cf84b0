"""Practicum sign-off: append-only records, never one's own, audited."""

from __future__ import annotations

from datetime import date

from lms.extensions import db
from lms.models import Enrolment, PracticumRecord, User
from lms.permissions import can_follow_enrolment
from lms.services import audit
from lms.services.events import record_changed
from lms.services.learning.prerequisites import holds_grant


class SignOffRefused(PermissionError):
    """The actor may not sign off this practicum (shown to the trainer)."""


def may_sign_off(actor: User, enrolment: Enrolment) -> str | None:
    """None when `actor` may sign off `enrolment`'s practicum, else why not."""
    from flask import current_app

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
    record_changed.send(enrolment)
    return record
