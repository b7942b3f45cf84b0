"""Checks on rendered content: asset references, alt text, captions, structure, sentence length.

The Markdown is rendered with the real renderer (so it is known to render) and the sanitised HTML
is read back with `html.parser`; nothing here parses HTML with regular expressions.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import unquote

from lms.domain.courses.limits import RENDER_BUDGET_SECONDS, render_budget
from lms.domain.courses.media import (
    EXTERNAL_MEDIA_MESSAGE,
    REFUSED_MEDIA_MESSAGE,
    external_media_name,
    refused_media,
)
from lms.domain.courses.problems import N_, ProblemLog, Term
from lms.domain.render import RenderTooSlow, classify_url, render_inline, render_markdown

MAX_SENTENCE_WORDS = 35
LIST_ITEM_MARGIN = 2  # list items may differ by this much between languages without a warning


@dataclass
class Video:
    """A <video> element and the URLs and caption tracks inside it."""

    urls: list[tuple[str, str]] = field(default_factory=list)  # (what, url)
    captions: list[tuple[str | None, str | None]] = field(default_factory=list)  # (srclang, src)


@dataclass
class Scan:
    """What a rendered document contains."""

    headings: int = 0
    list_items: int = 0
    images: list[tuple[str | None, str]] = field(default_factory=list)  # (src, alt)
    videos: list[Video] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    # Media the sanitiser removes, found in the source: (text to find its line by, message).
    refused_media: list[tuple[str, str]] = field(default_factory=list)

    def structure(self) -> dict[str, int]:
        """Counts compared between language versions."""
        return {
            "headings": self.headings,
            "images": len(self.images),
            "videos": len(self.videos),
            "list items": self.list_items,
        }


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scan = Scan()
        self.video: Video | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = dict(attrs)
        if tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            self.scan.headings += 1
        elif tag == "li":
            self.scan.list_items += 1
        elif tag == "img":
            self.scan.images.append((attr.get("src"), (attr.get("alt") or "").strip()))
        elif tag == "a" and attr.get("href"):
            self.scan.links.append(attr["href"] or "")
        elif tag == "video":
            self.video = Video()
            self.scan.videos.append(self.video)
            for name, what in (("src", N_("video")), ("poster", N_("poster image"))):
                if attr.get(name):
                    self.video.urls.append((what, attr[name] or ""))
        elif tag == "source" and self.video is not None and attr.get("src"):
            self.video.urls.append((N_("video"), attr["src"] or ""))
        elif tag == "track" and self.video is not None:
            if attr.get("src"):
                self.video.urls.append((N_("text track"), attr["src"] or ""))
            if attr.get("kind") == "captions":
                self.video.captions.append((attr.get("srclang"), attr.get("src")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "video":
            self.video = None

    def observe(self, tag: str, attrs: dict[str, str]) -> None:
        """The renderer's `TagObserver`: scan while sanitising, not by parsing the HTML again."""
        if tag.startswith("/"):
            self.handle_endtag(tag[1:])
        else:
            self.handle_starttag(tag, list(attrs.items()))


def scan_html(html: str) -> Scan:
    """Read links, media and structure counts from sanitised HTML."""
    scanner = _Scanner()
    scanner.feed(html)
    scanner.close()
    return scanner.scan


def resolve_reference(document: str, url: str) -> str | None:
    """The course-relative path a relative URL in ``document`` points to, or None if outside."""
    path = unquote(url.split("#", 1)[0].split("?", 1)[0])
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(document), path))
    if joined == ".." or joined.startswith("../") or joined.startswith("/"):
        return None
    return joined


