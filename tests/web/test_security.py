"""Security headers, CSRF on every state change, cookie flags, error pages."""

from __future__ import annotations

import pytest
from flask import url_for

from tests.factories import make_user


def test_security_headers_on_every_page(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp
    for directive in ("frame-ancestors 'none'", "base-uri 'none'", "object-src 'none'"):
        assert directive in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"]


def test_max_content_length_is_set(app, client):
    assert app.config["MAX_CONTENT_LENGTH"]
    too_big = b"x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    assert client.post("/account/login", data=too_big).status_code == 413


# POST routes that never act on the session cookie, so CSRF cannot apply to them: the API takes
# a bearer token and the push hook a signature. Even an admin's session gets nothing there.
NOT_COOKIE_AUTHENTICATED = {
    "api.registry_eligibility_by_national_id": 401,  # no bearer token
    "api.registry_eligibility_batch": 401,  # no bearer token
    "hooks.git_push": 404,  # off without LMS_GIT_HOOK_SECRET (signatures: test_git_hook.py)
}


def test_every_post_route_refuses_a_request_without_csrf_token(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        user = make_user(roles=("admin",))
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
        post_rules = [r for r in app.url_map.iter_rules() if "POST" in (r.methods or ())]
        assert post_rules
        for rule in post_rules:
            with app.test_request_context():
                values = {
                    arg: 1 if arg.endswith("id") or arg == "number" else "x"
                    for arg in rule.arguments
                }
                url = url_for(rule.endpoint, **values)
            response = client.post(url, data={})
            expected = NOT_COOKIE_AUTHENTICATED.get(rule.endpoint, 400)
            assert response.status_code == expected, rule.endpoint


def test_session_cookie_is_secure_over_https(client, db):
    make_user(email="coach@example.mn")
    response = client.post(
        "/account/login",
        base_url="https://lms.test",
        data={"email": "coach@example.mn", "password": "correct horse battery"},
    )
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie
    assert "HttpOnly" in cookie
    plain = client.get("/account/login", base_url="http://lms.test")
    assert "Secure" not in plain.headers.get("Set-Cookie", "")


@pytest.mark.parametrize(("path", "status"), [("/nowhere", 404), ("/admin/users", 403)])
def test_error_pages_use_the_layout(client, login_as, path, status):
    login_as("trainee")
    response = client.get(path)
    assert response.status_code == status
    assert 'class="skip-link"' in response.text
    assert '<main id="main"' in response.text


def test_server_error_page(make_app):
    app = make_app(TESTING=False, PROPAGATE_EXCEPTIONS=False)

    @app.get("/explode")
    def boom():
        raise RuntimeError("internal secret detail")

    response = app.test_client().get("/explode")
    assert response.status_code == 500
    assert "secret detail" not in response.text
    assert '<main id="main"' in response.text


def test_healthz_reports_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {
        "status": "ok",
        "database": "ok",
        "rate_limit_store": "ok",
        "queue": "ok",
        "details": {"queue": {"waiting": 0, "oldest_waiting_seconds": 0, "failed": 0}},
    }
