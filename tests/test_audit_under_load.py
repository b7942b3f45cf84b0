"""The audit chain holds under concurrent appends, and signed checkpoints expose truncation.

Finding 3 of the integrity review: concurrent anonymous reset requests on `lms serve
--workers 2` (SQLite) left two events claiming the same predecessor, and deleting the newest
events went unnoticed. Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import func, select, text

from lms.models import AuditCheckpoint, AuditEvent
from lms.services import audit, clock
from lms.services.credentials import audit_checkpoints
from lms.services.registry import snapshots
from tests.factories import make_user
from tests.gunicorn_fixture import all_at_once, form_session, gunicorn, post_form


def _append_concurrently(app, writers: int) -> None:
    """`writers` threads, each appending one event as its transaction's first write."""
    errors: list[BaseException] = []

    def append(number: int) -> None:
        try:
            with app.app_context():
                from lms.extensions import db

                db.session.execute(select(func.count()).select_from(AuditEvent))  # a read first
                audit.record(None, "test.race", "thing", number)
                db.session.commit()
        except BaseException as error:  # noqa: BLE001 - reported by the test below
            errors.append(error)

    threads = [threading.Thread(target=append, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


@pytest.fixture
def slow_head_read(monkeypatch):
    """Widen the read-then-write window so that unserialised appends always collide."""
    real = audit._head_hash

    def slow() -> str | None:
        head = real()
        time.sleep(0.15)
        return head

    monkeypatch.setattr(audit, "_head_hash", slow)


def test_concurrent_appends_keep_one_chain(app, db, slow_head_read):
    _append_concurrently(app, writers=6)
    db.session.expire_all()
    assert db.session.query(AuditEvent).count() == 6
    assert audit.verify() == []


def test_without_the_chain_lock_the_same_appends_break_the_chain(
    app, db, slow_head_read, monkeypatch
):
    """The control: proves the test above can fail (this was the code before the fix)."""
    monkeypatch.setattr(audit, "lock_chain", lambda: None)
    _append_concurrently(app, writers=6)
    db.session.expire_all()
    assert any("previous hash does not match" in p for p in audit.verify())


def test_chain_holds_under_concurrent_reset_requests_on_gunicorn(app, db, tmp_path):
    for n in range(3):
        make_user(email=f"coach{n}@example.mn")
    emails = [f"coach{n % 3}@example.mn" if n % 2 else f"nobody{n}@example.mn" for n in range(24)]
    with gunicorn(app, tmp_path, workers=2, threads=4, LMS_RATELIMIT_ENABLED="0") as base:
        url = base + "/account/reset"
        forms = [form_session(url) for _ in emails]
        responses = all_at_once(
            [
                lambda s=session, t=token, e=email: post_form(s, url, {"csrf_token": t, "email": e})
                for (session, token), email in zip(forms, emails, strict=True)
            ]
        )
    assert [r.status_code for r in responses] == [302] * len(emails)
    db.session.expire_all()
    requested = db.session.execute(
        select(func.count()).where(AuditEvent.action.like("account.reset_requested%"))
    ).scalar_one()
    assert requested == len(emails)
    assert audit.verify() == []
    runner = app.test_cli_runner()
    assert runner.invoke(args=["audit", "checkpoint"]).exit_code == 0
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output


def _cut_off_newest(db, count: int) -> None:
    """What someone with database access would do: disable the guard, delete, restore it."""
    newest = select(AuditEvent.id).order_by(AuditEvent.id.desc()).limit(count).scalar_subquery()
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only"))
        db.session.execute(AuditEvent.__table__.delete().where(AuditEvent.id.in_(newest)))
        db.session.execute(text("ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only"))
    else:
        db.session.execute(text("DROP TRIGGER audit_event_no_delete"))
        db.session.execute(AuditEvent.__table__.delete().where(AuditEvent.id.in_(newest)))
    db.session.commit()


def _record(count: int) -> None:
    from lms.extensions import db

    for n in range(count):
        audit.record(None, "test.event", "thing", n, {"n": n})
    db.session.commit()


def test_removing_the_newest_events_after_a_checkpoint_fails_verification(app, db):
    _record(5)
    checkpoint = audit_checkpoints.write_checkpoint()
    assert checkpoint is not None
    assert checkpoint.events == db.session.query(AuditEvent).count()
    assert audit.verify() == []
    _cut_off_newest(db, 2)
    problems = audit.verify()
    assert len(problems) == 1
    assert f"event {checkpoint.head_id}, the newest event it vouches for, is missing" in problems[0]
    assert "removed from the end of the log" in problems[0]
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert "removed from the end of the log" in result.output


def test_events_after_the_checkpoint_are_chained_but_not_vouched_for(app, db):
    _record(2)
    audit_checkpoints.write_checkpoint()
    _record(3)
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert "not yet vouched for" in result.output
    # Cutting off only events newer than the checkpoint is what a checkpoint cannot show.
    _cut_off_newest(db, 3)
    assert audit.verify() == []


def test_a_checkpoint_whose_signature_or_row_was_altered_fails(app, db):
    _record(3)
    row = audit_checkpoints.write_checkpoint()
    assert row is not None
    forged = row.signed[:-4] + ("AAAA" if not row.signed.endswith("AAAA") else "BBBB")
    guard = (
        "ALTER TABLE audit_checkpoint {} TRIGGER audit_checkpoint_append_only"
        if db.engine.dialect.name == "postgresql"
        else None
    )
    if guard:
        db.session.execute(text(guard.format("DISABLE")))
    else:
        db.session.execute(text("DROP TRIGGER audit_checkpoint_no_update"))
    db.session.execute(
        AuditCheckpoint.__table__.update()
        .where(AuditCheckpoint.id == row.id)
        .values(signed=forged, events=row.events)
    )
    if guard:
        db.session.execute(text(guard.format("ENABLE")))
    db.session.commit()
    assert any("signature does not verify" in p for p in audit.verify())


def test_checkpoints_are_append_only_in_the_database(app, db):
    _record(1)
    audit_checkpoints.write_checkpoint()
    from sqlalchemy.exc import DatabaseError

    with pytest.raises(DatabaseError):
        db.session.execute(text("DELETE FROM audit_checkpoint"))
    db.session.rollback()
    assert db.session.query(AuditCheckpoint).count() == 1


def test_every_registry_snapshot_writes_a_checkpoint_covering_its_own_event(app, db):
    snapshot = snapshots.take(clock.today(), None)
    row = audit.latest_checkpoint()
    assert row is not None
    assert row.reason == "registry_snapshot"
    head = db.session.execute(select(AuditEvent).where(AuditEvent.id == row.head_id)).scalar_one()
    assert head.action == "registry.snapshot"
    assert head.subject_id == str(snapshot.id)
    assert audit.verify() == []


def test_cli_checkpoint_signs_the_current_head(app, db):
    _record(4)
    result = app.test_cli_runner().invoke(args=["audit", "checkpoint"])
    assert result.exit_code == 0, result.output
    row = audit.latest_checkpoint()
    assert row is not None
    head = db.session.execute(select(func.max(AuditEvent.id))).scalar_one()
    assert (row.head_id, row.reason) == (head, "manual")
    assert f"head event {head}" in result.output
