"""An independent verifier: PyJWT and the published JWK Set only, no project verification code.

It stands in for any third party (a ministry system, a wallet) checking a downloaded credential
against ``/.well-known/jwks.json`` and the published status list, reading the two-bit
``message`` entry exactly as the Bitstring Status List spec describes.
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

from lms.domain.credentials import CREDENTIAL_TIMEZONE, sign_vc_jwt
from tests.domain.credentials.samples import (
    INDEX,
    MESSAGE_URL,
    SNAPSHOT,
    Issuer,
    badge,
    kid_of,
)


def independent_verify(token: str, key_set: jwt.PyJWKSet) -> dict[str, Any]:
    """Verify ``token`` with PyJWT against the published JWK Set; raise on any failure."""
    header = jwt.get_unverified_header(token)
    key = key_set[header["kid"]]
    payload: dict[str, Any] = jwt.decode(
        token,
        key,
        algorithms=["ES256"],
        options={"require": ["iss", "sub", "nbf", "iat"]},
        leeway=0,
    )
    assert header["typ"] == "JWT"
    assert payload["iss"] == payload["issuer"]["id"]
    assert payload["sub"] == payload["credentialSubject"]["id"]
    return payload


def status_message(status_list_token: str, key_set: jwt.PyJWKSet, entry: dict[str, Any]) -> str:
    """The message of ``entry`` in a signed Bitstring Status List, read by hand as the spec
    describes: ``statusSize`` bits from position ``index * statusSize``, most significant
    first, named by the entry's ``statusMessage``."""
    key = key_set[jwt.get_unverified_header(status_list_token)["kid"]]
    listed = jwt.decode(status_list_token, key, algorithms=["ES256"])
    assert "BitstringStatusListCredential" in listed["type"]
    assert listed["credentialSubject"]["statusPurpose"] == entry["statusPurpose"] == "message"
    encoded = listed["credentialSubject"]["encodedList"]
    assert encoded[0] == "u"  # multibase base64url, no padding
    raw = gzip.decompress(_decoded(encoded[1:]))
    size, index = entry["statusSize"], int(entry["statusListIndex"])
    assert len(raw) * 8 // size >= 131_072
    value = 0
    for position in range(index * size, index * size + size):
        value = value << 1 | bool(raw[position // 8] & (0x80 >> (position % 8)))
    messages = {int(m["status"], 16): m["message"] for m in entry["statusMessage"]}
    return messages[value]


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
    token = sign_vc_jwt(badge(snapshot), issuer.key, kid_of(issuer.key))
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


def test_sees_suspension_and_revocation_in_the_status_list(
    issued: tuple[Issuer, str, jwt.PyJWKSet],
) -> None:
    issuer, token, key_set = issued
    entry = independent_verify(token, key_set)["credentialStatus"]
    assert entry["statusListCredential"] == MESSAGE_URL
    assert int(entry["statusListIndex"]) == INDEX
    assert status_message(issuer.status_lists()[MESSAGE_URL], key_set, entry) == "valid"
    issuer.suspended.set(INDEX)
    assert status_message(issuer.status_lists()[MESSAGE_URL], key_set, entry) == "suspended"
    issuer.revoked.set(INDEX)
    assert status_message(issuer.status_lists()[MESSAGE_URL], key_set, entry) == "revoked"
    issuer.revoked.set(INDEX, False)
    issuer.suspended.set(INDEX, False)


def _decoded(segment: str) -> bytes:
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
