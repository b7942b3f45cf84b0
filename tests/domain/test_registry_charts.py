"""Bar chart layout: lengths in proportion, labels and numbers placed, nothing negative."""

from __future__ import annotations

import pytest

from lms.domain.registry.charts import (
    ROW_HEIGHT,
    VALUE_ROOM,
    WIDTH,
    Datum,
    bar_chart,
    shorten,
)


def test_lengths_are_proportional_to_the_largest_count():
    chart = bar_chart([Datum("Ховд", 10), Datum("Дорнод", 5), Datum("Увс", 0)])
    room = WIDTH - VALUE_ROOM
    assert [b.length for b in chart.bars] == [room, room / 2, 0.0]
    assert (chart.maximum, chart.total) == (10, 15)
    assert chart.largest == Datum("Ховд", 10)
    assert chart.height == 3 * ROW_HEIGHT


def test_rows_stack_and_numbers_sit_after_their_bar():
    chart = bar_chart([Datum("a", 3), Datum("b", 1)])
    first, second = chart.bars
    assert second.label_y - first.label_y == ROW_HEIGHT
    assert first.label_y < first.bar_y < first.value_y
    assert first.value_x > first.length
    assert second.value_x > second.length
    assert all(b.value_x + 30 <= chart.width for b in chart.bars)  # room for the number


def test_empty_and_all_zero_charts():
    empty = bar_chart([])
    assert (empty.bars, empty.maximum, empty.total, empty.largest) == ((), 0, 0, None)
    assert empty.height == ROW_HEIGHT
    zeros = bar_chart([Datum("a", 0), Datum("b", 0)])
    assert [b.length for b in zeros.bars] == [0.0, 0.0]
    assert zeros.largest is None


def test_negative_counts_are_refused():
    with pytest.raises(ValueError, match="counts"):
        bar_chart([Datum("a", -1)])


def test_long_labels_are_shortened_in_the_drawing_only():
    long = "Улаанбаатар, Сонгинохайрхан дүүрэг, " * 3
    chart = bar_chart([Datum(long, 1, href="/registry/?region=x")])
    bar = chart.bars[0]
    assert bar.datum.label == long
    assert bar.datum.href == "/registry/?region=x"
    assert len(bar.short_label) == 48
    assert bar.short_label.endswith("…")
    assert shorten("Ховд") == "Ховд"
