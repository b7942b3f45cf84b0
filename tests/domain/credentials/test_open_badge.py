"""The Open Badges 3.0 credential built from a snapshot."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest

from lms.domain.credentials import open_badge_credential
from tests.domain.credentials.samples import (
    INDEX,
    ISSUER_ID,
    ISSUER_NAME,
    MESSAGE_URL,
    SNAPSHOT,
    SUBJECT_ID,
    badge,
    without_expiry,
)


def test_shape() -> None:
    vc = badge()
    assert vc["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert vc["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert vc["issuer"] == {
        "id": ISSUER_ID,
        "type": ["Profile"],
        "name": "Ажлын дасгалжуулагчийн сургалтын төв / Job Coach Training Centre",
    }
    assert vc["validFrom"] == "2026-03-12T00:00:00+08:00"
    assert vc["validUntil"] == "2029-03-12T23:59:59+08:00"
    assert vc["name"] == "Ажлын дасгалжуулагч / Job coach"
    subject = vc["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    assert subject["name"] == SNAPSHOT.holder_name
    assert subject["identifier"] == [
        {
            "type": "IdentityObject",
            "identityHash": SNAPSHOT.holder_name,
            "identityType": "name",
            "hashed": False,
        }
    ]
    assert subject["licenseNumber"] == SNAPSHOT.number
    achievement = subject["achievement"]
    assert achievement["type"] == ["Achievement"]
    assert achievement["achievementType"] == "Certification"
    assert achievement["version"] == "1.2.0"
    assert achievement["criteria"]["narrative"]
    assert "24.5" in achievement["description"]
    assert "26" in achievement["description"]
    assert "subsidy" in achievement["description"]
    assert achievement["otherIdentifier"][0]["identifier"] == SNAPSHOT.course_commit
    assert vc["url"] == f"https://lms.example.mn/verify/{SNAPSHOT.number}"


def test_one_status_entry_tells_revocation_and_suspension() -> None:
    vc = badge()
    assert vc["credentialStatus"] == {
        "id": f"{MESSAGE_URL}#{INDEX}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "message",
        "statusListIndex": str(INDEX),
        "statusListCredential": MESSAGE_URL,
        "statusSize": 2,
        "statusMessage": [
            {"status": "0x0", "message": "valid"},
            {"status": "0x1", "message": "suspended"},
            {"status": "0x2", "message": "revoked"},
            {"status": "0x3", "message": "unused"},
        ],
    }
    assert vc["credentialSubject"]["id"] == SUBJECT_ID


def test_seminar_without_expiry_or_subsidy() -> None:
    seminar = replace(
        without_expiry(),
        kind="seminar",
        practicum_hours=0,
        qualifies_for_subsidy=False,
        credential_name={"mn": "Танилцуулах семинар", "en": "Introductory seminar"},
    )
    vc = badge(seminar)
    assert "validUntil" not in vc
    achievement = vc["credentialSubject"]["achievement"]
    assert achievement["achievementType"] == "CertificateOfCompletion"
    assert "practicum" not in achievement["description"]
    assert "subsidy" not in achievement["description"]


def _keys(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


def test_nothing_private() -> None:
    vc = badge()
    text = json.dumps(vc, ensure_ascii=False).lower()
    forbidden = {"national", "registration", "score", "result", "email", "phone", "address"}
    assert not {key for key in _keys(vc) if any(word in key.lower() for word in forbidden)}
    assert "уб99" not in text


def test_holder_id_is_a_uuid_urn_and_the_index_is_not_negative() -> None:
    common: dict[str, Any] = {
        "issuer_id": ISSUER_ID,
        "issuer_name": ISSUER_NAME,
        "credential_id": "urn:x",
        "verify_url": "https://x",
        "status_list_url": MESSAGE_URL,
    }
    with pytest.raises(ValueError, match="urn:uuid"):
        open_badge_credential(SNAPSHOT, **common, status_index=1, subject_id="УБ99112233")
    with pytest.raises(ValueError, match=">= 0"):
        open_badge_credential(SNAPSHOT, **common, status_index=-1, subject_id=SUBJECT_ID)
