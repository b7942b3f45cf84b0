"""Where things go on the certificate page. All measures in millimetres, A4 landscape.

The body is a stack of rows (heading, credential, ornament, "this certifies that", name, ...).
With two languages each row holds both, side by side, and is as tall as the taller of the two,
so the Mongolian and English names, titles and detail rows line up across the page.

`plan_pages` picks the layout: both languages on one page at full size or slightly smaller,
else a page per language, shrinking type no further than `MIN_SCALE`. Text that still does not
fit raises `CertificateTooLong` rather than print over the footer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, BinaryIO, Protocol

from fpdf import FPDF
from fpdf.enums import Align, MethodReturnValue, XPos, YPos

if TYPE_CHECKING:
    from lms.domain.certificates.pdf import CertificateLines

PAGE_W, PAGE_H = 297.0, 210.0
LEFT, RIGHT = 25.0, PAGE_W - 25.0
TOP = 25.0
FOOTER_TOP = 153.0  # the rule between the body and the number / QR band
GUTTER = 18.0
SINGLE_WIDTH = 190.0
QR_SIZE = 36.0  # the image, quiet zone included: the code itself prints about 3 cm wide

NAVY = (24, 46, 84)
GOLD = (160, 124, 62)  # rules and ornaments
GOLD_TEXT = (122, 90, 34)  # darker, for text to read at 4.5:1 contrast
INK = (30, 30, 30)
GREY = (88, 88, 88)

_FAMILY = "certificate"
PT = 25.4 / 72  # one point in millimetres

Column = tuple[float, float]  # x, width


class CertificateTooLong(ValueError):
    """The text does not fit a page even in the smallest type."""


@dataclass(frozen=True)
class _Style:
    style: str  # "" or "B"
    size: float  # points
    color: tuple[int, int, int]
    space_after: float
    spacing: float = 0  # extra space between characters, points
    leading: float = 1.3  # line height as a multiple of the size

    def scaled(self, scale: float) -> _Style:
        return replace(
            self,
            size=self.size * scale,
            space_after=self.space_after * scale,
            spacing=self.spacing * scale,
        )


HEADING = _Style("B", 25, NAVY, 1.5, spacing=2)
CREDENTIAL = _Style("", 13, GOLD_TEXT, 3)
LEAD_IN = _Style("", 10.5, GREY, 1.5)
NAME = _Style("B", 21, INK, 4)
COURSE = _Style("B", 13, NAVY, 6.5)
LABEL = _Style("", 8.5, GREY, 1.3, leading=1.25)
VALUE = _Style("", 9, INK, 1.3, leading=1.25)
NUMBER = _Style("B", 17, NAVY, 2, spacing=0.5)
NOTE = _Style("", 8.5, GREY, 1.5)
URL = _Style("", 7, GREY, 0)

NAME_MIN_SIZE = 14.0
ORNAMENT_HEIGHT = 7.0
LABEL_SHARE = 0.44  # of a column's width, for the detail labels
SIDE_BY_SIDE_SCALES = (1.0, 0.93, 0.86)  # two languages stay on one page down to this
SCALES = (1.0, 0.93, 0.86, 0.8, 0.74, 0.68, 0.62)
MIN_SCALE = SCALES[-1]
BODY_HEIGHT = FOOTER_TOP - TOP - 4


def columns(count: int) -> list[Column]:
    """(x, width) of each language's column."""
    if count == 1:
        return [((PAGE_W - SINGLE_WIDTH) / 2, SINGLE_WIDTH)]
    width = (RIGHT - LEFT - GUTTER) / 2
    return [(LEFT, width), (LEFT + width + GUTTER, width)]


def plan_pages(
    pdf: FPDF, blocks: Sequence[CertificateLines]
) -> list[tuple[tuple[CertificateLines, ...], float]]:
    """The pages to print: the blocks on each and the type scale that makes them fit."""
    if len(blocks) > 1:
        for scale in SIDE_BY_SIDE_SCALES:
            if _body_height(pdf, blocks, scale) <= BODY_HEIGHT:
                return [(tuple(blocks), scale)]
    return [((block,), _fitting_scale(pdf, block)) for block in blocks]


def _fitting_scale(pdf: FPDF, block: CertificateLines) -> float:
    for scale in SCALES:
        if _body_height(pdf, [block], scale) <= BODY_HEIGHT:
            return scale
    raise CertificateTooLong(f"the {block.language} text does not fit on an A4 page")


