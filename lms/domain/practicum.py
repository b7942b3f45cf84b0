"""Practicum records: what a trainer may record, and when a record may be voided.

Records are append-only. A record is accepted only when it can be true:

- it was observed on a day that has happened, and not before the enrolment began (the earlier
  of the day the enrolment was activated and the day its cohort starts; a cohort's practicum
  may begin before a late-comer's enrolment is approved);
- it says something: a competency signed off, or more than zero supervised hours;
- its hours are a finite number from 0 to `MAX_HOURS` (one record is one observation period);
- its competency is one the course's practicum lists.

A record that was wrong is voided, never edited: it stays in the log marked void, with who
voided it, when and why, and no longer counts towards hours, competencies or certification.

Problem codes (`entry_problems`, in this order): ``future``, ``before_start``, ``hours``,
``competency``, ``empty``. `void_problems`: ``reason``, ``reason_length``, ``already_void``.
"""

from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

MAX_HOURS = 200.0
"""The most supervised hours one record may carry."""

MAX_VOID_REASON = 500
"""The longest reason for voiding a record, in characters."""


@dataclass(frozen=True)
class PracticumEntry:
    """A practicum record as the trainer typed it."""

    competency_id: str | None
    hours: float
    observed_on: date


def enrolment_start(
    activated_on: date | None, requested_on: date, cohort_starts_on: date | None
) -> date:
    """The first day a practicum of the enrolment can have been observed.

    The day the enrolment became active (else the day it was requested), or the cohort's first
    day when that is earlier.
    """
    start = activated_on or requested_on
    if cohort_starts_on is not None and cohort_starts_on < start:
        return cohort_starts_on
    return start


def entry_problems(
    entry: PracticumEntry,
    *,
    earliest: date,
    today: date,
    competencies: Collection[str],
) -> list[str]:
    """What is wrong with `entry` (empty: it may be recorded).

    `earliest` is `enrolment_start`, `today` the date in Mongolia, `competencies` the ids the
    course's practicum lists.
    """
    problems: list[str] = []
    if entry.observed_on > today:
        problems.append("future")
    elif entry.observed_on < earliest:
        problems.append("before_start")
    hours_ok = math.isfinite(entry.hours) and 0 <= entry.hours <= MAX_HOURS
    if not hours_ok:
        problems.append("hours")
    if entry.competency_id and entry.competency_id not in competencies:
        problems.append("competency")
    if not entry.competency_id and hours_ok and entry.hours <= 0:
        problems.append("empty")
    return problems


def void_problems(reason: str, *, already_void: bool) -> list[str]:
    """What stops a record being voided with `reason` (empty: it may be)."""
    problems: list[str] = []
    if already_void:
        problems.append("already_void")
    text = reason.strip()
    if not text:
        problems.append("reason")
    elif len(text) > MAX_VOID_REASON:
        problems.append("reason_length")
    return problems
