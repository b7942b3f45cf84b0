"""The one place Markdown becomes HTML: Python-Markdown, then a bleach allow-list.

Everything course authors write (lesson bodies, quiz texts) goes through `render_markdown` or
`render_inline`. The result is the only HTML the web layer trusts, so the rules live here:

* elements, attributes and attribute values come from explicit allow-lists (`_BLOCK_TAGS`,
  `_allow_attribute`); everything else is stripped, comments included;
* links may be relative, ``http``, ``https`` or ``mailto``; external links get
  ``rel="noopener noreferrer"``; media (`img`, `video`, `track`, `source`) may only load relative
  or ``https`` URLs;
* every ``id`` is prefixed (``c-`` by default) and in-page ``#fragment`` links are rewritten to
  match, so content cannot clobber ids of the page around it (``csrf_token``, ``main``...);
* relative URLs are handed to ``resolve_link``, which maps them to their final URL or drops them.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, cast
from xml.etree.ElementTree import Element

import markdown
from bleach.html5lib_shim import convert_entities
from bleach.sanitizer import BleachSanitizerFilter, Cleaner
from markdown import util as markdown_util
from markdown.extensions.admonition import AdmonitionProcessor
from markdown.extensions.toc import slugify_unicode
from markdown.serializers import (  # type: ignore[attr-defined] # not in the stubs
    HTML_EMPTY,
    _escape_attrib_html,
    _escape_cdata,
)
from markdown.treeprocessors import Treeprocessor

if TYPE_CHECKING:
    from html5lib.filters.base import Filter
else:  # bleach ships html5lib vendored; this is its documented way to write a filter
    from bleach.html5lib_shim import Filter

LinkResolver = Callable[[str], str | None]
"""Maps a relative URL (without its ``#fragment``) to its final URL, or None to drop it."""
TagObserver = Callable[[str, dict[str, str]], None]
"""Sees each element of the sanitised output as it is written: ``(tag, attributes)`` for a
start tag (values decoded), ``("/" + tag, {})`` for an end tag. The course checker reads
links, media and structure this way instead of parsing the HTML once more."""

# attr_list and md_in_html (both in "extra") are deliberately absent: attr_list lets authors set
# arbitrary attributes, md_in_html changes how raw HTML is parsed.
_BLOCK_EXTENSIONS = ["tables", "fenced_code", "admonition", "toc", "footnotes", "def_list", "abbr"]
_INLINE_EXTENSIONS = ["fenced_code", "abbr"]
_EXTENSION_CONFIGS: dict[str, dict[str, Any]] = {
    "toc": {"slugify": slugify_unicode},  # Mongolian headings get readable ids
    "tables": {"use_align_attribute": True},  # `align`, not a style attribute
}

_INLINE_TAGS = frozenset(
    """a abbr b br code del em i img ins kbd mark p pre q s samp small strong sub sup u var
    blockquote ul ol li span""".split()
)
_BLOCK_TAGS = _INLINE_TAGS | frozenset(
    """h1 h2 h3 h4 h5 h6 hr div table caption thead tbody tfoot tr th td dl dt dd
    figure figcaption video track source details summary""".split()
)
_PROTOCOLS = frozenset({"http", "https", "mailto"})

# The title of a box written without one (``!!! tip``), in the lesson's own language: a lesson
# may be in another language than the interface, so these are not in the UI's catalogue.
ADMONITION_LABELS: dict[str, dict[str, str]] = {
    "en": {
        "note": "Note",
        "tip": "Tip",
        "warning": "Warning",
        "important": "Important",
        "caution": "Caution",
        "danger": "Danger",
    },
    "mn": {
        "note": "Тэмдэглэл",
        "tip": "Зөвлөгөө",
        "warning": "Анхааруулга",
        "important": "Чухал",
        "caution": "Болгоомжтой",
        "danger": "Аюул",
    },
}

_GLOBAL_ATTRIBUTES = frozenset({"id", "title", "lang", "dir"})
_TAG_ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset({"href", "class"}),
    "img": frozenset({"src", "alt", "width", "height"}),
    "video": frozenset({"controls", "src", "poster", "width", "height", "preload"}),
    "track": frozenset({"kind", "src", "srclang", "label", "default"}),
    "source": frozenset({"src", "type"}),
    "th": frozenset({"align", "colspan", "rowspan", "scope"}),
    "td": frozenset({"align", "colspan", "rowspan"}),
    "ol": frozenset({"start"}),
    "div": frozenset({"class"}),
    "p": frozenset({"class"}),
    "code": frozenset({"class"}),
}
_VALUE_PATTERNS: dict[str, re.Pattern[str]] = {
    "width": re.compile(r"\d{1,5}"),
    "height": re.compile(r"\d{1,5}"),
    "colspan": re.compile(r"\d{1,3}"),
    "rowspan": re.compile(r"\d{1,3}"),
    "start": re.compile(r"-?\d{1,9}"),
    "lang": re.compile(r"[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*"),
    "srclang": re.compile(r"[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*"),
    "dir": re.compile(r"ltr|rtl|auto"),
    "align": re.compile(r"left|right|center"),
    "scope": re.compile(r"row|col|rowgroup|colgroup"),
    "preload": re.compile(r"none|metadata|auto"),
    "kind": re.compile(r"captions|subtitles|descriptions|chapters"),
    "type": re.compile(r"[\w.+-]+/[\w.+-]+"),
}
# Class names authors may not invent: site CSS and scripts must not be reachable from content.
_CLASSES: dict[str, re.Pattern[str]] = {
    "div": re.compile(r"admonition|note|tip|warning|important|caution|danger|toc|footnote"),
    "p": re.compile(r"admonition-title"),
    "a": re.compile(r"footnote-ref|footnote-backref"),
    "code": re.compile(r"language-[a-z0-9+#-]{1,30}"),
}
_MEDIA_SRC = frozenset(
    {("img", "src"), ("video", "src"), ("video", "poster"), ("track", "src"), ("source", "src")}
)
# What browsers ignore inside a URL, and what bleach ignores when it looks for a scheme.
_URL_EDGE = "\x00\x01\x02\x03\x04\x05\x06\x07\x08\t\n\x0b\x0c\r\x0e\x0f\x10\x11\x12\x13\x14\x15"
_URL_EDGE += "\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f "
_TAB_NEWLINE = re.compile(r"[\t\n\r]")
_INVISIBLE = re.compile(r"[`\x00-\x20\x7f-\xa0\s]+")
_SCHEME = re.compile(r"([a-z][a-z0-9+.-]*):")


