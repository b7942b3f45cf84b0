"""renewal requests

A coach's application to renew a credential (one open request per credential, by a partial
unique index), confirmed or refused by a trainer or an administrator.

Revision ID: b2d4f6a80012
Revises: b2d4f6a80011
Create Date: 2026-12-03 17:30:12

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b2d4f6a80012'
down_revision = 'b2d4f6a80011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'renewal_request',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('credential_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('method', sa.String(length=20), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('applied_at', sa.DateTime(), nullable=False),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.Column('decided_at', sa.DateTime(), nullable=True),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('new_credential_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['credential_id'], ['credential.id'],
                                name=op.f('fk_renewal_request_credential_id_credential')),
        sa.ForeignKeyConstraint(['decided_by_id'], ['user.id'],
                                name=op.f('fk_renewal_request_decided_by_id_user')),
        sa.ForeignKeyConstraint(['new_credential_id'], ['credential.id'],
                                name=op.f('fk_renewal_request_new_credential_id_credential')),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'],
                                name=op.f('fk_renewal_request_user_id_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_renewal_request')),
    )
    with op.batch_alter_table('renewal_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_renewal_request_credential_id'), ['credential_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_renewal_request_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_renewal_request_user_id'), ['user_id'], unique=False)
        # Create-once: one open (applied) request per credential.
        batch_op.create_index('uq_renewal_request_applied_credential', ['credential_id'],
                              unique=True,
                              sqlite_where=sa.text("status = 'applied'"),
                              postgresql_where=sa.text("status = 'applied'"))


def downgrade():
    with op.batch_alter_table('renewal_request', schema=None) as batch_op:
        batch_op.drop_index('uq_renewal_request_applied_credential')
        batch_op.drop_index(batch_op.f('ix_renewal_request_user_id'))
        batch_op.drop_index(batch_op.f('ix_renewal_request_status'))
        batch_op.drop_index(batch_op.f('ix_renewal_request_credential_id'))
    op.drop_table('renewal_request')
