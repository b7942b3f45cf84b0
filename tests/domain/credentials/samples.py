"""A sample credential, issued and signed the way the web layer will do it."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from lms.domain.credentials import (
    CredentialSnapshot,
    StatusBits,
    credential_number,
    jwks_document,
    key_id,
    new_signing_key,
    open_badge_credential,
    sign_vc_jwt,
    status_list_credential,
)

ISSUER_ID = "https://lms.example.mn/issuer"
ISSUER_NAME = {"mn": "Ажлын дасгалжуулагчийн сургалтын төв", "en": "Job Coach Training Centre"}
REVOCATION_URL = "https://lms.example.mn/credentials/status/revocation"
SUSPENSION_URL = "https://lms.example.mn/credentials/status/suspension"
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
        credential_id=f"https://lms.example.mn/credentials/{snapshot.number}",
        verify_url=f"https://lms.example.mn/verify/{snapshot.number}",
        status_list_url=REVOCATION_URL,
        suspension_list_url=SUSPENSION_URL,
        status_index=index,
    )


@dataclass
class Issuer:
    """Signing keys (newest last) and the credentials' status bits, like the LMS keeps them."""

    keys: list[Ed25519PrivateKey]
    revoked: StatusBits
    suspended: StatusBits

    @classmethod
    def new(cls) -> Issuer:
        return cls([new_signing_key()], StatusBits(), StatusBits())

    @property
    def key(self) -> Ed25519PrivateKey:
        return self.keys[-1]

    def rotate(self) -> None:
        self.keys.append(new_signing_key())

    def jwks(self) -> dict[str, Any]:
        return jwks_document(self.keys)

    def sign(self, vc: dict[str, Any]) -> str:
        return sign_vc_jwt(vc, self.key, key_id(self.key), issued_at=NOW)

    def issue(self, snapshot: CredentialSnapshot = SNAPSHOT, index: int = INDEX) -> str:
        return self.sign(badge(snapshot, index))

    def status_lists(self, valid_from: datetime = NOW) -> dict[str, str]:
        lists = {REVOCATION_URL: ("revocation", self.revoked)}
        lists[SUSPENSION_URL] = ("suspension", self.suspended)
        return {
            url: self.sign(status_list_credential(url, purpose, bits, ISSUER_ID, valid_from))
            for url, (purpose, bits) in lists.items()
        }


def without_expiry(snapshot: CredentialSnapshot = SNAPSHOT) -> CredentialSnapshot:
    return replace(snapshot, expires_on=None)
