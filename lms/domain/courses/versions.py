"""Semantic versions of courses and the version policy that follows from them.

Trainees stay on the version they enrolled in. A patch release (text fixes) moves
in-progress trainees forward automatically; minor and major releases only when a trainer
moves a cohort.
"""

from __future__ import annotations

import re
from typing import NamedTuple

_SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")


class SemVer(NamedTuple):
    major: int
    minor: int
    patch: int

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}.{self.patch}"


def parse_version(text: str) -> SemVer | None:
    """``1.2.3`` → SemVer(1, 2, 3); None when it is not MAJOR.MINOR.PATCH."""
    match = _SEMVER.fullmatch(text.strip())
    return SemVer(*(int(part) for part in match.groups())) if match else None


def moves_automatically(current: SemVer, candidate: SemVer) -> bool:
    """True when in-progress trainees on `current` move to `candidate` without a trainer.

    Only a newer patch of the same MAJOR.MINOR moves by itself.
    """
    return candidate[:2] == current[:2] and candidate.patch > current.patch
