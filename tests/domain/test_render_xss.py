"""Table-driven XSS tests: every payload's output is parsed and checked against the contract."""

from __future__ import annotations

import pytest

from lms.domain.render import render_inline, render_markdown
from tests.domain.html_checks import contract_violations, elements_html5lib

PAYLOADS: list[str] = [
    # script and style
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</script>",
    "<script\x20type='text/javascript'>alert(1);</script>",
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<div style="width: expression(alert(1))">x</div>',
    '"><script>alert(1)</script>',
    # event handlers
    "<img src=x onerror=alert(1)>",
    '<img src="x" ONERROR="alert(1)">',
    "<img/src=x/onerror=alert(1)>",
    "<img src=x onerror\n=alert(1)>",
    "<img src=x:alert(alt) onerror=eval(src) alt=0>",
    "<body onload=alert(1)>",
    '<a href="#" onclick="alert(1)">x</a>',
    "<details open ontoggle=alert(1)><summary>s</summary></details>",
    "<video src=x onerror=alert(1)></video>",
    "<p onmouseover=alert(1)>hover</p>",
    "<marquee onstart=alert(1)>x</marquee>",
    # schemes in raw HTML, with encodings, case and white space
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="java\tscript:alert(1)">x</a>',
    '<a href="java\nscript:alert(1)">x</a>',
    '<a href="java\rscript:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="&#x6A;avascript:alert(1)">x</a>',
    '<a href="&#X6a;&#X61;vascript:alert(1)">x</a>',
    '<a href="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105'
    '&#0000112&#0000116&#0000058alert(1)">x</a>',
    '<a href="javascript&colon;alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="jav&#x0A;ascript:alert(1)">x</a>',
    '<a href="&#x01;javascript:alert(1)">x</a>',
    '<a href="\x00javascript:alert(1)">x</a>',
    '<a href="&#14;  javascript:alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="VBScript:msgbox(1)">x</a>',
    '<a href="livescript:alert(1)">x</a>',
    '<a href="feed:javascript:alert(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<img src="data:image/svg+xml,<svg onload=alert(1)>" alt="x">',
    '<img src="javascript:alert(1)" alt="x">',
    '<img srcset="javascript:alert(1) 1x" alt="x">',
    '<video poster="javascript:alert(1)" src="javascript:alert(1)">'
    '<track src="javascript:alert(1)"><source src="data:video/mp4,xx"></video>',
    '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>',
    '<blockquote cite="javascript:alert(1)">x</blockquote>',
    # Markdown link and image syntax
    "[x](javascript:alert(1))",
    "[x](JAVASCRIPT:alert(1))",
    "[x]( javascript:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](&#x6A;avascript:alert(1))",
    "[x](<javascript:alert(1)>)",
    '[x](javascript:alert(1) "title")',
    "[x](vbscript:msgbox(1))",
    "[x](data:text/html,<script>alert(1)</script>)",
    "![x](javascript:alert(1))",
    "![x](data:image/png;base64,AAAA)",
    "![x](http://insecure.example/x.png)",
    "[x][r]\n\n[r]: javascript:alert(1)",
    "[x][r]\n\n[r]: &#106;avascript:alert(1)",
    "![x][r]\n\n[r]: javascript:alert(1)",
    "<javascript:alert(1)>",
    "<JAVASCRIPT:alert(1)>",
    "<vbscript:msgbox(1)>",
    # attr_list syntax must not become attributes
    'para {: onclick="alert(1)" }',
    "# Heading {: onclick=alert(1) #csrf_token }",
    "![x](a.png){: onerror=alert(1)}",
    "[x](https://ok.example){: style='x' onmouseover=alert(1)}",
    # admonitions
    '!!! note "<img src=x onerror=alert(1)>"\n    body',
    '!!! danger onclick="x"\n    body',
    '!!! "<script>alert(1)</script>"\n    body',
    '!!! note "</p><script>alert(1)</script>"\n    body',
    # ids that could clobber page elements
    "# csrf_token",
    '<p id="csrf_token">x</p>',
    '<h2 id="main">x</h2>',
    '<form id="login"><input name="csrf_token"></form>',
    "Text[^csrf_token]\n\n[^csrf_token]: note",
    "[TOC]\n\n# submit\n\n## csrf_token",
    '<a name="forms">x</a>',
    '<img name="getElementById" src="a.png" alt="x">',
    # elements that must never survive
    '<iframe src="https://evil.example"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<frameset><frame src="javascript:alert(1)"></frameset>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<applet code="x"></applet>',
    '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    '<form action="https://evil.example"><button>go</button></form>',
    '<button formaction="javascript:alert(1)">x</button>',
    '<input type="image" src=x onerror=alert(1)>',
    '<isindex action="javascript:alert(1)" type="image">',
    "<svg><script>alert(1)</script></svg>",
    "<svg onload=alert(1)>",
    '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">x</text></a></svg>',
    '<svg><use href="data:image/svg+xml,<svg id=x onload=alert(1)>#x"/></svg>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<math href="javascript:alert(1)">x</math>',
    '<math><maction actiontype="statusline" xlink:href="javascript:alert(1)">x</maction></math>',
    # comments, CDATA and raw-text tricks
    "<!--<img src=x onerror=alert(1)>-->",
    "<!--><img src=x onerror=alert(1)>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    "<template><script>alert(1)</script></template>",
    "<xmp><script>alert(1)</script></xmp>",
    "<textarea><script>alert(1)</script></textarea>",
    "<plaintext><script>alert(1)</script>",
    "<title><script>alert(1)</script></title>",
    # allowed but constrained
    '<a href="//evil.example/x">protocol-relative</a>',
    '<a href="/\\evil.example">backslash</a>',
    '<a href="https://ok.example" target="_blank" rel="opener">x</a>',
    '<div class="btn-primary modal" data-toggle="x">x</div>',
    '<a href="https://x.example" style="position:fixed;top:0">x</a>',
    '<img src="//cdn.example/x.png" alt="x">',
    '<img src="http://insecure.example/x.png" alt="x">',
    '<td colspan="javascript:alert(1)">x</td>',
    '<p dir="rtl;x" lang="mn onclick=x">x</p>',
]


