"""Bar and column charts as plain geometry, for SVG drawn on the server (no JavaScript, no
colour codes).

`bar_chart` lays out horizontal bars (categories: regions, courses), `column_chart` vertical
columns (a trend over months or weeks, read left to right), in a fixed coordinate system (the
SVG `viewBox`), so the chart scales with the page. Each bar or column carries its label and
its number as text: the chart means the same in greyscale, printed, or magnified, and its
data table follows it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 400
ROW_HEIGHT = 44
LABEL_BASELINE = 16  # from the top of a row
BAR_TOP = 22
BAR_HEIGHT = 14
VALUE_ROOM = 64  # kept free right of the longest bar for its number
MAX_LABEL_CHARS = 48  # longer labels are shortened in the drawing (the table has them whole)


@dataclass(frozen=True)
class Datum:
    """One category and its count; `href` optionally links the table row to its details."""

    label: str
    value: int
    href: str = ""
    short: str = ""  # the label in a drawing where `label` does not fit (the table has it)


@dataclass(frozen=True)
class Bar:
    """One drawn bar: where its label, bar and number go, in viewBox units."""

    datum: Datum
    short_label: str
    label_y: int
    bar_y: int
    length: float
    value_x: float
    value_y: int


@dataclass(frozen=True)
class BarChart:
    """A laid-out horizontal bar chart of `width` × `height` viewBox units."""

    width: int
    height: int
    bar_height: int
    bars: tuple[Bar, ...]
    maximum: int
    total: int

    @property
    def largest(self) -> Datum | None:
        """The first category with the highest count (None for an empty chart)."""
        best = max(self.bars, key=lambda b: b.datum.value, default=None)
        return best.datum if best is not None and best.datum.value > 0 else None


def shorten(label: str, limit: int = MAX_LABEL_CHARS) -> str:
    """`label`, cut to `limit` characters with an ellipsis when longer."""
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def bar_chart(
    data: Sequence[Datum], width: int = WIDTH, label_chars: int = MAX_LABEL_CHARS
) -> BarChart:
    """Lay out `data` as horizontal bars, longest for the largest count (zero: no bar).

    Labels longer than `label_chars` are shortened in the drawing (a narrower chart needs
    shorter ones). Negative counts are not meaningful here and raise ValueError.
    """
    if any(d.value < 0 for d in data):
        raise ValueError("bar charts show counts (>= 0)")
    maximum = max((d.value for d in data), default=0)
    room = width - VALUE_ROOM
    bars = []
    for index, datum in enumerate(data):
        top = index * ROW_HEIGHT
        length = round(room * datum.value / maximum, 1) if maximum else 0.0
        bars.append(
            Bar(
                datum=datum,
                short_label=shorten(datum.label, label_chars),
                label_y=top + LABEL_BASELINE,
                bar_y=top + BAR_TOP,
                length=length,
                value_x=round(length + 6, 1),
                value_y=top + BAR_TOP + BAR_HEIGHT - 2,
            )
        )
    return BarChart(
        width=width,
        height=max(len(bars) * ROW_HEIGHT, ROW_HEIGHT),
        bar_height=BAR_HEIGHT,
        bars=tuple(bars),
        maximum=maximum,
        total=sum(d.value for d in data),
    )


COLUMN_STEP = 56  # viewBox units per column (the column and the gap after it)
COLUMN_WIDTH = 36
COLUMN_ROOM = 150  # height of the tallest column
COLUMN_TOP = 24  # room above the tallest column for its number
LABEL_ROOM = 28  # below the axis, for the labels
MAX_COLUMN_LABEL_CHARS = 8


@dataclass(frozen=True)
class Column:
    """One drawn column: its box, where its number sits above it and its label below."""

    datum: Datum
    short_label: str
    x: int
    y: float
    height: float
    centre: int
    value_y: float


@dataclass(frozen=True)
class ColumnChart:
    """A laid-out vertical column chart of `width` × `height` viewBox units."""

    width: int
    height: int
    column_width: int
    baseline: int
    label_y: int
    columns: tuple[Column, ...]
    maximum: int
    total: int

    @property
    def largest(self) -> Datum | None:
        """The first period with the highest count (None when every count is zero)."""
        best = max(self.columns, key=lambda c: c.datum.value, default=None)
        return best.datum if best is not None and best.datum.value > 0 else None


def column_chart(data: Sequence[Datum]) -> ColumnChart:
    """Lay out `data` as vertical columns, left to right, tallest for the largest count.

    A zero is drawn as no column with its "0" on the axis (a real zero, not a gap). Labels
    longer than MAX_COLUMN_LABEL_CHARS use the datum's `short` form, else are cut.
    Negative counts raise ValueError.
    """
    if any(d.value < 0 for d in data):
        raise ValueError("column charts show counts (>= 0)")
    maximum = max((d.value for d in data), default=0)
    baseline = COLUMN_TOP + COLUMN_ROOM
    columns = []
    for index, datum in enumerate(data):
        height = round(COLUMN_ROOM * datum.value / maximum, 1) if maximum else 0.0
        x = index * COLUMN_STEP + (COLUMN_STEP - COLUMN_WIDTH) // 2
        columns.append(
            Column(
                datum=datum,
                short_label=shorten(datum.short or datum.label, MAX_COLUMN_LABEL_CHARS),
                x=x,
                y=round(baseline - height, 1),
                height=height,
                centre=x + COLUMN_WIDTH // 2,
                value_y=round(baseline - height - 6, 1),
            )
        )
    return ColumnChart(
        width=max(len(columns), 1) * COLUMN_STEP,
        height=baseline + LABEL_ROOM,
        column_width=COLUMN_WIDTH,
        baseline=baseline,
        label_y=baseline + 18,
        columns=tuple(columns),
        maximum=maximum,
        total=sum(d.value for d in data),
    )
