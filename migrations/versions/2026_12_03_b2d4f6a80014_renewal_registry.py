"""renewal registry: an index for the renewal filters (active credentials by last valid day)

Revision ID: b2d4f6a80014
Revises: b2d4f6a80013
Create Date: 2026-12-03 17:30:14

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b2d4f6a80014'
down_revision = 'b2d4f6a80013'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        "ix_credential_status_expires_on",
        "credential",
        ["status", "expires_on", "course_slug"],
    )


def downgrade():
    op.drop_index("ix_credential_status_expires_on", table_name="credential")
