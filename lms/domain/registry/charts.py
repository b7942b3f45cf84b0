"""Bar charts as plain geometry, for SVG drawn on the server (no JavaScript, no colour codes).

`bar_chart` lays out horizontal bars in a fixed coordinate system (the SVG `viewBox`), so the
chart scales with the page. Each bar carries its label above it and its number after it: the
chart means the same in greyscale, printed, or magnified, and its data table follows it.
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


def bar_chart(data: Sequence[Datum], width: int = WIDTH) -> BarChart:
    """Lay out `data` as horizontal bars, longest for the largest count (zero: no bar).

    Negative counts are not meaningful here and raise ValueError.
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
                short_label=shorten(datum.label),
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
