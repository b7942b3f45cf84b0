"""The outbox: work that follows a state change, written in the same transaction as the change.

A mail after a credential is issued must not be lost if the process dies right after the
commit, nor sent if the change rolls back. So services never talk to SMTP or the job queue
directly: they add an `OutboxMessage` row to the session they are about to commit. After the
commit `committed` is announced with the new rows' ids, and the job queue
(`lms.services.queue`, connected in `create_app`) hands them to a worker; a periodic relay
picks up whatever that missed. This module is the lowest service layer so that anything
(mail, notifications, accounts) may write to it.
"""

from __future__ import annotations

from typing import Any

from blinker import Namespace
from sqlalchemy import event, insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from lms.extensions import db
from lms.models import OutboxMessage
from lms.models.types import utcnow

_signals = Namespace()

#: Sent after a commit with `ids`, the outbox rows that commit wrote.
committed = _signals.signal("outbox-committed")

_PENDING = "lms_outbox_ids"


def write(kind: str, payload: dict[str, Any], dedupe_key: str | None = None) -> int | None:
    """Record work of `kind` in the current transaction; returns its id.

    With a `dedupe_key` the row is written at most once ever (the database's unique index
    decides, so two reminder passes at once still write one row); `None` when it existed.
    """
    dialect = db.session.get_bind().dialect.name
    insert_into = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}.get(dialect, insert)
    statement = insert_into(OutboxMessage).values(
        kind=kind,
        payload=payload,
        dedupe_key=dedupe_key,
        status="pending",
        attempts=0,
        last_error="",
        created_at=utcnow(),
    )
    if dedupe_key is not None and hasattr(statement, "on_conflict_do_nothing"):
        statement = statement.on_conflict_do_nothing(index_elements=["dedupe_key"])
    new_id = db.session.execute(statement.returning(OutboxMessage.id)).scalar()
    if new_id is not None:
        db.session.info.setdefault(_PENDING, []).append(new_id)
    return new_id


@event.listens_for(Session, "after_commit")
def _announce(session: Session) -> None:
    ids = session.info.pop(_PENDING, None)
    if ids:
        committed.send(session, ids=list(ids))


@event.listens_for(Session, "after_soft_rollback")
def _forget(session: Session, _transaction: Any) -> None:
    session.info.pop(_PENDING, None)