def _allow_attribute(tag: str, name: str, value: str) -> bool:
    """Bleach attribute filter: the allow-list of (tag, attribute) pairs and their values."""
    if name not in _GLOBAL_ATTRIBUTES and name not in _TAG_ATTRIBUTES.get(tag, ()):
        return False
    pattern = _VALUE_PATTERNS.get(name)
    return pattern is None or pattern.fullmatch(value.strip()) is not None


def classify_url(url: str) -> tuple[str, str]:
    """Classify a URL as a browser would read it; return ``(kind, cleaned_url)``.

    ``kind`` is one of ``fragment``, ``relative``, ``external`` (http, https or protocol-relative
    ``//host``), ``mailto`` or ``unsafe`` (any other scheme). ``cleaned_url`` has leading and
    trailing control characters and embedded tabs/newlines removed, as browsers do.
    """
    cleaned = _TAB_NEWLINE.sub("", url.strip(_URL_EDGE))
    probe = _INVISIBLE.sub("", cleaned).lower()
    if probe.startswith("#"):
        return "fragment", cleaned
    if probe[:2] in {"//", "\\\\", "/\\", "\\/"}:
        return "external", cleaned
    scheme = _SCHEME.match(probe)
    if scheme is None:
        return "relative", cleaned
    if scheme.group(1) in {"http", "https"}:
        return "external", cleaned
    if scheme.group(1) == "mailto":
        return "mailto", cleaned
    return "unsafe", cleaned


def _keep_relative(url: str) -> str:
    return url