def _body_height(pdf: FPDF, blocks: Sequence[CertificateLines], scale: float) -> float:
    cols = columns(len(blocks))
    return sum(row_height(pdf, cols) for row_height in _rows(blocks, scale))


def draw_blocks(pdf: FPDF, blocks: Sequence[CertificateLines], scale: float = 1.0) -> None:
    """The body: every row for every block, vertically centred above the footer."""
    cols = columns(len(blocks))
    rows = _rows(blocks, scale)
    heights = [row(pdf, cols) for row in rows]
    y = TOP + max(0.0, (BODY_HEIGHT - sum(heights)) / 2)
    if len(blocks) == 2:
        middle = (cols[0][0] + cols[0][1] + cols[1][0]) / 2
        _rule(pdf, middle, y + 2, middle, y + sum(heights) - 4, GOLD, 0.2)
    for row, height in zip(rows, heights, strict=True):
        row(pdf, cols, y)
        y += height


def draw_frame(pdf: FPDF) -> None:
    """A navy outer border, a fine gold inner one and small gold corner squares."""
    pdf.set_draw_color(*NAVY)
    pdf.set_line_width(1.2)
    pdf.rect(9, 9, PAGE_W - 18, PAGE_H - 18)
    pdf.set_draw_color(*GOLD)
    pdf.set_line_width(0.35)
    pdf.rect(12, 12, PAGE_W - 24, PAGE_H - 24)
    pdf.set_fill_color(*GOLD)
    for x in (12, PAGE_W - 12):
        for y in (12, PAGE_H - 12):
            pdf.rect(x - 1.6, y - 1.6, 3.2, 3.2, style="F")


def draw_footer(
    pdf: FPDF,
    *,
    number: str,
    verify_lines: Sequence[str],
    verify_url: str,
    qr_image: BinaryIO,
    qr_quiet_share: float,
) -> None:
    """The band under the body: the number and how to verify on the left, the QR on the right.

    `qr_quiet_share` is the white quiet zone's share of the image's width, so the code itself,
    not its margin, lines up with the rule above it and the address below.
    """
    _rule(pdf, LEFT, FOOTER_TOP, RIGHT, FOOTER_TOP, GOLD, 0.3)
    quiet = QR_SIZE * qr_quiet_share
    qr_x, qr_y = RIGHT - QR_SIZE + quiet, FOOTER_TOP + 1
    pdf.image(qr_image, x=qr_x, y=qr_y, w=QR_SIZE, h=QR_SIZE, alt_text=f"QR: {verify_url}")
    _use(pdf, URL)
    url_width = max(QR_SIZE, pdf.get_string_width(verify_url) + 2 * pdf.c_margin)
    url_x = RIGHT - url_width + pdf.c_margin  # the text, not its cell, ends at the rule's end
    _text(pdf, url_x, qr_y + QR_SIZE - quiet + 1, url_width, verify_url, URL, Align.R)

    text_width = RIGHT - LEFT - QR_SIZE - 12
    y = FOOTER_TOP + 7
    y += _text(pdf, LEFT, y, text_width, f"№ {number}", NUMBER, Align.L)
    for line in verify_lines:
        y += _text(pdf, LEFT, y, text_width, line, NOTE, Align.L)


# -- rows --------------------------------------------------------------------------------------


class _Row(Protocol):
    """One line of the body across the columns: measured when `y` is None, else drawn at `y`.

    Either way it returns its height, which is the same both ways.
    """

    def __call__(self, pdf: FPDF, cols: Sequence[Column], y: float | None = None) -> float: ...


def _rows(blocks: Sequence[CertificateLines], scale: float) -> list[_Row]:
    rows: list[_Row] = [
        _text_row([b.heading for b in blocks], HEADING.scaled(scale)),
        _text_row([b.credential_name for b in blocks], CREDENTIAL.scaled(scale)),
        _ornament_row(ORNAMENT_HEIGHT * scale),
        _text_row([b.holder_line for b in blocks], LEAD_IN.scaled(scale)),
        _name_row([b.holder_name for b in blocks], NAME.scaled(scale), NAME_MIN_SIZE * scale),
        _text_row([b.course_line for b in blocks], LEAD_IN.scaled(scale)),
        _text_row([b.course_title for b in blocks], COURSE.scaled(scale)),
    ]
    label, value = LABEL.scaled(scale), VALUE.scaled(scale)
    for index in range(max(len(b.details) for b in blocks)):
        pairs = [b.details[index] if index < len(b.details) else ("", "") for b in blocks]
        rows.append(_detail_row(pairs, label, value))
    return rows


