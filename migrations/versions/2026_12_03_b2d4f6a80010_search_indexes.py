"""search indexes: a trigram index for the registry's name search (PostgreSQL only)

Revision ID: b2d4f6a80010
Revises: b2d4f6a80009
Create Date: 2026-12-03 14:40:00

The registry searches names with ``holder_folded LIKE '%…%'``. On PostgreSQL a GIN index with
pg_trgm's ``gin_trgm_ops`` answers that from the index instead of reading all 100,000 names
(EXPLAIN before/after in docs/performance.md). ``CREATE EXTENSION`` needs a privileged role
once per database (docs/production.md). SQLite has no trigram index: nothing changes there.
"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'b2d4f6a80010'
down_revision = 'b2d4f6a80009'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.create_index(
        'ix_credential_holder_trgm',
        'credential',
        ['holder_folded'],
        unique=False,
        postgresql_using='gin',
        postgresql_ops={'holder_folded': 'gin_trgm_ops'},
    )


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_index('ix_credential_holder_trgm', table_name='credential')
    # The extension stays: other databases objects may use it, and dropping needs privileges.
