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


def test_columns_stand_on_one_baseline_in_proportion_left_to_right():
    from lms.domain.registry.charts import COLUMN_ROOM, COLUMN_STEP, column_chart

    chart = column_chart([Datum("2026-01", 4), Datum("2026-02", 0), Datum("2026-03", 8)])
    first, empty, tallest = chart.columns
    assert [c.height for c in chart.columns] == [COLUMN_ROOM / 2, 0.0, COLUMN_ROOM]
    assert all(c.y + c.height == chart.baseline for c in chart.columns)
    assert first.x < empty.x < tallest.x
    assert empty.x - first.x == COLUMN_STEP
    assert chart.width == 3 * COLUMN_STEP
    # Numbers above their column (a zero sits on the axis), labels below the axis.
    assert tallest.value_y < tallest.y
    assert empty.value_y < chart.baseline < chart.label_y
    assert chart.label_y < chart.height
    assert (chart.maximum, chart.total, chart.largest) == (8, 12, Datum("2026-03", 8))


def test_columns_use_the_short_label_and_refuse_negative_counts():
    from lms.domain.registry.charts import column_chart

    chart = column_chart([Datum("2026-12-03 – 2026-12-09", 1, short="12-03")])
    assert chart.columns[0].short_label == "12-03"
    assert column_chart([Datum("a very long label", 1)]).columns[0].short_label == "a very…"
    assert column_chart([]).largest is None
    with pytest.raises(ValueError, match="counts"):
        column_chart([Datum("x", -1)])
