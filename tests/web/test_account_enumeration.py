"""No account discovery (finding 8): registration and reset answer the same either way, and the
per-account login throttle is atomic, bounded, and cannot keep the owner out.

Runs on SQLite and PostgreSQL; the concurrent test needs Redis at 127.0.0.1:6379.
"""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest

from lms.models import LoginThrottle, User
from lms.models.types import utcnow
from lms.services.accounts import login_throttle, self_service
from lms.services.accounts import users as accounts
from tests.factories import DEFAULT_PASSWORD, make_user
from tests.gunicorn_fixture import all_at_once, form_session, gunicorn, post_form
from tests.query_counter import count_queries

REGISTRATION = {
    "name": "Болормаа Сүхбат",
    "password": "a long enough password",
    "locale": "mn",
    "region": "khovd",
    "organisation": "",
    "national_id": "",
}
_CSRF = re.compile(r'name="csrf_token"[^>]*value="[^"]*"')


def _answer(client, email: str) -> tuple[int, str, str]:
    response = client.post("/account/register", data={**REGISTRATION, "email": email})
    location = response.headers.get("Location", "")
    page = client.get(location) if location else response
    return response.status_code, location, _CSRF.sub("csrf", page.get_data(as_text=True))


def test_registration_answers_the_same_for_a_known_and_an_unknown_email(app, db, monkeypatch):
    sent = []
    monkeypatch.setattr(self_service, "send_mail", lambda *args: sent.append(args))
    make_user(email="known@example.mn")
    known = _answer(app.test_client(), "known@example.mn")
    unknown = _answer(app.test_client(), "unknown@example.mn")
    assert known == unknown
    assert known[0] == 302
    # The owner of the known address is told, in a mail only they can read.
    assert [to for to, *_ in sent] == ["known@example.mn", "unknown@example.mn"]
    assert sent[0][1] != sent[1][1]
    assert db.session.query(User).count() == 2


def _reset_statements(client, email: str) -> list[str]:
    with count_queries() as log:
        response = client.post("/account/reset", data={"email": email})
    assert response.status_code == 302
    return log.statements


def test_reset_request_runs_the_same_statements_for_known_and_unknown(app, client, db, monkeypatch):
    sent = []
    monkeypatch.setattr(self_service, "send_mail", lambda *args: sent.append(args))
    make_user(email="known@example.mn")
    known = _reset_statements(client, "known@example.mn")
    unknown = _reset_statements(client, "unknown@example.mn")
    assert known == unknown, f"known:\n{known}\nunknown:\n{unknown}"
    assert any(s.startswith("INSERT INTO audit_event") for s in known)
    assert [to for to, *_ in sent] == ["known@example.mn", "unknown@example.mn"]


# --- the throttle policy --------------------------------------------------------------------


@pytest.fixture
def throttled_app(make_app):
    app = make_app(
        RATELIMIT_ENABLED=True,
        LMS_LOGIN_LIMIT_PER_ACCOUNT="3 per 15 minutes",
        LMS_LOGIN_LIMIT_PER_ADDRESS="1000 per minute",
        LMS_LOGIN_THROTTLE_MAX_DELAY=300,
    )
    with app.app_context():
        yield app


@pytest.fixture
def clock(monkeypatch):
    """Move the throttle's clock by hand."""
    state = {"now": utcnow()}
    monkeypatch.setattr(login_throttle, "utcnow", lambda: state["now"])

    def advance(seconds: float) -> None:
        state["now"] += timedelta(seconds=seconds)

    return advance


def test_free_attempts_then_exponential_backoff_capped_at_minutes(throttled_app, clock):
    email = "coach@example.mn"
    assert [login_throttle.claim(email).allowed for _ in range(3)] == [True] * 3
    waits = []
    for _ in range(6):
        verdict = login_throttle.claim(email)
        assert not verdict.allowed
        waits.append(verdict.retry_after)
        clock(verdict.retry_after)
        assert login_throttle.claim(email).allowed
    assert waits == [30, 60, 120, 240, 300, 300]


