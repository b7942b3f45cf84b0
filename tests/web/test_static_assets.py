"""Static files under content-hashed names with a year's cache; pages compressed."""

from __future__ import annotations

import gzip
import hashlib
import re
from pathlib import Path

import brotli
import pytest

import lms
from lms.web.static_assets import LONG_CACHE, content_hashes, hashed_name
from tests.factories import make_user, publish_demo_course

STATIC = Path(lms.__file__).parent / "static"


def _digest(relative: str) -> str:
    return hashlib.sha256((STATIC / relative).read_bytes()).hexdigest()[:12]


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
    assert f'href="{stylesheet}"' in page.text
    assert f'href="{icon}"' in page.text
    response = client.get(stylesheet)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == LONG_CACHE
    assert response.get_data() == (STATIC / "css/app.css").read_bytes()


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
