"""The outbox job: one run per outbox row, idempotent, retried with backoff, then `failed`.

Claiming is a conditional UPDATE (pending/queued → running) committed before the work starts,
so two workers handed the same row (the relay re-queued it, Huey delivered it twice) run it
once. What a mail guarantees (docs/background-work.md): a row whose worker died after the
SMTP server accepted the mail but before `done` was recorded stays `running`; a redelivered
job skips it. Only after `CLAIM_TIMEOUT` does the relay hand it out again, and then the copy
carries the same Message-ID (the dedupe key), so it is at-least-once with a dedupe key, and
exactly once unless a worker dies mid-send and stays dead past the claim timeout.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from flask import current_app
from huey.exceptions import RetryTask
from sqlalchemy import or_, update

from lms.extensions import db
from lms.models import OutboxMessage
from lms.models.types import utcnow
from lms.services import mail
from lms.services.courses import push
from lms.services.queue.engine import app_context, huey
from lms.services.registry import export_jobs

#: Tries before a row is left `failed` (about 15 hours of backoff in all).
MAX_ATTEMPTS = 8
#: A row claimed longer ago than this belongs to a worker that died; the relay re-queues it.
CLAIM_TIMEOUT = timedelta(minutes=15)

Handler = Callable[[OutboxMessage], None]
HANDLERS: dict[str, Handler] = {}


def handles(kind: str) -> Callable[[Handler], Handler]:
    """Register the function that does the work of outbox rows of `kind`."""

    def register(function: Handler) -> Handler:
        HANDLERS[kind] = function
        return function

    return register


def retry_delay(attempts: int) -> int:
    """Seconds before the next try: 30 s, 90 s, 4.5 min, ... at most six hours."""
    return int(min(30 * 3 ** (attempts - 1), 6 * 3600))


@huey.task()
def deliver_outbox(outbox_id: int) -> None:
    """The Huey task the relay enqueues for each outbox row."""
    with app_context():
        outcome = run_outbox(outbox_id)
    if outcome.retry_in is not None:
        raise RetryTask(delay=outcome.retry_in)


class Outcome:
    def __init__(self, status: str, retry_in: int | None = None) -> None:
        self.status = status
        self.retry_in = retry_in


def run_outbox(outbox_id: int) -> Outcome:
    """Claim the row, do its work, record the result. Safe to call any number of times."""
    claimed_at = utcnow()
    claimed = db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == outbox_id,
            OutboxMessage.status.in_(("pending", "queued")),
            or_(OutboxMessage.not_before.is_(None), OutboxMessage.not_before <= claimed_at),
        )
        .values(status="running", claimed_at=claimed_at, attempts=OutboxMessage.attempts + 1)
    ).rowcount
    db.session.commit()
    if not claimed:
        return Outcome("skipped")
    row = db.session.get(OutboxMessage, outbox_id)
    assert row is not None  # noqa: S101 - just claimed
    mine = (OutboxMessage.id == outbox_id, OutboxMessage.status == "running")
    try:
        HANDLERS[row.kind](row)
    except Exception as exc:  # noqa: BLE001 - any failure is recorded on the row and retried
        db.session.rollback()
        attempts = row.attempts
        failed = attempts >= MAX_ATTEMPTS
        delay = retry_delay(attempts)
        now = utcnow()
        db.session.execute(
            update(OutboxMessage)
            .where(*mine)
            .values(
                status="failed" if failed else "queued",
                last_error=f"{type(exc).__name__}: {exc}"[:2000],
                queued_at=now,
                not_before=None if failed else now + timedelta(seconds=delay),
            )
        )
        db.session.commit()
        if failed:
            current_app.logger.error("outbox %s (%s) failed for good: %s", row.id, row.kind, exc)
            return Outcome("failed")
        current_app.logger.warning(
            "outbox %s (%s) try %s failed: %s", row.id, row.kind, attempts, exc
        )
        return Outcome("retry", delay)
    db.session.execute(update(OutboxMessage).where(*mine).values(status="done", done_at=utcnow()))
    db.session.commit()
    return Outcome("done")


@handles(mail.KIND)
def _send(row: OutboxMessage) -> None:
    mail.deliver(row.payload, mail.message_id(row.id, row.created_at.isoformat()))


@handles(push.KIND)
def _publish_push(row: OutboxMessage) -> None:
    """A signed push received on /hooks/git: publish it, store the outcome on its delivery."""
    push.run_delivery(row.payload)


@handles(export_jobs.KIND)
def _prepare_export(row: OutboxMessage) -> None:
    """A registry XLSX export too large for the request: write its private file."""
    export_jobs.prepare(row)


@handles("noop")
def _nothing(_row: OutboxMessage) -> None:
    """Rows that only hold a once-ever key (a reminder whose mail the person turned off)."""
