"""Migrations build the schema the models describe, from empty to head."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from lms.extensions import db as _db
from lms.models.dialect_only import include_object
from lms.services.credentials import lifecycle as credential_lifecycle


def test_upgrade_from_empty_to_head_matches_the_models(app, db):
    # The fixture database was built by `flask db upgrade` from an empty database.
    with _db.engine.connect() as connection:
        # An index only PostgreSQL has (the name search's trigram index) is not asked of SQLite.
        only_here = include_object(connection.dialect.name)
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_object": only_here}
        )
        differences = compare_metadata(context, _db.metadata)
    assert differences == []
    tables = set(inspect(_db.engine).get_table_names())
    assert {"user", "role_grant", "audit_event", "alembic_version"} <= tables


def test_registry_migration_carries_existing_credentials_and_cohorts_over(app, db, tmp_path):
    """Down to the revision before the registry, and up again: history is rebuilt from the
    audit log, registry columns from the snapshot, and a cohort's creator becomes its trainer."""
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import select

    from lms.models import CohortTrainer, Credential, CredentialEvent
    from tests.factories import issue_demo_credential, make_user

    holder = make_user(name="Бат-Эрдэнэ Сүхээ", region="khovd", organisation="Ховд ТББ")
    credential = issue_demo_credential(tmp_path, holder)
    admin = make_user(roles=("admin",))
    credential_lifecycle.change_status(credential, "suspend", admin, note="шалгалт")
    credential_lifecycle.change_status(credential, "revoke", admin, reason="fraud")
    number, cohort_id = credential.number, credential.enrolment.cohort_id
    trainer_id = credential.enrolment.cohort.created_by_id
    db.session.commit()
    db.session.remove()

    downgrade(revision="9eabefd1fe5e")
    upgrade()
    db.session.remove()

    row = db.session.execute(select(Credential).where(Credential.number == number)).scalar_one()
    assert (row.course_slug, row.region, row.organisation) == ("demo", "khovd", "Ховд ТББ")
    assert row.holder_folded == "бат-эрдэнэ сүхээ"
    events = db.session.execute(
        select(CredentialEvent)
        .where(CredentialEvent.credential_id == row.id)
        .order_by(CredentialEvent.id)
    ).scalars()
    assert [(e.action, e.from_status, e.to_status, e.reason) for e in events] == [
        ("issue", None, "active", ""),
        ("suspend", "active", "suspended", ""),
        ("revoke", "suspended", "revoked", "fraud"),
    ]
    trainers = db.session.execute(
        select(CohortTrainer.user_id).where(CohortTrainer.cohort_id == cohort_id)
    ).scalars()
    assert list(trainers) == [trainer_id]