class _RewriteFilter(Filter):
    """After bleach: prefix ids, prune classes, resolve relative URLs, mark external links."""

    def __init__(
        self,
        source: Any,
        resolve_link: LinkResolver,
        id_prefix: str,
        observe: TagObserver | None = None,
    ) -> None:
        super().__init__(source)
        self.resolve_link = resolve_link
        self.id_prefix = id_prefix
        self.observe = observe

    def __iter__(self) -> Iterator[dict[str, Any]]:
        token: dict[str, Any]
        for token in super().__iter__():
            if token["type"] in ("StartTag", "EmptyTag"):
                token["data"] = self._attributes(token["name"], dict(token["data"]))
                if self.observe is not None:
                    decoded = {name: convert_entities(v) for (_, name), v in token["data"].items()}
                    self.observe(token["name"], decoded)
            elif token["type"] == "EndTag" and self.observe is not None:
                self.observe("/" + token["name"], {})
            yield token

    def _attributes(self, tag: str, attrs: dict[tuple[str | None, str], str]) -> dict[Any, str]:
        # Bleach hands over attribute values with character references still in them and its
        # serializer expects the same; so decode to decide, and re-escape "&" in what we return.
        result: dict[tuple[str | None, str], str] = {}
        for (namespace, name), raw in attrs.items():
            value = convert_entities(raw)
            new_value: str | None = value
            if name == "id":
                new_value = self.id_prefix + value if value.strip() else None
            elif name == "class":
                new_value = self._classes(tag, value)
            elif name == "href":
                new_value = self._href(value)
                if new_value is not None and classify_url(new_value)[0] == "external":
                    result[(None, "rel")] = "noopener noreferrer"
            elif (tag, name) in _MEDIA_SRC:
                new_value = self._media_src(value)
            if new_value is not None:
                result[(namespace, name)] = new_value.replace("&", "&amp;")
        return result

    def _classes(self, tag: str, value: str) -> str | None:
        pattern = _CLASSES.get(tag)
        kept = [c for c in value.split() if pattern is not None and pattern.fullmatch(c)]
        return " ".join(kept) or None

    def _relative(self, url: str) -> str | None:
        path, hash_sign, fragment = url.partition("#")
        resolved = self.resolve_link(path) if path else ""
        if resolved is None or classify_url(resolved)[0] == "unsafe":  # trust no resolver
            return None
        return resolved + (hash_sign + self.id_prefix + fragment if fragment else hash_sign)

    def _href(self, value: str) -> str | None:
        kind, url = classify_url(value)
        if kind in ("fragment", "relative"):
            return self._relative(url)
        if kind in ("external", "mailto"):
            return url
        return None

    def _media_src(self, value: str) -> str | None:
        kind, url = classify_url(value)
        if kind == "relative":
            return self._relative(url)
        if kind != "external":
            return None
        if url[:2] in {"//", "\\\\", "/\\", "\\/"}:
            return "https://" + url.lstrip("/\\")
        return url if url.lower().startswith("https:") else None


class _UnwrapSingleParagraph(Treeprocessor):
    """Inline mode: ``<p>text</p>`` becomes ``text`` when it is the whole document."""

    def run(self, root: Element) -> None:
        if len(root) != 1 or root[0].tag != "p" or (root.text or "").strip():
            return
        paragraph = root[0]
        if (paragraph.tail or "").strip():
            return
        root.remove(paragraph)
        root.text = paragraph.text
        root.extend(list(paragraph))


class _LocalisedAdmonition(AdmonitionProcessor):
    """``!!! tip`` without a title: the label in the text's language (``language``), not the
    English class name; an unknown kind or language keeps Markdown's own capitalised word."""

    language = "en"

    def get_class_and_title(self, match: re.Match[str]) -> tuple[str, str | None]:
        klass, title = super().get_class_and_title(match)
        if match.group(2) is None:
            kind = klass.split(" ", 1)[0]
            title = ADMONITION_LABELS.get(self.language, {}).get(kind, title)
        return klass, title


_local = threading.local()


def _markdown(inline: bool, language: str = "en") -> markdown.Markdown:
    """A per-thread, reset Markdown converter (instances are not thread-safe) for a text in
    `language` (the untitled boxes' labels)."""
    key = "inline" if inline else "block"
    converter: markdown.Markdown | None = getattr(_local, key, None)
    if converter is None:
        converter = markdown.Markdown(
            extensions=_INLINE_EXTENSIONS if inline else _BLOCK_EXTENSIONS,
            extension_configs=_EXTENSION_CONFIGS,
            output_format="html",
        )
        if inline:
            converter.treeprocessors.register(_UnwrapSingleParagraph(converter), "unwrap", 5)
        else:
            converter.parser.blockprocessors.register(
                _LocalisedAdmonition(converter.parser), "admonition", 105
            )
        setattr(_local, key, converter)
    converter.reset()
    if not inline:
        admonition = converter.parser.blockprocessors["admonition"]
        assert isinstance(admonition, _LocalisedAdmonition)  # noqa: S101 - registered above
        admonition.language = language
    return converter


