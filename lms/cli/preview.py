"""`lms courses preview PATH`: serve a course folder as trainees will see it, while writing it."""

from __future__ import annotations

from pathlib import Path

import click
from werkzeug.serving import run_simple

DEFAULT_PORT = 5001  # beside `lms serve` on 5000
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


@click.command("preview")
@click.argument("path", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--port", default=DEFAULT_PORT, show_default=True, type=int, help="Port to bind.")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to bind. The preview has no login: keep it on 127.0.0.1.",
)
def preview_command(path: Path, port: int, host: str) -> None:
    """Serve the course folder PATH with every lesson and quiz, reloading on changes."""
    from lms.preview import create_preview_app, refuse_foreign_hosts

    app = create_preview_app(path)
    if host in LOOPBACK:
        refuse_foreign_hosts(app)
    else:
        click.echo(f"Warning: anyone who can reach {host} sees the course and its answer keys.")
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"Previewing {path} at http://{shown}:{port}/ (Ctrl+C stops).")
    run_simple(host, port, app, use_reloader=False, threaded=True)
