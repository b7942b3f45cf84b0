"""Registration, login, logout, sessions, password change and reset."""

from __future__ import annotations

import re

import pytest

from lms.models import AuditEvent, User
from lms.services.accounts import self_service
from lms.services.accounts import users as accounts
from tests.factories import DEFAULT_PASSWORD, make_user

REGISTRATION = {
    "name": "Болормаа Сүхбат",
    "email": "Bolormaa@Example.mn ",
    "password": "a long enough password",
    "locale": "mn",
    "region": "khovd",
    "organisation": "Ховд аймгийн ХБХ-ийн холбоо",
    "national_id": "уб99112233",
}


def test_registration_creates_a_trainee_and_mails_a_welcome(client, db, monkeypatch):
    sent = []
    monkeypatch.setattr(self_service, "send_mail", lambda *args: sent.append(args))
    response = client.post("/account/register", data=REGISTRATION)
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/login"
    user = db.session.query(User).one()
    assert user.email == "bolormaa@example.mn"
    assert user.role_names == {"trainee"}
    assert user.region == "khovd"
    # Private: stored encrypted, never in clear, found again through the blind index.
    assert "99112233" not in (user.national_id_encrypted or "")
    assert accounts.national_id(user) == "УБ99112233"
    assert [to for to, *_ in sent] == ["bolormaa@example.mn"]
    # Not logged in by registering (a taken address must get the very same answer)...
    assert client.get("/account/").status_code == 302
    # ...but the password chosen works at once.
    login = {"email": "bolormaa@example.mn", "password": REGISTRATION["password"]}
    assert client.post("/account/login", data=login).status_code == 302
    assert client.get("/account/").status_code == 200


def test_password_is_hashed_with_argon2id(client, db):
    client.post("/account/register", data=REGISTRATION)
    assert db.session.query(User).one().password_hash.startswith("$argon2id$")


@pytest.mark.parametrize("national_id", ["AB12345678", "УБ1234567", "УБ123456789", "У199112233"])
def test_registration_rejects_a_malformed_national_id(client, db, national_id):
    response = client.post("/account/register", data={**REGISTRATION, "national_id": national_id})
    assert response.status_code == 200
    assert db.session.query(User).count() == 0
    assert 'aria-invalid="true"' in response.text


def test_registration_with_a_taken_email_creates_nothing_and_mails_the_owner(
    client, db, monkeypatch
):
    sent = []
    monkeypatch.setattr(self_service, "send_mail", lambda *args: sent.append(args))
    owner = make_user(email="bolormaa@example.mn")
    response = client.post("/account/register", data=REGISTRATION)
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/login"
    assert db.session.query(User).count() == 1
    assert db.session.get(User, owner.id).name == owner.name
    assert [to for to, *_ in sent] == ["bolormaa@example.mn"]
    assert "/account/reset" in sent[0][2]


