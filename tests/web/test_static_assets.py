"""Static files under content-hashed names with a year's cache; pages compressed."""

from __future__ import annotations

import base64
import gzip
import hashlib
import re
from pathlib import Path

import brotli
import pytest

import lms
from lms.web.static_assets import (
    LONG_CACHE,
    STYLESHEET_COOKIE,
    content_hashes,
    hashed_name,
    inline_stylesheet,
)
from tests.factories import make_user, publish_demo_course

STATIC = Path(lms.__file__).parent / "static"


def _digest(relative: str) -> str:
    return hashlib.sha256((STATIC / relative).read_bytes()).hexdigest()[:12]


def _has_the_stylesheet(client, digest: str | None = None) -> None:
    """The cookie a browser that was here before sends (it has today's stylesheet file)."""
    host = client.application.config.get("SERVER_NAME") or "localhost"
    client.set_cookie(STYLESHEET_COOKIE, digest or _digest("css/app.css"), domain=host)


def test_hashed_names_are_the_content_hash_of_each_file():
    hashes = content_hashes(STATIC)
    assert hashes["css/app.css"] == _digest("css/app.css")
    assert set(hashes) >= {"css/app.css", "js/quiz.js", "favicon.svg"}
    assert hashed_name("css/app.css", "0123456789ab") == "css/app.0123456789ab.css"
    assert hashed_name("LICENSE", "0123456789ab") == "LICENSE.0123456789ab"


def test_pages_link_hashed_assets_served_with_a_year_of_immutable_cache(client, db):
    page = client.get("/account/login")
    stylesheet = f"/static/css/app.{_digest('css/app.css')}.css"
    icon = f"/static/favicon.{_digest('favicon.svg')}.svg"
    assert f'<link rel="stylesheet" href="{stylesheet}">' in page.text
    assert "<style>" not in page.text
    assert f'href="{icon}"' in page.text
    response = client.get(stylesheet)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == LONG_CACHE
    assert response.get_data() == (STATIC / "css/app.css").read_bytes()


def _inline_css(html: str) -> str | None:
    found = re.search(r"<style>(.*?)</style>", html, re.DOTALL)
    return found.group(1) if found else None


NAVIGATE = {"Sec-Fetch-Mode": "navigate"}  # what a browser sends when it loads a page


def test_a_first_visit_carries_the_stylesheet_inline_allowed_by_its_hash(client, db):
    """No cookie: the first paint needs the HTML alone; the policy allows exactly that text."""
    first = client.get("/account/login", headers=NAVIGATE)
    css = _inline_css(first.text)
    assert css == (STATIC / "css/app.css").read_text()
    expected = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
    policy = dict(
        part.strip().split(" ", 1) for part in first.headers["Content-Security-Policy"].split(";")
    )
    assert policy["style-src"].split() == ["'self'", f"'sha256-{expected}'"]
    assert "'unsafe-inline'" not in first.headers["Content-Security-Policy"]
    # The file itself is only prefetched (for the next page), not render-blocking.
    stylesheet = f"/static/css/app.{_digest('css/app.css')}.css"
    assert f'<link rel="prefetch" href="{stylesheet}" as="style">' in first.text
    assert 'rel="stylesheet"' not in first.text
    cookie = first.headers["Set-Cookie"]
    assert cookie.startswith(f"{STYLESHEET_COOKIE}={_digest('css/app.css')};")
    for attribute in ("HttpOnly", "SameSite=Lax", "Max-Age=31536000", "Path=/"):
        assert attribute in cookie
    assert {"Cookie", "Sec-Fetch-Mode"} <= set(first.headers["Vary"].replace(" ", "").split(","))

    second = client.get("/account/login", headers=NAVIGATE)  # the cookie goes back
    assert _inline_css(second.text) is None
    assert f'<link rel="stylesheet" href="{stylesheet}">' in second.text
    assert STYLESHEET_COOKIE not in second.headers.get("Set-Cookie", "")
    assert "Cookie" in second.headers["Vary"]


