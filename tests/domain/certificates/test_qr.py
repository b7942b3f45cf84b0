from __future__ import annotations

import io

import segno
from PIL import Image

from lms.domain.certificates import qr_png, qr_svg
from lms.domain.certificates.qr import QUIET_ZONE, qr_symbol
from tests.domain.certificates.qr_grid import expected_grid, grid_from_image, grid_from_svg_path
from tests.domain.certificates.samples import NUMBER, VERIFY_URL


def _modules(url: str) -> int:
    return qr_symbol(url).symbol_size(border=QUIET_ZONE)[0]


def test_symbol_is_deterministic_and_what_segno_makes_for_the_url() -> None:
    ours = qr_symbol(VERIFY_URL)
    assert ours.matrix == segno.make(VERIFY_URL, error="m", micro=False).matrix
    assert ours.matrix == qr_symbol(VERIFY_URL).matrix
    assert ours.matrix != qr_symbol(VERIFY_URL + "0").matrix
    assert ours.error in {"M", "Q", "H"}  # segno may raise the level when it costs no size
    assert not ours.is_micro


def test_png_modules_round_trip_to_the_symbol() -> None:
    png = qr_png(VERIFY_URL, scale=5)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(png))
    modules = _modules(VERIFY_URL)
    assert image.size == (modules * 5, modules * 5)
    expected = expected_grid(qr_symbol(VERIFY_URL).matrix, QUIET_ZONE)
    assert grid_from_image(image, modules) == expected


def test_svg_is_inline_accessible_and_print_sized() -> None:
    svg = qr_svg(VERIFY_URL, title=f"QR code: verify certificate {NUMBER}")
    assert svg.startswith("<svg ")
    assert "<?xml" not in svg
    assert 'role="img"' in svg
    assert f"<title>QR code: verify certificate {NUMBER}</title>" in svg
    assert 'width="30mm" height="30mm"' in svg
    modules = _modules(VERIFY_URL)
    assert f'viewBox="0 0 {modules} {modules}"' in svg
    assert 'fill="#fff"' in svg
    assert 'stroke="#000"' in svg


def test_svg_modules_round_trip_to_the_symbol() -> None:
    svg = qr_svg(VERIFY_URL, title="QR")
    expected = expected_grid(qr_symbol(VERIFY_URL).matrix, QUIET_ZONE)
    assert grid_from_svg_path(svg, _modules(VERIFY_URL)) == expected


def test_svg_title_is_escaped() -> None:
    svg = qr_svg(VERIFY_URL, title='<script>alert("x")</script> & co')
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert "&amp; co" in svg
