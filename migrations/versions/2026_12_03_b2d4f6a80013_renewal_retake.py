"""renewal retake (placeholder: fill in or leave as a no-op)

Revision ID: b2d4f6a80013
Revises: b2d4f6a80012
Create Date: 2026-12-03 17:30:13

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b2d4f6a80013'
down_revision = 'b2d4f6a80012'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
