"""The signed, machine-verifiable side of credentials: Open Badges VC-JWTs and status lists.

URLs in signed documents must stay stable, so they are built from `LMS_PUBLIC_URL` only
(`lms.public_urls`), never from the request that happens to ask for them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from lms.domain.credentials import open_badge_credential, sign_vc_jwt
from lms.domain.credentials.snapshot import CredentialSnapshot
from lms.domain.credentials.status_list import StatusBits, message_list, status_list_credential
from lms.extensions import db
from lms.models import Credential
from lms.public_urls import public_url
from lms.services.credentials import keys

ISSUER_NAME = {"mn": "Ажлын дасгалжуулагчийн сургалтын систем", "en": "Job coach LMS"}
# The first release's one-bit lists, still published for the credentials that point at them.
LIST_PURPOSE_STATUS = {"revocation": "revoked", "suspension": "suspended"}
# Every published list: today's credentials point at "message" (valid, suspended or revoked).
STATUS_LIST_PURPOSES = ("message", *LIST_PURPOSE_STATUS)


__all__ = [
    "credential_document",
    "credential_token",
    "issuer_id",
    "issuer_profile",
    "public_url",
    "status_list_token",
]


def issuer_id() -> str:
    return public_url("certificates.issuer")


def issuer_profile() -> dict[str, Any]:
    return {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": issuer_id(),
        "type": ["Profile"],
        "name": ISSUER_NAME["en"],
        "description": "Issues job coach credentials for supported employment in Mongolia.",
        "url": public_url("main.index"),
    }


def credential_document(credential: Credential) -> dict[str, Any]:
    """The credential as an (unsigned) Open Badges 3.0 ``OpenBadgeCredential``."""
    snapshot = CredentialSnapshot.from_json(credential.snapshot)
    return open_badge_credential(
        snapshot,
        issuer_id=issuer_id(),
        issuer_name=ISSUER_NAME,
        credential_id=public_url("certificates.api_credential", number=credential.number),
        verify_url=public_url("certificates.verify", number=credential.number),
        status_list_url=public_url("certificates.status_list", purpose="message"),
        status_index=credential.status_index,
        subject_id=credential.user.credential_subject_id,
    )


def credential_token(credential: Credential) -> str:
    """The credential as a signed Open Badges 3.0 VC-JWT (ES256)."""
    kid, key = keys.signing_key()
    return sign_vc_jwt(credential_document(credential), key, kid)


def status_list_token(purpose: str) -> str:
    """The signed Bitstring Status List for `purpose`, from the credentials' current status."""
    if purpose == "message":
        rows = db.session.execute(
            select(Credential.status_index, Credential.status).where(
                Credential.status.in_(("revoked", "suspended"))
            )
        )
        bits = message_list((index, status) for index, status in rows)
    else:
        bits = StatusBits()
        status = LIST_PURPOSE_STATUS[purpose]
        for index in db.session.execute(
            select(Credential.status_index).where(Credential.status == status)
        ).scalars():
            bits.set(index)
    now = datetime.now(UTC)
    document = status_list_credential(
        public_url("certificates.status_list", purpose=purpose), purpose, bits, issuer_id(), now
    )
    kid, key = keys.signing_key()
    return sign_vc_jwt(document, key, kid, issued_at=now)
