"""Regrading stored attempts after a quiz changed (``lms quizzes regrade COURSE QUIZ``).

A patch release may fix a wrong answer key, accept another spelling or widen a tolerance.
`regrade` grades every stored attempt again against the new quiz and reports only the attempts
whose score or pass changes, so the command can show them before anything is written.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from lms.domain.courses.questions import Quiz
from lms.domain.quiz.draw import DrawnQuestion
from lms.domain.quiz.grading import AttemptResult, grade_attempt

SCORE_EPSILON = 1e-9
"""Scores closer than this are the same score (float sums may differ in the last bit)."""


@dataclass(frozen=True)
class StoredAttempt:
    """A graded attempt as stored: what was drawn and answered, and the result it got."""

    ref: str  # whatever lets the caller find the attempt again, e.g. its database id
    drawn: tuple[DrawnQuestion, ...]
    answers: Mapping[str, object]
    language: str
    score: float
    passed: bool


@dataclass(frozen=True)
class RegradeChange:
    """An attempt whose result changes; ``new_result`` is what to store when applying."""

    attempt_ref: str
    old_score: float
    new_score: float
    old_passed: bool
    new_passed: bool
    new_result: AttemptResult

    @property
    def verdict_changed(self) -> bool:
        """Whether the attempt now passes where it failed, or the other way round."""
        return self.old_passed != self.new_passed


def regrade(quiz: Quiz, attempts: Iterable[StoredAttempt]) -> list[RegradeChange]:
    """Grade ``attempts`` against ``quiz`` again; return the changes, in the given order.

    An attempt whose score (within `SCORE_EPSILON`) and pass are unchanged is left out.
    """
    changes = []
    for attempt in attempts:
        result = grade_attempt(quiz, attempt.drawn, attempt.answers, attempt.language)
        same_score = abs(result.score - attempt.score) <= SCORE_EPSILON
        if same_score and result.passed == attempt.passed:
            continue
        changes.append(
            RegradeChange(
                attempt_ref=attempt.ref,
                old_score=attempt.score,
                new_score=result.score,
                old_passed=attempt.passed,
                new_passed=result.passed,
                new_result=result,
            )
        )
    return changes


@dataclass(frozen=True)
class RegradeSummary:
    """Counts for the command's last line: how many change, and how many change verdict."""

    checked: int
    changed: int
    now_passing: int
    now_failing: int


def summarise(checked: int, changes: Sequence[RegradeChange]) -> RegradeSummary:
    """Summarise ``changes`` found among ``checked`` attempts."""
    return RegradeSummary(
        checked=checked,
        changed=len(changes),
        now_passing=sum(1 for c in changes if c.new_passed and not c.old_passed),
        now_failing=sum(1 for c in changes if c.old_passed and not c.new_passed),
    )
