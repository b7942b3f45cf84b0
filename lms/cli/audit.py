"""`lms audit verify` and `lms audit checkpoint`: detect tampering with the audit log."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from lms.services import audit
from lms.services.credentials import audit_checkpoints

audit_cli = click.Group("audit", help="Inspect the audit log.")


@audit_cli.command("verify")
@with_appcontext
def verify() -> None:
    """Recompute the hash chain and check every signed checkpoint; exit 1 if anything fails."""
    problems = audit.verify()
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        sys.exit(1)
    latest = audit.latest_checkpoint()
    if latest is None:
        click.echo(
            "Audit log intact. No checkpoint yet: removal of the newest events cannot be"
            " detected until `lms audit checkpoint` has run."
        )
        return
    at = latest.at.strftime("%Y-%m-%d %H:%M UTC")
    click.echo(
        f"Audit log intact up to the latest checkpoint (event {latest.head_id}, {at});"
        " events after it are chained but not yet vouched for."
    )


@audit_cli.command("checkpoint")
@with_appcontext
def checkpoint() -> None:
    """Sign the chain's current head with the credential key and store it."""
    row = audit_checkpoints.write_checkpoint(audit_checkpoints.MANUAL)
    if row is None:
        click.echo("The audit log is empty: nothing to vouch for yet.")
        return
    click.echo(
        f"Checkpoint {row.id}: {row.events} events, head event {row.head_id} ({row.head_hash})."
    )
    click.echo(row.signed)  # a copy to keep elsewhere: see docs/audit.md