class _Cleaner(Cleaner):
    """bleach's `Cleaner`, which can also start from a tree (`clean_tree`)."""

    def clean_tree(self, fragment: Element) -> str:
        """`Cleaner.clean` from its parsed tree on: ``fragment`` is what bleach's parser would
        build from the HTML (see `_html5lib_fragment`); the same filters, the same serializer.
        The tree is walked by `_walk` (the tokens of bleach's tree walker, for less work)."""
        filtered: Any = BleachSanitizerFilter(
            source=cast(Any, _walk(fragment)),
            allowed_tags=self.tags,
            attributes=self.attributes,
            strip_disallowed_tags=self.strip,
            strip_html_comments=self.strip_comments,
            css_sanitizer=self.css_sanitizer,
            allowed_protocols=self.protocols,
        )
        for filter_class in self.filters:
            filtered = filter_class(source=filtered)
        return str(self.serializer.render(filtered))


_VOID = frozenset({"br", "hr", "img", "source", "track"})
"""The allowed elements html5lib writes without an end tag (its ``voidElements``)."""
_HTML5_SPACE = "\t\n\x0c \r"  # html5lib's ``spaceCharacters``


def _text_tokens(text: str) -> Iterator[dict[str, Any]]:
    middle = text.lstrip(_HTML5_SPACE)
    if len(middle) < len(text):
        yield {"type": "SpaceCharacters", "data": text[: len(text) - len(middle)]}
    stripped = middle.rstrip(_HTML5_SPACE)
    if stripped:
        yield {"type": "Characters", "data": stripped}
    if len(stripped) < len(middle):
        yield {"type": "SpaceCharacters", "data": middle[len(stripped) :]}


def _walk(fragment: Element) -> Iterator[dict[str, Any]]:
    """The tokens html5lib's etree tree walker gives for ``fragment`` (a tree of allowed,
    un-namespaced elements, void ones empty: see `_tree_as_parsed`), without its per-node
    bookkeeping."""
    if fragment.text:
        yield from _text_tokens(fragment.text)
    open_elements: list[tuple[Element, Iterator[Element]]] = [(fragment, iter(fragment))]
    while open_elements:
        element, children = open_elements[-1]
        child = next(children, None)
        if child is None:
            open_elements.pop()
            if element is not fragment:
                yield {"type": "EndTag", "name": element.tag, "namespace": None}
                if element.tail:
                    yield from _text_tokens(element.tail)
            continue
        attributes = {(None, name): value for name, value in child.attrib.items()}
        if child.tag in _VOID:
            yield {"type": "EmptyTag", "name": child.tag, "namespace": None, "data": attributes}
            if child.tail:
                yield from _text_tokens(child.tail)
            continue
        yield {"type": "StartTag", "name": child.tag, "namespace": None, "data": attributes}
        if child.text:
            yield from _text_tokens(child.text)
        open_elements.append((child, iter(child)))


def _sanitise(
    html: str | Element,
    tags: frozenset[str],
    resolve_link: LinkResolver | None,
    id_prefix: str,
    observe: TagObserver | None = None,
) -> str:
    """bleach with the allow-lists and `_RewriteFilter`, on Markdown's HTML or on the tree
    bleach would parse from it (`_html5lib_fragment`)."""
    resolver = resolve_link or _keep_relative

    def rewrite(*, source: Any) -> _RewriteFilter:
        return _RewriteFilter(source, resolver, id_prefix, observe)

    cleaner = _Cleaner(
        tags=tags,
        attributes=_allow_attribute,
        protocols=_PROTOCOLS,
        strip=True,
        strip_comments=True,
        filters=[rewrite],
    )
    if isinstance(html, str):
        return str(cleaner.clean(html))
    return cleaner.clean_tree(html)


