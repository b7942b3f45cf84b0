"""Create-once rules in the database (integrity issue)

Revision ID: b2d4f6a80001
Revises: 0f5708250d58
Create Date: 2026-12-03 10:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b2d4f6a80001'
down_revision = '0f5708250d58'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
