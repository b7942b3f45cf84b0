"""`lms keys rotate` and `lms credentials verify FILE`."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from lms.services.credentials import keys, verification

keys_cli = click.Group("keys", help="Credential signing keys.")
credentials_cli = click.Group("credentials", help="Issued credentials.")


@keys_cli.command("rotate")
@with_appcontext
def rotate() -> None:
    """Add a new signing key; earlier keys stay published so old credentials still verify."""
    row = keys.rotate()
    click.echo(f"New signing key {row.kid}; {len(keys.jwks()['keys'])} key(s) published.")


@credentials_cli.command("verify")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--public-url", help="The site's address, as in the credential (LMS_PUBLIC_URL).")
@with_appcontext
def verify(file: Path, public_url: str | None) -> None:
    """Check a downloaded credential against this server's keys and status lists, offline."""
    from flask import current_app

    token = file.read_text(encoding="utf-8").strip()
    if public_url:
        current_app.config["LMS_PUBLIC_URL"] = public_url
    with current_app.app_context():
        result = verification.verify_token(token)
    if result.valid:
        click.echo("valid")
        return
    detail = f" ({result.issuer})" if result.issuer else ""
    click.echo(f"invalid: {result.reason}{detail}", err=True)
    sys.exit(1)