# Skipping bleach's parse. bleach's html5lib parser turns Markdown's HTML back into the tree
# Markdown has just serialised, and that parse costs more than Markdown itself. For the output
# of Markdown's own elements (no raw HTML, no stashed fragments) the tree bleach would build is
# known: Markdown's tree, with every text and attribute value exactly as Markdown writes it
# (bleach keeps character references as written) and the attributes in Markdown's order. Where
# html5lib's tree construction could change the structure (an element bleach strips, a block
# inside a paragraph, table parts out of place, a link in a link, a newline opening a
# ``<pre>``) or a character it would replace, the HTML is parsed as before. Either way every
# element, attribute and text goes through bleach's sanitising filter and `_RewriteFilter`;
# tests/domain/test_render_tree.py checks that both ways give the same HTML.
_PHRASING = frozenset(
    "a abbr b br code del em i img ins kbd mark q s samp small strong sub sup u var span".split()
)
_PHRASING_ONLY = _PHRASING | frozenset("p h1 h2 h3 h4 h5 h6".split())
_TABLE_PARENTS: dict[str, frozenset[str]] = {
    "caption": frozenset({"table"}),
    "thead": frozenset({"table"}),
    "tbody": frozenset({"table"}),
    "tfoot": frozenset({"table"}),
    "tr": frozenset({"thead", "tbody", "tfoot"}),
    "th": frozenset({"tr"}),
    "td": frozenset({"tr"}),
    "li": frozenset({"ul", "ol"}),
    "dt": frozenset({"dl"}),
    "dd": frozenset({"dl"}),
}
_TABLE_ONLY = frozenset({"table", "thead", "tbody", "tfoot", "tr"})  # only whitespace text
_HTML_SPACE = " \t\n\r\x0c"
_ATTRIBUTE_NAME = re.compile(r"[a-z][a-z0-9-]*")
_AS_PARSED = re.compile(  # characters html5lib replaces, drops or treats as spaces
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
    + re.escape(markdown_util.STX + markdown_util.ETX)
    + "]"
)


def _tree_as_parsed(root: Element, tags: frozenset[str]) -> bool:
    """Whether bleach's parser would rebuild ``root``'s serialisation as ``root`` itself."""
    stack = [root]
    while stack:
        parent = stack.pop()
        for text in (parent.text, parent.tail):
            if text and _AS_PARSED.search(text):
                return False
        if parent.tag in _TABLE_ONLY and (parent.text or "").strip(_HTML_SPACE):
            return False
        for child in parent:
            tag = child.tag
            if not isinstance(tag, str) or tag not in tags:
                return False
            if parent.tag in _PHRASING_ONLY and tag not in _PHRASING:
                return False
            if parent.tag in _TABLE_ONLY and (child.tail or "").strip(_HTML_SPACE):
                return False
            allowed_parents = _TABLE_PARENTS.get(tag)
            if allowed_parents is not None and parent.tag not in allowed_parents:
                return False
            if (tag in HTML_EMPTY or tag in _VOID) and (len(child) or child.text):
                return False
            if tag == "a" and child.find(".//a") is not None:
                return False
            if tag == "pre" and (child.text or "").startswith("\n"):
                return False
            for name, value in child.items():
                if not isinstance(value, str) or not _ATTRIBUTE_NAME.fullmatch(name):
                    return False
                if name == value:  # Markdown may write a bare boolean attribute
                    return False
                if _AS_PARSED.search(value):
                    return False
            stack.append(child)
    return True


def _html5lib_fragment(converter: markdown.Markdown, text: str, tags: frozenset[str]) -> Any:
    """Markdown's HTML for ``text``: as the tree bleach's parser would build from it (an
    ``Element``), or as the HTML itself where that tree is not known (see above).

    The steps of `markdown.Markdown.convert`, with the tree kept before it is serialised."""
    if not text.strip():
        return ""
    lines = text.split("\n")
    for preprocessor in converter.preprocessors:
        lines = preprocessor.run(lines)
    root = converter.parser.parseDocument(lines).getroot()
    assert root is not None  # noqa: S101 - Markdown always builds its document element
    for treeprocessor in converter.treeprocessors:
        new_root = treeprocessor.run(root)
        if new_root is not None:
            root = new_root
    if (
        converter.htmlStash.html_counter
        or root.tag != converter.doc_tag
        or root.attrib
        or not _tree_as_parsed(root, tags)
    ):
        return _serialise(converter, root)
    # What Markdown writes: escaped text, attributes sorted, the document tag and the
    # whitespace around the whole output stripped.
    for element in root.iter():
        if element.text:
            element.text = _escape_cdata(element.text)
        if element.tail:
            element.tail = _escape_cdata(element.tail)
        if element.attrib:
            attributes = sorted(element.attrib.items())
            element.attrib.clear()
            element.attrib.update((name, _escape_attrib_html(v)) for name, v in attributes)
    root.tag = "DOCUMENT_FRAGMENT"
    root.tail = None
    root.text = (root.text or "").lstrip()
    if len(root):
        root[-1].tail = (root[-1].tail or "").rstrip()
    else:
        root.text = root.text.rstrip()
    return root


