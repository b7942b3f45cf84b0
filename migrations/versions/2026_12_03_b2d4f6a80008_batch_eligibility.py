"""batch eligibility (placeholder: fill in or leave as a no-op)

Revision ID: b2d4f6a80008
Revises: b2d4f6a80007
Create Date: 2026-12-03 14:00:08

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b2d4f6a80008'
down_revision = 'b2d4f6a80007'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
