"""`lms serve` (migrate, then gunicorn; a job worker too in embedded mode) and `lms demo`."""

from __future__ import annotations

import ast
import os
import secrets
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import ScriptInfo, with_appcontext
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from lms.extensions import db
from lms.public_urls import PublicUrlInvalid, check_public_url, is_production
from lms.services import queue


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option("--port", default=5000, show_default=True, type=int, help="Port to bind.")
@click.option("--workers", default=2, show_default=True, type=int, help="Gunicorn workers.")
@click.option(
    "--with-worker/--no-worker",
    default=None,
    help="Also run a job-queue consumer (default: only with the embedded SQLite queue).",
)
def serve_command(host: str, port: int, workers: int, with_worker: bool | None) -> None:
    """Apply pending migrations, then serve with gunicorn (and a job worker, embedded mode)."""
    app = click.get_current_context().ensure_object(ScriptInfo).load_app()
    with app.app_context():
        _require_public_url()
        if not database_is_current():
            upgrade()
        db.engine.dispose()  # no connection of this process is inherited by the web workers
        if with_worker is None:
            with_worker = queue.is_embedded(app)
        location = queue.queue_location(app)
    # Workers must find the same instance folder (and so the same secret key) as this process.
    env = dict(os.environ, LMS_INSTANCE_PATH=app.instance_path)
    if not app.config.get("LMS_PUBLIC_URL"):  # development: links to this server
        env["LMS_PUBLIC_URL"] = f"http://{_local_name(host)}:{port}"
    options = {
        "bind": f"{host}:{port}",
        "workers": workers,
        "accesslog": "-",
        "forwarded_allow_ips": os.environ.get("LMS_FORWARDED_ALLOW_IPS", "127.0.0.1"),
    }
    click.echo(f"Serving on http://{host}:{port}/ with {workers} workers (Ctrl+C stops).")
    if not with_worker:
        run_gunicorn(options, env)
        return
    click.echo(f"Job worker on {location} beside the web workers.")
    job_worker = [sys.executable, "-c", "from lms.cli import main; main()", "worker"]
    supervise(lambda: run_gunicorn(options, env), job_worker, env)


def upgrade() -> None:
    """Alembic's upgrade to head; Flask-Migrate (and Alembic) imported only when needed."""
    from flask_migrate import upgrade as alembic_upgrade

    alembic_upgrade()


def database_is_current() -> bool:
    """True when the database is at the newest revision on disk (issue 18: cold start).

    Read without Alembic: the revision ids are parsed from the scripts' source and compared
    with `alembic_version`, so a server restarted on an unchanged database skips Alembic's
    import and script loading. Anything unexpected answers False, and `upgrade()` decides.
    """
    from lms import migrations_dir

    heads = script_heads(Path(migrations_dir()) / "versions")
    try:
        with db.engine.connect() as connection:
            rows = connection.execute(text("SELECT version_num FROM alembic_version"))
            current = {str(row[0]) for row in rows}
    except SQLAlchemyError:  # no table yet: a new database
        return False
    return bool(heads) and current == heads


def script_heads(folder: Path) -> set[str]:
    """The revisions no other revision names as its parent; empty if a script is unreadable."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in folder.glob("*.py"):
        try:
            tree = ast.parse(script.read_text(encoding="utf-8"))
        except (OSError, SyntaxError, ValueError):
            return set()
        values: dict[str, Any] = {}
        for node in tree.body:
            if isinstance(node, ast.Assign | ast.AnnAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    if isinstance(target, ast.Name) and node.value is not None:
                        try:
                            values[target.id] = ast.literal_eval(node.value)
                        except ValueError:
                            values[target.id] = None
        revision, parent = values.get("revision"), values.get("down_revision")
        if not isinstance(revision, str):
            return set()
        revisions.add(revision)
        if isinstance(parent, str):
            parents.add(parent)
        elif isinstance(parent, tuple | list):
            parents.update(str(item) for item in parent)
    return revisions - parents


def run_gunicorn(options: dict[str, Any], env: dict[str, str]) -> None:
    """Gunicorn in this process: its workers fork from here with the app's modules already
    imported, so each only builds the app instead of importing it again (issue 18)."""
    from gunicorn.app.base import BaseApplication

    os.environ.update(env)

    class Server(BaseApplication):  # type: ignore[misc]  # gunicorn ships no types
        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Flask:
            from lms import create_app

            return create_app()

    Server().run()


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


def supervise(web: Callable[[], None], worker: list[str], env: dict[str, str]) -> None:
    """Serve the web (gunicorn, in this process) and one job worker beside it; restart the job
    worker if it dies; stop it when the web server stops."""
    children = {"worker": subprocess.Popen(worker, env=env)}  # noqa: S603 - our own executable
    stopping = threading.Event()

    def watch() -> None:
        while not stopping.wait(1):
            if children["worker"].poll() is not None:
                click.echo("Job worker stopped; starting it again.", err=True)
                if stopping.wait(2):
                    return
                children["worker"] = subprocess.Popen(worker, env=env)  # noqa: S603

    threading.Thread(target=watch, name="job-worker-watch", daemon=True).start()
    try:
        web()
    finally:
        stopping.set()
        worker_process = children["worker"]
        if worker_process.poll() is None:
            worker_process.send_signal(signal.SIGTERM)
            try:
                worker_process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker_process.kill()


@click.command("demo")
@with_appcontext
def demo_command() -> None:
    """On an empty database: publish the bundled courses, create the demo logins (printed)
    and the demo coaches, certified through the app's services."""
    from lms.services import demo  # publishes courses: not imported by `lms serve` (issue 18)

    upgrade()
    logins_file = Path(current_app.instance_path) / "demo-logins.txt"
    try:
        result = demo.create_demo_data(lambda: secrets.token_urlsafe(9))
    except demo.DemoError as error:
        raise click.ClickException(f"The demo data could not be made: {error}") from None
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
