"""Audit checkpoints and login limits (integrity issue)

Revision ID: b2d4f6a80002
Revises: b2d4f6a80001
Create Date: 2026-12-03 10:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b2d4f6a80002'
down_revision = 'b2d4f6a80001'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