def test_a_cookie_naming_an_older_stylesheet_gets_todays_inline(client, db):
    """After a release the old cookie names a file the browser has, not today's."""
    _has_the_stylesheet(client, "000000000000")
    page = client.get("/account/login", headers=NAVIGATE)
    assert _inline_css(page.text) == (STATIC / "css/app.css").read_text()
    assert page.headers["Set-Cookie"].startswith(f"{STYLESHEET_COOKIE}={_digest('css/app.css')};")


@pytest.mark.parametrize(
    ("config", "https", "secure"),
    [({}, False, False), ({}, True, True), ({"LMS_FORCE_SECURE_COOKIES": True}, False, True)],
)
def test_the_stylesheet_cookie_is_secure_like_the_session_cookie(make_app, config, https, secure):
    client = make_app(**config).test_client()
    page = client.get(
        "/account/login", headers=NAVIGATE, base_url="https://lms.test" if https else None
    )
    cookie = next(c for c in page.headers.getlist("Set-Cookie") if c.startswith(STYLESHEET_COOKIE))
    assert ("Secure" in cookie) is secure


@pytest.mark.parametrize("mode", ["cors", "same-origin", "no-cors", None])
def test_requests_that_are_not_page_loads_link_the_stylesheet(client, db, mode):
    """The service worker storing a lesson for offline use, scripts, old browsers: no inline
    copy (the stored page uses the precached file), and no cookie."""
    page = client.get("/account/login", headers={"Sec-Fetch-Mode": mode} if mode else {})
    assert _inline_css(page.text) is None
    assert 'rel="stylesheet"' in page.text
    assert STYLESHEET_COOKIE not in page.headers.get("Set-Cookie", "")


def test_a_stylesheet_that_would_end_its_style_element_is_refused(tmp_path):
    (tmp_path / "css").mkdir()
    (tmp_path / "css/app.css").write_text("a::after { content: '</style><script>'; }")
    with pytest.raises(ValueError, match="cannot be inlined"):
        inline_stylesheet(tmp_path)
    assert inline_stylesheet(tmp_path / "nothing-here") is None


def test_unhashed_and_outdated_names_are_served_but_revalidated(client, db):
    for url in ("/static/css/app.css", "/static/css/app.000000000000.css"):
        response = client.get(url)
        assert response.status_code == 200
        assert response.get_data() == (STATIC / "css/app.css").read_bytes()
        assert "immutable" not in response.headers.get("Cache-Control", "")
    assert client.get("/static/css/missing.0123456789ab.css").status_code == 404
    assert client.get("/static/../__init__.py").status_code == 404


@pytest.mark.parametrize(
    ("accept", "encoding", "decode"),
    [("gzip, deflate, br", "br", brotli.decompress), ("gzip", "gzip", gzip.decompress)],
)
def test_pages_are_compressed_for_clients_that_accept_it(client, db, accept, encoding, decode):
    plain = client.get("/account/login")
    assert "Content-Encoding" not in plain.headers
    packed = client.get("/account/login", headers={"Accept-Encoding": accept})
    assert packed.headers["Content-Encoding"] == encoding
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert len(packed.get_data()) < len(plain.get_data()) / 2
    html = decode(packed.get_data()).decode()
    assert re.sub(r'value="[^"]+"', "", html) == re.sub(r'value="[^"]+"', "", plain.text)


def test_a_repeat_visit_to_a_lesson_transfers_under_10_kb(app, client, login_as, db, tmp_path):
    publish_demo_course(tmp_path)
    login_as(user=make_user())
    client.post("/courses/demo/enrol")
    browser = {"Accept-Encoding": "gzip, deflate, br"}
    _has_the_stylesheet(client)  # a repeat visit: the browser has the file
    page = client.get("/learn/demo/lessons/01-social-model", headers=browser)
    assert page.status_code == 200
    # Assets come from the browser's cache on a repeat visit (immutable, hashed names); only
    # the page itself travels. A first visit adds each asset once, compressed.
    assert len(page.get_data()) <= 10 * 1024
    assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', brotli.decompress(page.data).decode())
    assert assets
    for url in assets:
        asset = client.get(url, headers=browser)
        assert asset.headers["Cache-Control"] == LONG_CACHE
