"""An independent verifier: PyJWT and the published JWK Set only, no project verification code.

It stands in for any third party (a ministry system, a wallet) checking a downloaded credential
against ``/.well-known/jwks.json`` and the published status list.
"""

from __future__ import annotations

import base64
import gzip
import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest

from lms.domain.credentials import CREDENTIAL_TIMEZONE, key_id, sign_vc_jwt
from tests.domain.credentials.samples import INDEX, REVOCATION_URL, SNAPSHOT, Issuer, badge


def independent_verify(token: str, key_set: jwt.PyJWKSet) -> dict[str, Any]:
    """Verify ``token`` with PyJWT against the published JWK Set; raise on any failure."""
    header = jwt.get_unverified_header(token)
    key = key_set[header["kid"]]
    payload: dict[str, Any] = jwt.decode(
        token,
        key,
        algorithms=["EdDSA"],
        options={"require": ["iss", "nbf", "iat"]},
        leeway=0,
    )
    assert header["typ"] == "vc+jwt"
    assert payload["iss"] == payload["issuer"]["id"]
    return payload


def status_bit(status_list_token: str, key_set: jwt.PyJWKSet, index: int) -> bool:
    """Bit ``index`` of a signed Bitstring Status List, read by hand as the spec describes."""
    key = key_set[jwt.get_unverified_header(status_list_token)["kid"]]
    listed = jwt.decode(status_list_token, key, algorithms=["EdDSA"])
    assert "BitstringStatusListCredential" in listed["type"]
    encoded = listed["credentialSubject"]["encodedList"]
    assert encoded[0] == "u"  # multibase base64url, no padding
    raw = gzip.decompress(_decoded(encoded[1:]))
    return bool(raw[index // 8] & (0x80 >> (index % 8)))


@pytest.fixture(scope="module")
def issued() -> tuple[Issuer, str, jwt.PyJWKSet]:
    """A credential, and the key set as a third party reads it from the published JSON."""
    issuer = Issuer.new()
    issuer.rotate()  # two published keys, like after `lms keys rotate`
    # Dated around the real today: this verifier checks dates against the real clock.
    today = datetime.now(CREDENTIAL_TIMEZONE).date()
    snapshot = replace(
        SNAPSHOT, issued_on=today - timedelta(days=30), expires_on=today + timedelta(days=1000)
    )
    token = sign_vc_jwt(badge(snapshot), issuer.key, key_id(issuer.key))
    return issuer, token, jwt.PyJWKSet.from_json(json.dumps(issuer.jwks()))


def test_accepts_an_issued_credential(issued: tuple[Issuer, str, jwt.PyJWKSet]) -> None:
    _, token, key_set = issued
    payload = independent_verify(token, key_set)
    assert "OpenBadgeCredential" in payload["type"]
    assert payload["credentialSubject"]["licenseNumber"] == "JC-2026-00042-3"
    # The JWT dates agree with the credential's own validity period.
    assert payload["exp"] == int(datetime.fromisoformat(payload["validUntil"]).timestamp())
    assert payload["exp"] > datetime.now(UTC).timestamp() > payload["nbf"]


def test_rejects_every_single_byte_flip(issued: tuple[Issuer, str, jwt.PyJWKSet]) -> None:
    _, token, key_set = issued
    accepted_variants = []
    for i in range(len(token)):
        tampered = token[:i] + chr(ord(token[i]) ^ 0x01) + token[i + 1 :]
        try:
            independent_verify(tampered, key_set)
        except (jwt.PyJWTError, KeyError, ValueError):
            continue
        accepted_variants.append(i)
    # A lenient base64 decoder ignores the 4 unused low bits of the signature's last character,
    # so the one flip it can accept there decodes to the very same signature bytes: not tampering.
    signature = token.rsplit(".", 1)[1]
    assert accepted_variants in ([], [len(token) - 1])
    for i in accepted_variants:
        changed = token[:i] + chr(ord(token[i]) ^ 0x01)
        assert _decoded(changed.rsplit(".", 1)[1]) == _decoded(signature)


def test_rejects_every_flipped_byte_of_content(issued: tuple[Issuer, str, jwt.PyJWKSet]) -> None:
    _, token, key_set = issued
    segments = token.split(".")
    for part in range(3):
        raw = _decoded(segments[part])
        for i in range(len(raw)):
            flipped = raw[:i] + bytes([raw[i] ^ 0x01]) + raw[i + 1 :]
            changed = list(segments)
            changed[part] = base64.urlsafe_b64encode(flipped).rstrip(b"=").decode()
            with pytest.raises((jwt.PyJWTError, KeyError, ValueError)):
                independent_verify(".".join(changed), key_set)


def test_sees_a_revocation_in_the_status_list(issued: tuple[Issuer, str, jwt.PyJWKSet]) -> None:
    issuer, token, key_set = issued
    entry = next(
        e for e in independent_verify(token, key_set)["credentialStatus"]
        if e["statusPurpose"] == "revocation"
    )  # fmt: skip
    assert entry["statusListCredential"] == REVOCATION_URL
    assert int(entry["statusListIndex"]) == INDEX
    assert not status_bit(issuer.status_lists()[REVOCATION_URL], key_set, INDEX)
    issuer.revoked.set(INDEX)
    assert status_bit(issuer.status_lists()[REVOCATION_URL], key_set, INDEX)


def _decoded(segment: str) -> bytes:
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
