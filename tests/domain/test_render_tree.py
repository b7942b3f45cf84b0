"""Sanitising Markdown's tree gives exactly the HTML of sanitising Markdown's serialised output.

`lms.domain.render` skips bleach's html5lib parse where the tree it would build is known
(Markdown's own elements, nothing html5lib would restructure); the HTML must be the same.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.bench_publish import lesson_text
from lms.domain import render
from lms.domain.courses.lesson_file import split_front_matter
from lms.domain.render import render_inline, render_markdown
from tests.domain.test_render_xss import PAYLOADS

COURSES = Path(__file__).resolve().parents[2] / "courses"

SNIPPETS: list[str] = [
    "Plain text & more: a < b > c, 5 &amp; 6, &copy; and &#169; and &#xA9; and & alone.",
    '# Title\n\nA [link](other.md#part \'A "title"\') and ![image](pic.png "t").',
    "* one\n* two\n\n    * nested\n\n1. first\n2. second\n",
    "Term\n:   Definition with *em*\n\nOther\n:   More\n",
    "| a | b |\n|:--|--:|\n| 1 & 2 | <x> |\n| `code <b>` | **bold** |\n",
    '!!! warning\n    Careful.\n\n!!! note "Own title"\n    Body.\n\n!!! tip ""\n    x\n',
    "    indented code\n    with < and & and &amp;\n\n```python\nfenced = 1 < 2\n```\n",
    "Text[^1].\n\n[^1]: The footnote.\n",
    "*[HTML]: Hyper Text\n\nThe HTML spec.",
    "[TOC]\n\n## One\n\n### Two\n\n## One",
    "Escapes: \\*not em\\* and \\_ and \\# and \\[x\\]",
    "<https://example.org/a?b=1&c=2> and <someone@example.org>",
    "Line with two spaces  \nbreak\n\n---\n\n> quote\n> > nested",
    "[a [b](x.md)](y.md) and [*em* link](https://example.org/?q=1&r=2)",
    "A raw <span title=x>span</span> and <b>bold</b>",
    "Odd characters: \x0c form feed, \x7f delete, \u0085 next line, \ufffe, \r carriage",
    "Non-breaking\u00a0space and тест кирилл үсэг ӨҮ",
    "[link](javascript:alert(1)) [x](  JAVASCRIPT:alert(1)) [m](mailto:a@b.c)",
    '![i](https://example.org/i.png "title & <more>") [r](../quizzes/q.yml#frag)',
    "\n\n   \n",
    "",
    "   leading and trailing   \n\n",
    "# Heading with `code` & *em* {#custom}\n\n#### Deep\n",
]


def _lesson_bodies() -> list[str]:
    bodies = []
    for path in sorted(COURSES.glob("*/lessons/*.md")):
        parts = split_front_matter(path.read_text(encoding="utf-8"))
        if parts is not None:
            bodies.append(parts[1])
    return bodies


def _by_parsing(text: str, *, inline: bool, resolve_link=None, id_prefix: str = "c-") -> str:
    """The renderer's earlier way: Markdown's HTML string, parsed again by bleach."""
    converter = render._markdown(inline=inline)
    tags = render._INLINE_TAGS if inline else render._BLOCK_TAGS
    return render._sanitise(converter.convert(text), tags, resolve_link, id_prefix)


def _resolver(url: str) -> str | None:
    return None if url.startswith("../") else f"/resolved/{url}?a=1&b=2"


TEXTS = _lesson_bodies() + SNIPPETS + PAYLOADS + [lesson_text(1, "en").split("---\n", 2)[2]]


def test_the_corpus_covers_the_bundled_lessons() -> None:
    assert len(_lesson_bodies()) >= 40


def test_the_walker_knows_html5libs_void_elements() -> None:
    from bleach._vendor.html5lib.constants import voidElements

    assert voidElements & render._BLOCK_TAGS == render._VOID


@pytest.mark.parametrize("inline", [False, True])
def test_the_tree_gives_the_html_of_parsing(inline: bool) -> None:
    differences = []
    for text in SNIPPETS + PAYLOADS if inline else TEXTS:  # quiz texts are short
        for resolve_link in (None, _resolver):
            if inline:
                fast = render_inline(text, resolve_link=resolve_link)
            else:
                fast = render_markdown(text, resolve_link=resolve_link)
            slow = _by_parsing(text, inline=inline, resolve_link=resolve_link)
            if fast != slow:
                differences.append((text[:60], fast[:300], slow[:300]))
    assert differences == []


def test_ordinary_lessons_are_not_parsed_again(monkeypatch) -> None:
    """The bench's lesson and most bundled lessons skip bleach's parse (the point of it)."""
    trees: list[object] = []
    real = render._Cleaner.clean_tree

    def counting(self, fragment):
        trees.append(fragment)
        return real(self, fragment)

    monkeypatch.setattr(render._Cleaner, "clean_tree", counting)
    bodies = _lesson_bodies()
    for body in bodies:
        render_markdown(body)
    assert len(trees) >= len(bodies) * 3 // 4
    trees.clear()
    render_markdown(lesson_text(1, "en").split("---\n", 2)[2])
    assert len(trees) == 1
    render_markdown("Some <span>raw HTML</span>.")
    assert len(trees) == 1  # raw HTML: parsed as before


def test_the_walker_gives_html5libs_tokens() -> None:
    from bleach.html5lib_shim import getTreeWalker

    walker = getTreeWalker("etree")
    walked = 0
    for text in TEXTS:
        fragment = render._html5lib_fragment(
            render._markdown(inline=False), text, render._BLOCK_TAGS
        )
        if isinstance(fragment, str):
            continue
        walked += 1
        assert list(render._walk(fragment)) == list(walker(fragment)), text[:60]
    assert walked >= len(_lesson_bodies())
