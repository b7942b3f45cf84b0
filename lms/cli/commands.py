"""Registers the CLI command groups on the app."""

from __future__ import annotations

from flask import Flask


def register_commands(app: Flask) -> None:
    from lms.cli.audit import audit_cli
    from lms.cli.courses import courses_cli
    from lms.cli.credentials import credentials_cli, keys_cli
    from lms.cli.jobs import jobs_cli, worker_command
    from lms.cli.preview import preview_command
    from lms.cli.quizzes import quizzes_cli
    from lms.cli.registry import registry_cli
    from lms.cli.serve import demo_command, serve_command
    from lms.cli.tokens import tokens_cli
    from lms.cli.users import users_cli

    courses_cli.add_command(preview_command)
    for command in (
        serve_command,
        demo_command,
        users_cli,
        audit_cli,
        courses_cli,
        quizzes_cli,
        keys_cli,
        credentials_cli,
        tokens_cli,
        registry_cli,
        worker_command,
        jobs_cli,
    ):
        app.cli.add_command(command)