class ReferenceChecker:
    """Reports references from one document (lesson or quiz) to files that do not exist."""

    def __init__(
        self, document: str, files: set[str], log: ProblemLog, line_of: Callable[[str], int]
    ) -> None:
        self.document = document
        self.files = files
        self.log = log
        self.line_of = line_of

    def check(self, scan: Scan, language: str | None = None) -> None:
        """Check links, images and videos of one rendered document."""
        for href in scan.links:
            self._file(href, N_("link"))
        for line, element in scan.refused_media:
            self.log.error(self.line_of(line), REFUSED_MEDIA_MESSAGE, element=element)
        for src, alt in scan.images:
            if src is None:
                self.log.error(
                    self.line_of(""),
                    N_("an image source was removed: use a path relative to this file or https://"),
                )
                continue
            self._file(src, N_("image"))
            if not alt:
                self.log.error(
                    self.line_of(src),
                    N_("image '%(url)s' has no alt text: describe it for people who cannot see it"),
                    url=src,
                )
        for video in scan.videos:
            for what, url in video.urls:
                self._file(url, what)
            self._captions(video, language)

    def _captions(self, video: Video, language: str | None) -> None:
        line = self.line_of(video.urls[0][1] if video.urls else "<video")
        with_src = [(lang, src) for lang, src in video.captions if src]
        if not with_src:
            self.log.error(
                line,
                N_('video has no captions: add <track kind="captions" srclang=".." src="..vtt">'),
            )
        elif any(lang is None for lang, _ in with_src):
            self.log.error(line, N_('a captions track needs srclang, e.g. srclang="mn"'))
        elif language and all(lang != language for lang, _ in with_src):
            self.log.warning(line, N_("video has no captions in '%(language)s'"), language=language)

    def _file(self, url: str, what: str) -> None:
        kind, cleaned = classify_url(url)
        if kind == "external" and what != "link":
            line = self.line_of(url)
            if line == self.line_of("") and url.startswith("https://"):
                line = self.line_of(url.removeprefix("https:"))  # written as //host/...
            self.log.error(
                line,
                EXTERNAL_MEDIA_MESSAGE,
                what=Term(what),
                url=url,
                name=external_media_name(url),
            )
            return
        if kind != "relative" or not cleaned.split("#", 1)[0].split("?", 1)[0]:
            return
        if cleaned.startswith("/"):  # site paths change between deployments; courses must not
            self.log.error(
                self.line_of(url),
                N_("%(what)s '%(url)s' must be relative to this file (or a full https:// address)"),
                what=Term(what),
                url=url,
            )
            return
        target = resolve_reference(self.document, cleaned)
        if target is None:
            self.log.error(
                self.line_of(url),
                N_("%(what)s '%(url)s' points outside the course folder"),
                what=Term(what),
                url=url,
            )
        elif target not in self.files:
            self.log.error(
                self.line_of(url),
                N_("%(what)s '%(url)s': no such file (%(file)s)"),
                what=Term(what),
                url=url,
                file=target,
            )


def line_finder(text: str, first_line: int) -> Callable[[str], int]:
    """A function giving the file line where a string first occurs in ``text`` (or the start)."""
    lines = text.splitlines()

    def line_of(needle: str) -> int:
        if needle:
            for number, line in enumerate(lines):
                if needle in line:
                    return first_line + number
        return first_line

    return line_of


_FENCE = re.compile(r"^\s*(```|~~~)")
_BLOCK_START = re.compile(r"^\s*([-*+>|#:]|\d+[.)]\s|!!!|\[\^|\*\[)")
_LINK_TARGET = re.compile(r"\]\([^)]*\)|<[^>]*>")
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”»)]*$")
_WORD = re.compile(r"\w")


def long_sentences(body: str, first_line: int) -> list[tuple[int, int]]:
    """``(line, word_count)`` of each sentence longer than `MAX_SENTENCE_WORDS` words.

    Sentences are read from paragraphs, list items, headings and table rows of the Markdown;
    code blocks and link targets are ignored. The line is where the sentence starts.
    """
    found: list[tuple[int, int]] = []
    words: list[int] = []  # the line of each word of the current sentence
    in_fence = False

    def end_sentence() -> None:
        if len(words) > MAX_SENTENCE_WORDS:
            found.append((words[0], len(words)))
        words.clear()

    for number, raw in enumerate(body.splitlines()):
        if _FENCE.match(raw):
            in_fence = not in_fence
            end_sentence()
            continue
        if in_fence:
            continue
        if not raw.strip() or _BLOCK_START.match(raw):
            end_sentence()
        for token in _LINK_TARGET.sub(" ", raw).replace("|", " ").split():
            if _WORD.search(token):
                words.append(first_line + number)
            if _SENTENCE_END.search(token):
                end_sentence()
    end_sentence()
    return found


