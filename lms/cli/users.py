"""`lms users ...`: create accounts and manage roles from the command line."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from lms.domain.roles import ROLES
from lms.extensions import db
from lms.models import User
from lms.services.accounts import users as accounts

users_cli = click.Group("users", help="Create accounts and manage their roles.")


def _user_or_exit(email: str) -> User:
    user = accounts.find_by_email(email)
    if user is None:
        raise click.ClickException(f"no account with email {email}")
    return user


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", "roles", multiple=True, type=click.Choice(ROLES), default=["trainee"])
@click.option("--locale", type=click.Choice(["mn", "en"]), default="mn")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_appcontext
def create(
    email: str, name: str, roles: tuple[str, ...], locale: str, password_stdin: bool
) -> None:
    """Create an account with the given role(s)."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    if len(password) < 10:
        raise click.ClickException("the password needs at least 10 characters")
    try:
        user = accounts.create_user(
            accounts.NewAccount(email=email, name=name, password=password, locale=locale),
            roles=tuple(roles),
        )
    except accounts.AccountError as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"Created {user.email} with roles: {', '.join(sorted(user.role_names))}")


@users_cli.command("grant")
@click.argument("email")
@click.argument("role", type=click.Choice(ROLES))
@with_appcontext
def grant(email: str, role: str) -> None:
    """Give an account a role (audited)."""
    user = _user_or_exit(email)
    changed = accounts.grant_role(user, role, actor=None)
    db.session.commit()
    click.echo(f"{email} {'now has' if changed else 'already had'} the role {role}")


@users_cli.command("revoke-role")
@click.argument("email")
@click.argument("role", type=click.Choice(ROLES))
@with_appcontext
def revoke_role(email: str, role: str) -> None:
    """Take a role away from an account (audited)."""
    user = _user_or_exit(email)
    try:
        changed = accounts.revoke_role(user, role, actor=None)
    except accounts.AccountError as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"{email} {'no longer has' if changed else 'did not have'} the role {role}")


@users_cli.command("assign-course")
@click.argument("email")
@click.argument("slug")
@click.option("--remove", is_flag=True, help="Take the trainer off the course instead.")
@with_appcontext
def assign_course(email: str, slug: str, remove: bool) -> None:
    """Assign a trainer to a course: they follow its enrolments outside cohorts (audited)."""
    from lms.services.cohorts import course_trainers
    from lms.services.courses.store import find_course

    user = _user_or_exit(email)
    course = find_course(slug)
    if course is None:
        raise click.ClickException(f"no course {slug}")
    if remove:
        changed = course_trainers.unassign(course, user, actor=None)
        click.echo(f"{email} {'removed from' if changed else 'was not assigned to'} {slug}")
        return
    try:
        changed = course_trainers.assign(course, user, actor=None)
    except course_trainers.CourseTrainerRefused as error:
        raise click.ClickException(f"{error} is not a trainer") from error
    click.echo(f"{email} {'assigned to' if changed else 'was already assigned to'} {slug}")
