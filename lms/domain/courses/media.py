"""Media in course texts must come from the course itself.

The lesson pages' Content-Security-Policy (``lms/security.py``) loads images, video and
captions from this site only, so media on other sites would show as broken. The checker
refuses them instead, with a ``file:line`` error that says what to do: media files live in the
course folder (they are then versioned with the course, cached for offline use and served
without telling any other site who reads the lesson). Embedded pages and players
(``<iframe>``, ``<audio>``, ``<embed>``, ``<object>``) are removed by the sanitiser, so they
are refused too rather than silently vanishing.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_FENCE = re.compile(r"^\s*(```|~~~)")
_REFUSED_MEDIA = {
    "iframe": "an embedded page (<iframe>)",
    "frame": "an embedded page (<frame>)",
    "audio": "audio (<audio>)",
    "embed": "embedded content (<embed>)",
    "object": "embedded content (<object>)",
}
_CODE_SPAN = re.compile(r"`+[^`]*`+")


class _RawMediaScanner(HTMLParser):
    """Finds media elements in Markdown source that the sanitiser would silently remove."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _REFUSED_MEDIA:
            needle = (self.get_starttag_text() or f"<{tag}").splitlines()[0]
            self.found.append(
                (
                    needle,
                    f"{_REFUSED_MEDIA[tag]} is not allowed in course texts and would be removed "
                    "(lesson pages load media from this site only): link to it instead, or put "
                    "an image or a captioned <video> file in the course folder",
                )
            )


def refused_media(text: str) -> list[tuple[str, str]]:
    """Media elements in Markdown ``text`` that the renderer removes (code is not counted)."""
    scanner = _RawMediaScanner()
    in_fence = False
    for line in text.splitlines():
        if _FENCE.match(line):
            in_fence = not in_fence
        elif not in_fence:
            scanner.feed(_CODE_SPAN.sub("", line) + "\n")
    scanner.close()
    return scanner.found


def external_media(what: str, url: str) -> str:
    """The error for media that would load from another site (the CSP allows 'self' only)."""
    name = url.rstrip("/").rsplit("/", 1)[-1].split("?", 1)[0] or "file"
    return (
        f"{what} '{url}' is on another site, and lesson pages load media from this site only "
        f"(their security policy blocks it): put the file in the course folder and use a "
        f"relative path, e.g. media/{name}"
    )
