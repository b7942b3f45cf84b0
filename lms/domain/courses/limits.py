"""Limits on course content, checked on the source before anything is rendered.

The Markdown renderer and the HTML sanitiser slow down badly on deep nesting (ten levels of
Markdown list take milliseconds, two hundred take seconds, four hundred overflow the stack) and
on very long documents, and publishing renders every lesson. So the checker first reads each
document once, line by line, and refuses it before rendering when it is too big or too deep;
what passes is then rendered within `RENDER_BUDGET_SECONDS` (`lms.domain.render`), so no lesson
can hold up a publish or a worker however it is built.

The limits are generous for real courses (the bundled courses stay far below them: lessons of
at most 14 KB, 3 levels and 45 list items, quizzes of at most 70 questions and 6 choices).
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from html.parser import HTMLParser

MAX_FILE_BYTES = 1024 * 1024
"""course.yml, lessons and quizzes (assets are not read)."""
MAX_NESTING = 8
"""Levels of lists and block quotes inside each other, in Markdown or HTML."""
MAX_ELEMENT_DEPTH = 32
"""HTML elements inside each other (any kind)."""
MAX_LIST_ITEMS = 1000
"""List items in one lesson (or one quiz text)."""
MAX_QUESTIONS = 300
"""Questions in one quiz file (the pool a draw takes from)."""
MAX_CHOICES = 30
"""Options, ordering items or matching pairs of one question."""
MAX_QUIZ_TEXT_CHARS = 5000
"""Characters of one quiz text (question, option, feedback) in one language."""
RENDER_BUDGET_SECONDS = 2.0
"""CPU seconds rendering one document (a lesson body or a quiz text) may take at most."""
COURSE_RENDER_BUDGET_SECONDS = 30.0
"""CPU seconds checking and rendering one whole course may take at most."""

_course_deadline: ContextVar[float | None] = ContextVar("course_render_deadline", default=None)


@contextmanager
def course_render_budget(seconds: float = COURSE_RENDER_BUDGET_SECONDS) -> Iterator[None]:
    """Within this block, all renders together get ``seconds`` (see `render_budget`).

    Nested blocks never extend an outer budget."""
    outer = _course_deadline.get()
    deadline = time.thread_time() + seconds  # CPU time: a busy machine changes nothing
    token = _course_deadline.set(deadline if outer is None else min(outer, deadline))
    try:
        yield
    finally:
        _course_deadline.reset(token)


@contextmanager
def fresh_render_budget(seconds: float) -> Iterator[None]:
    """Like `course_render_budget`, ignoring any outer budget (a pool worker, whose parent
    keeps the course's budget: see `lms.domain.courses.parallel`)."""
    token = _course_deadline.set(time.thread_time() + seconds)
    try:
        yield
    finally:
        _course_deadline.reset(token)


def spend(seconds: float) -> None:
    """Charge ``seconds`` of CPU used elsewhere (a pool worker) to the current course budget."""
    deadline = _course_deadline.get()
    if deadline is not None:
        _course_deadline.set(deadline - seconds)


def render_budget() -> float:
    """Seconds the next document may take to render: its own budget, or what is left of the
    course's if less (0 when the course's budget is spent)."""
    deadline = _course_deadline.get()
    if deadline is None:
        return RENDER_BUDGET_SECONDS
    return max(0.0, min(RENDER_BUDGET_SECONDS, deadline - time.thread_time()))


_FENCE = re.compile(r"^\s*(```|~~~)")
_QUOTE = re.compile(r" {0,3}> ?")
_LIST_ITEM = re.compile(r"(?:[-*+]|\d{1,9}[.)])(?:\s|$)")
_NESTING_TAGS = frozenset({"ul", "ol", "blockquote", "dl", "menu"})
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
# An open element of the key kind ends when one of these starts (HTML's implied end tags).
_IMPLIED_END = {
    "li": {"li"},
    "p": {"p", "ul", "ol", "blockquote", "div", "table", "dl", "h1", "h2", "h3", "h4", "h5"},
    "dt": {"dt", "dd"},
    "dd": {"dt", "dd"},
    "tr": {"tr"},
    "td": {"td", "th", "tr"},
    "th": {"td", "th", "tr"},
    "option": {"option"},
}


class _HtmlDepth(HTMLParser):
    """Tracks the nesting of the raw HTML in a Markdown text; stops at the first excess."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.stack: list[str] = []
        self.nesting = 0
        self.list_items = 0
        self.too_deep: tuple[int, str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        while self.stack and tag in _IMPLIED_END.get(self.stack[-1], ()):
            self._pop()
        self.list_items += tag == "li"
        if tag in _VOID:
            return
        self.stack.append(tag)
        self.nesting += tag in _NESTING_TAGS
        if self.too_deep is None:
            if self.nesting > MAX_NESTING:
                self.too_deep = (self.getpos()[0], "lists and block quotes")
            elif len(self.stack) > MAX_ELEMENT_DEPTH:
                self.too_deep = (self.getpos()[0], "HTML elements")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.stack:
            while self.stack and self._pop() != tag:
                pass

    def _pop(self) -> str:
        tag = self.stack.pop()
        self.nesting -= tag in _NESTING_TAGS
        return tag


def _markdown_depth(line: str) -> tuple[int, bool]:
    """How deep a Markdown line is nested (block quotes, indentation), and if it is a list item."""
    rest = line.expandtabs(4)
    quotes = 0
    while quotes <= MAX_NESTING and (marker := _QUOTE.match(rest)):
        quotes += 1
        rest = rest[marker.end() :]
    stripped = rest.lstrip(" ")
    item = bool(_LIST_ITEM.match(stripped))
    return quotes + (len(rest) - len(stripped)) // 4 + item, item


def markdown_limits(text: str, first_line: int) -> list[tuple[int, str]]:
    """``(line, message)`` for each limit the Markdown ``text`` exceeds (at most one per kind).

    Linear in the length of ``text``; ``first_line`` is the file line ``text`` starts on.
    Fenced code blocks are not counted (their indentation is code, not nesting).
    """
    problems: list[tuple[int, str]] = []
    html = _HtmlDepth()
    items = 0
    in_fence = False
    deep_line = items_line = 0
    markup = "<" in text  # without any, the HTML parser has nothing to find
    for number, line in enumerate(text.splitlines()):
        if _FENCE.match(line):
            in_fence = not in_fence
            if markup:
                html.feed("\n")
            continue
        if markup:
            html.feed(("" if in_fence else line) + "\n")
        if in_fence:
            continue
        depth, item = _markdown_depth(line)
        items += item
        if depth > MAX_NESTING and not deep_line:
            deep_line = first_line + number
        if items + html.list_items > MAX_LIST_ITEMS and not items_line:
            items_line = first_line + number
        if html.too_deep is not None and deep_line and items_line:
            break  # nothing more to learn, and the rest may be huge
    if items_line:
        problems.append((items_line, f"more than {MAX_LIST_ITEMS} list items: split the text"))
    if deep_line:
        problems.append(
            (
                deep_line,
                f"lists and block quotes are nested more than {MAX_NESTING} levels deep: "
                "flatten the structure",
            )
        )
    if html.too_deep is not None:
        html_line, what = html.too_deep
        limit = MAX_NESTING if what == "lists and block quotes" else MAX_ELEMENT_DEPTH
        problems.append(
            (first_line + html_line - 1, f"{what} are nested more than {limit} levels deep")
        )
    return problems
