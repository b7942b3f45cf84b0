"""Finding 4: a dependency failing degrades the site, never answers 500.

Rate-limit store (Redis) at a closed port: logins and reset requests still work, limits fall back
to memory with a logged warning, and /healthz says `degraded` with `rate_limit_store`
unavailable. Database unreachable: 503, a page for people and JSON for the API.
"""

from __future__ import annotations

import logging
import socket

import pytest

from lms import create_app, health
from lms.extensions import db
from lms.services.registry import api_tokens
from tests.conftest import TEST_CONFIG, IsolatedClient
from tests.factories import make_user

PASSWORD = "a long enough password 123"


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def redis_down_app(make_app):
    app = make_app(
        RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI=f"redis://127.0.0.1:{_closed_port()}/0",
        RATELIMIT_STORAGE_OPTIONS={"socket_connect_timeout": 1, "socket_timeout": 1},
    )
    with app.app_context():
        yield app


def test_without_the_rate_limit_store_logins_work_and_limits_fall_back(redis_down_app, caplog):
    user = make_user(email="coach@example.mn", password=PASSWORD)
    client = redis_down_app.test_client()
    with caplog.at_level(logging.WARNING):
        ok = client.post("/account/login", data={"email": user.email, "password": PASSWORD})
    assert ok.status_code == 302
    assert any("falling back to in-memory" in r.getMessage() for r in caplog.records)
    reset = client.post("/account/reset", data={"email": user.email})
    assert reset.status_code in (200, 302)
    # The limits still count, in memory: reset requests are limited to 10 an hour.
    statuses = {
        client.post("/account/reset", data={"email": "x@example.mn"}).status_code for _ in range(12)
    }
    assert 500 not in statuses
    assert 429 in statuses


def test_healthz_reports_a_degraded_rate_limit_store(redis_down_app):
    response = redis_down_app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.json["status"] == "degraded"
    assert response.json["database"] == "ok"
    assert response.json["rate_limit_store"] == "unavailable"


def test_healthz_with_the_real_redis_is_ok(make_app):
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/15")
    with app.app_context():
        response = app.test_client().get("/healthz")
    assert response.json["rate_limit_store"] == "ok"


@pytest.fixture
def no_database_client():
    """An app whose PostgreSQL server is at a closed port: every connection is refused.

    Built outside `make_app`, whose teardown would try to clean that database.
    """
    app = create_app(
        {
            **TEST_CONFIG,
            "SQLALCHEMY_DATABASE_URI": f"postgresql+psycopg://lms@127.0.0.1:{_closed_port()}/lms",
        }
    )
    app.test_client_class = IsolatedClient
    yield app.test_client()
    with app.app_context():
        db.engine.dispose()


def test_without_the_database_healthz_answers_503(no_database_client):
    response = no_database_client.get("/healthz")
    assert response.status_code == 503
    assert response.json["status"] == "unavailable"
    assert response.json["database"] == "unavailable"


@pytest.mark.parametrize("path", ["/courses", "/verify/JC-2026-00001-9"])
def test_without_the_database_pages_are_a_friendly_503(no_database_client, path):
    response = no_database_client.get(path)
    assert response.status_code == 503
    assert response.mimetype == "text/html"
    assert '<main id="main"' in response.text
    assert "Traceback" not in response.text


def test_without_the_database_the_api_answers_json_503(no_database_client):
    response = no_database_client.get(
        "/api/v1/registry/credentials",
        headers={"Authorization": f"Bearer {api_tokens.TOKEN_PREFIX}{'x' * 40}"},
    )
    assert response.status_code == 503
    assert response.get_json()["error"] == "unavailable"


def test_a_queue_check_is_one_registration(client, monkeypatch):
    monkeypatch.setitem(health.CHECKS, "queue", health.Check("queue", lambda: False))
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json["queue"] == "unavailable"
    assert response.json["status"] == "degraded"
