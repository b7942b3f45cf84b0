"""What /healthz says about the job queue: reachable, oldest waiting work, failed rows."""

from __future__ import annotations

from sqlalchemy import func, select

from lms.extensions import db
from lms.models import OutboxMessage
from lms.models.types import utcnow
from lms.services.queue.engine import huey


def queue_answers() -> None:
    """The queue's storage answers (Redis ping, or the SQLite file opens)."""
    huey.pending_count()


def queue_figures() -> dict[str, object]:
    """Oldest outbox row still waiting (seconds), rows waiting, rows failed for good."""
    try:
        waiting = OutboxMessage.status.in_(("pending", "queued", "running"))
        oldest, count = db.session.execute(
            select(func.min(OutboxMessage.created_at), func.count()).where(waiting)
        ).one()
        failed = db.session.execute(
            select(func.count()).where(OutboxMessage.status == "failed")
        ).scalar_one()
    finally:
        db.session.rollback()
    age = 0
    if oldest is not None:
        oldest = oldest if oldest.tzinfo else oldest.replace(tzinfo=utcnow().tzinfo)
        age = max(0, int((utcnow() - oldest).total_seconds()))
    return {"waiting": count, "oldest_waiting_seconds": age, "failed": failed}
