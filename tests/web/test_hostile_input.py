"""Findings 6 and 7: hostile input is refused in one place with a 400, never a 500.

NUL and other control characters in paths, query strings, form fields and JSON bodies; deeply
nested or oversized JSON; bidirectional overrides and zero-width characters in names and free
text. JSON errors under /api/ and for the push hook, pages elsewhere. Run on PostgreSQL too:
NUL is what PostgreSQL cannot store.
"""

from __future__ import annotations

import json

import pytest

from lms.domain.regions import REGIONS
from lms.domain.unsafe_text import (
    has_control_character,
    has_invisible_formatting,
    json_depth,
)
from lms.models import User
from lms.services.registry import api_tokens

CONTROL = ["\x00", "\x01", "\x1b", "\x7f", "\x85"]
INVISIBLE = ["\u202e", "\u202d", "\u2066", "\u200b", "\u200d", "\u2060", "\ufeff", "\u200f"]


@pytest.fixture(autouse=True)
def english(client):
    with client.session_transaction() as session:
        session["lang"] = "en"


@pytest.fixture
def token(app, db):
    _row, secret = api_tokens.create("Ministry", ("registry:read",), actor=None)
    return secret


def _is_page(response) -> bool:
    return response.mimetype == "text/html" and '<main id="main"' in response.text


def _is_json_error(response) -> bool:
    body = response.get_json(silent=True)
    return isinstance(body, dict) and {"error", "message"} <= set(body)


@pytest.mark.parametrize("char", CONTROL)
@pytest.mark.parametrize(
    "path",
    [
        "/courses/a{c}b",
        "/registry/?q=a{c}b",
        "/admin/users?q={c}",
        "/account/login?next=/{c}",
        "/verify/JC{c}1",
        "/nowhere{c}",
    ],
)
def test_control_characters_in_pages_are_refused_with_a_page(client, login_as, path, char):
    login_as("admin")
    response = client.get(path.replace("{c}", _quoted(char)))
    assert response.status_code == 400
    assert _is_page(response)
    assert "control characters" in response.text


@pytest.mark.parametrize("char", CONTROL)
@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/registry/credentials?q=a{c}b",
        "/api/v1/registry/credentials?course={c}",
        "/api/v1/registry/eligibility?number=JC{c}&on=2026-01-01",
        "/api/v1/registry/credentials/JC{c}1",
        "/api/v1/credentials/JC{c}1",
        "/api/v1/nowhere{c}",
    ],
)
def test_control_characters_in_the_api_are_refused_with_json(client, token, path, char):
    response = client.get(
        path.replace("{c}", _quoted(char)), headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 400
    assert _is_json_error(response)
    assert response.get_json()["error"] == "invalid_input"


@pytest.mark.parametrize("char", CONTROL)
def test_control_characters_in_form_fields_are_refused(client, char):
    data = {
        "email": "new@example.mn",
        "name": f"Bat{char}bold",
        "password": "a long enough password 123",
        "locale": "mn",
        "region": REGIONS[0].code,
    }
    response = client.post("/account/register", data=data)
    assert response.status_code == 400
    assert _is_page(response)
    assert User.query.filter_by(email="new@example.mn").count() == 0


@pytest.mark.parametrize("char", CONTROL)
def test_control_characters_in_json_are_refused(client, token, char):
    body = json.dumps({"national_id": f"УБ9911{char}2233", "on": "2026-01-01"})
    response = client.post(
        "/api/v1/registry/eligibility",
        data=body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 400
    assert response.get_json()["error"] == "invalid_input"


@pytest.mark.parametrize("opening", ["[", '{"a":'])
@pytest.mark.parametrize("path", ["/api/v1/registry/eligibility", "/hooks/git"])
def test_deeply_nested_json_is_refused(app, client, token, path, opening):
    app.config["LMS_GIT_HOOK_SECRET"] = "s3cret"
    closing = "]" if opening == "[" else "}"
    body = opening * 50_000 + "1" + closing * 50_000
    response = client.post(
        path,
        data=body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 400
    assert _is_json_error(response)
    assert "nested" in response.get_json()["message"]


def test_a_json_body_over_the_limit_is_refused(app, client, token):
    body = json.dumps({"national_id": "УБ99112233", "padding": "x" * (1024 * 1024)})
    response = client.post(
        "/api/v1/registry/eligibility",
        data=body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 400
    assert "larger" in response.get_json()["message"]


def test_brackets_inside_strings_do_not_count_as_nesting(client, token):
    body = json.dumps({"national_id": "[" * 500 + "{" * 500, "on": "2026-01-01"})
    response = client.post(
        "/api/v1/registry/eligibility",
        data=body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 400  # refused by the endpoint: not a valid national ID
    assert response.get_json()["error"] == "invalid_parameter"


@pytest.mark.parametrize("char", INVISIBLE)
def test_names_refuse_invisible_formatting_with_a_message(client, char):
    data = {
        "email": "new@example.mn",
        "name": f"Bat{char}reyam",
        "password": "a long enough password 123",
        "locale": "en",
        "region": REGIONS[0].code,
    }
    response = client.post("/account/register", data=data)
    assert response.status_code == 200
    assert "invisible formatting characters" in response.text
    assert User.query.filter_by(email="new@example.mn").count() == 0


def test_ordinary_text_passes(client):
    response = client.post(
        "/account/register",
        data={
            "email": "new@example.mn",
            "name": "Батболд Өлзий-Үүрийн\tнэр",
            "password": "a long enough password 123",
            "locale": "mn",
            "region": REGIONS[0].code,
        },
    )
    assert response.status_code == 302  # tabs are fine in a form field; the account exists


def test_the_character_classes():
    assert has_control_character("a\x00b")
    assert not has_control_character("line\nbreak\ttab\r")
    assert has_control_character("a\nb", in_url=True)
    assert not has_control_character("Өлзий Үүр")
    assert has_invisible_formatting("a\u202eb")
    assert not has_invisible_formatting("Батболд")
    assert json_depth(b"1") == 0
    assert json_depth(b'{"a": [1, {"b": "]]]"}]}') == 3
    assert json_depth(b"[" * 10_000) == 10_000


def _quoted(char: str) -> str:
    from urllib.parse import quote

    return quote(char)
