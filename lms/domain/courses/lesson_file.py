"""Reading one lesson file, ``lessons/<id>.<lang>.md``: YAML front matter, then Markdown."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from lms.domain.courses.content import (
    MAX_SENTENCE_WORDS,
    ReferenceChecker,
    Scan,
    line_finder,
    long_sentences,
    render_scan_keep,
)
from lms.domain.courses.limits import markdown_limits
from lms.domain.courses.model import LessonText
from lms.domain.courses.problems import N_, Problem, ProblemLog
from lms.domain.courses.values import Reader
from lms.domain.courses.yaml_reader import parse_yaml

_FRONT_MATTER_REQUIRED = ("title", "minutes")
_FRONT_MATTER_OPTIONAL = ("summary", "outcomes")


@dataclass(frozen=True)
class LessonRead:
    """A lesson file's content and what its rendered body contains."""

    text: LessonText
    scan: Scan


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """Split a lesson into ``(front_matter, body, body_line)``, or None without front matter.

    The front matter starts on line 1 with ``---`` and ends with a line ``---`` (or ``...``);
    ``body_line`` is the file line where the body starts.
    """
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return None
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            return "".join(lines[1:index]), "".join(lines[index + 1 :]), index + 2
    return None


def read_lesson(
    rel_path: str,
    display_path: str,
    text: str,
    language: str,
    files: set[str],
    problems: list[Problem],
    resolve_link: Callable[[str], str | None] | None = None,
) -> LessonRead | None:
    """Read and check one lesson file; None if it is too broken to use.

    The body is rendered once, with `resolve_link` (see `lms.domain.courses.rendering`), and
    kept as the lesson's ``html``.
    """
    log = ProblemLog(problems, display_path)
    parts = split_front_matter(text)
    if parts is None:
        log.error(1, N_("a lesson starts with front matter: a line '---', the keys, a line '---'"))
        return None
    front, body, body_line = parts
    over_limits = markdown_limits(body, body_line)
    for line, message in over_limits:
        log.error(line, message)
    if over_limits:  # never render what is too big or too deep (see `limits`)
        return None
    front_log = ProblemLog(problems, display_path, line_offset=1)
    reader = Reader(front_log)
    node = parse_yaml(front, front_log)
    if node is None:  # invalid YAML, already reported
        return None
    fields = reader.mapping(node, "", 1, _FRONT_MATTER_REQUIRED, _FRONT_MATTER_OPTIONAL)
    if fields is None:
        return None
    summary_entry = fields.get("summary")
    summary = reader.optional_text(summary_entry)
    if summary and summary_entry is not None:
        for _, words in long_sentences(summary, 1):
            reader.warning(
                summary_entry.line,
                "summary",
                N_("a sentence of %(words)s words; keep sentences to %(limit)s words or fewer"),
                words=words,
                limit=MAX_SENTENCE_WORDS,
            )
    lesson = LessonText(
        language=language,
        title=reader.text(fields.get("title")),
        minutes=reader.integer(fields.get("minutes"), 1, minimum=1),
        summary=summary,
        outcomes=reader.text_list(fields.get("outcomes")),
        body=body,
        source_path=rel_path,
        body_line=body_line,
    )
    for line, words in long_sentences(body, body_line):
        log.warning(
            line,
            N_(
                "a sentence of %(words)s words; keep sentences to %(limit)s words or fewer "
                "(plain language)"
            ),
            words=words,
            limit=MAX_SENTENCE_WORDS,
        )
    rendered = render_scan_keep(body, log, body_line, resolve_link=resolve_link, language=language)
    if rendered is None:
        return None
    scan, html = rendered
    ReferenceChecker(rel_path, files, log, line_finder(body, body_line)).check(scan, language)
    return LessonRead(replace(lesson, html=html), scan)
