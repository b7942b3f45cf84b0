"""`lms audit verify`: detect tampering with the audit log."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from lms.services import audit

audit_cli = click.Group("audit", help="Inspect the audit log.")


@audit_cli.command("verify")
@with_appcontext
def verify() -> None:
    """Recompute the hash chain; exit 1 and list the broken links if any."""
    problems = audit.verify()
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        sys.exit(1)
    click.echo("Audit log intact.")