def test_login_and_logout(client, db):
    make_user(email="coach@example.mn")
    response = client.post(
        "/account/login", data={"email": "COACH@example.mn", "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 302
    assert client.get("/account/").status_code == 200
    assert client.post("/account/logout").status_code == 302
    assert client.get("/account/").status_code == 302


def test_wrong_password_is_refused(client, db):
    make_user(email="coach@example.mn")
    response = client.post("/account/login", data={"email": "coach@example.mn", "password": "x"})
    assert response.status_code == 400
    assert client.get("/account/").status_code == 302


@pytest.mark.parametrize(
    ("next_url", "expected"),
    [
        ("/account/", "/account/"),
        # An unsafe `next` is ignored: a trainee lands on My learning.
        ("https://evil.example/", "/my"),
        ("//evil.example/", "/my"),
        ("/\\evil.example", "/my"),
        ("javascript:alert(1)", "/my"),
        ("/%0d%0aSet-Cookie:x", "/%0d%0aSet-Cookie:x"),
    ],
)
def test_next_only_accepts_local_paths(client, db, next_url, expected):
    make_user(email="coach@example.mn")
    response = client.post(
        "/account/login",
        query_string={"next": next_url},
        data={"email": "coach@example.mn", "password": DEFAULT_PASSWORD},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == expected


def test_logout_ends_every_copy_of_the_session(app, db):
    make_user(email="coach@example.mn")
    phone, laptop = app.test_client(), app.test_client()
    for device in (phone, laptop):
        device.post(
            "/account/login", data={"email": "coach@example.mn", "password": DEFAULT_PASSWORD}
        )
    stolen_cookie = phone.get_cookie("session", domain="lms.test")
    assert stolen_cookie is not None
    phone.post("/account/logout")
    assert laptop.get("/account/").status_code == 302
    replay = app.test_client()
    replay.set_cookie("session", stolen_cookie.value, domain=stolen_cookie.domain)
    assert replay.get("/account/").status_code == 302


def test_password_change_keeps_this_session_and_ends_the_others(app, db):
    make_user(email="coach@example.mn")
    phone, laptop = app.test_client(), app.test_client()
    for device in (phone, laptop):
        device.post(
            "/account/login", data={"email": "coach@example.mn", "password": DEFAULT_PASSWORD}
        )
    response = phone.post(
        "/account/",
        data={
            "current_password": DEFAULT_PASSWORD,
            "new_password": "another long password",
            "confirm": "another long password",
        },
    )
    assert response.status_code == 302
    assert phone.get("/account/").status_code == 200
    assert laptop.get("/account/").status_code == 302
    assert accounts.authenticate("coach@example.mn", "another long password") is not None


def test_password_change_needs_the_current_password(client, login_as):
    login_as("trainee")
    response = client.post(
        "/account/",
        data={"current_password": "wrong", "new_password": "x" * 12, "confirm": "x" * 12},
    )
    assert response.status_code == 400


def test_password_reset_by_emailed_token(client, db, monkeypatch):
    sent = []
    monkeypatch.setattr(self_service, "send_mail", lambda *args: sent.append(args))
    make_user(email="coach@example.mn")
    client.post("/account/reset", data={"email": "coach@example.mn"})
    # Same answer; the unknown address is told it has no account, with no reset link.
    client.post("/account/reset", data={"email": "nobody@example.mn"})
    assert [to for to, *_ in sent] == ["coach@example.mn", "nobody@example.mn"]
    assert "/account/reset/" not in sent[1][2]
    link = re.search(r"https?://\S+", sent[0][2]).group(0)
    path = link.split("lms.test", 1)[1]
    assert client.get(path).status_code == 200
    response = client.post(
        path, data={"new_password": "brand new secret", "confirm": "brand new secret"}
    )
    assert response.status_code == 302
    assert accounts.authenticate("coach@example.mn", "brand new secret") is not None
    # Single use: the token dies with the old password hash.
    assert client.get(path).status_code == 302
    actions = {e.action for e in db.session.query(AuditEvent)}
    assert {"account.reset_requested", "account.password_reset"} <= actions


def test_reset_token_is_bound_to_user_and_signature(client, db):
    user = make_user(email="coach@example.mn")
    token = accounts.make_reset_token(user)
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert accounts.user_for_reset_token(tampered) is None
    assert accounts.user_for_reset_token(token) == user


def test_login_is_throttled_per_account_and_per_address(make_app, db):
    app = make_app(
        RATELIMIT_ENABLED=True,
        LMS_LOGIN_LIMIT_PER_ACCOUNT="3 per minute",
        LMS_LOGIN_LIMIT_PER_ADDRESS="5 per minute",
    )
    with app.app_context():
        make_user(email="coach@example.mn")
        make_user(email="other@example.mn")
    client = app.test_client()
    for _ in range(3):
        client.post("/account/login", data={"email": "coach@example.mn", "password": "bad"})
    blocked = client.post(
        "/account/login", data={"email": "coach@example.mn", "password": DEFAULT_PASSWORD}
    )
    assert blocked.status_code == 429
    # Another account from the same address still works, until the address limit is hit.
    ok = client.post(
        "/account/login", data={"email": "other@example.mn", "password": DEFAULT_PASSWORD}
    )
    assert ok.status_code == 302
    other = app.test_client()
    for _ in range(2):
        other.post("/account/login", data={"email": "other@example.mn", "password": "bad"})
    assert (
        other.post(
            "/account/login", data={"email": "other@example.mn", "password": DEFAULT_PASSWORD}
        ).status_code
        == 429
    )


def test_welcome_links_outlive_reset_links_and_stay_single_use(app, db, monkeypatch):
    """A reset link lasts an hour; the link mailed to a bulk-enrolled account lasts 14 days."""
    from datetime import timedelta

    import itsdangerous.timed

    user = make_user(email="new@example.mn")
    reset = accounts.make_reset_token(user)
    welcome = accounts.make_reset_token(user, welcome=True)
    real_now = itsdangerous.timed.TimestampSigner.get_timestamp

    def later(hours):
        monkeypatch.setattr(
            itsdangerous.timed.TimestampSigner,
            "get_timestamp",
            lambda self: int(real_now(self) + timedelta(hours=hours).total_seconds()),
        )
        real_utcnow = accounts.utcnow
        monkeypatch.setattr(accounts, "utcnow", lambda: real_utcnow() + timedelta(hours=hours))

    later(2)
    assert accounts.user_for_reset_token(reset) is None
    assert accounts.user_for_reset_token(welcome) == user
    monkeypatch.undo()
    later(24 * 15)
    assert accounts.user_for_reset_token(welcome) is None
    monkeypatch.undo()
    accounts.set_password(user, "a new long password")
    db.session.commit()
    assert accounts.user_for_reset_token(welcome) is None
