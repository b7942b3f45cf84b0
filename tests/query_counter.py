"""Counting the SQL statements a request sends, for tests that guard against N+1 queries.

An SQLAlchemy `before_cursor_execute` listener on the app's engine records every statement
(transaction control such as BEGIN and COMMIT does not pass through it), so the count is the
number of round trips a page makes to the database, the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

from lms.extensions import db


class QueryLog:
    def __init__(self) -> None:
        self.statements: list[str] = []

    @property
    def count(self) -> int:
        return len(self.statements)

    def __str__(self) -> str:  # what a failing assertion shows
        return "\n".join(f"{n}. {s[:300]}" for n, s in enumerate(self.statements, 1))


@contextmanager
def count_queries() -> Iterator[QueryLog]:
    """Record the statements sent inside the block (needs an app context)."""
    log = QueryLog()
    engine = db.engine

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        log.statements.append(" ".join(statement.split()))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield log
    finally:
        event.remove(engine, "before_cursor_execute", record)
