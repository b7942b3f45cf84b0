"""A sample credential, issued and signed the way the web layer does it (and the way the first
release did, for the credentials it issued)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from lms.domain.credentials import (
    CredentialSnapshot,
    StatusBits,
    credential_number,
    key_id,
    message_list,
    new_signing_key,
    open_badge_credential,
    public_jwk,
    sign_vc_jwt,
    status_list_credential,
)
from lms.domain.credentials.keys import SigningPrivateKey, algorithm

BASE = "https://lms.example.mn"
ISSUER_ID = f"{BASE}/issuer"
ISSUER_NAME = {"mn": "Ажлын дасгалжуулагчийн сургалтын төв", "en": "Job Coach Training Centre"}
MESSAGE_URL = f"{BASE}/credentials/status/message"
REVOCATION_URL = f"{BASE}/credentials/status/revocation"
SUSPENSION_URL = f"{BASE}/credentials/status/suspension"
SUBJECT_ID = "urn:uuid:0b7c7f1e-4d2a-4c55-9b1e-2f3a4b5c6d7e"
NUMBER = credential_number("JC", 2026, 42)
INDEX = 94567
NOW = datetime(2026, 11, 23, 6, 0, tzinfo=UTC)

SNAPSHOT = CredentialSnapshot(
    number=NUMBER,
    holder_name="Өлзийсайхан Үүрцайх",
    region="uvurkhangai",
    organisation="Хөдөлмөр, халамжийн үйлчилгээний газар",
    course_slug="job-coach",
    course_title={"mn": "Ажлын дасгалжуулагчийн сургалт", "en": "Job coach training"},
    course_version="1.2.0",
    course_commit="3f2a9c1d0e5b7a8c9d0e1f2a3b4c5d6e7f8a9b0c",
    kind="training",
    credential_name={"mn": "Ажлын дасгалжуулагч", "en": "Job coach"},
    classroom_hours=26,
    practicum_hours=24.5,
    issued_on=date(2026, 3, 12),
    expires_on=date(2029, 3, 12),
    qualifies_for_subsidy=True,
    issuing_trainer="Батбаяр Дорж",
)


def badge(snapshot: CredentialSnapshot = SNAPSHOT, index: int = INDEX) -> dict[str, Any]:
    """The unsigned OpenBadgeCredential of ``snapshot``."""
    return open_badge_credential(
        snapshot,
        issuer_id=ISSUER_ID,
        issuer_name=ISSUER_NAME,
        credential_id=f"{BASE}/credentials/{snapshot.number}",
        verify_url=f"{BASE}/verify/{snapshot.number}",
        status_list_url=MESSAGE_URL,
        status_index=index,
        subject_id=SUBJECT_ID,
    )


def legacy_badge(snapshot: CredentialSnapshot = SNAPSHOT, index: int = INDEX) -> dict[str, Any]:
    """The credential as the first release built it: no holder id, two status entries."""
    vc = badge(snapshot, index)
    del vc["credentialSubject"]["id"]
    vc["credentialStatus"] = [
        {
            "id": f"{url}#{index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": purpose,
            "statusListIndex": str(index),
            "statusListCredential": url,
        }
        for url, purpose in ((REVOCATION_URL, "revocation"), (SUSPENSION_URL, "suspension"))
    ]
    return vc


def sign_legacy(vc: dict[str, Any], key: Ed25519PrivateKey, issued_at: datetime = NOW) -> str:
    """Sign as the first release did: EdDSA, ``typ: vc+jwt``, ``cty: vc``, thumbprint kid, and
    no ``sub`` claim."""
    claims: dict[str, Any] = {"iat": int(issued_at.timestamp()), "iss": vc["issuer"]["id"]}
    claims["jti"] = vc["id"]
    claims["nbf"] = int(datetime.fromisoformat(vc["validFrom"]).timestamp())
    if "validUntil" in vc:
        claims["exp"] = int(datetime.fromisoformat(vc["validUntil"]).timestamp())
    headers = {"kid": key_id(key), "typ": "vc+jwt", "cty": "vc"}
    return jwt.encode({**vc, **claims}, key, algorithm="EdDSA", headers=headers)


def kid_of(key: SigningPrivateKey) -> str:
    """The kid tokens carry: the JWK's URL for ES256 keys, the thumbprint for old Ed25519."""
    if algorithm(key) == "EdDSA":
        return key_id(key)
    return f"{BASE}/credentials/keys/{key_id(key)}"


@dataclass
class Issuer:
    """Signing keys (newest last) and the credentials' status bits, like the LMS keeps them."""

    keys: list[SigningPrivateKey]
    revoked: StatusBits
    suspended: StatusBits
    legacy_keys: list[Ed25519PrivateKey] = field(default_factory=list)

    @classmethod
    def new(cls) -> Issuer:
        return cls([new_signing_key()], StatusBits(), StatusBits())

    @property
    def key(self) -> SigningPrivateKey:
        return self.keys[-1]

    def rotate(self) -> None:
        self.keys.append(new_signing_key())

    def jwks(self) -> dict[str, Any]:
        published = [*self.legacy_keys, *self.keys]
        return {"keys": [public_jwk(key, kid_of(key)) for key in published]}

    def sign(self, vc: dict[str, Any]) -> str:
        return sign_vc_jwt(vc, self.key, kid_of(self.key), issued_at=NOW)

    def issue(self, snapshot: CredentialSnapshot = SNAPSHOT, index: int = INDEX) -> str:
        return self.sign(badge(snapshot, index))

    def issue_legacy(self, snapshot: CredentialSnapshot = SNAPSHOT, index: int = INDEX) -> str:
        """A credential signed by the first release, with an Ed25519 key still published."""
        if not self.legacy_keys:
            self.legacy_keys.append(Ed25519PrivateKey.generate())
        return sign_legacy(legacy_badge(snapshot, index), self.legacy_keys[-1])

    def status_lists(self, valid_from: datetime = NOW) -> dict[str, str]:
        # A credential is either suspended or revoked; the later write (revoked) wins.
        statuses = [(i, "suspended") for i in self.suspended.set_indexes()]
        statuses += [(i, "revoked") for i in self.revoked.set_indexes()]
        lists = {
            MESSAGE_URL: ("message", message_list(statuses)),
            REVOCATION_URL: ("revocation", self.revoked),
            SUSPENSION_URL: ("suspension", self.suspended),
        }
        return {
            url: self.sign(status_list_credential(url, purpose, bits, ISSUER_ID, valid_from))
            for url, (purpose, bits) in lists.items()
        }


def without_expiry(snapshot: CredentialSnapshot = SNAPSHOT) -> CredentialSnapshot:
    return replace(snapshot, expires_on=None)