def _text_row(texts: Sequence[str], style: _Style) -> _Row:
    def row(pdf: FPDF, cols: Sequence[Column], y: float | None = None) -> float:
        heights = []
        for (x, width), text in zip(cols, texts, strict=True):
            heights.append(_text(pdf, x, y, width, text, style, Align.C))
        return max(heights)

    return row


def _name_row(names: Sequence[str], style: _Style, min_size: float) -> _Row:
    """The holder's name, as large as fits on one line (down to `min_size`, then wrapped)."""

    def row(pdf: FPDF, cols: Sequence[Column], y: float | None = None) -> float:
        heights = []
        for (x, width), name in zip(cols, names, strict=True):
            fitted = _fitted(pdf, name, width, style, min_size)
            heights.append(_text(pdf, x, y, width, name, fitted, Align.C))
        height = max(heights)
        if y is not None:
            under = y + height - 2.5
            for x, width in cols:
                _rule(pdf, x + width * 0.15, under, x + width * 0.85, under, GOLD, 0.25)
        return height

    return row


def _ornament_row(height: float) -> _Row:
    """A short gold rule with a diamond in the middle, between the title and the citation."""

    def row(pdf: FPDF, cols: Sequence[Column], y: float | None = None) -> float:
        if y is not None:
            _ornaments(pdf, cols, y + height / 2 - 1)
        return height

    return row


def _ornaments(pdf: FPDF, cols: Sequence[Column], mid_y: float) -> None:
    pdf.set_fill_color(*GOLD)
    for x, width in cols:
        centre = x + width / 2
        _rule(pdf, centre - 16, mid_y, centre - 3, mid_y, GOLD, 0.35)
        _rule(pdf, centre + 3, mid_y, centre + 16, mid_y, GOLD, 0.35)
        diamond = [(centre, mid_y - 1.6), (centre + 1.6, mid_y), (centre, mid_y + 1.6)]
        pdf.polygon([*diamond, (centre - 1.6, mid_y)], style="F")


def _detail_row(pairs: Sequence[tuple[str, str]], label_style: _Style, value_style: _Style) -> _Row:
    """A label, right-aligned, beside its value, left-aligned, meeting near the column centre."""

    def row(pdf: FPDF, cols: Sequence[Column], y: float | None = None) -> float:
        heights = []
        for (x, width), (label, value) in zip(cols, pairs, strict=True):
            label_width = width * LABEL_SHARE
            value_x = x + label_width + 2
            value_width = width - label_width - 2
            heights.append(
                max(
                    _text(pdf, x, y, label_width, label, label_style, Align.R),
                    _text(pdf, value_x, y, value_width, value, value_style, Align.L),
                )
            )
        return max(heights)

    return row


# -- drawing primitives ------------------------------------------------------------------------


def _use(pdf: FPDF, style: _Style) -> None:
    pdf.set_font(_FAMILY, style.style, style.size)
    pdf.set_char_spacing(style.spacing)
    pdf.set_text_color(*style.color)


def _text(
    pdf: FPDF, x: float, y: float | None, width: float, text: str, style: _Style, align: Align
) -> float:
    """Draws `text` wrapped in `width` at (x, y), or only measures it when y is None.

    Returns the height taken, space after included.
    """
    if not text:
        return 0.0
    _use(pdf, style)
    line_height = style.size * style.leading * PT
    if y is None:
        lines = pdf.multi_cell(
            width, line_height, text, align=align, dry_run=True, output=MethodReturnValue.LINES
        )
        count = len(lines) if isinstance(lines, list) else 1
    else:
        pdf.set_xy(x, y)
        pdf.multi_cell(width, line_height, text, align=align, new_x=XPos.LEFT, new_y=YPos.NEXT)
        count = max(1, round((pdf.get_y() - y) / line_height))
    return count * line_height + style.space_after


def _fitted(pdf: FPDF, text: str, width: float, style: _Style, min_size: float) -> _Style:
    size = style.size
    while size > min_size:
        pdf.set_font(_FAMILY, style.style, size)
        if pdf.get_string_width(text) + 2 * pdf.c_margin <= width:
            break
        size -= 0.5
    return replace(style, size=max(size, min_size))


def _rule(
    pdf: FPDF, x1: float, y1: float, x2: float, y2: float, color: tuple[int, int, int], width: float
) -> None:
    pdf.set_draw_color(*color)
    pdf.set_line_width(width)
    pdf.line(x1, y1, x2, y2)
