"""The create-once migration settles duplicates made before its indexes existed.

The indexes are dropped, duplicates written as the old races wrote them, then the migration's
own settling step runs and the indexes are built again (they would refuse unsettled data).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from sqlalchemy import select, text

from lms.models import Credential, CredentialEvent, RegistryDecision
from lms.services.registry import decisions as registry_decisions
from tests.factories import issue_demo_credential, make_user

MIGRATION = (
    Path(__file__).parent.parent
    / "migrations/versions/2026_12_03_b2d4f6a80001_integrity_create_once.py"
)


def _migration():
    spec = importlib.util.spec_from_file_location("create_once_migration", MIGRATION)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _index(model, name):
    return next(index for index in model.__table__.indexes if index.name == name)


def test_duplicates_are_settled_and_the_indexes_then_hold(app, db, tmp_path):
    first = issue_demo_credential(tmp_path)
    proposer = make_user(roles=("reviewer",))
    proposal = registry_decisions.propose(
        first, proposer, registry_decisions.Proposal("suspend", "other", "x")
    )
    credential_index = _index(Credential, "uq_credential_current_enrolment")
    proposal_index = _index(RegistryDecision, "uq_registry_decision_open_proposal")
    connection = db.session.connection()
    credential_index.drop(connection)
    proposal_index.drop(connection)
    # What the races made: a second active credential, a second open proposal.
    connection.execute(
        text(
            "INSERT INTO credential (number, user_id, enrolment_id, course_version_id, snapshot,"
            " issued_on, expires_on, qualifies_for_subsidy, status, status_reason, status_note,"
            " status_changed_at, status_index, course_slug, kind, region, organisation,"
            " holder_folded) SELECT 'JC-DUP', user_id, enrolment_id, course_version_id,"
            " snapshot, issued_on, expires_on, qualifies_for_subsidy, status, status_reason,"
            " status_note, status_changed_at, status_index + 1000, course_slug, kind, region,"
            " organisation, holder_folded FROM credential WHERE id = :id"
        ),
        {"id": first.id},
    )
    connection.execute(
        text(
            "INSERT INTO registry_decision (credential_id, kind, action, reason, note, actor_id,"
            " at, state, resolution_note) SELECT credential_id, kind, action, reason, note,"
            " actor_id, at, state, resolution_note FROM registry_decision WHERE id = :id"
        ),
        {"id": proposal.id},
    )

    migration = _migration()
    migration._settle_duplicate_credentials(connection)
    migration._settle_duplicate_proposals(connection)
    credential_index.create(connection)
    proposal_index.create(connection)
    db.session.commit()

    db.session.expire_all()
    rows = db.session.execute(select(Credential).order_by(Credential.id)).scalars().all()
    assert [(c.number == "JC-DUP", c.status) for c in rows] == [
        (False, "superseded"),
        (True, "active"),  # the newest active one is kept
    ]
    assert rows[0].superseded_by_id == rows[1].id
    event = (
        db.session.execute(
            select(CredentialEvent)
            .where(CredentialEvent.credential_id == rows[0].id)
            .order_by(CredentialEvent.id.desc())
        )
        .scalars()
        .first()
    )
    assert (event.action, event.reason, event.from_status) == ("supersede", "duplicate", "active")
    states = (
        db.session.execute(select(RegistryDecision.state).order_by(RegistryDecision.id))
        .scalars()
        .all()
    )
    assert states == ["open", "withdrawn"]  # the oldest stays open
