"""Attempt states, deadlines with accommodations, starting rules and the attempt that counts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from lms.domain.quiz import (
    ALLOWED,
    GRACE_SECONDS,
    Accommodation,
    AttemptHistory,
    AttemptResult,
    AttemptState,
    IllegalTransition,
    best_result,
    can_move,
    deadline,
    is_expired,
    may_start,
    move,
)
from tests.domain.quiz.quiz_builder import make_quiz

S = AttemptState
T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
NAIVE = datetime(2026, 3, 1, 9, 0)  # naive on purpose
MOVES = {
    (S.IN_PROGRESS, S.SUBMITTED),
    (S.IN_PROGRESS, S.EXPIRED),
    (S.SUBMITTED, S.GRADED),
    (S.EXPIRED, S.GRADED),
}


@pytest.mark.parametrize("current", list(S))
@pytest.mark.parametrize("target", list(S))
def test_transitions(current: AttemptState, target: AttemptState) -> None:
    allowed = (current, target) in MOVES
    assert can_move(current, target) is allowed
    if allowed:
        assert move(current, target) is target
    else:
        with pytest.raises(IllegalTransition):
            move(current, target)


def test_graded_is_final_and_states_are_stored_by_value() -> None:
    assert ALLOWED[S.GRADED] == frozenset()
    assert [s.value for s in S] == ["in_progress", "submitted", "graded", "expired"]
    assert issubclass(IllegalTransition, ValueError)


@pytest.mark.parametrize(
    ("limit", "accommodation", "minutes"),
    [
        (60, None, 60),
        (60, Accommodation(), 60),
        (60, Accommodation(time_multiplier=1.5), 90),
        (45, Accommodation(time_multiplier=1.5), 67.5),
        (60, Accommodation(no_time_limit=True), None),
        (60, Accommodation(time_multiplier=2, no_time_limit=True), None),
        (None, Accommodation(time_multiplier=1.5), None),
        (None, None, None),
    ],
)
def test_deadline(
    limit: int | None, accommodation: Accommodation | None, minutes: float | None
) -> None:
    settings = make_quiz(time_limit_minutes=limit).settings
    expected = None if minutes is None else T0 + timedelta(minutes=minutes)
    assert deadline(T0, settings, accommodation) == expected


def test_naive_datetimes_are_refused() -> None:
    settings = make_quiz(time_limit_minutes=30).settings
    with pytest.raises(ValueError, match="aware"):
        deadline(NAIVE, settings, None)
    with pytest.raises(ValueError, match="aware"):
        is_expired(T0, NAIVE)
    with pytest.raises(ValueError, match="aware"):
        is_expired(NAIVE, T0)
    with pytest.raises(ValueError, match="aware"):
        may_start(make_quiz().settings, AttemptHistory(0, None, False), NAIVE)


@pytest.mark.parametrize("multiplier", [0, -1, float("nan"), float("inf")])
def test_accommodation_needs_a_positive_multiplier(multiplier: float) -> None:
    with pytest.raises(ValueError, match="multiplier"):
        Accommodation(time_multiplier=multiplier)


@pytest.mark.parametrize(
    ("seconds_after_deadline", "expired"),
    [(-60, False), (0, False), (GRACE_SECONDS, False), (GRACE_SECONDS + 0.001, True), (600, True)],
)
def test_is_expired_has_a_grace(seconds_after_deadline: float, expired: bool) -> None:
    assert is_expired(T0, T0 + timedelta(seconds=seconds_after_deadline)) is expired
    assert is_expired(None, T0 + timedelta(days=999)) is False


def test_is_expired_without_grace() -> None:
    assert is_expired(T0, T0 + timedelta(seconds=1), grace_seconds=0)


@pytest.mark.parametrize(
    ("attempts", "cooldown", "history", "now_after", "reason", "wait", "left"),
    [
        (3, 0, AttemptHistory(0, None, False), 0, "ok", None, 3),
        (3, 0, AttemptHistory(2, T0, False), 0, "ok", None, 1),
        (3, 0, AttemptHistory(3, T0, False), 999, "no_attempts_left", None, 0),
        (3, 0, AttemptHistory(5, T0, False), 999, "no_attempts_left", None, 0),
        (None, 0, AttemptHistory(50, T0, False), 0, "ok", None, None),
        (3, 60, AttemptHistory(1, T0, False), 59, "cooldown", 60, 2),
        (3, 60, AttemptHistory(1, T0, False), 60, "ok", None, 2),
        (3, 60, AttemptHistory(3, T0, False), 0, "no_attempts_left", None, 0),
        (None, 60, AttemptHistory(1, T0, False), 10, "cooldown", 60, None),
        (3, 60, AttemptHistory(0, None, False), 0, "ok", None, 3),
        (3, 0, AttemptHistory(1, T0, True), 0, "ok", None, 2),  # a pass may be retaken
        (1, 0, AttemptHistory(1, T0, True), 0, "no_attempts_left", None, 0),
    ],
)
def test_may_start(
    attempts: int | None,
    cooldown: int,
    history: AttemptHistory,
    now_after: int,
    reason: str,
    wait: int | None,
    left: int | None,
) -> None:
    settings = make_quiz(attempts=attempts, cooldown_minutes=cooldown).settings
    decision = may_start(settings, history, T0 + timedelta(minutes=now_after))
    assert (decision.allowed, decision.reason) == (reason == "ok", reason)
    assert decision.wait_until == (None if wait is None else T0 + timedelta(minutes=wait))
    assert decision.attempts_left == left


def test_history_count_cannot_be_negative() -> None:
    with pytest.raises(ValueError, match="negative"):
        AttemptHistory(-1, None, False)


def _result(percent: float, passed: bool) -> AttemptResult:
    return AttemptResult(results=(), score=percent, max_score=100, percent=percent, passed=passed)


def test_best_result() -> None:
    first_pass, better_fail = _result(80, True), _result(95, False)
    assert best_result([]) is None
    assert best_result([better_fail, first_pass]) is first_pass
    later_same = _result(80, True)
    assert best_result([first_pass, later_same]) is first_pass
    assert best_result([first_pass, _result(90, True)]) == _result(90, True)
