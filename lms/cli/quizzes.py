"""`lms quizzes regrade COURSE QUIZ`: recompute grades after an answer-key fix."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from lms.services.learning import regrading

quizzes_cli = click.Group("quizzes", help="Quiz maintenance.")


@quizzes_cli.command("regrade")
@click.argument("course")
@click.argument("quiz")
@click.option("--yes", is_flag=True, help="Apply without asking.")
@with_appcontext
def regrade(course: str, quiz: str, yes: bool) -> None:
    """Show how stored answers grade under the newest patch release; apply on confirmation."""
    try:
        checked, changes = regrading.plan(course, quiz)
    except LookupError as error:
        raise click.ClickException(str(error)) from error
    for item in changes:
        c = item.change
        verdict = ""
        if c.old_passed != c.new_passed:
            verdict = "  now PASSED" if c.new_passed else "  now NOT PASSED"
        click.echo(
            f"attempt {c.attempt_ref} (trainee {item.attempt.enrolment.user.email}): "
            f"{c.old_score:g} -> {c.new_score:g} points with version {item.new_version}{verdict}"
        )
    click.echo(f"{checked} graded attempt(s) checked, {len(changes)} would change.")
    if not changes:
        return
    if yes or click.confirm("Apply these changes?", default=False):
        regrading.apply(changes)
        click.echo(f"Applied {len(changes)} change(s); each is in the audit log.")
    else:
        click.echo("Nothing changed.")
