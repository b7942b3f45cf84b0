"""The audit log is append-only and its hash chain exposes tampering."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from lms.domain.audit_chain import GENESIS, ChainEntry, entry_hash, verify_chain
from lms.models import AuditEvent
from lms.models.audit import AuditLogIsAppendOnly
from lms.services import audit


def _chain(n: int) -> list[ChainEntry]:
    entries, prev = [], GENESIS
    for i in range(1, n + 1):
        at = datetime(2026, 1, i, tzinfo=UTC)
        digest = entry_hash(prev, at, 1, "role.grant", "user", str(i), {"role": "trainer"})
        entries.append(
            ChainEntry(i, at, 1, "role.grant", "user", str(i), {"role": "trainer"}, prev, digest)
        )
        prev = digest
    return entries


def test_intact_chain_verifies():
    assert verify_chain(_chain(5)) == []


def test_changed_details_break_the_chain():
    entries = _chain(5)
    forged = entries[2].__class__(**{**entries[2].__dict__, "details": {"role": "admin"}})
    entries[2] = forged
    assert verify_chain(entries) == ["event 3: contents do not match its hash"]


def test_removed_event_breaks_the_chain():
    entries = _chain(5)
    del entries[1]
    assert verify_chain(entries) == ["event 3: previous hash does not match event before it"]


def test_events_chain_in_the_database(app, db):
    for i in range(3):
        audit.record(None, "test.event", "thing", i, {"n": i})
    db.session.commit()
    assert audit.verify() == []


def test_orm_refuses_to_change_an_event(app, db):
    event = audit.record(None, "test.event", "thing", 1)
    db.session.commit()
    event.action = "forged"
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.commit()
    db.session.rollback()


@pytest.mark.parametrize(
    "statement",
    ["UPDATE audit_event SET action = 'forged'", "DELETE FROM audit_event"],
)
def test_database_refuses_to_change_an_event(app, db, statement):
    audit.record(None, "test.event", "thing", 1)
    db.session.commit()
    with pytest.raises(DatabaseError):
        db.session.execute(text(statement))
    db.session.rollback()
    assert db.session.query(AuditEvent).count() == 1
