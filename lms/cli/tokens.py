"""`lms tokens create|list|revoke`: bearer tokens for the read-only registry API."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from lms.services.registry import api_tokens

tokens_cli = click.Group("tokens", help="Bearer tokens for the registry API.")


@tokens_cli.command("create")
@click.option("--name", required=True, help="Who or what the token is for.")
@click.option(
    "--scope",
    "scopes",
    multiple=True,
    required=True,
    type=click.Choice(api_tokens.SCOPES),
    help="What the token may do (repeatable).",
)
@with_appcontext
def create(name: str, scopes: tuple[str, ...]) -> None:
    """Create a token and print it once: only its hash is stored."""
    try:
        row, secret = api_tokens.create(name, scopes, actor=None)
    except api_tokens.TokenError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Token {row.id} ({row.name}, {', '.join(row.scopes)}) created.")
    click.echo("Copy it now: it is not stored and cannot be shown again.")
    click.echo(secret)


@tokens_cli.command("list")
@with_appcontext
def list_tokens() -> None:
    """List tokens (id, prefix, name, scopes, created, last used, revoked)."""
    rows = api_tokens.all_tokens()
    if not rows:
        click.echo("No tokens.")
    for row in rows:
        used = row.last_used_at.isoformat(timespec="seconds") if row.last_used_at else "never"
        state = f"revoked {row.revoked_at:%Y-%m-%d}" if row.revoked_at else "active"
        click.echo(
            f"{row.id}\t{row.prefix}…\t{row.name}\t{','.join(row.scopes)}\t"
            f"created {row.created_at:%Y-%m-%d}\tlast used {used}\t{state}"
        )


@tokens_cli.command("revoke")
@click.argument("token_id", type=int)
@with_appcontext
def revoke(token_id: int) -> None:
    """Revoke a token: calls with it fail at once."""
    try:
        row = api_tokens.revoke(token_id, actor=None)
    except api_tokens.TokenError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Token {row.id} ({row.name}) revoked.")
