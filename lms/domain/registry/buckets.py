"""Calendar buckets for registry statistics: counts per day folded into months or weeks.

The database groups by a plain date column (portable SQL on SQLite and PostgreSQL); these
functions fold the per-day counts into the months or weeks a chart shows, with empty buckets
kept (a month without any credential is a real zero, not a gap).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from lms.domain.credentials.lifecycle import add_months


@dataclass(frozen=True)
class Bucket:
    """Counts from `first` to `last` (both included)."""

    first: date
    last: date
    count: int


def last_months(today: date, months: int) -> tuple[date, ...]:
    """The first days of the `months` calendar months ending with `today`'s, oldest first."""
    if months < 1:
        raise ValueError("at least one month")
    current = today.replace(day=1)
    return tuple(add_months(current, -back) for back in range(months - 1, -1, -1))


def by_month(daily: Iterable[tuple[date, int]], today: date, months: int) -> list[Bucket]:
    """Per-day counts summed into the last `months` calendar months (days outside are ignored)."""
    starts = last_months(today, months)
    totals = dict.fromkeys(starts, 0)
    for day, count in daily:
        start = day.replace(day=1)
        if start in totals:
            totals[start] += count
    return [
        Bucket(start, add_months(start, 1) - timedelta(days=1), totals[start]) for start in starts
    ]


def by_week(daily: Iterable[tuple[date, int]], first: date, days: int) -> list[Bucket]:
    """Per-day counts from `first` for `days` days, in 7-day buckets starting on `first`.

    The last bucket is shorter when `days` is not a multiple of 7; days outside are ignored.
    """
    if days < 1:
        raise ValueError("at least one day")
    end = first + timedelta(days=days - 1)
    starts = [first + timedelta(days=offset) for offset in range(0, days, 7)]
    counts = [0] * len(starts)
    for day, count in daily:
        if first <= day <= end:
            counts[(day - first).days // 7] += count
    return [
        Bucket(start, min(start + timedelta(days=6), end), count)
        for start, count in zip(starts, counts, strict=True)
    ]
