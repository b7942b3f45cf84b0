"""Serialising writers on one row before a decision that reads, then writes.

A create-once rule is enforced by a unique index; the lock only makes the loser of a race see
the winner's row (and answer in words) instead of meeting the index as an error.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update

from lms.extensions import db


def lock_row(model: Any, row_id: int) -> None:
    """Hold `model` row `row_id` against other writers until the transaction ends.

    PostgreSQL: ``SELECT … FOR UPDATE`` (a row lock). SQLite has one writer at a time: a no-op
    UPDATE of the row makes this transaction that writer now (the driver opens the transaction
    on the first write, so what is read next is the latest committed state, and stays so).
    """
    if db.engine.dialect.name == "postgresql":
        db.session.execute(select(model.id).where(model.id == row_id).with_for_update())
    else:
        db.session.execute(
            update(model)
            .where(model.id == row_id)
            .values(id=model.id)
            .execution_options(synchronize_session=False)
        )