def test_payload_collection_is_broad() -> None:
    assert len(PAYLOADS) >= 60
    assert len(set(PAYLOADS)) == len(PAYLOADS)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_render_markdown_output_keeps_the_contract(payload: str) -> None:
    output = render_markdown(payload)
    assert contract_violations(output) == []
    assert "<script" not in output.lower()


@pytest.mark.parametrize("payload", PAYLOADS)
def test_render_inline_output_keeps_the_contract(payload: str) -> None:
    output = render_inline(payload)
    assert contract_violations(output) == []
    tags = {tag for tag, _ in elements_html5lib(output)}
    assert not tags & {"h1", "h2", "h3", "h4", "h5", "h6", "table", "div", "video"}


@pytest.mark.parametrize("payload", PAYLOADS)
def test_custom_prefix_and_resolver_keep_the_contract(payload: str) -> None:
    output = render_markdown(payload, id_prefix="lesson-7-", resolve_link=lambda url: "/m/" + url)
    assert contract_violations(output, id_prefix="lesson-7-") == []


@pytest.mark.parametrize(
    "payload",
    [
        '<img src="https://evil.example/x.png" alt="x">',
        "![x](https://evil.example/x.png)",
        '<a href="https://evil.example">x</a>',
    ],
)
def test_resolver_is_not_asked_about_absolute_urls(payload: str) -> None:
    asked: list[str] = []

    def resolve(url: str) -> str:
        asked.append(url)
        return url

    render_markdown(payload, resolve_link=resolve)
    assert asked == []


def test_rendering_twice_is_stable() -> None:
    """Sanitised output re-sanitised must not change (no mutation-XSS foothold)."""
    for payload in PAYLOADS:
        once = render_markdown(payload)
        assert contract_violations(render_markdown(once)) == []


def test_a_resolver_returning_a_script_url_is_ignored() -> None:
    output = render_markdown("[x](a.md) ![y](b.png)", resolve_link=lambda _: "javascript:alert(1)")
    assert contract_violations(output) == []
    assert "javascript" not in output
