"""The life of an attempt: its states, its deadline, and whether a new one may start.

States: an attempt is created directly ``in_progress`` (starting it is the creation event, so
there is no "started" state). It ends ``submitted`` by the trainee or ``expired`` when time ran
out, and either way becomes ``graded``; an expired attempt is graded on the answers saved
before the deadline. ``graded`` is final (a regrade changes points, not the state).

Retakes: a trainee who passed may take the quiz again while attempts remain. Retaking can only
help, because the best attempt counts (`best_result`); certification reads the best one.

All datetimes must be time-zone aware; naive ones raise ValueError instead of silently
comparing local time with UTC.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from types import MappingProxyType
from typing import Literal, Protocol, TypeVar

from lms.domain.courses.questions import QuizSettings


class AttemptState(StrEnum):
    """Where an attempt is; stored by value in the database."""

    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"
    GRADED = "graded"
    EXPIRED = "expired"


ALLOWED: Mapping[AttemptState, frozenset[AttemptState]] = MappingProxyType(
    {
        AttemptState.IN_PROGRESS: frozenset({AttemptState.SUBMITTED, AttemptState.EXPIRED}),
        AttemptState.SUBMITTED: frozenset({AttemptState.GRADED}),
        AttemptState.EXPIRED: frozenset({AttemptState.GRADED}),
        AttemptState.GRADED: frozenset(),
    }
)
"""The states each state may move to; staying in the same state is not a move."""


class IllegalTransition(ValueError):
    """An attempt was asked to move to a state it cannot reach from its current one."""


def can_move(current: AttemptState, target: AttemptState) -> bool:
    """Whether an attempt in ``current`` may move to ``target``."""
    return target in ALLOWED[current]


def move(current: AttemptState, target: AttemptState) -> AttemptState:
    """Return ``target`` if the move is allowed; raise `IllegalTransition` otherwise."""
    if not can_move(current, target):
        raise IllegalTransition(f"an attempt cannot move from {current} to {target}")
    return target


GRACE_SECONDS = 5.0
"""How long after the deadline a submit still counts: the form may be on its way when the
visible clock reaches zero."""


@dataclass(frozen=True)
class Accommodation:
    """Extra time agreed for a trainee (e.g. 1.5 for time and a half), or no limit at all."""

    time_multiplier: float = 1.0
    no_time_limit: bool = False

    def __post_init__(self) -> None:
        if not 0 < self.time_multiplier < float("inf"):
            raise ValueError(f"time multiplier must be a positive number: {self.time_multiplier}")


def _require_aware(moment: datetime, name: str) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be a time-zone aware datetime")


def deadline(
    started_at: datetime, settings: QuizSettings, accommodation: Accommodation | None
) -> datetime | None:
    """When an attempt started at ``started_at`` runs out of time, or None if it never does.

    The quiz's ``time_limit_minutes`` is multiplied by the trainee's accommodation; with
    ``no_time_limit`` (or no limit in the quiz) there is no deadline.
    """
    _require_aware(started_at, "started_at")
    if settings.time_limit_minutes is None:
        return None
    accommodation = accommodation or Accommodation()
    if accommodation.no_time_limit:
        return None
    minutes = settings.time_limit_minutes * accommodation.time_multiplier
    return started_at + timedelta(minutes=minutes)


def is_expired(
    deadline: datetime | None, now: datetime, grace_seconds: float = GRACE_SECONDS
) -> bool:
    """Whether an attempt with ``deadline`` is out of time at ``now``.

    Allows ``grace_seconds`` after the deadline (`GRACE_SECONDS` by default) for a submit that
    was sent as the clock reached zero; pages should count down to the deadline itself.
    """
    _require_aware(now, "now")
    if deadline is None:
        return False
    _require_aware(deadline, "deadline")
    return now > deadline + timedelta(seconds=grace_seconds)


@dataclass(frozen=True)
class AttemptHistory:
    """A trainee's earlier attempts at one quiz.

    ``count`` is every attempt started, whatever its state: an abandoned attempt uses up a try.
    ``last_finished_at`` is when the latest attempt was submitted or expired.
    """

    count: int
    last_finished_at: datetime | None
    passed: bool

    def __post_init__(self) -> None:
        if self.count < 0:
            raise ValueError(f"attempt count cannot be negative: {self.count}")


StartReason = Literal["ok", "no_attempts_left", "cooldown", "already_passed"]


@dataclass(frozen=True)
class StartDecision:
    """Whether a new attempt may start, and if not, why.

    ``wait_until`` is set for ``cooldown``. ``attempts_left`` includes the attempt about to
    start (None: unlimited). ``already_passed`` is never given under the current retake policy
    (see the module docstring); it is part of the type so pages can name it if that changes.
    """

    allowed: bool
    reason: StartReason
    wait_until: datetime | None
    attempts_left: int | None


def may_start(settings: QuizSettings, history: AttemptHistory, now: datetime) -> StartDecision:
    """Decide whether a trainee with ``history`` may start a new attempt at ``now``.

    No attempts left wins over a cooldown (waiting would not help). The cooldown counts from
    the last finished attempt. An attempt still in progress should be resumed by the caller
    rather than a new one started; this function does not know about it.
    """
    _require_aware(now, "now")
    left = None if settings.attempts is None else max(0, settings.attempts - history.count)
    if left == 0:
        return StartDecision(False, "no_attempts_left", None, 0)
    if settings.cooldown_minutes > 0 and history.last_finished_at is not None:
        _require_aware(history.last_finished_at, "last_finished_at")
        wait_until = history.last_finished_at + timedelta(minutes=settings.cooldown_minutes)
        if now < wait_until:
            return StartDecision(False, "cooldown", wait_until, left)
    return StartDecision(True, "ok", None, left)


class Scored(Protocol):
    """Anything with a percent and a pass, such as `AttemptResult` or a stored attempt."""

    @property
    def percent(self) -> float: ...

    @property
    def passed(self) -> bool: ...


ScoredT = TypeVar("ScoredT", bound=Scored)


def best_result(results: Iterable[ScoredT]) -> ScoredT | None:
    """The attempt that counts: a pass beats a fail, then the higher percent, then the earlier
    (first given) one. None when there are no results."""
    best: ScoredT | None = None
    for result in results:
        if best is None or (result.passed, result.percent) > (best.passed, best.percent):
            best = result
    return best
