"""The `lms` command: the application's Flask CLI (`flask --app lms` is the same)."""

from __future__ import annotations

from importlib import metadata
from typing import Any

import click
from flask.cli import FlaskGroup


class _LazyPluginCommand(click.Group):
    """A `flask.commands` entry point (Flask-Limiter's `limiter`), imported when it is used."""

    def __init__(self, entry_point: metadata.EntryPoint) -> None:
        super().__init__(entry_point.name, help=f"Commands from {entry_point.value}.")
        self.entry_point = entry_point

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        command: click.Command = self.entry_point.load()
        return command.make_context(info_name, args, parent, **extra)


class _Cli(FlaskGroup):
    def _load_plugin_commands(self) -> None:
        # Flask imports every plugin's commands first; Flask-Limiter's import rich (~0.25 s of
        # CPU), which `lms serve` paid before starting (issue 18). Listed now, imported on use.
        if self._loaded_plugin_commands:
            return
        for entry_point in metadata.entry_points(group="flask.commands"):
            self.add_command(_LazyPluginCommand(entry_point), entry_point.name)
        self._loaded_plugin_commands = True


def main() -> None:
    from lms import create_app

    cli = _Cli(create_app=create_app, help="Job coach LMS: run, manage and author courses.")
    cli.main(prog_name="lms")
