"""Create-once rules in the database (integrity issue)

One current credential per enrolment and one successor per superseded credential; one open
proposal per credential; one registry snapshot per date; one account per national ID; and the
course trainers who follow a course's enrolments outside cohorts.

Existing duplicates, made by the races this revision closes, are settled before the indexes
are built:
- credentials: of an enrolment's current credentials the newest active one is kept (else the
  newest); the others become `superseded` by it, with a `supersede` event (reason
  `duplicate`), so their history stays readable and they stop counting in the registry;
- open proposals: the oldest stays open, later ones become `withdrawn` with a note;
- registry snapshots and national IDs are not changed by a migration (a signed snapshot may
  have been archived by the ministry; which account owns a national ID is a person's decision):
  the upgrade stops with a message naming the rows to settle by hand.

Revision ID: b2d4f6a80001
Revises: 0f5708250d58
Create Date: 2026-12-03 10:50:00

"""
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b2d4f6a80001'
down_revision = '0f5708250d58'
branch_labels = None
depends_on = None

NOT_SUPERSEDED = sa.text("status != 'superseded'")
OPEN = sa.text("state = 'open'")


def _now():
    return datetime.now(timezone.utc).replace(tzinfo=None)


def _settle_duplicate_credentials(connection):
    rows = connection.execute(sa.text(
        "SELECT id, enrolment_id, status, status_since FROM credential "
        "WHERE status != 'superseded' AND enrolment_id IN ("
        "  SELECT enrolment_id FROM credential WHERE status != 'superseded'"
        "  GROUP BY enrolment_id HAVING COUNT(*) > 1"
        ") ORDER BY enrolment_id, id"
    )).fetchall()
    by_enrolment = {}
    for row in rows:
        by_enrolment.setdefault(row.enrolment_id, []).append(row)
    today = _now().date()
    for group in by_enrolment.values():
        active = [row for row in group if row.status == 'active']
        kept = (active or group)[-1]
        # A credential has one predecessor at most: the first duplicate links to the kept one
        # unless something already does; the others are superseded without a link.
        successor = kept.id if connection.execute(
            sa.text("SELECT COUNT(*) FROM credential WHERE superseded_by_id = :id"),
            {"id": kept.id},
        ).scalar() == 0 else None
        for row in group:
            if row.id == kept.id:
                continue
            connection.execute(
                sa.text(
                    "UPDATE credential SET status = 'superseded', superseded_by_id = :kept, "
                    "status_reason = 'duplicate', status_changed_at = :now, "
                    "status_since = :today WHERE id = :id"
                ),
                {"kept": successor, "now": _now(), "today": today, "id": row.id},
            )
            successor = None
            connection.execute(
                sa.text(
                    "INSERT INTO credential_event (credential_id, action, from_status, "
                    "to_status, effective_on, at, actor_id, reason, note) VALUES (:id, "
                    "'supersede', :old, 'superseded', :today, :now, NULL, 'duplicate', "
                    "'a duplicate issued by a race, settled by the integrity migration')"
                ),
                {"id": row.id, "old": row.status, "today": today, "now": _now()},
            )


def _settle_duplicate_proposals(connection):
    rows = connection.execute(sa.text(
        "SELECT id, credential_id FROM registry_decision WHERE state = 'open' "
        "ORDER BY credential_id, id"
    )).fetchall()
    seen = set()
    for row in rows:
        if row.credential_id in seen:
            connection.execute(
                sa.text(
                    "UPDATE registry_decision SET state = 'withdrawn', resolved_at = :now, "
                    "resolution_note = 'a second open proposal, closed by the integrity "
                    "migration' WHERE id = :id"
                ),
                {"now": _now(), "id": row.id},
            )
        seen.add(row.credential_id)


def _refuse_duplicates(connection, query, what):
    duplicates = connection.execute(sa.text(query)).fetchall()
    if duplicates:
        listed = "; ".join(", ".join(str(value) for value in row) for row in duplicates)
        raise RuntimeError(
            f"Cannot add the one-{what} rule: these rows share a value ({listed}). "
            "Settle them by hand (keep one of each), then run the upgrade again."
        )


def upgrade():
    connection = op.get_bind()
    _refuse_duplicates(
        connection,
        "SELECT taken_on, COUNT(*) FROM registry_snapshot GROUP BY taken_on "
        "HAVING COUNT(*) > 1",
        "snapshot-per-date (registry_snapshot taken_on, count)",
    )
    _refuse_duplicates(
        connection,
        "SELECT national_id_index, COUNT(*) FROM \"user\" WHERE national_id_index IS NOT NULL "
        "GROUP BY national_id_index HAVING COUNT(*) > 1",
        "account-per-national-ID (user national_id_index, count)",
    )
    _settle_duplicate_credentials(connection)
    _settle_duplicate_proposals(connection)

    op.create_table('course_trainer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('added_by_id', sa.Integer(), nullable=True),
    sa.Column('added_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['added_by_id'], ['user.id'], name=op.f('fk_course_trainer_added_by_id_user')),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_course_trainer_course_id_course')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_course_trainer_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course_trainer')),
    sa.UniqueConstraint('course_id', 'user_id', name=op.f('uq_course_trainer_course_id_user_id'))
    )
    with op.batch_alter_table('course_trainer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_course_trainer_course_id'), ['course_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_course_trainer_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('credential', schema=None) as batch_op:
        batch_op.create_index(
            'uq_credential_current_enrolment', ['enrolment_id'], unique=True,
            sqlite_where=NOT_SUPERSEDED, postgresql_where=NOT_SUPERSEDED,
        )
        batch_op.create_index('uq_credential_superseded_by_id', ['superseded_by_id'], unique=True)

    with op.batch_alter_table('registry_decision', schema=None) as batch_op:
        batch_op.create_index(
            'uq_registry_decision_open_proposal', ['credential_id'], unique=True,
            sqlite_where=OPEN, postgresql_where=OPEN,
        )

    with op.batch_alter_table('registry_snapshot', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_registry_snapshot_taken_on'))
        batch_op.create_index(batch_op.f('ix_registry_snapshot_taken_on'), ['taken_on'], unique=True)

    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_national_id_index'))
        batch_op.create_index(batch_op.f('ix_user_national_id_index'), ['national_id_index'], unique=True)


def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_national_id_index'))
        batch_op.create_index(batch_op.f('ix_user_national_id_index'), ['national_id_index'], unique=False)

    with op.batch_alter_table('registry_snapshot', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_registry_snapshot_taken_on'))
        batch_op.create_index(batch_op.f('ix_registry_snapshot_taken_on'), ['taken_on'], unique=False)

    with op.batch_alter_table('registry_decision', schema=None) as batch_op:
        batch_op.drop_index('uq_registry_decision_open_proposal')

    with op.batch_alter_table('credential', schema=None) as batch_op:
        batch_op.drop_index('uq_credential_superseded_by_id')
        batch_op.drop_index('uq_credential_current_enrolment')

    with op.batch_alter_table('course_trainer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_course_trainer_user_id'))
        batch_op.drop_index(batch_op.f('ix_course_trainer_course_id'))

    op.drop_table('course_trainer')
