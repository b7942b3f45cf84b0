"""Administrators grant and remove roles; every change is audited."""

from __future__ import annotations

from lms.models import AuditEvent, User
from lms.services import audit
from tests.factories import make_user


def test_admin_lists_and_searches_users(client, login_as):
    login_as("admin")
    make_user(name="Энхтуяа Бат", email="enkhtuya@example.mn")
    make_user(name="Ганбаатар Дорж", email="ganbaatar@example.mn")
    page = client.get("/admin/users", query_string={"q": "энхтуяа"})
    assert "enkhtuya@example.mn" in page.text
    assert "ganbaatar@example.mn" not in page.text


def test_granting_and_removing_roles_is_audited(client, login_as, db):
    admin = login_as("admin")
    target = make_user(roles=("trainee",))
    response = client.post(f"/admin/users/{target.id}", data={"roles": ["trainee", "trainer"]})
    assert response.status_code == 302
    db.session.refresh(target)
    assert target.role_names == {"trainee", "trainer"}
    client.post(f"/admin/users/{target.id}", data={"roles": ["trainer"]})
    db.session.refresh(target)
    assert target.role_names == {"trainer"}
    events = [
        (e.actor_id, e.action, e.subject_id, e.details)
        for e in db.session.query(AuditEvent).order_by(AuditEvent.id)
        if e.actor_id == admin.id
    ]
    assert events == [
        (admin.id, "role.grant", str(target.id), {"role": "trainer"}),
        (admin.id, "role.revoke", str(target.id), {"role": "trainee"}),
    ]
    assert audit.verify() == []


def test_the_last_admin_keeps_the_admin_role(client, login_as, db):
    admin = login_as("admin")
    client.post(f"/admin/users/{admin.id}", data={"roles": ["trainee"]})
    assert db.session.get(User, admin.id).role_names == {"admin"}


def test_unknown_role_is_refused(client, login_as, db):
    login_as("admin")
    target = make_user()
    response = client.post(f"/admin/users/{target.id}", data={"roles": ["emperor"]})
    assert response.status_code == 200
    db.session.refresh(target)
    assert target.role_names == {"trainee"}
