"""Writing to, and verifying, the hash-chained audit log and its signed checkpoints.

Appends are serialised: an event's `prev_hash` is read only after this transaction holds the
chain's write lock, so two concurrent appends can never claim the same predecessor, whatever
the number of workers (see `lock_chain`). What the chain proves, and what it does not, is
written down in docs/audit.md.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, text

from lms.domain.audit_chain import GENESIS, ChainEntry, entry_hash, verify_chain
from lms.domain.audit_checkpoint import Checkpoint, CheckpointInvalid, read_checkpoint
from lms.extensions import db
from lms.models import AuditCheckpoint, AuditEvent, SigningKey, User
from lms.models.types import utcnow

# Any constant works; it only has to be the same in every worker (PostgreSQL advisory lock).
_CHAIN_LOCK = 727001


def lock_chain() -> None:
    """Hold the audit chain's write lock until this transaction ends.

    PostgreSQL: a transaction-scoped advisory lock. SQLite: the database write lock, taken
    with `BEGIN IMMEDIATE` before anything is read. (The sqlite3 driver otherwise runs reads
    outside a transaction until the first write, so two workers could both read the same head
    and then write one after the other.) When this transaction has already written, it holds
    the write lock already.
    """
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _CHAIN_LOCK})
    elif connection.dialect.name == "sqlite":
        raw = connection.connection.dbapi_connection
        if raw is not None and not raw.in_transaction:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            # Already in a transaction: normally one that has written (and so holds the lock);
            # a write that matches no row makes sure of it, or fails rather than fork the chain.
            connection.exec_driver_sql("UPDATE audit_event SET id = id WHERE 0 = 1")


def record(
    actor: User | None,
    action: str,
    subject_type: str,
    subject_id: object,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the audit log in the current transaction (the caller commits)."""
    lock_chain()
    prev_hash = _head_hash() or GENESIS
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


def _head_hash() -> str | None:
    return db.session.execute(
        select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)
    ).scalar_one_or_none()


def chain_head() -> Checkpoint | None:
    """The current head of the chain (under the chain lock), or None for an empty log."""
    lock_chain()
    head = db.session.execute(
        select(AuditEvent.id, AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)
    ).one_or_none()
    if head is None:
        return None
    events = db.session.execute(select(func.count()).select_from(AuditEvent)).scalar_one()
    return Checkpoint(head_id=head.id, head_hash=head.hash, events=events, at=utcnow())


def store_checkpoint(checkpoint: Checkpoint, signed: str, reason: str) -> AuditCheckpoint:
    """Keep a signed checkpoint (made by `lms.services.credentials.audit_checkpoints`)."""
    row = AuditCheckpoint(
        at=checkpoint.at,
        head_id=checkpoint.head_id,
        head_hash=checkpoint.head_hash,
        events=checkpoint.events,
        reason=reason,
        signed=signed,
    )
    db.session.add(row)
    db.session.flush()
    return row


def latest_checkpoint() -> AuditCheckpoint | None:
    return db.session.execute(
        select(AuditCheckpoint).order_by(AuditCheckpoint.id.desc()).limit(1)
    ).scalar_one_or_none()


def verify() -> list[str]:
    """Check the whole chain and every checkpoint; the problems found (empty when intact)."""
    problems: list[str] = []
    checkpoints = _verified_checkpoints(problems)
    rows = db.session.execute(select(AuditEvent).order_by(AuditEvent.id)).scalars()
    problems.extend(
        verify_chain(
            (
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
            ),
            checkpoints,
        )
    )
    return problems


def _verified_checkpoints(problems: list[str]) -> list[tuple[str, Checkpoint]]:
    """Every stored checkpoint whose signature holds and agrees with its row."""
    public_jwks = [row.public_jwk for row in db.session.execute(select(SigningKey)).scalars()]
    verified = []
    for row in db.session.execute(select(AuditCheckpoint).order_by(AuditCheckpoint.id)).scalars():
        try:
            signed = read_checkpoint(row.signed, public_jwks)
        except CheckpointInvalid as problem:
            problems.append(f"checkpoint {row.id}: signature does not verify ({problem})")
            continue
        stored = Checkpoint(row.head_id, row.head_hash, row.events, row.at)
        if signed != stored:
            problems.append(f"checkpoint {row.id}: its row does not match what was signed")
        verified.append((str(row.id), signed))
    return verified
