"""The signed, machine-verifiable side of credentials: Open Badges VC-JWTs and status lists.

URLs in signed documents must stay stable, so they are built from `LMS_PUBLIC_URL` when it is
set (production: the site's https address), else from the current request.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import current_app, request, url_for
from sqlalchemy import select

from lms.domain.credentials import open_badge_credential, sign_vc_jwt
from lms.domain.credentials.snapshot import CredentialSnapshot
from lms.domain.credentials.status_list import StatusBits, status_list_credential
from lms.extensions import db
from lms.models import Credential
from lms.services.credentials import keys

ISSUER_NAME = {"mn": "Ажлын дасгалжуулагчийн сургалтын систем", "en": "Job coach LMS"}
LIST_PURPOSE_STATUS = {"revocation": "revoked", "suspension": "suspended"}


def public_url(endpoint: str, **values: Any) -> str:
    base = current_app.config.get("LMS_PUBLIC_URL") or request.url_root
    return base.rstrip("/") + url_for(endpoint, **values)


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


def credential_token(credential: Credential) -> str:
    """The credential as a signed Open Badges 3.0 VC-JWT (EdDSA)."""
    snapshot = CredentialSnapshot.from_json(credential.snapshot)
    vc = open_badge_credential(
        snapshot,
        issuer_id=issuer_id(),
        issuer_name=ISSUER_NAME,
        credential_id=public_url("certificates.api_credential", number=credential.number),
        verify_url=public_url("certificates.verify", number=credential.number),
        status_list_url=public_url("certificates.status_list", purpose="revocation"),
        suspension_list_url=public_url("certificates.status_list", purpose="suspension"),
        status_index=credential.status_index,
    )
    kid, key = keys.signing_key()
    return sign_vc_jwt(vc, key, kid)


def status_list_token(purpose: str) -> str:
    """The signed Bitstring Status List for `purpose`, from the credentials' current status."""
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
