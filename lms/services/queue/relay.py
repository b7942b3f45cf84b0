"""The relay: outbox rows → the job queue, right after their commit and once a minute.

Right after a commit the new rows are enqueued directly (`on_committed`). If that fails (the
queue's Redis is down, the process died between commit and enqueue) the rows stay in the
database, and the periodic pass (`relay_waiting`) hands them over later; it also re-queues rows
whose job was lost (a worker that died holding them) after `CLAIM_TIMEOUT`. Nothing is lost,
only late.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import and_, or_, select, update

from lms.extensions import db
from lms.models import OutboxMessage
from lms.models.types import utcnow
from lms.services.queue.delivery import CLAIM_TIMEOUT, deliver_outbox

#: A pending row older than this was missed by the after-commit hand-over.
MISSED_AFTER = timedelta(minutes=1)
#: A queued row whose job has not run in this long is handed over again (jobs are idempotent).
LOST_AFTER = timedelta(minutes=15)


def enqueue(outbox_ids: list[int]) -> int:
    """Hand rows to the queue; returns how many were accepted (the rest wait for the relay)."""
    accepted = 0
    for outbox_id in outbox_ids:
        try:
            deliver_outbox(outbox_id)
        except Exception as exc:  # noqa: BLE001 - queue down: the periodic relay retries
            current_app.logger.warning("queue unreachable, outbox %s waits: %s", outbox_id, exc)
            break
        accepted += 1
    return accepted


def on_committed(_session: Any, ids: list[int]) -> None:
    """Receiver of `outbox.committed`: enqueue what the commit wrote."""
    enqueue(ids)


def relay_waiting(now: datetime | None = None) -> int:
    """Hand over rows that are waiting and have no job in the queue; returns how many."""
    now = now or utcnow()
    due = or_(OutboxMessage.not_before.is_(None), OutboxMessage.not_before <= now)
    waiting = or_(
        and_(OutboxMessage.status == "pending", OutboxMessage.created_at < now - MISSED_AFTER),
        and_(
            OutboxMessage.status == "queued",
            OutboxMessage.queued_at < now - LOST_AFTER,
            due,
        ),
        and_(OutboxMessage.status == "running", OutboxMessage.claimed_at < now - CLAIM_TIMEOUT),
    )
    rows = db.session.execute(
        select(OutboxMessage.id, OutboxMessage.status, OutboxMessage.claimed_at)
        .where(waiting)
        .order_by(OutboxMessage.id)
        .limit(1000)
    ).all()
    handed: list[int] = []
    for outbox_id, status, claimed_at in rows:
        # Conditional: a worker may have claimed or finished the row since the select.
        still = (OutboxMessage.id == outbox_id, OutboxMessage.status == status)
        if status == "running":
            still = (*still, OutboxMessage.claimed_at == claimed_at)
        moved = db.session.execute(
            update(OutboxMessage).where(*still).values(status="queued", queued_at=now)
        ).rowcount
        if moved:
            handed.append(outbox_id)
    db.session.commit()
    return enqueue(handed)


def retry_failed(outbox_id: int) -> bool:
    """Give a `failed` row a fresh set of tries (`lms jobs retry ID`)."""
    moved = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == outbox_id, OutboxMessage.status == "failed")
        .values(status="queued", attempts=0, not_before=None, queued_at=utcnow())
    ).rowcount
    db.session.commit()
    if moved:
        enqueue([outbox_id])
    return bool(moved)
