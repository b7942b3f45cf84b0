"""`lms keys rotate` and `lms credentials verify FILE`."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import click
from flask.cli import with_appcontext

from lms.domain.credentials.verify import verify_credential
from lms.services.credentials import keys
from lms.services.credentials import signing as signed_credentials

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
    base = public_url or current_app.config.get("LMS_PUBLIC_URL") or "http://localhost/"
    with current_app.test_request_context(base_url=base):
        lists = {
            signed_credentials.public_url(
                "certificates.status_list", purpose=purpose
            ): signed_credentials.status_list_token(purpose)
            for purpose in signed_credentials.LIST_PURPOSE_STATUS
        }
        result = verify_credential(token, keys.jwks(), lists, datetime.now(UTC))
    if result.valid:
        click.echo("valid")
        return
    click.echo(f"invalid: {result.reason}", err=True)
    sys.exit(1)
