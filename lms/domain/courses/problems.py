"""Problems found in a course: what `lms courses check` prints, one per line."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """One finding, pointing at a file and line (1 when no better line exists)."""

    path: str
    line: int
    severity: Severity
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.severity}: {self.message}"

    @property
    def is_error(self) -> bool:
        """True for errors, which stop a course from being published."""
        return self.severity == "error"


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """Return `` (did you mean 'x'?)`` for the closest choice, or an empty string."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


class ProblemLog:
    """Collects problems for one file; lines are offset for YAML embedded in a larger file."""

    def __init__(self, problems: list[Problem], path: str, line_offset: int = 0) -> None:
        self.problems = problems
        self.path = path
        self.line_offset = line_offset

    def error(self, line: int, message: str) -> None:
        """Record an error at ``line`` (a line of the YAML text, 1-based)."""
        self._add(line, "error", message)

    def warning(self, line: int, message: str) -> None:
        """Record a warning at ``line`` (a line of the YAML text, 1-based)."""
        self._add(line, "warning", message)

    def _add(self, line: int, severity: Severity, message: str) -> None:
        self.problems.append(Problem(self.path, max(1, line + self.line_offset), severity, message))
