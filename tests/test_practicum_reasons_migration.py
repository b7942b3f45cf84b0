"""The reasons migration clears the revocation reasons that the old forms saved, by default,
with suspensions and reinstatements; revocations and deliberate suspension reasons stay."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from sqlalchemy import select, text

from lms.models import Credential, CredentialEvent, RegistryDecision
from lms.services.credentials import lifecycle as credential_lifecycle
from lms.services.registry import decisions as registry_decisions
from tests.factories import issue_demo_credential, make_user

MIGRATION = (
    Path(__file__).parent.parent
    / "migrations/versions/2026_12_03_b2d4f6a80005_practicum_reasons_snapshots.py"
)


def _migration():
    spec = importlib.util.spec_from_file_location("practicum_reasons_migration", MIGRATION)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_misplaced_reasons_are_cleared_and_the_rest_kept(app, db, tmp_path):
    admin, reviewer = make_user(roles=("admin",)), make_user(roles=("reviewer",))
    suspended = issue_demo_credential(tmp_path / "a")
    reinstated = issue_demo_credential(tmp_path / "b")
    revoked = issue_demo_credential(tmp_path / "c")
    kept = issue_demo_credential(tmp_path / "d")
    credential_lifecycle.change_status(suspended, "suspend", admin, "other", "Шалгана.")
    credential_lifecycle.change_status(reinstated, "suspend", admin, "other", "Шалгана.")
    credential_lifecycle.change_status(reinstated, "reinstate", admin, "", "Зөв.")
    credential_lifecycle.change_status(revoked, "revoke", admin, "fraud", "Хуурамч.")
    credential_lifecycle.change_status(kept, "suspend", admin, "investigation", "Гомдол.")
    proposal = registry_decisions.propose(
        suspended, reviewer, registry_decisions.Proposal("reinstate", "", "Зөв.")
    )
    connection = db.session.connection()
    # What the old forms stored: "fraud" (the preselected first choice) on every change.
    ids = {"a": suspended.id, "b": reinstated.id, "p": proposal.id}
    for statement in (
        "UPDATE credential_event SET reason = 'fraud' WHERE credential_id IN (:a, :b)",
        "UPDATE credential SET status_reason = 'fraud' WHERE id IN (:a, :b)",
        "UPDATE registry_decision SET reason = 'fraud' WHERE id = :p",
    ):
        connection.execute(text(statement), ids)

    _migration()._clear_misplaced_reasons(connection)
    db.session.commit()
    db.session.expire_all()

    reasons = {
        c.id: (c.status, c.status_reason) for c in db.session.execute(select(Credential)).scalars()
    }
    assert reasons[suspended.id] == ("suspended", "")
    assert reasons[reinstated.id] == ("active", "")
    assert reasons[revoked.id] == ("revoked", "fraud")
    assert reasons[kept.id] == ("suspended", "investigation")
    events = {
        (e.credential_id, e.action): e.reason
        for e in db.session.execute(select(CredentialEvent)).scalars()
    }
    assert events[(suspended.id, "suspend")] == ""
    assert events[(reinstated.id, "reinstate")] == ""
    assert events[(revoked.id, "revoke")] == "fraud"
    assert events[(kept.id, "suspend")] == "investigation"
    assert db.session.get(RegistryDecision, proposal.id).reason == ""