def test_the_count_starts_again_after_a_quiet_window(throttled_app, clock):
    for _ in range(3):
        login_throttle.claim("coach@example.mn")
    clock(15 * 60)
    assert [login_throttle.claim("coach@example.mn").allowed for _ in range(3)] == [True] * 3


def test_unknown_addresses_are_throttled_exactly_like_accounts(throttled_app, clock):
    make_user(email="coach@example.mn")
    known = [login_throttle.claim("coach@example.mn") for _ in range(5)]
    unknown = [login_throttle.claim("nobody@example.mn") for _ in range(5)]
    assert known == unknown


def _login(client, password: str, email: str = "coach@example.mn"):
    return client.post("/account/login", data={"email": email, "password": password})


def test_a_stranger_cannot_keep_the_owner_out_of_their_own_browser(throttled_app, clock):
    make_user(email="coach@example.mn")
    owner, stranger = throttled_app.test_client(), throttled_app.test_client()
    assert _login(owner, DEFAULT_PASSWORD).status_code == 302  # the owner's usual browser
    owner.post("/account/logout")
    for _ in range(3):
        assert _login(stranger, "guess").status_code == 400
    blocked = _login(stranger, DEFAULT_PASSWORD)
    assert blocked.status_code == 429
    # At least the account's wait (Flask-Limiter may raise it to its own window's reset).
    assert int(blocked.headers["Retry-After"]) >= 30
    assert "хэт олон удаа амжилтгүй" in blocked.get_data(as_text=True)  # "too many failed"
    # The owner's browser carries its device token: its attempts count apart.
    assert _login(owner, DEFAULT_PASSWORD).status_code == 302


def test_a_password_reset_clears_the_throttle(throttled_app, clock):
    user = make_user(email="coach@example.mn")
    client = throttled_app.test_client()
    for _ in range(3):
        _login(client, "guess")
    assert _login(client, DEFAULT_PASSWORD).status_code == 429
    path = "/account/reset/" + accounts.make_reset_token(user)
    new = "a brand new password"
    assert client.post(path, data={"new_password": new, "confirm": new}).status_code == 302
    client.post("/account/logout")  # the reset signed them in; log in again with the new one
    assert _login(client, new).status_code == 302


def test_a_successful_login_clears_the_count(throttled_app, clock):
    make_user(email="coach@example.mn")
    client = throttled_app.test_client()
    for _ in range(2):
        _login(client, "guess")
    assert _login(client, DEFAULT_PASSWORD).status_code == 302
    client.post("/account/logout")
    stranger = throttled_app.test_client()
    assert [_login(stranger, "guess").status_code for _ in range(3)] == [400] * 3


# --- under real concurrency -----------------------------------------------------------------


def test_forty_concurrent_wrong_passwords_check_at_most_the_limit(app, db, tmp_path):
    email = f"coach-{uuid.uuid4().hex[:8]}@example.mn"
    make_user(email=email)
    with gunicorn(
        app,
        tmp_path,
        workers=2,
        threads=8,
        LMS_RATELIMIT_STORAGE_URL="redis://127.0.0.1:6379/14",
        LMS_RATELIMIT_ENABLED="1",
        LMS_LOGIN_LIMIT_PER_ACCOUNT="10 per 15 minutes",
        LMS_LOGIN_LIMIT_PER_ADDRESS="1000 per minute",
    ) as base:
        url = base + "/account/login"
        forms = [form_session(url) for _ in range(40)]
        responses = all_at_once(
            [
                lambda s=session, t=token: post_form(
                    s, url, {"csrf_token": t, "email": email, "password": "wrong guess"}
                )
                for session, token in forms
            ]
        )
    statuses = sorted(r.status_code for r in responses)
    checked = statuses.count(400)  # the password was checked (and was wrong)
    assert checked + statuses.count(429) == 40, statuses
    assert 1 <= checked <= 10, statuses
    db.session.expire_all()
    row = db.session.get(LoginThrottle, login_throttle.account_key(email))
    assert row is not None
    assert row.failures == checked
