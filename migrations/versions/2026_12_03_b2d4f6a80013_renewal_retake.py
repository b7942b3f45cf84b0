"""renewal retake: a second enrolment in a course, for renewing a credential

`enrolment.renews_credential_id` links a retake to the credential it renews. The old rule
"one enrolment per (user, course)" becomes three partial unique indexes:
- `uq_enrolment_first`: one enrolment per (user, course) that is not a retake (as before);
- `uq_enrolment_renews_credential_id`: one retake per renewed credential;
- `uq_enrolment_open`: one open (requested or active) enrolment per (user, course), whatever
  its kind, so a double-clicked "enrol again" makes one row.
Existing rows satisfy all three (they were unique per user and course).

The downgrade restores the old unique constraint; it stops with a message when retakes exist
(settle them by hand first: which attempt to keep is a person's decision).

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

FIRST = sa.text("renews_credential_id IS NULL")
OPEN = sa.text("state IN ('requested', 'active')")


def _foreign_keys(enforced):
    """SQLite rebuilds `enrolment` to change its constraints, and other tables reference it:
    its foreign key checks are paused for that (outside a transaction, where the pragma takes
    effect)."""
    if op.get_bind().dialect.name == 'sqlite':
        with op.get_context().autocommit_block():
            op.execute(f"PRAGMA foreign_keys={'ON' if enforced else 'OFF'}")


def upgrade():
    _foreign_keys(False)
    with op.batch_alter_table('enrolment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('renews_credential_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_enrolment_renews_credential_id_credential'),
            'credential', ['renews_credential_id'], ['id'],
        )
        batch_op.drop_constraint(batch_op.f('uq_enrolment_user_id_course_id'), type_='unique')
        batch_op.create_index(
            'uq_enrolment_first', ['user_id', 'course_id'], unique=True,
            sqlite_where=FIRST, postgresql_where=FIRST,
        )
        batch_op.create_index(
            'uq_enrolment_open', ['user_id', 'course_id'], unique=True,
            sqlite_where=OPEN, postgresql_where=OPEN,
        )
        batch_op.create_index(
            'uq_enrolment_renews_credential_id', ['renews_credential_id'], unique=True
        )
    _foreign_keys(True)


def downgrade():
    retakes = op.get_bind().execute(sa.text(
        "SELECT id FROM enrolment WHERE renews_credential_id IS NOT NULL ORDER BY id"
    )).scalars().all()
    if retakes:
        raise RuntimeError(
            "Cannot restore one enrolment per (user, course): these enrolments are retakes "
            f"for renewal ({', '.join(str(i) for i in retakes)}). Settle them by hand first."
        )
    _foreign_keys(False)
    with op.batch_alter_table('enrolment', schema=None) as batch_op:
        batch_op.drop_index('uq_enrolment_renews_credential_id')
        batch_op.drop_index('uq_enrolment_open')
        batch_op.drop_index('uq_enrolment_first')
        batch_op.create_unique_constraint(
            batch_op.f('uq_enrolment_user_id_course_id'), ['user_id', 'course_id']
        )
        batch_op.drop_constraint(
            batch_op.f('fk_enrolment_renews_credential_id_credential'), type_='foreignkey'
        )
        batch_op.drop_column('renews_credential_id')
    _foreign_keys(True)
