"""`lms serve` (migrate, then gunicorn; a job worker too in embedded mode) and `lms demo`."""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_migrate import upgrade

from lms.public_urls import PublicUrlInvalid, check_public_url, is_production
from lms.services import demo, queue


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option("--port", default=5000, show_default=True, type=int, help="Port to bind.")
@click.option("--workers", default=2, show_default=True, type=int, help="Gunicorn workers.")
@click.option(
    "--with-worker/--no-worker",
    default=None,
    help="Also run a job-queue consumer (default: only with the embedded SQLite queue).",
)
@with_appcontext
def serve_command(host: str, port: int, workers: int, with_worker: bool | None) -> None:
    """Apply pending migrations, then serve with gunicorn (and a job worker, embedded mode)."""
    _require_public_url()
    upgrade()
    # Workers must find the same instance folder (and so the same secret key) as this process.
    env = dict(os.environ, LMS_INSTANCE_PATH=current_app.instance_path)
    if not current_app.config.get("LMS_PUBLIC_URL"):  # development: links to this server
        env["LMS_PUBLIC_URL"] = f"http://{_local_name(host)}:{port}"
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
    if with_worker is None:
        with_worker = queue.is_embedded(current_app)
    if not with_worker:
        os.execve(gunicorn, args, env)  # noqa: S606 - replaces this process with gunicorn
        return  # (only reached where execve is stubbed, as in the tests)
    click.echo(f"Job worker on {queue.queue_location(current_app)} beside the web workers.")
    supervise(args, [sys.executable, "-c", "from lms.cli import main; main()", "worker"], env)


def _require_public_url() -> None:
    """Production mode needs LMS_PUBLIC_URL: links in mail and credentials are built from it."""
    config = current_app.config
    if config.get("LMS_PUBLIC_URL"):
        try:
            check_public_url(config["LMS_PUBLIC_URL"])
        except PublicUrlInvalid as problem:
            raise click.ClickException(str(problem)) from problem
    elif is_production(config):
        raise click.ClickException(
            "LMS_PUBLIC_URL must be set in production (e.g. LMS_PUBLIC_URL=https://lms.example.mn):"
            " every link in mail, certificates and signed credentials is built from it, never"
            " from request headers. For a local PostgreSQL database set LMS_ENV=development."
        )


def _local_name(host: str) -> str:
    """The address to put in development links: a wildcard bind is reached as 127.0.0.1."""
    return "127.0.0.1" if host in ("0.0.0.0", "::", "") else host  # noqa: S104


def supervise(web: list[str], worker: list[str], env: dict[str, str]) -> None:
    """Run gunicorn and one job worker; restart the worker if it dies; stop both together."""
    children = {"web": subprocess.Popen(web, env=env)}  # noqa: S603 - our own executables
    children["worker"] = subprocess.Popen(worker, env=env)  # noqa: S603

    def stop(signum: int, _frame: object) -> None:
        for child in children.values():
            if child.poll() is None:
                child.send_signal(signal.SIGTERM if signum == signal.SIGTERM else signal.SIGINT)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        while children["web"].poll() is None:
            if children["worker"].poll() is not None:
                click.echo("Job worker stopped; starting it again.", err=True)
                time.sleep(2)
                children["worker"] = subprocess.Popen(worker, env=env)  # noqa: S603
            time.sleep(1)
    finally:
        worker_process = children["worker"]
        if worker_process.poll() is None:
            worker_process.terminate()
            try:
                worker_process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker_process.kill()
    sys.exit(children["web"].returncode or 0)


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
