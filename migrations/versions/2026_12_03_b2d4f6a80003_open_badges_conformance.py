"""Open Badges 3.0 conformance: a stable, non-identifying holder id per user

Signed credentials name their holder by `credentialSubject.id` (and the JWT's `sub`): a random
`urn:uuid:` kept per user, never the national ID or e-mail. Existing users get one each here.
Signing keys and status lists need no schema change: new keys are P-256 (ES256) files, the
public JWK (with its algorithm) is already stored as JSON, and the message status list is
computed from `credential.status` and `credential.status_index` like the first lists.

Revision ID: b2d4f6a80003
Revises: b2d4f6a80002
Create Date: 2026-12-03 10:50:00

"""
import uuid

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b2d4f6a80003'
down_revision = 'b2d4f6a80002'
branch_labels = None
depends_on = None


def _foreign_keys(enforced):
    """SQLite rebuilds `user` to change a column, which other tables reference: its foreign key
    checks are paused for that (outside a transaction, where the pragma takes effect)."""
    if op.get_bind().dialect.name == 'sqlite':
        with op.get_context().autocommit_block():
            op.execute(f"PRAGMA foreign_keys={'ON' if enforced else 'OFF'}")


def upgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('credential_subject_id', sa.String(length=45), nullable=True))
    connection = op.get_bind()
    users = sa.table('user', sa.column('id', sa.Integer), sa.column('credential_subject_id'))
    for (user_id,) in connection.execute(sa.select(users.c.id)).all():
        connection.execute(
            users.update()
            .where(users.c.id == user_id)
            .values(credential_subject_id=f"urn:uuid:{uuid.uuid4()}")
        )
    _foreign_keys(False)
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.alter_column(
            'credential_subject_id', existing_type=sa.String(length=45), nullable=False
        )
        batch_op.create_unique_constraint(
            batch_op.f('uq_user_credential_subject_id'), ['credential_subject_id']
        )
    _foreign_keys(True)


def downgrade():
    _foreign_keys(False)
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_user_credential_subject_id'), type_='unique')
        batch_op.drop_column('credential_subject_id')
    _foreign_keys(True)
