"""Writing to, and verifying, the hash-chained audit log."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, text

from lms.domain.audit_chain import GENESIS, ChainEntry, entry_hash, verify_chain
from lms.extensions import db
from lms.models import AuditEvent, User
from lms.models.types import utcnow


def record(
    actor: User | None,
    action: str,
    subject_type: str,
    subject_id: object,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the audit log in the current transaction.

    The caller commits. Appends are serialised (an advisory lock on PostgreSQL; SQLite
    has a single writer) so that two events never claim the same predecessor.
    """
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(727001)"))
    last = db.session.execute(
        select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)
    ).scalar_one_or_none()
    prev_hash = last or GENESIS
    at = utcnow()
    details = details or {}
    actor_id = actor.id if actor is not None else None
    event = AuditEvent(
        at=at,
        actor_id=actor_id,
        action=action,
        subject_type=subject_type,
        subject_id=str(subject_id),
        details=details,
        prev_hash=prev_hash,
        hash=entry_hash(prev_hash, at, actor_id, action, subject_type, str(subject_id), details),
    )
    db.session.add(event)
    db.session.flush()
    return event


def verify() -> list[str]:
    """Check the whole chain; returns the problems found (empty when intact)."""
    rows = db.session.execute(select(AuditEvent).order_by(AuditEvent.id)).scalars()
    return verify_chain(
        ChainEntry(
            id=row.id,
            at=row.at,
            actor_id=row.actor_id,
            action=row.action,
            subject_type=row.subject_type,
            subject_id=row.subject_id,
            details=row.details,
            prev_hash=row.prev_hash,
            hash=row.hash,
        )
        for row in rows
    )
