"""`lms serve` (migrate, then gunicorn) and `lms demo` (demo data on an empty database)."""

from __future__ import annotations

import os
import secrets
import shutil
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_migrate import upgrade

from lms.services import demo


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option("--port", default=5000, show_default=True, type=int, help="Port to bind.")
@click.option("--workers", default=2, show_default=True, type=int, help="Gunicorn workers.")
@with_appcontext
def serve_command(host: str, port: int, workers: int) -> None:
    """Apply pending migrations, then serve with gunicorn."""
    upgrade()
    # Workers must find the same instance folder (and so the same secret key) as this process.
    env = dict(os.environ, LMS_INSTANCE_PATH=current_app.instance_path)
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    click.echo(f"Serving on http://{host}:{port}/ with {workers} workers (Ctrl+C stops).")
    args = [
        gunicorn,
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--access-logfile",
        "-",
        "--forwarded-allow-ips",
        os.environ.get("LMS_FORWARDED_ALLOW_IPS", "127.0.0.1"),
        "lms:create_app()",
    ]
    os.execve(gunicorn, args, env)  # noqa: S606 - replaces this process with gunicorn


@click.command("demo")
@with_appcontext
def demo_command() -> None:
    """On an empty database: publish the bundled courses and create one account per role."""
    upgrade()
    logins_file = Path(current_app.instance_path) / "demo-logins.txt"
    result = demo.create_demo_data(lambda: secrets.token_urlsafe(9))
    if result.created:
        fd = os.open(logins_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(result.logins_text())
        for line in result.messages:
            click.echo(line)
        click.echo(f"Demo accounts (also saved in {logins_file}):")
        click.echo(result.logins_text())
    elif logins_file.exists():
        click.echo("The database already has data; the demo accounts are:")
        click.echo(logins_file.read_text())
    else:
        click.echo("The database already has data; no demo accounts were created.")
