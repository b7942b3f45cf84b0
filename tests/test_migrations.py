"""Migrations build the schema the models describe, from empty to head."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from lms.extensions import db as _db


def test_upgrade_from_empty_to_head_matches_the_models(app, db):
    # The fixture database was built by `flask db upgrade` from an empty database.
    with _db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, _db.metadata)
    assert differences == []
    tables = set(inspect(_db.engine).get_table_names())
    assert {"user", "role_grant", "audit_event", "alembic_version"} <= tables