def _serialise(converter: markdown.Markdown, root: Element) -> str:
    """The rest of `markdown.Markdown.convert`: serialise, strip the document tag, post-process."""
    output = converter.serializer(root)
    try:
        start = output.index(f"<{converter.doc_tag}>") + len(converter.doc_tag) + 2
        output = output[start : output.rindex(f"</{converter.doc_tag}>")].strip()
    except ValueError:
        if not output.strip().endswith(f"<{converter.doc_tag} />"):
            raise
        output = ""
    for postprocessor in converter.postprocessors:
        output = postprocessor.run(output)
    return output.strip()


class RenderTooSlow(Exception):  # noqa: N818 - reads as the event it reports
    """Rendering took longer than its budget of CPU time."""


def _within(budget: float | None, render: Callable[[], str]) -> str:
    """``render()``, refused with `RenderTooSlow` if it used more than ``budget`` CPU seconds.

    The budget is measured, not enforced mid-way: the course checker's structural limits
    (`lms.domain.courses.limits`: size, nesting, item counts) run before any rendering and keep
    out the inputs that make Markdown or html5lib slow, so a render that passes them finishes
    quickly; the budget then turns an unexpectedly slow text into a `file:line` error instead of
    a published lesson that makes every fresh worker wait. CPU time of this thread, not wall
    time: a busy machine must not turn a valid course invalid. (Stopping a running render from
    another thread would need CPython's asynchronous exceptions, which can land in arbitrary
    cleanup code; the structural limits make that unnecessary.)
    """
    if budget is None:
        return render()
    started = time.thread_time()
    html = render()
    if time.thread_time() - started > budget:
        raise RenderTooSlow(f"rendering took longer than {budget:g} s")
    return html


def render_markdown(
    text: str,
    *,
    resolve_link: LinkResolver | None = None,
    id_prefix: str = "c-",
    budget: float | None = None,
    language: str = "en",
    observe: TagObserver | None = None,
) -> str:
    """Render a lesson body (Markdown) to sanitised HTML.

    ``resolve_link`` receives every relative URL of a link or media element (without its
    ``#fragment``) and returns the URL to use, or None to drop the attribute; by default relative
    URLs are kept. Fragments are prefixed with ``id_prefix`` like the ids they point to. With
    ``budget`` (CPU seconds), rendering that took longer is refused with `RenderTooSlow`.
    ``language`` is the text's language: boxes without a title (``!!! tip``) are labelled in it
    (`ADMONITION_LABELS`). ``observe`` sees every element written (see `TagObserver`).
    """

    def render() -> str:
        converter = _markdown(inline=False, language=language)
        html = _html5lib_fragment(converter, text, _BLOCK_TAGS)
        return _sanitise(html, _BLOCK_TAGS, resolve_link, id_prefix, observe)

    return _within(budget, render)


def render_inline(
    text: str,
    *,
    resolve_link: LinkResolver | None = None,
    id_prefix: str = "c-",
    budget: float | None = None,
    observe: TagObserver | None = None,
) -> str:
    """Render a short text (quiz question, option, feedback) to sanitised HTML.

    Headings, tables, admonitions and other block structures are not allowed (their text is
    kept); a text that is a single paragraph comes back without the ``<p>`` wrapper. ``budget``
    and ``observe`` as for `render_markdown`.
    """

    def render() -> str:
        html = _html5lib_fragment(_markdown(inline=True), text, _INLINE_TAGS)
        return _sanitise(html, _INLINE_TAGS, resolve_link, id_prefix, observe)

    return _within(budget, render)
