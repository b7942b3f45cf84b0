"""What the renderer keeps: the Markdown authors use, links resolved, ids prefixed."""

from __future__ import annotations

import pytest

from lms.domain.render import classify_url, render_inline, render_markdown
from tests.domain.html_checks import contract_violations, elements_html5lib


def _elements(html: str, tag: str) -> list[dict[str, str]]:
    return [attrs for name, attrs in elements_html5lib(html) if name == tag]


def test_table_keeps_alignment_without_style() -> None:
    html = render_markdown("| Stage | Days |\n|:--|--:|\n| Intake | 1 |\n")
    assert "<table>" in html
    assert _elements(html, "th") == [{"align": "left"}, {"align": "right"}]
    assert "style" not in html


def test_admonition_keeps_its_classes() -> None:
    html = render_markdown('!!! warning "Be careful"\n    Ask before you help.\n')
    assert _elements(html, "div") == [{"class": "admonition warning"}]
    assert '<p class="admonition-title">Be careful</p>' in html


def test_unknown_admonition_type_loses_the_class_only() -> None:
    html = render_markdown("!!! btn-primary\n    text\n")
    assert _elements(html, "div") == [{"class": "admonition"}]


def test_headings_get_prefixed_ids_and_toc_links_match() -> None:
    html = render_markdown("[TOC]\n\n# Нийгмийн загвар\n\n## Second part\n")
    heading_ids = [a["id"] for a in _elements(html, "h1") + _elements(html, "h2")]
    toc_links = [a["href"] for a in _elements(html, "a")]
    assert heading_ids == ["c-нийгмийн-загвар", "c-second-part"]
    assert toc_links == ["#" + heading_id for heading_id in heading_ids]


def test_footnote_links_and_ids_match() -> None:
    html = render_markdown("Quota[^1].\n\n[^1]: Four percent.\n")
    ids = {a["id"] for name, a in elements_html5lib(html) if "id" in a}
    hrefs = {a["href"] for a in _elements(html, "a")}
    assert ids == {"c-fnref:1", "c-fn:1"}
    assert hrefs == {"#c-fn:1", "#c-fnref:1"}


def test_in_page_link_is_rewritten_to_the_prefixed_id() -> None:
    html = render_markdown("# Intro\n\nSee [the intro](#intro).\n", id_prefix="l7-")
    assert _elements(html, "h1") == [{"id": "l7-intro"}]
    assert {"href": "#l7-intro"} in _elements(html, "a")


@pytest.mark.parametrize(
    "url", ["https://example.org/a", "http://example.org/a", "//example.org/a"]
)
def test_external_links_get_rel(url: str) -> None:
    html = render_markdown(f"[site]({url})")
    assert _elements(html, "a") == [{"href": url, "rel": "noopener noreferrer"}]


def test_mailto_and_relative_links_get_no_rel() -> None:
    html = render_markdown("[mail](mailto:coach@example.mn) [next](02-stages.en.md)")
    assert _elements(html, "a") == [
        {"href": "mailto:coach@example.mn"},
        {"href": "02-stages.en.md"},
    ]


def test_resolver_maps_relative_urls_and_keeps_prefixed_fragments() -> None:
    seen: list[str] = []

    def resolve(url: str) -> str | None:
        seen.append(url)
        return None if "secret" in url else "/learn/demo/" + url.rsplit("/", 1)[-1]

    html = render_markdown(
        "![Stages](../assets/stages.svg) [next](02-stages.en.md#task) [hidden](secret.md)",
        resolve_link=resolve,
    )
    assert seen == ["../assets/stages.svg", "02-stages.en.md", "secret.md"]
    assert _elements(html, "img") == [{"alt": "Stages", "src": "/learn/demo/stages.svg"}]
    assert _elements(html, "a") == [{"href": "/learn/demo/02-stages.en.md#c-task"}, {}]


def test_image_keeps_alt_title_and_size() -> None:
    html = render_markdown('<img src="a.png" alt="Ramp" title="A ramp" width="300" height="200">')
    assert _elements(html, "img") == [
        {"src": "a.png", "alt": "Ramp", "title": "A ramp", "width": "300", "height": "200"}
    ]


