"""Reading a QR code's modules back from the PNG and SVG we produce, to compare with segno's."""

from __future__ import annotations

import re

from PIL import Image

Grid = list[list[bool]]


def grid_from_image(image: Image.Image, modules: int) -> Grid:
    """Dark (True) or light for each module, sampled at its centre."""
    grey = image.convert("L")
    step = grey.width / modules
    return [
        [
            _dark(grey.getpixel((int((col + 0.5) * step), int((row + 0.5) * step))))
            for col in range(modules)
        ]
        for row in range(modules)
    ]


def grid_from_svg_path(svg: str, modules: int) -> Grid:
    """segno draws each run of dark modules as a horizontal stroke: "M4 4.5h7m1 0h1..."."""
    path = re.search(r'<path class="qrline"[^>]* d="([^"]+)"', svg)
    if path is None:
        raise AssertionError("no QR path in the SVG")
    grid = [[False] * modules for _ in range(modules)]
    x = y = 0.0
    for command, args in re.findall(r"([Mmh])([-\d. ]+)", path.group(1)):
        numbers = [float(n) for n in args.split()]
        if command == "M":
            x, y = numbers
        elif command == "m":
            x, y = x + numbers[0], y + numbers[1]
        else:
            for col in range(int(x), int(x + numbers[0])):
                grid[int(y)][col] = True
            x += numbers[0]
    return grid


def expected_grid(matrix: tuple[bytearray, ...], border: int) -> Grid:
    """segno's matrix surrounded by a light quiet zone."""
    size = len(matrix) + 2 * border
    grid = [[False] * size for _ in range(size)]
    for row, values in enumerate(matrix):
        for col, value in enumerate(values):
            grid[row + border][col + border] = bool(value)
    return grid


def _dark(pixel: float | tuple[int, ...] | None) -> bool:
    if not isinstance(pixel, int | float):
        raise AssertionError(f"unexpected pixel {pixel!r}")
    return pixel < 128
