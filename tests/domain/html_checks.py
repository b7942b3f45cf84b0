"""Parse rendered HTML (two parsers) and check it against the sanitiser's contract.

The allow-list here is written out from docs/course-format.md on purpose, not imported from the
renderer, so a change to the renderer's list has to be made twice to pass.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser

from bleach._vendor import html5lib  # type: ignore[import-not-found]  # bleach's own parser

ALLOWED_TAGS = set(
    """a abbr b br code del em i img ins kbd mark p pre q s samp small strong sub sup u var
    blockquote ul ol li span h1 h2 h3 h4 h5 h6 hr div table caption thead tbody tfoot tr th td
    dl dt dd figure figcaption video track source details summary""".split()
)
GLOBAL_ATTRIBUTES = {"id", "title", "lang", "dir"}
TAG_ATTRIBUTES = {
    "a": {"href", "class", "rel"},
    "img": {"src", "alt", "width", "height"},
    "video": {"controls", "src", "poster", "width", "height", "preload"},
    "track": {"kind", "src", "srclang", "label", "default"},
    "source": {"src", "type"},
    "th": {"align", "colspan", "rowspan", "scope"},
    "td": {"align", "colspan", "rowspan"},
    "ol": {"start"},
    "div": {"class"},
    "p": {"class"},
    "code": {"class"},
}
URL_ATTRIBUTES = {"href", "src", "poster"}
_STRIP = re.compile(r"[\x00-\x20\x7f-\xa0\s]+")


def elements_html5lib(markup: str) -> Iterator[tuple[str, dict[str, str]]]:
    """(tag, attributes) of every element, as a browser would build the tree."""
    fragment = html5lib.parseFragment(markup, treebuilder="etree", namespaceHTMLElements=False)
    for element in fragment.iter():
        if element is fragment:
            continue
        yield str(element.tag), {str(k): v for k, v in element.attrib.items()}


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, {k: v or "" for k, v in attrs}))

    def handle_comment(self, data: str) -> None:
        self.found.append(("!--", {"data": data}))


def elements_stdlib(markup: str) -> list[tuple[str, dict[str, str]]]:
    """(tag, attributes) of every start tag, read with the standard library's parser."""
    collector = _Collector()
    collector.feed(markup)
    collector.close()
    return collector.found


def scheme_of(url: str) -> str:
    """The scheme a browser would see in a parsed (already unescaped) value: '' if relative."""
    probe = _STRIP.sub("", url).lower()
    if probe.startswith(("//", "\\\\", "/\\", "\\/")):
        return "network"
    match = re.match(r"([a-z][a-z0-9+.-]*):", probe)
    return match.group(1) if match else ""


def contract_violations(markup: str, id_prefix: str = "c-") -> list[str]:
    """Every way ``markup`` breaks the sanitiser's contract (empty when it is safe)."""
    problems: list[str] = []
    for parser, elements in (
        ("html5lib", list(elements_html5lib(markup))),
        ("html.parser", elements_stdlib(markup)),
    ):
        for tag, attributes in elements:
            if tag not in ALLOWED_TAGS:
                problems.append(f"{parser}: element {tag!r}")
                continue
            for name, value in attributes.items():
                allowed = GLOBAL_ATTRIBUTES | TAG_ATTRIBUTES.get(tag, set())
                if name.lower().startswith("on") or name.lower() == "style":
                    problems.append(f"{parser}: {tag} has {name}")
                if name not in allowed:
                    problems.append(f"{parser}: {tag} has attribute {name!r}")
                if name == "id" and not value.startswith(id_prefix):
                    problems.append(f"{parser}: id {value!r} lacks prefix")
                if name in URL_ATTRIBUTES:
                    scheme = scheme_of(value)
                    if scheme not in {"", "http", "https", "mailto", "network"}:
                        problems.append(f"{parser}: {tag} {name}={value!r}")
                    if tag != "a" and scheme not in {"", "https"}:
                        problems.append(f"{parser}: media {tag} {name}={value!r}")
                    if tag == "a" and scheme in {"http", "https", "network"}:
                        if attributes.get("rel") != "noopener noreferrer":
                            problems.append(f"{parser}: external link without rel: {value!r}")
    return problems
