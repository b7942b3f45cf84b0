"""Per-day counts folded into calendar months and weeks."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lms.domain.registry.buckets import by_month, by_week, last_months


def test_last_months_cross_the_year():
    assert last_months(date(2027, 2, 14), 4) == (
        date(2026, 11, 1),
        date(2026, 12, 1),
        date(2027, 1, 1),
        date(2027, 2, 1),
    )
    with pytest.raises(ValueError, match="month"):
        last_months(date(2027, 2, 14), 0)


def test_by_month_keeps_empty_months_and_ignores_older_days():
    daily = [(date(2027, 1, 31), 2), (date(2027, 1, 1), 1), (date(2026, 10, 5), 7)]
    buckets = by_month(daily, date(2027, 3, 10), 3)
    assert [(b.first, b.last, b.count) for b in buckets] == [
        (date(2027, 1, 1), date(2027, 1, 31), 3),
        (date(2027, 2, 1), date(2027, 2, 28), 0),
        (date(2027, 3, 1), date(2027, 3, 31), 0),
    ]


def test_by_week_from_the_first_day_with_a_short_last_week():
    first = date(2027, 6, 15)
    daily = [(first, 1), (first + timedelta(days=6), 1), (first + timedelta(days=7), 4)]
    daily += [(first + timedelta(days=89), 2), (first + timedelta(days=90), 9), (first, 0)]
    weeks = by_week(daily, first, 90)
    assert len(weeks) == 13
    assert (weeks[0].first, weeks[0].last, weeks[0].count) == (first, date(2027, 6, 21), 2)
    assert weeks[1].count == 4
    assert weeks[-1].first == first + timedelta(days=84)
    assert weeks[-1].last == first + timedelta(days=89)  # 6 days, not 7
    assert weeks[-1].count == 2  # day 90 is outside
    with pytest.raises(ValueError, match="day"):
        by_week([], first, 0)


days = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))


@given(st.lists(st.tuples(days, st.integers(0, 50)), max_size=40), days, st.integers(1, 30))
def test_buckets_never_lose_or_invent_counts(daily, today, months):
    buckets = by_month(daily, today, months)
    start = buckets[0].first
    inside = sum(n for day, n in daily if start <= day <= buckets[-1].last)
    assert sum(b.count for b in buckets) == inside
    assert all(b.first <= b.last for b in buckets)
    weeks = by_week(daily, today, months * 7 + 3)
    end = today + timedelta(days=months * 7 + 2)
    assert sum(w.count for w in weeks) == sum(n for day, n in daily if today <= day <= end)
