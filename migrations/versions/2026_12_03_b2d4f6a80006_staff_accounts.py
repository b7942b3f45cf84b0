"""staff accounts: last login and the last welcome link an administrator sent

Revision ID: b2d4f6a80006
Revises: b2d4f6a80005
Create Date: 2026-12-03 14:00:06

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b2d4f6a80006'
down_revision = 'b2d4f6a80005'
branch_labels = None
depends_on = None


def _foreign_keys(enforced):
    """SQLite rebuilds `user` to drop a column, which other tables reference: its foreign key
    checks are paused for that (outside a transaction, where the pragma takes effect)."""
    if op.get_bind().dialect.name == 'sqlite':
        with op.get_context().autocommit_block():
            op.execute(f"PRAGMA foreign_keys={'ON' if enforced else 'OFF'}")


def upgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_login_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('welcome_sent_at', sa.DateTime(), nullable=True))


def downgrade():
    _foreign_keys(False)
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('welcome_sent_at')
        batch_op.drop_column('last_login_at')
    _foreign_keys(True)
