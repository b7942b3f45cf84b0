"""The `lms` command line: users, roles, demo data, audit verification."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from lms.models import AuditEvent, Course, User
from lms.services import demo
from lms.services.accounts import users as accounts
from lms.services.demo import bundled_course_folders


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def test_users_create_with_password_from_stdin(runner, db):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "T@Example.mn",
            "--name",
            "Сургагч",
            "--role",
            "trainer",
            "--password-stdin",
        ],
        input="a long cli password\n",
    )
    assert result.exit_code == 0, result.output
    user = db.session.query(User).one()
    assert user.email == "t@example.mn"
    assert user.role_names == {"trainer"}
    assert accounts.authenticate("t@example.mn", "a long cli password") == user


def test_users_create_refuses_short_password_and_duplicates(runner, db):
    args = ["users", "create", "--email", "a@example.mn", "--name", "A", "--password-stdin"]
    assert runner.invoke(args=args, input="short\n").exit_code != 0
    assert runner.invoke(args=args, input="long enough pw\n").exit_code == 0
    assert runner.invoke(args=args, input="long enough pw\n").exit_code != 0


def test_grant_and_revoke_role_are_audited(runner, db):
    runner.invoke(
        args=["users", "create", "--email", "a@example.mn", "--name", "A", "--password-stdin"],
        input="long enough pw\n",
    )
    assert runner.invoke(args=["users", "grant", "a@example.mn", "reviewer"]).exit_code == 0
    assert runner.invoke(args=["users", "revoke-role", "a@example.mn", "trainee"]).exit_code == 0
    assert db.session.query(User).one().role_names == {"reviewer"}
    actions = [e.action for e in db.session.query(AuditEvent).order_by(AuditEvent.id)]
    assert actions[-2:] == ["role.grant", "role.revoke"]
    missing = runner.invoke(args=["users", "grant", "nobody@example.mn", "admin"])
    assert missing.exit_code != 0
    assert "no account" in missing.output


def test_demo_creates_one_account_per_role_once(runner, db, app):
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    # Every bundled course is published, at its version in courses/<slug>/course.yml.
    bundled = bundled_course_folders()
    assert {f.name for f in bundled} >= {"intro-seminar", "job-coach-training"}
    published = {c.slug: [v.version for v in c.versions] for c in db.session.query(Course)}
    assert set(published) == {f.name for f in bundled}
    assert all(len(versions) == 1 for versions in published.values())
    logins = [u for u in db.session.query(User).all() if not u.email.startswith("coach")]
    # Two reviewers (the two-person rule can be tried) and two trainers.
    assert sorted(r for u in logins for r in u.role_names) == [
        "admin",
        "reviewer",
        "reviewer",
        "trainee",
        "trainer",
        "trainer",
    ]
    # Demo coaches hold credentials, so the registry has something to show a reviewer.
    from lms.models import Credential

    subsidy = db.session.query(Credential).filter(Credential.qualifies_for_subsidy.is_(True))
    assert subsidy.count() == len(demo.DEMO_COACHES)
    from lms.models import LessonProgress

    assert db.session.query(LessonProgress).count() > 0
    # Every demo login is printed, and each printed login really works.
    printed = []
    for line in first.output.splitlines():
        parts = line.split()
        if len(parts) == 3 and "@demo.example" in parts[1]:
            assert accounts.authenticate(parts[1], parts[2]) is not None
            printed.append(parts[1])
    assert printed == [email for _role, email, _name in demo.DEMO_ACCOUNTS]
    logins = Path(app.instance_path) / "demo-logins.txt"
    assert stat.S_IMODE(os.stat(logins).st_mode) == 0o600
    again = runner.invoke(args=["demo"])
    assert again.exit_code == 0
    assert db.session.query(User).count() == len(demo.DEMO_ACCOUNTS) + len(demo.DEMO_COACHES)
    assert "trainee@demo.example" in again.output


def test_audit_verify_detects_tampering(runner, db):
    runner.invoke(
        args=["users", "create", "--email", "a@example.mn", "--name", "A", "--password-stdin"],
        input="long enough pw\n",
    )
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0
    if db.engine.dialect.name == "sqlite":
        db.session.execute(text("DROP TRIGGER audit_event_no_update"))
    else:
        db.session.execute(text("ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only"))
    db.session.execute(text('UPDATE audit_event SET details = \'{"role": "admin"}\''))
    db.session.commit()
    result = runner.invoke(args=["audit", "verify"])
    if db.engine.dialect.name != "sqlite":
        db.session.execute(text("ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only"))
        db.session.commit()
    assert result.exit_code == 1
    assert "do not match its hash" in result.output


def test_secret_key_is_generated_once_with_private_mode(app):
    path = Path(app.instance_path) / "secret_key"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert path.read_text().strip() == app.config["SECRET_KEY"]
    assert len(app.config["SECRET_KEY"]) >= 64


def test_lms_console_script_and_flask_app_agree(tmp_path):
    env = dict(os.environ, LMS_INSTANCE_PATH=str(tmp_path))
    lms = Path(sys.executable).parent / "lms"
    out = subprocess.run([lms, "--help"], env=env, capture_output=True, text=True, check=True)
    for command in ("serve", "demo", "users", "db", "audit"):
        assert command in out.stdout
    flask = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "lms", "users", "--help"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "revoke-role" in flask.stdout