def test_media_sources_must_be_https_or_relative() -> None:
    html = render_markdown(
        '<video controls src="https://cdn.example/v.mp4" poster="http://cdn.example/p.png">\n'
        '<track kind="captions" srclang="mn" src="v.mn.vtt" label="Монгол" default>\n'
        '<source src="//cdn.example/v.webm" type="video/webm">\n</video>\n'
    )
    assert _elements(html, "video") == [{"controls": "", "src": "https://cdn.example/v.mp4"}]
    assert _elements(html, "track") == [
        {"kind": "captions", "srclang": "mn", "src": "v.mn.vtt", "label": "Монгол", "default": ""}
    ]
    assert _elements(html, "source") == [
        {"src": "https://cdn.example/v.webm", "type": "video/webm"}
    ]


def test_code_definition_lists_and_abbreviations() -> None:
    html = render_markdown(
        "```python\nprint(1)\n```\n\nJob coach\n:   A person who supports.\n\n"
        "The CRPD applies.\n\n*[CRPD]: Convention on the Rights of Persons with Disabilities\n"
    )
    assert _elements(html, "code") == [{"class": "language-python"}]
    assert "<dt>Job coach</dt>" in html
    assert _elements(html, "abbr") == [
        {"title": "Convention on the Rights of Persons with Disabilities"}
    ]
    assert contract_violations(html) == []


def test_lang_and_dir_are_kept_when_valid() -> None:
    html = render_markdown('<p lang="en" dir="ltr">English</p>')
    assert _elements(html, "p") == [{"lang": "en", "dir": "ltr"}]


def test_inline_unwraps_a_single_paragraph() -> None:
    assert render_inline("The *social* model") == "The <em>social</em> model"


def test_inline_keeps_several_paragraphs_and_lists() -> None:
    html = render_inline("One.\n\nTwo.\n\n- a\n- b\n")
    assert html.count("<p>") == 2
    assert html.count("<li>") == 2


def test_inline_drops_headings_but_keeps_their_text() -> None:
    html = render_inline("# Big\n\ntext")
    assert "<h1" not in html
    assert "Big" in html


def test_inline_links_and_images_are_resolved() -> None:
    html = render_inline(
        "![Ramp](../assets/ramp.png) [EUSE](https://euse.org)", resolve_link=str.upper
    )
    assert _elements(html, "img") == [{"alt": "Ramp", "src": "../ASSETS/RAMP.PNG"}]
    assert _elements(html, "a") == [{"href": "https://euse.org", "rel": "noopener noreferrer"}]


def test_empty_text_renders_empty() -> None:
    assert render_markdown("") == ""
    assert render_inline("") == ""


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("#part", "fragment"),
        ("lessons/a.md", "relative"),
        ("/about", "relative"),
        ("HTTPS://x.example", "external"),
        ("//x.example", "external"),
        ("\\\\x.example", "external"),
        ("mailto:a@b.mn", "mailto"),
        (" java\tscript:alert(1)", "unsafe"),
        ("data:text/html,x", "unsafe"),
    ],
)
def test_classify_url(url: str, kind: str) -> None:
    assert classify_url(url)[0] == kind


@pytest.mark.parametrize(
    ("language", "kind", "label"),
    [
        ("mn", "tip", "Зөвлөгөө"),
        ("mn", "note", "Тэмдэглэл"),
        ("mn", "warning", "Анхааруулга"),
        ("en", "tip", "Tip"),
        ("en", "note", "Note"),
    ],
)
def test_untitled_box_is_labelled_in_the_texts_language(language, kind, label) -> None:
    html = render_markdown(f"!!! {kind}\n    Ask first.\n", language=language)
    assert f'<p class="admonition-title">{label}</p>' in html


def test_a_written_box_title_is_kept_and_an_empty_one_stays_empty() -> None:
    titled = render_markdown('!!! tip "Сайн туршлага"\n    Ask first.\n', language="mn")
    assert '<p class="admonition-title">Сайн туршлага</p>' in titled
    untitled = render_markdown('!!! tip ""\n    Ask first.\n', language="mn")
    assert "admonition-title" not in untitled


def test_box_labels_follow_each_call_not_the_last_one() -> None:
    # The converter is reused per thread: the language is set on every call.
    render_markdown("!!! tip\n    x\n", language="mn")
    assert '<p class="admonition-title">Tip</p>' in render_markdown("!!! tip\n    x\n")
