"""Finding, at run time, a TrueType font that can print a Mongolian certificate.

The PDF embeds its font, so the font must cover Mongolian Cyrillic — the letters Ө ө Ү ү
besides the Russian Cyrillic alphabet — and Latin for the English block. Many common fonts
(Liberation, for one) have Cyrillic but not Ө and Ү, so every candidate's character map is
checked before it is used.

Where `find_unicode_font` looks, in order:

1. ``LMS_CERTIFICATE_FONT``: a path to a regular-weight ``.ttf``, with an optional
   ``LMS_CERTIFICATE_FONT_BOLD`` beside it. A path that is missing or lacks the letters is
   logged and skipped, never used.
2. Known system fonts: DejaVu Sans (Debian/Ubuntu ``fonts-dejavu-core``), Noto Sans
   (``fonts-noto-core``), Liberation Sans (``fonts-liberation``; rejected by the check today,
   kept in case a later release gains the letters).
3. fontconfig's ``fc-match``, where it is installed, asked for a sans-serif font with those
   letters.

When nothing is found the caller says so and keeps the printable HTML certificate. The fix on a
Debian or Ubuntu server is::

    apt-get install fonts-dejavu-core

or point ``LMS_CERTIFICATE_FONT`` at any ``.ttf`` that covers Mongolian Cyrillic.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

FONT_ENV = "LMS_CERTIFICATE_FONT"
BOLD_FONT_ENV = "LMS_CERTIFICATE_FONT_BOLD"
INSTALL_HINT = (
    "No font covering Mongolian Cyrillic (Ө, Ү) was found for certificate PDFs. "
    "Install one with `apt-get install fonts-dejavu-core`, or set "
    f"{FONT_ENV} to the path of such a .ttf file."
)

# Mongolian Cyrillic is the Russian alphabet plus Ө ө Ү ү; Latin and digits for English.
MONGOLIAN_LETTERS = "ӨөҮү"
REQUIRED_TEXT = (
    MONGOLIAN_LETTERS
    + "".join(chr(c) for c in range(0x0410, 0x0450))  # А..я
    + "Ёё№"
    + "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.,:;-/()"
)

_TRUETYPE = "/usr/share/fonts/truetype"
_FC_MATCH_TIMEOUT_SECONDS = 5
_FC_PATTERN = "sans-serif:charset=4e8 4e9 4ae 4af"  # Ө ө Ү ү; fontconfig wants hex code points


@dataclass(frozen=True)
class FontFiles:
    """A regular font file and, when there is one, its bold companion."""

    regular: Path
    bold: Path | None = None


SYSTEM_FONTS: tuple[FontFiles, ...] = (
    FontFiles(
        Path(f"{_TRUETYPE}/dejavu/DejaVuSans.ttf"),
        Path(f"{_TRUETYPE}/dejavu/DejaVuSans-Bold.ttf"),
    ),
    FontFiles(
        Path(f"{_TRUETYPE}/noto/NotoSans-Regular.ttf"),
        Path(f"{_TRUETYPE}/noto/NotoSans-Bold.ttf"),
    ),
    FontFiles(
        Path(f"{_TRUETYPE}/liberation/LiberationSans-Regular.ttf"),
        Path(f"{_TRUETYPE}/liberation/LiberationSans-Bold.ttf"),
    ),
)


def covers(path: Path, text: str = REQUIRED_TEXT) -> bool:
    """Whether the TrueType font at `path` exists and has a glyph for every character of `text`."""
    if path.suffix.lower() != ".ttf" or not path.is_file():
        return False
    # Imported here: only certificate pages look at fonts, not every worker (issue 18).
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]  # fontTools ships no types

    try:
        # Opened here so the file is closed even when fontTools rejects it half-way.
        with path.open("rb") as handle, TTFont(handle, lazy=True) as font:
            cmap = font.getBestCmap() or {}
    except Exception:  # fontTools raises many kinds of error on a damaged file; all mean "no"
        log.warning("Could not read font file %s", path, exc_info=True)
        return False
    return all(ord(char) in cmap for char in text)


def fontconfig_candidates(run: Callable[[list[str]], str | None] | None = None) -> list[FontFiles]:
    """The font fontconfig's ``fc-match`` offers for Mongolian Cyrillic, if it is installed."""
    run = run or _run_fc_match
    regular = run(["fc-match", "--format=%{file}", _FC_PATTERN])
    if not regular:
        return []
    bold = run(["fc-match", "--format=%{file}", f"{_FC_PATTERN}:weight=bold"])
    return [FontFiles(Path(regular), Path(bold) if bold and bold != regular else None)]


def find_unicode_font(
    *,
    environ: Mapping[str, str] = os.environ,
    candidates: Sequence[FontFiles] | None = None,
    use_fontconfig: bool = True,
) -> FontFiles | None:
    """The first usable font for certificates, or None when the system has none.

    `candidates` defaults to `SYSTEM_FONTS`; the keyword arguments exist for tests. A bold file
    that is missing or lacks the letters is dropped: the regular one then serves for both weights.
    """
    configured = environ.get(FONT_ENV, "").strip()
    if configured:
        bold = environ.get(BOLD_FONT_ENV, "").strip()
        usable = _usable(FontFiles(Path(configured), Path(bold) if bold else None))
        if usable is not None:
            return usable
        log.warning(
            "%s=%s is not a .ttf covering Mongolian Cyrillic; ignored", FONT_ENV, configured
        )
    for found in SYSTEM_FONTS if candidates is None else candidates:
        usable = _usable(found)
        if usable is not None:
            return usable
    if use_fontconfig:
        for found in fontconfig_candidates():
            usable = _usable(found)
            if usable is not None:
                return usable
    return None


def _usable(found: FontFiles) -> FontFiles | None:
    if not covers(found.regular):
        return None
    bold = found.bold if found.bold is not None and covers(found.bold) else None
    return FontFiles(found.regular, bold)


def _run_fc_match(args: list[str]) -> str | None:
    program = shutil.which(args[0])
    if program is None:
        return None
    try:
        done = subprocess.run(  # noqa: S603  # fixed argument list, no shell
            [program, *args[1:]],
            capture_output=True,
            text=True,
            timeout=_FC_MATCH_TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    path = done.stdout.strip()
    return path if done.returncode == 0 and path else None
