"""continuing education ledger

The coach's continuing-education activities (internal ones once per coach and course version,
by a unique constraint) and the providers an administrator pre-approved.

Revision ID: b2d4f6a80011
Revises: b2d4f6a80010
Create Date: 2026-12-03 14:40:00

"""
from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = 'b2d4f6a80011'
down_revision = 'b2d4f6a80010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'ce_provider',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('name_key', sa.String(length=200), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('added_by_id', sa.Integer(), nullable=True),
        sa.Column('added_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['added_by_id'], ['user.id'],
                                name=op.f('fk_ce_provider_added_by_id_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_ce_provider')),
        sa.UniqueConstraint('name_key', name=op.f('uq_ce_provider_name_key')),
    )
    op.create_table(
        'ce_activity',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('source', sa.String(length=10), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('provider', sa.String(length=200), nullable=False),
        sa.Column('done_on', sa.Date(), nullable=False),
        sa.Column('hours', sa.Numeric(precision=6, scale=2), nullable=False),
        sa.Column('area', sa.String(length=80), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('course_version_id', sa.Integer(), nullable=True),
        sa.Column('provider_id', sa.Integer(), nullable=True),
        sa.Column('submitted_at', sa.DateTime(), nullable=False),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.Column('decided_at', sa.DateTime(), nullable=True),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('evidence_file', sa.String(length=80), nullable=False),
        sa.Column('evidence_name', sa.String(length=200), nullable=False),
        sa.Column('evidence_type', sa.String(length=40), nullable=False),
        sa.Column('used_by_credential_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['course_version_id'], ['course_version.id'],
                                name=op.f('fk_ce_activity_course_version_id_course_version')),
        sa.ForeignKeyConstraint(['decided_by_id'], ['user.id'],
                                name=op.f('fk_ce_activity_decided_by_id_user')),
        sa.ForeignKeyConstraint(['provider_id'], ['ce_provider.id'],
                                name=op.f('fk_ce_activity_provider_id_ce_provider')),
        sa.ForeignKeyConstraint(['used_by_credential_id'], ['credential.id'],
                                name=op.f('fk_ce_activity_used_by_credential_id_credential')),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'],
                                name=op.f('fk_ce_activity_user_id_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_ce_activity')),
        # Create-once: one internal entry per coach and course version (NULLs never clash).
        sa.UniqueConstraint('user_id', 'course_version_id',
                            name=op.f('uq_ce_activity_user_id_course_version_id')),
    )
    with op.batch_alter_table('ce_activity', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ce_activity_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_ce_activity_used_by_credential_id'),
                              ['used_by_credential_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ce_activity_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('ce_activity', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ce_activity_user_id'))
        batch_op.drop_index(batch_op.f('ix_ce_activity_used_by_credential_id'))
        batch_op.drop_index(batch_op.f('ix_ce_activity_status'))
    op.drop_table('ce_activity')
    op.drop_table('ce_provider')
