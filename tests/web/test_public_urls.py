"""Finding 2: absolute links come from LMS_PUBLIC_URL only, never from request headers.

A reset request carrying `X-Forwarded-Host: evil.example` (behind ProxyFix) or a forged `Host`
must not mail a link to evil.example; nor may the OpenAPI `servers`, a certificate's verify
URL and QR code, a signed credential, the issuer profile or a status list name that host.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from click.testing import CliRunner

from lms import public_urls
from lms.cli.serve import serve_command
from lms.services import outbox
from lms.services.registry import api_tokens
from tests.factories import issue_demo_credential, make_user

PUBLIC = "https://lms.example.mn"
FORGED_HEADERS = (
    {"Host": "evil.example"},
    {"X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "https"},
    {"Host": "evil.example", "X-Forwarded-Host": "evil.example", "X-Forwarded-Port": "666"},
)


@pytest.fixture(params=[False, True], ids=["direct", "proxy-fix"])
def public_app(request, make_app):
    app = make_app(LMS_PUBLIC_URL=PUBLIC, LMS_PROXY_FIX=request.param)
    with app.app_context():
        yield app


@pytest.fixture
def mails(monkeypatch) -> list[dict[str, Any]]:
    """Every outbox payload written (mail is queued through the outbox)."""
    written: list[dict[str, Any]] = []
    original = outbox.write

    def record(kind: str, payload: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        written.append(payload)
        return original(kind, payload, *args, **kwargs)

    monkeypatch.setattr(outbox, "write", record)
    return written


def _payload_segments(token: str) -> str:
    """The decoded header and payload of a JWS/JWT, as text."""
    parts = token.split(".")[:2]
    return "".join(
        base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)).decode("utf-8") for part in parts
    )


@pytest.mark.parametrize("headers", FORGED_HEADERS)
def test_reset_mail_links_ignore_forged_host_headers(public_app, mails, headers):
    user = make_user(email="coach@example.mn")
    client = public_app.test_client()
    response = client.post(
        "/account/reset",
        data={"email": user.email},
        headers=headers,
        base_url="http://evil.example",
    )
    assert response.status_code in (200, 302)
    texts = json.dumps(mails, ensure_ascii=False)
    assert mails, "the reset request wrote no mail"
    assert f"{PUBLIC}/account/reset/" in texts
    assert "evil.example" not in texts


@pytest.mark.parametrize("headers", FORGED_HEADERS)
def test_documents_and_pages_ignore_forged_host_headers(public_app, tmp_path, headers):
    credential = issue_demo_credential(tmp_path)
    _row, token = api_tokens.create("Ministry", ("registry:read",), actor=None)
    client = public_app.test_client()
    host = headers.get("Host", "lms.test")  # the cookie is kept for the host it was set on
    with client.session_transaction(base_url=f"http://{host}") as session:
        session["_user_id"] = credential.user.get_id()
        session["_fresh"] = True
    pages = [
        "/api/v1/openapi.json",
        f"/certificates/{credential.number}",
        f"/certificates/{credential.number}/credential.json",
        "/issuer",
        "/.well-known/jwks.json",
        "/api/v1/registry/credentials?per_page=1",
    ]
    signed = [f"/certificates/{credential.number}/credential.jwt", "/credentials/status/revocation"]
    for path in pages + signed:
        response = client.get(
            path,
            headers={**headers, "Authorization": f"Bearer {token}"},
            base_url=f"http://{host}",
        )
        assert response.status_code == 200, path
        text = response.get_data(as_text=True)
        if path in signed:
            text = _payload_segments(text.strip())
        assert PUBLIC in text or path.startswith("/api/v1/registry"), path
        assert "evil.example" not in text, path
        assert "evil.example" not in str(response.headers), path
    document = client.get("/api/v1/openapi.json", headers=headers).get_json()
    assert document["servers"] == [{"url": f"{PUBLIC}/api/v1"}]


def test_public_url_needs_no_request_and_keeps_a_path_prefix(make_app):
    app = make_app(LMS_PUBLIC_URL="https://gov.example.mn/lms/")
    with app.app_context():
        assert (
            public_urls.public_url("auth.reset_password", token="abc")
            == "https://gov.example.mn/lms/account/reset/abc"
        )
        assert public_urls.public_path_url("/api/v1") == "https://gov.example.mn/lms/api/v1"


def test_without_a_public_url_development_links_point_at_the_local_server(make_app):
    app = make_app(LMS_PUBLIC_URL="")
    with app.test_request_context("/", headers={"Host": "evil.example"}):
        assert public_urls.public_url("main.index") == "http://127.0.0.1:5000/"


@pytest.mark.parametrize("value", ["lms.example.mn", "ftp://lms.example.mn", "https://x/?a=1"])
def test_a_malformed_public_url_is_refused(value):
    with pytest.raises(public_urls.PublicUrlInvalid):
        public_urls.check_public_url(value)


@pytest.mark.parametrize(
    ("config", "production"),
    [
        ({"LMS_ENV": "production", "SQLALCHEMY_DATABASE_URI": "sqlite:///x"}, True),
        ({"SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://db/lms"}, True),
        ({"LMS_ENV": "development", "SQLALCHEMY_DATABASE_URI": "postgresql://db/lms"}, False),
        ({"SQLALCHEMY_DATABASE_URI": "sqlite:///x"}, False),
    ],
)
def test_production_mode(config, production):
    assert public_urls.is_production(config) is production


def test_serve_in_production_refuses_to_start_without_a_public_url(make_app, monkeypatch):
    started: list[Any] = []
    monkeypatch.setattr("lms.cli.serve.run_gunicorn", lambda *args: started.append(args))
    monkeypatch.setattr("lms.cli.serve.upgrade", lambda: None)
    app = make_app(LMS_PUBLIC_URL="", LMS_ENV="production")
    result = CliRunner().invoke(serve_command, ["--no-worker"], obj=_script_info(app))
    assert result.exit_code != 0
    assert "LMS_PUBLIC_URL must be set" in result.output
    assert not started

    app = make_app(LMS_PUBLIC_URL=PUBLIC, LMS_ENV="production")
    result = CliRunner().invoke(serve_command, ["--no-worker"], obj=_script_info(app))
    assert result.exit_code == 0, result.output
    assert started


def test_serve_in_development_starts_with_its_own_address(make_app, monkeypatch):
    started: list[Any] = []
    monkeypatch.setattr("lms.cli.serve.run_gunicorn", lambda *args: started.append(args))
    monkeypatch.setattr("lms.cli.serve.upgrade", lambda: None)
    app = make_app(LMS_PUBLIC_URL="", LMS_ENV="development")
    result = CliRunner().invoke(
        serve_command, ["--port", "5077", "--no-worker"], obj=_script_info(app)
    )
    assert result.exit_code == 0, result.output
    (_options, env) = started[0]
    assert env["LMS_PUBLIC_URL"] == "http://127.0.0.1:5077"


def _script_info(app: Any) -> Any:
    from flask.cli import ScriptInfo

    return ScriptInfo(create_app=lambda: app)
