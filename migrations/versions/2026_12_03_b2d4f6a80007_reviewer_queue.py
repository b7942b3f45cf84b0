"""reviewer queue (placeholder: fill in or leave as a no-op)

Revision ID: b2d4f6a80007
Revises: b2d4f6a80006
Create Date: 2026-12-03 14:00:07

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b2d4f6a80007'
down_revision = 'b2d4f6a80006'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
