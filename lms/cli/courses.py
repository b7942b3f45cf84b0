"""`lms courses ...`: check, publish, list and preview courses."""

from __future__ import annotations

import json
import sys
import urllib.request
from pathlib import Path

import click
from flask.cli import with_appcontext

from lms.services.learning.catalog import published_versions

courses_cli = click.Group("courses", help="Check, publish, list and preview courses.")


CATALOG_PATH = "/courses/catalog.json"
AGAINST_TIMEOUT = 10  # seconds


@courses_cli.command("check")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--against",
    metavar="URL",
    help="Check prerequisites kept elsewhere against the courses published on this LMS "
    "(e.g. https://lms.example.mn). Without it they are warnings: publish them first.",
)
def check(paths: tuple[Path, ...], against: str | None) -> None:
    """Validate course folders; print PATH:LINE: problems; exit 1 on any error."""
    published = _published_on(against) if against else None
    from lms.domain.courses import check_paths  # the checker: loaded by this command only

    problems = check_paths(list(paths), published)
    for problem in problems:
        click.echo(str(problem))
    errors = sum(1 for p in problems if p.is_error)
    warnings = len(problems) - errors
    click.echo(
        f"{len(paths)} course(s) checked: {errors} error(s), {warnings} warning(s)", err=True
    )
    sys.exit(1 if errors else 0)


@courses_cli.command("publish")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--ref", help="Publish the course as it is at this Git tag or commit.")
@click.option("--allow-dirty", is_flag=True, help="Publish despite uncommitted changes.")
@with_appcontext
def publish(path: Path, ref: str | None, allow_dirty: bool) -> None:
    """Validate and publish a course folder as an immutable version."""
    from lms.services.courses import publishing  # loaded by this command only (issue 18)

    result = publishing.publish_path(path, ref=ref, allow_dirty=allow_dirty)
    for problem in result.problems:
        click.echo(str(problem))
    click.echo(result.message, err=result.status == "refused")
    sys.exit(1 if result.status == "refused" else 0)


@courses_cli.command("list")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@with_appcontext
def list_courses(as_json: bool) -> None:
    """Show every course slug and its published versions."""
    listing = published_versions()
    if as_json:
        click.echo(json.dumps(listing, ensure_ascii=False, indent=2))
        return
    if not listing:
        click.echo("No course is published yet.")
    for course in listing:
        click.echo(course["slug"])
        for version in course["versions"]:
            commit = (version["commit"] or "-")[:12]
            click.echo(
                f"  {version['version']:<10} {commit:<12} {version['published_at']}"
                f"  {version['content_hash'][:12]}"
            )


def _published_on(server: str) -> frozenset[str]:
    """The slugs of the courses published on the LMS at `server` (exit 2 when unreachable)."""
    if not server.startswith(("https://", "http://")):
        raise click.BadParameter("give the LMS address with https://", param_hint="--against")
    url = server.rstrip("/") + CATALOG_PATH
    try:
        with urllib.request.urlopen(url, timeout=AGAINST_TIMEOUT) as response:  # noqa: S310
            data = json.load(response)
        return frozenset(str(course["slug"]) for course in data["courses"])
    except (OSError, ValueError, KeyError, TypeError) as error:
        click.echo(f"cannot read the published courses from {url}: {error}", err=True)
        sys.exit(2)
