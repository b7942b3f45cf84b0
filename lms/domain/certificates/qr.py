"""QR codes that point at a credential's public verification page.

Both forms encode the same symbol (error correction level M, a 4-module quiet zone), so the
printable page and the PDF carry the same code. segno writes PNG itself; no Pillow needed.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import segno

QUIET_ZONE = 4  # modules of white around the symbol, as ISO/IEC 18004 asks
PRINT_SIZE_MM = 30  # large enough for any phone camera at arm's length, small on an A4 page


def qr_symbol(url: str) -> segno.QRCode:
    """The QR symbol for `url`: never a Micro QR, error correction at least M."""
    import segno  # on the first certificate, not with the app (issue 18: worker memory)

    return segno.make(url, error="m", micro=False)


def qr_svg(url: str, title: str) -> str:
    """An inline SVG (no XML declaration) of the QR code for `url`, 30 mm square in print.

    `title` is the accessible name, e.g. "QR code: verify certificate JC-2026-00042-7"; segno
    escapes it. The drawing is dark modules on white, in a viewBox of one unit per module, so
    CSS may resize it without blurring.
    """
    svg = qr_symbol(url).svg_inline(
        scale=1,
        border=QUIET_ZONE,
        dark="#000",
        light="#fff",
        title=title,
        omitsize=True,
        svgclass="qr-code",
    )
    size = f'width="{PRINT_SIZE_MM}mm" height="{PRINT_SIZE_MM}mm"'
    # segno's output starts "<svg "; role="img" makes screen readers announce the <title>.
    return svg.replace("<svg ", f'<svg role="img" {size} ', 1)


def qr_png(url: str, scale: int = 8) -> bytes:
    """A PNG of the QR code for `url`, `scale` pixels per module, black on white."""
    out = io.BytesIO()
    qr_symbol(url).save(out, kind="png", scale=scale, border=QUIET_ZONE, dark="#000", light="#fff")
    return out.getvalue()
