"""Practicum records can be voided; reasons only where a status change takes one

- practicum_record gets `voided_at`, `voided_by_id` and `void_reason`: a wrong record stays in
  the log, marked void, and stops counting (set once, by a conditional UPDATE).
- Reasons: the proposal and status forms used to preselect "fraud" and saved it for every
  change. A suspension or reinstatement therefore carries a revocation reason it was never
  given. Those reasons are cleared here (left blank: the true one is unknown; the note written
  with the change says why). The hash-chained audit log keeps what was stored at the time.
- One snapshot per date is already a unique index (b2d4f6a80001).

Revision ID: b2d4f6a80005
Revises: b2d4f6a80004
Create Date: 2026-12-03 14:00:05

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b2d4f6a80005'
down_revision = 'b2d4f6a80004'
branch_labels = None
depends_on = None

# Reasons only a revocation may carry (lms.domain.credentials.lifecycle.REVOCATION_REASONS
# without "other", which a suspension may also give).
_REVOCATION_ONLY = "('fraud', 'issued_in_error', 'misconduct', 'holder_request')"


def _clear_misplaced_reasons(connection):
    connection.execute(sa.text(
        "UPDATE registry_decision SET reason = '' WHERE kind = 'proposal' AND ("
        f"action = 'reinstate' OR (action = 'suspend' AND reason IN {_REVOCATION_ONLY}))"
        " AND reason != ''"
    ))
    connection.execute(sa.text(
        "UPDATE credential_event SET reason = '' WHERE ("
        f"action = 'reinstate' OR (action = 'suspend' AND reason IN {_REVOCATION_ONLY}))"
        " AND reason != ''"
    ))
    connection.execute(sa.text(
        "UPDATE credential SET status_reason = '' WHERE ("
        f"status = 'active' OR (status = 'suspended' AND status_reason IN {_REVOCATION_ONLY}))"
        " AND status_reason != ''"
    ))


def upgrade():
    with op.batch_alter_table('practicum_record', schema=None) as batch_op:
        batch_op.add_column(sa.Column('voided_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('voided_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column('void_reason', sa.Text(), nullable=False, server_default='')
        )
        batch_op.create_foreign_key(
            batch_op.f('fk_practicum_record_voided_by_id_user'), 'user', ['voided_by_id'], ['id']
        )
    _clear_misplaced_reasons(op.get_bind())


def downgrade():
    # The cleared reasons are not restored: they were never given (the audit log has them).
    with op.batch_alter_table('practicum_record', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('fk_practicum_record_voided_by_id_user'), type_='foreignkey'
        )
        batch_op.drop_column('void_reason')
        batch_op.drop_column('voided_by_id')
        batch_op.drop_column('voided_at')
