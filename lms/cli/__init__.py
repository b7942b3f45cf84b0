"""The `lms` command: the application's Flask CLI (`flask --app lms` is the same)."""

from __future__ import annotations

from flask.cli import FlaskGroup


def main() -> None:
    from lms import create_app

    cli = FlaskGroup(create_app=create_app, help="Job coach LMS: run, manage and author courses.")
    cli.main(prog_name="lms")
