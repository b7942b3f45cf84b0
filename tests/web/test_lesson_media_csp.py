"""Finding 13: the checker and the Content-Security-Policy agree about media.

Before, the checker accepted images and videos from https hosts that the page's CSP then
blocked (a broken image). Now media load from the LMS only: every media URL of a published
lesson is allowed by its page's CSP, and a course with media on another site is not published.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest

from lms.security import CONTENT_SECURITY_POLICY
from lms.services.courses import publishing
from tests.domain.course_builder import valid_files, write_course
from tests.factories import publish_demo_course

LESSON = "lessons/01-social-model.en.md"
EXTERNAL = [
    "![The five stages](https://cdn.example.org/five-stages.svg)",
    '<video controls src="https://media.example.org/intro.mp4">'
    '<track kind="captions" srclang="en" src="../assets/intro.en.vtt"></video>',
    '<iframe src="https://www.youtube.com/embed/abc"></iframe>',
]


class _Media(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[tuple[str, str]] = []  # (directive, url)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = dict(attrs)
        wanted = {
            "img": [("img-src", "src")],
            "video": [("media-src", "src"), ("img-src", "poster")],
            "source": [("media-src", "src")],
            "track": [("media-src", "src")],
            "audio": [("media-src", "src")],
            "iframe": [("frame-src", "src")],
        }
        for directive, name in wanted.get(tag, []):
            if attr.get(name):
                self.urls.append((directive, attr[name] or ""))


def _policy(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def _allowed(policy: dict[str, list[str]], directive: str, url: str, origin: str) -> bool:
    sources = policy.get(directive, policy.get("default-src", []))
    target = urlsplit(urljoin(origin + "/learn/demo/lessons/x", url))
    if f"{target.scheme}://{target.netloc}" == origin and "'self'" in sources:
        return True
    if target.scheme == "data":
        return "data:" in sources
    return any(source.rstrip("/") == f"{target.scheme}://{target.netloc}" for source in sources)


def test_every_media_url_of_a_lesson_page_is_allowed_by_its_csp(client, login_as, tmp_path):
    publish_demo_course(tmp_path)
    login_as("trainee")
    client.post("/courses/demo/enrol")
    checked = 0
    for lesson in ("01-social-model", "02-stages"):
        for language in ("en", "mn"):
            page = client.get(f"/learn/demo/lessons/{lesson}?lang={language}")
            assert page.status_code == 200
            policy = _policy(page.headers["Content-Security-Policy"])
            parser = _Media()
            parser.feed(page.text)
            for directive, url in parser.urls:
                assert _allowed(policy, directive, url, "http://localhost"), (directive, url)
                checked += 1
    assert checked >= 4  # the demo course's image, video and captions were seen


@pytest.mark.parametrize("markup", EXTERNAL)
def test_a_lesson_with_media_on_another_site_is_not_published(app, tmp_path, markup):
    files = dict(valid_files())
    lesson = files[LESSON]
    assert isinstance(lesson, str)
    files[LESSON] = lesson + "\n" + markup + "\n"
    folder = write_course(tmp_path, files)
    result = publishing.publish_path(folder)
    assert result.status != "published"
    messages = [str(p) for p in result.problems if p.is_error]
    assert len(messages) == 1, messages
    assert f"{LESSON}:19: error:" in messages[0]
    assert "this site only" in messages[0]
    # ...because the page's policy would block it: the host is in no directive.
    host = re.search(r"https://([^/\"]+)", markup)
    assert host is not None
    assert all(host.group(1) not in sources for sources in CONTENT_SECURITY_POLICY.values())
