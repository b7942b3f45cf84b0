"""Signed registry snapshots: canonical JSON, signature round trip, tampering, diffs."""

from __future__ import annotations

import json
from dataclasses import fields, replace
from datetime import UTC, date, datetime

import pytest

from lms.domain.credentials import jwks_document, key_id, new_signing_key
from lms.domain.registry.snapshot import (
    RegistrySnapshotDocument,
    SnapshotEntry,
    SnapshotInvalid,
    canonical_json,
    diff,
    sha256_hex,
    sign_snapshot,
    verify_snapshot,
)

ON = date(2027, 3, 1)


def entry(number: str, status: str = "active", **changes: object) -> SnapshotEntry:
    base = SnapshotEntry(
        number=number,
        holder_name="Өлзийбат Сүхбаатар",
        region="khovd",
        organisation="Ховд ТББ",
        course_slug="job-coach-training",
        course_version="1.0.0",
        kind="training",
        issued_on=date(2026, 1, 10),
        expires_on=date(2029, 1, 10),
        status=status,
        qualifies_for_subsidy=status == "active",
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def document(*entries: SnapshotEntry) -> RegistrySnapshotDocument:
    return RegistrySnapshotDocument(
        taken_on=ON,
        generated_at=datetime(2027, 3, 1, 12, 30, 5, 123456, tzinfo=UTC),
        issuer="https://lms.example.mn/issuer",
        entries=entries,
    )


def test_canonical_json_is_sorted_compact_utf8_and_independent_of_entry_order():
    a, b = entry("JC-2026-00001-7"), entry("JC-2026-00002-5", "revoked")
    first, second = canonical_json(document(a, b)), canonical_json(document(b, a))
    assert first == second
    text = first.decode("utf-8")
    assert "Өлзийбат" in text  # not \u escapes
    assert ": " not in text
    assert ", " not in text
    assert "\n" not in text
    data = json.loads(first)
    assert list(data) == sorted(data)
    assert [e["number"] for e in data["entries"]] == ["JC-2026-00001-7", "JC-2026-00002-5"]
    assert data["generated_at"] == "2027-03-01T12:30:05Z"
    assert data["count"] == 2
    assert json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False) == text


def test_entries_never_carry_a_national_id():
    names = {f.name for f in fields(SnapshotEntry)}
    assert not {n for n in names if "national" in n or n.endswith("_id")}


def test_sign_and_verify_round_trip():
    key = new_signing_key()
    kid = key_id(key)
    original = document(entry("JC-2026-00001-7"), entry("JC-2026-00002-5", "suspended"))
    token = sign_snapshot(original, key, kid)
    parsed, payload = verify_snapshot(token, jwks_document([key]))
    assert payload == canonical_json(original)
    assert sha256_hex(payload) == sha256_hex(canonical_json(original))
    assert parsed.entries == original.entries
    assert parsed.taken_on == ON
    header = json.loads(_b64(token.split(".")[0]))
    assert header == {"alg": "ES256", "cty": "json", "kid": kid, "typ": "registry-snapshot+jws"}


def test_a_snapshot_signed_with_a_first_release_key_still_verifies():
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    old = Ed25519PrivateKey.generate()
    original = document(entry("JC-2026-00001-7"))
    token = sign_snapshot(original, old, key_id(old))
    assert json.loads(_b64(token.split(".")[0]))["alg"] == "EdDSA"
    parsed, _ = verify_snapshot(token, jwks_document([new_signing_key(), old]))
    assert parsed.entries == original.entries


def _b64(segment: str) -> bytes:
    import base64

    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def test_every_changed_character_fails_verification():
    key = new_signing_key()
    token = sign_snapshot(document(entry("JC-2026-00001-7")), key, key_id(key))
    jwks = jwks_document([key])
    for position, char in enumerate(token):
        if char == ".":
            continue
        flipped = "B" if char == "A" else "A"
        tampered = token[:position] + flipped + token[position + 1 :]
        with pytest.raises(SnapshotInvalid):
            verify_snapshot(tampered, jwks)


def test_a_payload_signed_by_another_key_is_refused():
    key, other = new_signing_key(), new_signing_key()
    token = sign_snapshot(document(entry("JC-2026-00001-7")), other, key_id(key))
    with pytest.raises(SnapshotInvalid) as problem:
        verify_snapshot(token, jwks_document([key]))
    assert problem.value.reason == "bad_signature"


def test_an_unknown_key_is_named():
    key = new_signing_key()
    token = sign_snapshot(document(), key, key_id(key))
    with pytest.raises(SnapshotInvalid) as problem:
        verify_snapshot(token, jwks_document([new_signing_key()]))
    assert problem.value.reason == "unknown_key"


@pytest.mark.parametrize("token", ["", "a.b", "not.a.jws", "..", "a.b.c.d"])
def test_malformed_tokens_are_refused(token):
    with pytest.raises(SnapshotInvalid):
        verify_snapshot(token, jwks_document([new_signing_key()]))


def test_diff_sorts_changes_into_their_kinds():
    old = [
        entry("JC-2026-00001-7"),
        entry("JC-2026-00002-5"),
        entry("JC-2026-00003-3"),
        entry("JC-2026-00004-1"),
        entry("JC-2026-00005-0", "suspended"),
        entry("JC-2026-00006-8"),
        entry("JC-2026-00007-6"),
        entry("JC-2026-00008-4"),
    ]
    new = [
        entry("JC-2026-00001-7"),  # unchanged
        entry("JC-2026-00002-5", "expired"),
        entry("JC-2026-00003-3", "revoked"),
        entry("JC-2026-00004-1", "suspended"),
        entry("JC-2026-00005-0", "active"),
        entry("JC-2026-00006-8", "superseded"),
        # 00007 is gone
        entry("JC-2026-00008-4", holder_name="Өөр нэр"),  # same status, other data
        entry("JC-2027-00001-2"),
    ]
    changes = diff(old, new)
    assert [e.number for e in changes.added] == ["JC-2027-00001-2"]
    assert [e.number for e in changes.removed] == ["JC-2026-00007-6"]
    assert [c.new.number for c in changes.expired] == ["JC-2026-00002-5"]
    assert [c.new.number for c in changes.revoked] == ["JC-2026-00003-3"]
    assert [c.new.number for c in changes.suspended] == ["JC-2026-00004-1"]
    assert [c.new.number for c in changes.reinstated] == ["JC-2026-00005-0"]
    assert [c.new.number for c in changes.superseded] == ["JC-2026-00006-8"]
    assert [c.new.number for c in changes.other] == ["JC-2026-00008-4"]
    assert changes.revoked[0].old.status == "active"
    assert not changes.is_empty


def test_diff_of_identical_snapshots_is_empty():
    entries = [entry("JC-2026-00001-7"), entry("JC-2026-00002-5", "revoked")]
    assert diff(entries, list(reversed(entries))).is_empty


def test_document_json_round_trip_and_wrong_type():
    original = document(entry("JC-2026-00001-7", expires_on=None))
    data = json.loads(canonical_json(original))
    parsed = RegistrySnapshotDocument.from_json(data)
    assert parsed.entries == original.entries
    assert parsed.generated_at == original.generated_at.replace(microsecond=0)
    with pytest.raises(SnapshotInvalid):
        RegistrySnapshotDocument.from_json({**data, "type": "something-else"})
    with pytest.raises(SnapshotInvalid):
        RegistrySnapshotDocument.from_json({**data, "count": 5})
