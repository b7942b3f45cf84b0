"""An administrator's day with accounts: disable and enable, correct a name, resend a welcome
link, filter the list by role, see when someone last logged in."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from lms.models import AuditEvent, Credential, OutboxMessage, User
from lms.services import audit
from tests.factories import DEFAULT_PASSWORD, client_for, issue_demo_credential, make_user
from tests.query_counter import count_queries


def _actions(db, subject: User) -> list[tuple[int | None, str, dict]]:
    events = db.session.execute(
        select(AuditEvent)
        .where(AuditEvent.subject_type == "user", AuditEvent.subject_id == str(subject.id))
        .where(AuditEvent.action.like("account.%"))
        .order_by(AuditEvent.id)
    ).scalars()
    return [(e.actor_id, e.action, e.details) for e in events]


def _log_in(client, email: str):
    return client.post("/account/login", data={"email": email, "password": DEFAULT_PASSWORD})


def _english(client):
    """The client with an English interface (the tests read English words)."""
    with client.session_transaction() as session:
        session["lang"] = "en"
    return client


@pytest.fixture(autouse=True)
def _english_client(client):
    _english(client)


def test_disabling_ends_sessions_and_blocks_login_until_enabled(app, client, login_as, db):
    admin = login_as("admin")
    target = make_user(email="coach@example.mn")
    theirs = client_for(app, target)
    assert theirs.get("/account/").status_code == 200

    response = client.post(f"/admin/users/{target.id}/disable")
    assert response.status_code == 302
    db.session.refresh(target)
    assert target.active is False
    assert theirs.get("/account/").status_code == 302  # their open session has ended

    refused = _log_in(_english(app.test_client()), "coach@example.mn")
    assert refused.status_code == 400
    assert "disabled" in refused.text
    wrong = _english(app.test_client()).post(
        "/account/login", data={"email": "coach@example.mn", "password": "not the password"}
    )
    assert "disabled" not in wrong.text  # only the right password learns why

    client.post(f"/admin/users/{target.id}/enable")
    assert _log_in(app.test_client(), "coach@example.mn").status_code == 302
    assert _actions(db, target) == [
        (admin.id, "account.disable", {}),
        (admin.id, "account.enable", {}),
    ]
    assert audit.verify() == []


def test_an_admin_cannot_disable_themselves(client, login_as, db):
    admin = login_as("admin")
    response = client.post(f"/admin/users/{admin.id}/disable", follow_redirects=True)
    assert "You cannot disable your own account." in response.text
    db.session.refresh(admin)
    assert admin.active is True
    assert _actions(db, admin) == []


def test_correcting_a_name_is_audited_and_credentials_keep_their_snapshot(
    client, login_as, db, tmp_path
):
    admin = login_as("admin")
    credential = issue_demo_credential(tmp_path)
    holder = db.session.get(User, credential.user_id)
    old_name = holder.name
    response = client.post(f"/admin/users/{holder.id}/name", data={"name-name": "Бат Дорж"})
    assert response.status_code == 302
    db.session.refresh(holder)
    assert holder.name == "Бат Дорж"
    assert db.session.get(Credential, credential.id).snapshot["holder_name"] == old_name
    assert _actions(db, holder) == [
        (admin.id, "account.rename", {"from": old_name, "to": "Бат Дорж"})
    ]
    page = client.get(f"/admin/users/{holder.id}")
    assert f"/admin/credentials/{credential.number}" in page.text  # where to reissue it


def test_an_empty_name_is_refused_with_words(client, login_as, db):
    login_as("admin")
    target = make_user(name="Сараа")
    response = client.post(f"/admin/users/{target.id}/name", data={"name-name": "  "})
    assert response.status_code == 400
    assert "error-summary" in response.text
    db.session.refresh(target)
    assert target.name == "Сараа"


def test_a_welcome_link_goes_through_the_outbox_once_per_interval(client, login_as, db):
    admin = login_as("admin")
    target = make_user(email="new@example.mn", locale="en")
    client.post(f"/admin/users/{target.id}/welcome")
    again = client.post(f"/admin/users/{target.id}/welcome", follow_redirects=True)
    assert "a few minutes ago" in again.text
    mails = [
        row.payload
        for row in db.session.execute(select(OutboxMessage)).scalars()
        if row.payload.get("to") == "new@example.mn"
    ]
    assert len(mails) == 1
    assert "/account/reset/" in mails[0]["text"]
    assert mails[0]["subject"] == "Your account for job coach training"
    assert _actions(db, target) == [(admin.id, "account.welcome_sent", {})]


def test_no_welcome_link_for_a_disabled_account(client, login_as, db):
    login_as("admin")
    target = make_user()
    target.active = False
    db.session.commit()
    response = client.post(f"/admin/users/{target.id}/welcome", follow_redirects=True)
    assert "Enable the account" in response.text
    assert db.session.get(User, target.id).welcome_sent_at is None


def test_users_filter_by_role_and_search(client, login_as):
    login_as("admin")
    make_user(roles=("trainer",), name="Болд Багш", email="bold@example.mn")
    make_user(roles=("trainee",), name="Болд Суралцагч", email="bold2@example.mn")
    page = client.get("/admin/users", query_string={"q": "болд", "role": "trainer"})
    assert "bold@example.mn" in page.text
    assert "bold2@example.mn" not in page.text
    everyone = client.get("/admin/users", query_string={"q": "болд", "role": "emperor"})
    assert everyone.status_code == 200  # an unknown role is no filter, not an error
    assert "bold2@example.mn" in everyone.text


def test_last_login_is_set_once_per_login_and_not_on_other_requests(app, db):
    user = make_user(email="coach@example.mn")
    assert user.last_login_at is None
    client = app.test_client()
    with count_queries() as log:
        assert _log_in(client, "coach@example.mn").status_code == 302
    updates = [s for s in log.statements if s.startswith('UPDATE "user"') or "UPDATE user" in s]
    assert len(updates) == 1, log
    db.session.expire_all()
    first = db.session.get(User, user.id).last_login_at
    assert first is not None
    with count_queries() as log:
        assert client.get("/account/").status_code == 200
    assert not [s for s in log.statements if s.startswith("UPDATE")], log
    admin_client = client_for(app, make_user(roles=("admin",)))
    assert "coach@example.mn" in admin_client.get("/admin/users").text