def structure_differences(main: dict[str, int], other: dict[str, int]) -> list[str]:
    """Describe how ``other`` differs in structure from ``main`` (empty when alike)."""
    differences = []
    for name, count in main.items():
        margin = LIST_ITEM_MARGIN if name == "list items" else 0
        if abs(other.get(name, 0) - count) > margin:
            differences.append(f"{other.get(name, 0)} {name} instead of {count}")
    return differences


def render_and_scan(
    text: str,
    log: ProblemLog,
    line: int,
    *,
    inline: bool = False,
    resolve_link: Callable[[str], str | None] | None = None,
) -> Scan | None:
    """Render Markdown with the real renderer and scan the result; report a failure to render."""
    rendered = render_scan_keep(text, log, line, inline=inline, resolve_link=resolve_link)
    return rendered[0] if rendered else None


def render_scan_keep(
    text: str,
    log: ProblemLog,
    line: int,
    *,
    inline: bool = False,
    resolve_link: Callable[[str], str | None] | None = None,
    language: str = "en",
) -> tuple[Scan, str] | None:
    """Like `render_and_scan`, also returning the HTML, rendered with `resolve_link`
    (untitled boxes labelled in `language`, the text's language).

    The scan always reports the references as the author wrote them, so the checks are the
    same whatever `resolve_link` makes of them; a reference it cannot resolve stays as written
    (and is reported by the checks).
    """
    originals: dict[str, str] = {}

    def recording(url: str) -> str | None:
        resolved = resolve_link(url) if resolve_link else None
        if resolved is None:
            return url
        originals[resolved] = url
        return resolved

    budget = render_budget()
    try:
        if budget <= 0:  # the course's budget is spent: render no more
            raise RenderTooSlow
        scanner = _Scanner()  # sees the sanitised elements as they are written
        if inline:
            html = render_inline(
                text, resolve_link=recording, budget=budget, observe=scanner.observe
            )
        else:
            html = render_markdown(
                text,
                resolve_link=recording,
                budget=budget,
                language=language,
                observe=scanner.observe,
            )
    except RenderTooSlow:
        report_too_slow(log, line, budget)
        return None
    except Exception as error:  # noqa: BLE001 - a renderer failure is the author's to see
        log.error(
            line, N_("the Markdown cannot be rendered (%(error)s)"), error=type(error).__name__
        )
        return None
    scan = scanner.scan
    scan.refused_media = refused_media(text)
    if originals:
        _restore_references(scan, originals)
    return scan, html


def report_too_slow(log: ProblemLog, line: int, budget: float) -> None:
    """Report a text whose rendering took longer than ``budget`` CPU seconds."""
    if budget < RENDER_BUDGET_SECONDS:
        template = N_(
            "rendering this text took longer than %(seconds)s s (the rest of the course's "
            "budget): split it or simplify its structure"
        )
    else:
        template = N_(
            "rendering this text took longer than %(seconds)s s: split it or simplify its structure"
        )
    log.error(line, template, seconds=f"{budget:g}")


def _restore_references(scan: Scan, originals: dict[str, str]) -> None:
    def original(url: str | None) -> str | None:
        if url is None:
            return None
        path, hash_sign, fragment = url.partition("#")
        return originals.get(path, path) + hash_sign + fragment if path else url

    scan.links = [original(link) or "" for link in scan.links]
    scan.images = [(original(src), alt) for src, alt in scan.images]
    for video in scan.videos:
        video.urls = [(what, original(url) or "") for what, url in video.urls]
        video.captions = [(lang, original(src)) for lang, src in video.captions]
