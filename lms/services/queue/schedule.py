"""Scheduled jobs: Huey periodic tasks whose times are read in Mongolian time.

`JOBS` names each one for `lms jobs list` and `lms jobs run NAME`; the periodic task only
opens an app context and calls the same function.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from flask import current_app
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from lms.extensions import db
from lms.models import Notification, OutboxMessage
from lms.models.types import utcnow
from lms.services import clock
from lms.services.accounts import login_throttle
from lms.services.credentials import audit_checkpoints
from lms.services.queue.engine import app_context, huey, mongolian_crontab
from lms.services.queue.relay import relay_waiting
from lms.services.registry import export_jobs, snapshots
from lms.services.renewal.reminders import run_reminders

#: Finished outbox rows and read notices are kept this long, then removed by `cleanup`.
KEEP_DONE = timedelta(days=90)
KEEP_READ_NOTICES = timedelta(days=365)


def reminders() -> str:
    result = run_reminders()
    return (
        f"{len(result.expiring)} expiry reminders, {len(result.renewal)} renewal notices, "
        f"{len(result.grace)} grace period notices, {len(result.lapsed)} lapsed notices"
    )


def monthly_snapshot() -> str:
    today = clock.today()
    try:
        row = snapshots.take(today, None)
    except (snapshots.SnapshotExists, IntegrityError):  # taken today already: keep that one
        db.session.rollback()
        return f"snapshot of {today} already stored"
    return f"snapshot of {row.taken_on}: {row.entries} entries"


def audit_checkpoint() -> str:
    """Sign the audit chain's head (docs/audit.md); commits."""
    row = audit_checkpoints.write_checkpoint(audit_checkpoints.PERIODIC)
    if row is None:
        return "the audit log is empty: no checkpoint"
    return f"checkpoint {row.id}: head event {row.head_id}"


def cleanup() -> str:
    """Old finished outbox rows, old read notices and idle login throttles (reset and welcome
    links are signed tokens with a lifetime, not rows, so there is nothing of theirs to delete)."""
    now = utcnow()
    outbox = db.session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.status == "done", OutboxMessage.done_at < now - KEEP_DONE
        )
    ).rowcount
    notices = db.session.execute(
        delete(Notification).where(
            Notification.read_at.is_not(None), Notification.created_at < now - KEEP_READ_NOTICES
        )
    ).rowcount
    throttles = login_throttle.prune()
    db.session.commit()
    exports = export_jobs.remove_expired(now)  # prepared registry exports older than a day
    return (
        f"removed {outbox} finished outbox rows, {notices} read notices, "
        f"{throttles} idle login throttles, {exports} expired export files"
    )


def relay() -> str:
    return f"{relay_waiting()} outbox rows handed to the queue"


@dataclass(frozen=True)
class Job:
    name: str
    when: str
    run: Callable[[], str]


JOBS: dict[str, Job] = {
    job.name: job
    for job in (
        Job("relay-outbox", "every minute", relay),
        Job("credential-reminders", "daily 08:00", reminders),
        Job("registry-snapshot", "monthly, 1st day 01:00", monthly_snapshot),
        Job("audit-checkpoint", "daily 02:00", audit_checkpoint),
        Job("cleanup", "daily 03:30", cleanup),
    )
}


def run_job(name: str) -> str:
    """Run a scheduled job now, in the current app context (`lms jobs run NAME`)."""
    result = JOBS[name].run()
    current_app.logger.info("job %s: %s", name, result)
    return result


def _periodic(name: str, **when: str) -> Any:
    def body() -> None:
        with app_context():
            run_job(name)

    body.__name__ = "job_" + name.replace("-", "_")
    return huey.periodic_task(mongolian_crontab(**when), name=body.__name__)(body)


relay_periodic = _periodic("relay-outbox", minute="*")
reminders_periodic = _periodic("credential-reminders", hour="8", minute="0")
snapshot_periodic = _periodic("registry-snapshot", day="1", hour="1", minute="0")
checkpoint_periodic = _periodic("audit-checkpoint", hour="2", minute="0")
cleanup_periodic = _periodic("cleanup", hour="3", minute="30")
