"""Problems found in a course: what `lms courses check` prints, one per line.

A message is written once, in English, as a template marked with `N_` (which Babel extracts):
``log.error(line, N_("unknown key '%(key)s'"), key=key)``. The problem keeps the template and
its parameters beside the English text, so the web edge (the preview) can show it in the
interface's language with gettext while this package stays free of Flask. A parameter that is
itself a word to translate ("a list", "image") is passed as a `Term`.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]


def N_(message: str) -> str:  # noqa: N802 - the name gettext tools know
    """Mark an English message template for translation (translated where it is shown)."""
    return message


class Term(str):
    """A word inside a message that is translated too (a `N_`-marked template itself)."""

    __slots__ = ()


@dataclass(frozen=True, order=True)
class Problem:
    """One finding, pointing at a file and line (1 when no better line exists).

    ``message`` is the English text; ``template``, ``params`` and ``where`` (the YAML path it
    is about, never translated) let `localised` say it in another language."""

    path: str
    line: int
    severity: Severity
    message: str
    template: str = field(default="", compare=False)
    params: tuple[tuple[str, str], ...] = field(default=(), compare=False)
    terms: frozenset[str] = field(default=frozenset(), compare=False)
    where: str = field(default="", compare=False)

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.severity}: {self.message}"

    def localised(self, translate: Callable[[str], str]) -> str:
        """The message through ``translate`` (gettext), parameters in place; the English
        message when it has no template."""
        if not self.template:
            return self.message
        values = {
            name: translate(value) if name in self.terms else value for name, value in self.params
        }
        text = translate(self.template)
        text = text % values if values else text
        return f"{self.where}: {text}" if self.where else text

    @property
    def is_error(self) -> bool:
        """True for errors, which stop a course from being published."""
        return self.severity == "error"


def closest(word: str, choices: Iterable[str]) -> str:
    """The choice closest to ``word`` (for "did you mean"), or an empty string."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return close[0] if close else ""


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """Return `` (did you mean 'x'?)`` for the closest choice, or an empty string."""
    close = closest(word, choices)
    return f" (did you mean '{close}'?)" if close else ""


class ProblemLog:
    """Collects problems for one file; lines are offset for YAML embedded in a larger file."""

    def __init__(self, problems: list[Problem], path: str, line_offset: int = 0) -> None:
        self.problems = problems
        self.path = path
        self.line_offset = line_offset

    def error(self, line: int, template: str, where: str = "", **params: object) -> None:
        """Record an error at ``line`` (a line of the YAML text, 1-based): ``template`` (marked
        with `N_`) filled with ``params``; ``where`` is the YAML path it is about."""
        self.record(line, "error", template, where, params)

    def warning(self, line: int, template: str, where: str = "", **params: object) -> None:
        """Record a warning at ``line``; see `error`."""
        self.record(line, "warning", template, where, params)

    def record(
        self, line: int, severity: Severity, template: str, where: str, params: dict[str, object]
    ) -> None:
        """Record a problem (`error` and `warning` say it shorter)."""
        values = {name: str(value) for name, value in params.items()}
        text = template % values if values else template
        self.problems.append(
            Problem(
                self.path,
                max(1, line + self.line_offset),
                severity,
                f"{where}: {text}" if where else text,
                template,
                tuple(sorted(values.items())),
                frozenset(name for name, value in params.items() if isinstance(value, Term)),
                where,
            )
        )
