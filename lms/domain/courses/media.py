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

from lms.domain.courses.problems import N_, Term

_FENCE = re.compile(r"^\s*(```|~~~)")
_REFUSED_MEDIA = {
    "iframe": N_("an embedded page (<iframe>)"),
    "frame": N_("an embedded page (<frame>)"),
    "audio": N_("audio (<audio>)"),
    "embed": N_("embedded content (<embed>)"),
    "object": N_("embedded content (<object>)"),
}
REFUSED_MEDIA_MESSAGE = N_(
    "%(element)s is not allowed in course texts and would be removed (lesson pages load media "
    "from this site only): link to it instead, or put an image or a captioned <video> file in "
    "the course folder"
)
_CODE_SPAN = re.compile(r"`+[^`]*`+")


class _RawMediaScanner(HTMLParser):
    """Finds media elements in Markdown source that the sanitiser would silently remove."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _REFUSED_MEDIA:
            needle = (self.get_starttag_text() or f"<{tag}").splitlines()[0]
            self.found.append((needle, Term(_REFUSED_MEDIA[tag])))


def refused_media(text: str) -> list[tuple[str, str]]:
    """Media elements in Markdown ``text`` that the renderer removes (code is not counted)."""
    if "<" not in text:  # no element at all: nothing to parse
        return []
    scanner = _RawMediaScanner()
    in_fence = False
    for line in text.splitlines():
        if _FENCE.match(line):
            in_fence = not in_fence
        elif not in_fence:
            scanner.feed(_CODE_SPAN.sub("", line) + "\n")
    scanner.close()
    return scanner.found


EXTERNAL_MEDIA_MESSAGE = N_(
    "%(what)s '%(url)s' is on another site, and lesson pages load media from this site only "
    "(their security policy blocks it): put the file in the course folder and use a relative "
    "path, e.g. media/%(name)s"
)


def external_media_name(url: str) -> str:
    """The file name to suggest for media that would load from another site."""
    return url.rstrip("/").rsplit("/", 1)[-1].split("?", 1)[0] or "file"
