"""Checking a credential file: the one core behind `lms credentials verify` and `/verify`.

The token is checked against this issuer's own keys and its own status lists, computed and
signed now from the database (so a revocation shows on the very next check). Nothing named
inside the token is ever fetched: a token naming another issuer is refused as foreign.
"""

from __future__ import annotations

from datetime import UTC, datetime

from lms.domain.credentials.verify import VerificationResult, verify_credential
from lms.public_urls import public_url
from lms.services.credentials import keys
from lms.services.credentials import signing as signed_credentials

# A credential of this issuer is about 3-4 KB; refuse anything far larger before parsing it.
MAX_TOKEN_BYTES = 32 * 1024


def status_list_tokens() -> dict[str, str]:
    """Every published status list, signed now, by its URL."""
    return {
        public_url("certificates.status_list", purpose=purpose): (
            signed_credentials.status_list_token(purpose)
        )
        for purpose in signed_credentials.STATUS_LIST_PURPOSES
    }


def verify_token(token: str, now: datetime | None = None) -> VerificationResult:
    """Verify a VC-JWT issued here: issuer, signature, dates and status, as of ``now``."""
    if len(token.encode("utf-8")) > MAX_TOKEN_BYTES:
        return VerificationResult(False, "too_large", None)
    lists = status_list_tokens()  # first: it makes the signing key if there is none yet
    return verify_credential(
        token.strip(),
        keys.jwks(),
        lists,
        now or datetime.now(UTC),
        expected_issuer=signed_credentials.issuer_id(),
    )
