"""`lms registry snapshot` and `lms registry verify-snapshot FILE`."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from lms.domain.registry.snapshot import SnapshotInvalid, sha256_hex, verify_snapshot
from lms.services import clock
from lms.services.credentials import keys
from lms.services.registry import snapshots as registry_snapshots

registry_cli = click.Group("registry", help="The ministry registry: signed snapshots.")


@registry_cli.command("snapshot")
@click.option("--date", "on", type=click.DateTime(["%Y-%m-%d"]), help="Default: today in Mongolia.")
@click.option("--public-url", help="The site's address, as in the issuer (LMS_PUBLIC_URL).")
@with_appcontext
def snapshot(on: datetime | None, public_url: str | None) -> None:
    """Sign and store a snapshot of the registry on a date (audited, no actor)."""
    if public_url:
        current_app.config["LMS_PUBLIC_URL"] = public_url
    with current_app.app_context():
        day = on.date() if on else clock.today()
        try:
            row = registry_snapshots.take(day, actor=None)
        except registry_snapshots.SnapshotRefused as error:
            raise click.ClickException(f"{error} is in the future") from error
        except registry_snapshots.SnapshotExists as exists:
            row = exists.snapshot
            click.echo(f"The snapshot of {row.taken_on} was already taken (one per date).")
        click.echo(f"Snapshot {row.id} of {row.taken_on}: {row.entries} credentials, {row.sha256}")


@registry_cli.command("verify-snapshot")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--jwks",
    "jwks_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A saved /.well-known/jwks.json (default: this server's published keys).",
)
@with_appcontext
def verify_snapshot_command(file: Path, jwks_file: Path | None) -> None:
    """Check a downloaded snapshot's signature offline; prints its date, count and hash."""
    jwks = json.loads(jwks_file.read_text(encoding="utf-8")) if jwks_file else keys.jwks()
    try:
        document, payload = verify_snapshot(file.read_text(encoding="utf-8"), jwks)
    except SnapshotInvalid as error:
        click.echo(f"invalid: {error.reason}", err=True)
        sys.exit(1)
    click.echo(
        f"valid: registry of {document.taken_on}, {len(document.entries)} credentials, "
        f"sha256 {sha256_hex(payload)}"
    )
