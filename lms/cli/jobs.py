"""`lms worker` (runs queued and scheduled jobs) and `lms jobs list|run|retry`."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import func, select

from lms.extensions import db
from lms.models import OutboxMessage
from lms.services import queue
from lms.services.queue.schedule import JOBS, run_job


@click.command("worker")
@click.option("--threads", default=2, show_default=True, type=int, help="Jobs run at once.")
@click.option(
    "--no-periodic",
    is_flag=True,
    help="Leave scheduled jobs to another worker (run them on one host only if you prefer).",
)
@with_appcontext
def worker_command(threads: int, no_periodic: bool) -> None:
    """Run the job queue's consumer: mail, publishing, exports and scheduled jobs."""
    click.echo(f"Worker on {queue.queue_location(current_app)} ({threads} threads).")
    consumer = queue.huey.create_consumer(
        workers=threads, worker_type="thread", periodic=not no_periodic, check_worker_health=True
    )
    consumer.run()


@click.group("jobs")
def jobs_cli() -> None:
    """See and run the background jobs."""


@jobs_cli.command("list")
@with_appcontext
def list_command() -> None:
    """Scheduled jobs, the queue, and outbox rows by state (failed ones in full)."""
    click.echo("Scheduled (Mongolian time):")
    for job in JOBS.values():
        click.echo(f"  {job.name:<22} {job.when}")
    try:
        click.echo(
            f"Queue: {queue.huey.pending_count()} waiting, "
            f"{queue.huey.scheduled_count()} scheduled for retry"
        )
    except Exception as exc:  # noqa: BLE001 - shown, not fatal: the outbox still holds the work
        click.echo(f"Queue: unreachable ({exc})")
    counts = db.session.execute(
        select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
    ).all()
    click.echo("Outbox: " + (", ".join(f"{n} {s}" for s, n in sorted(counts)) or "empty"))
    failed = db.session.execute(
        select(OutboxMessage).where(OutboxMessage.status == "failed").order_by(OutboxMessage.id)
    ).scalars()
    for row in failed:
        target = row.payload.get("to", "") if isinstance(row.payload, dict) else ""
        click.echo(
            f"  failed #{row.id} {row.kind} {target} after {row.attempts} tries: {row.last_error}"
        )


@jobs_cli.command("run")
@click.argument("name", type=click.Choice(sorted(JOBS)))
@with_appcontext
def run_command(name: str) -> None:
    """Run one scheduled job now."""
    click.echo(run_job(name))


@jobs_cli.command("retry")
@click.argument("outbox_id", type=int)
@with_appcontext
def retry_command(outbox_id: int) -> None:
    """Give a failed outbox row a fresh set of tries."""
    if not queue.relay.retry_failed(outbox_id):
        raise click.ClickException(f"outbox row {outbox_id} is not failed")
    click.echo(f"outbox row {outbox_id} queued again")
