"""What a trainer's home says about each cohort: when it runs, and what needs them now.

The service (`lms.services.cohorts.workspace`) counts a cohort's requests, trainees and today's
sessions in a fixed number of queries; the rules here are plain functions:

* `practicum_outstanding`: a trainee who has finished the course work (enrolment ``completed``)
  and whose practicum is not complete waits for the trainer to observe and sign it;
* `cohort_order`: running and coming cohorts first, the soonest-starting on top, then
  finished ones, the most recently finished first;
* `needs_attention`: join requests waiting, practicums to sign, or a session today that nobody
  has been marked at yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from lms.domain.courses import Practicum


def practicum_outstanding(
    practicum: Practicum | None, signed: frozenset[str], hours: float
) -> bool:
    """Whether `practicum` still needs a sign-off: a competency unsigned or hours short.

    A course without a practicum never does. The rule matches `lms.domain.certification`.
    """
    if practicum is None:
        return False
    required = {competency.id for competency in practicum.competencies}
    return not required <= signed or hours < practicum.hours


@dataclass(frozen=True)
class TodaySession:
    """An attendance session held today: how many trainees are marked, how many present."""

    session_id: int
    title: str
    marked: int
    present: int


@dataclass(frozen=True)
class Attention:
    """What one cohort asks of its trainers now."""

    requests: int = 0  # join requests waiting for a decision
    practicum_to_sign: int = 0  # trainees who finished the course work, practicum incomplete
    today: tuple[TodaySession, ...] = ()


def needs_attention(attention: Attention) -> bool:
    """Anything the trainer should act on: requests, practicums, or a session not yet marked."""
    unmarked = any(session.marked == 0 for session in attention.today)
    return bool(attention.requests or attention.practicum_to_sign or unmarked)


def cohort_order(starts_on: date | None, ends_on: date | None, today: date) -> tuple[int, int]:
    """A sort key: running and coming cohorts first (soonest start first, undated after
    them), then finished cohorts (latest end first)."""
    if ends_on is not None and ends_on < today:
        return (2, -ends_on.toordinal())
    if starts_on is None:
        return (1, 0)
    return (0, starts_on.toordinal())
