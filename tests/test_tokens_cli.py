"""`lms tokens` and `lms registry` on the command line."""

from __future__ import annotations

import hashlib
import json

import pytest

from lms.models import ApiToken, AuditEvent, RegistrySnapshot
from lms.services.credentials import keys
from tests.factories import issue_registry_credentials


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def _create(runner, name="Ministry"):
    result = runner.invoke(args=["tokens", "create", "--name", name, "--scope", "registry:read"])
    assert result.exit_code == 0, result.output
    return result.output.strip().splitlines()[-1]


def test_create_shows_the_token_once_and_stores_only_its_hash(runner, db, client):
    token = _create(runner)
    assert token.startswith("lmsreg_")
    assert len(token) > 40
    row = ApiToken.query.one()
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert row.prefix == token[:12]
    assert row.scopes == ["registry:read"]
    stored = json.dumps({c.name: str(getattr(row, c.name)) for c in ApiToken.__table__.columns})
    assert token not in stored
    listing = runner.invoke(args=["tokens", "list"]).output
    assert "Ministry" in listing
    assert row.prefix in listing
    assert token not in listing
    event = AuditEvent.query.filter_by(action="token.create").one()
    assert event.actor_id is None
    assert event.details == {"name": "Ministry", "scopes": ["registry:read"]}
    assert token not in json.dumps(event.details)
    response = client.get(
        "/api/v1/registry/credentials", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200


def test_revoke_stops_the_token_at_once(runner, db, client):
    token = _create(runner)
    row = ApiToken.query.one()
    result = runner.invoke(args=["tokens", "revoke", str(row.id)])
    assert result.exit_code == 0, result.output
    assert ApiToken.query.one().revoked_at is not None
    assert AuditEvent.query.filter_by(action="token.revoke").count() == 1
    response = client.get(
        "/api/v1/registry/credentials", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 401
    again = runner.invoke(args=["tokens", "revoke", str(row.id)])
    assert again.exit_code != 0
    assert "revoked" in runner.invoke(args=["tokens", "list"]).output


def test_unknown_scope_and_unknown_token_are_refused(runner, db):
    result = runner.invoke(args=["tokens", "create", "--name", "x", "--scope", "admin:all"])
    assert result.exit_code != 0
    assert ApiToken.query.count() == 0
    assert runner.invoke(args=["tokens", "revoke", "99"]).exit_code != 0


def test_snapshot_then_verify_offline(runner, db, tmp_path):
    issue_registry_credentials(tmp_path)
    result = runner.invoke(args=["registry", "snapshot"])
    assert result.exit_code == 0, result.output
    row = RegistrySnapshot.query.one()
    assert row.entries == 3
    assert row.sha256 in result.output
    signed = tmp_path / "registry.jws"
    signed.write_text(row.signed, encoding="utf-8")
    jwks_file = tmp_path / "jwks.json"
    jwks_file.write_text(json.dumps(keys.jwks()), encoding="utf-8")
    checked = runner.invoke(
        args=["registry", "verify-snapshot", str(signed), "--jwks", str(jwks_file)]
    )
    assert checked.exit_code == 0, checked.output
    assert f"3 credentials, sha256 {row.sha256}" in checked.output
    tampered = tmp_path / "tampered.jws"
    head, payload, signature = row.signed.split(".")
    flipped = payload[:10] + ("B" if payload[10] == "A" else "A") + payload[11:]
    tampered.write_text(f"{head}.{flipped}.{signature}", encoding="utf-8")
    refused = runner.invoke(args=["registry", "verify-snapshot", str(tampered)])
    assert refused.exit_code == 1


def test_snapshot_of_a_future_date_is_refused(runner, db):
    result = runner.invoke(args=["registry", "snapshot", "--date", "2999-01-01"])
    assert result.exit_code != 0
    assert RegistrySnapshot.query.count() == 0
