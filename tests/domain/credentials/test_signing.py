"""Keys, signing and verifying VC-JWTs: round trip, tampering, key rotation."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ec import SECP384R1, generate_private_key
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    BestAvailableEncryption,
    Encoding,
    NoEncryption,
    PrivateFormat,
)

from lms.domain.credentials import (
    CredentialInvalid,
    find_public_key,
    jwks_document,
    key_id,
    load_private_key_pem,
    new_signing_key,
    private_key_pem,
    public_jwk,
    sign_vc_jwt,
    verify_vc_jwt,
)
from tests.domain.credentials.samples import NOW, Issuer, badge, kid_of


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def test_rfc8037_thumbprint_vector() -> None:
    # RFC 8037, appendix A: the Ed25519 example key and its RFC 7638 thumbprint.
    secret = _unb64("nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A")
    key = Ed25519PrivateKey.from_private_bytes(secret)
    assert public_jwk(key, "k")["x"] == "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"
    assert key_id(key) == "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"
    assert key_id(key.public_key()) == key_id(key)


def test_pem_round_trip_and_refusals() -> None:
    key = new_signing_key()
    pem = private_key_pem(key)
    assert pem.startswith(b"-----BEGIN PRIVATE KEY-----")
    assert key_id(load_private_key_pem(pem)) == key_id(key)
    # A key file of the first release (Ed25519) still loads.
    old = Ed25519PrivateKey.generate()
    assert key_id(load_private_key_pem(private_key_pem(old))) == key_id(old)
    p384_pem = generate_private_key(SECP384R1()).private_bytes(
        Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()
    )
    with pytest.raises(ValueError, match="P-256 or Ed25519"):
        load_private_key_pem(p384_pem)
    encrypted = key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, BestAvailableEncryption(b"pw"))
    with pytest.raises(ValueError, match="unencrypted"):
        load_private_key_pem(encrypted)
    with pytest.raises(ValueError, match="PEM"):
        load_private_key_pem(b"not a key")


def test_jwks_document() -> None:
    keys = [new_signing_key(), new_signing_key()]
    jwks = jwks_document(keys)
    assert [jwk["kid"] for jwk in jwks["keys"]] == [key_id(k) for k in keys]
    assert all(set(jwk) == {"kty", "crv", "x", "y", "kid", "alg", "use"} for jwk in jwks["keys"])
    assert all(
        (jwk["kty"], jwk["crv"], jwk["alg"]) == ("EC", "P-256", "ES256") for jwk in jwks["keys"]
    )
    assert not any("d" in jwk for jwk in jwks["keys"])  # never the private part
    assert find_public_key(jwks, key_id(keys[1])) is not None
    assert find_public_key(jwks, "nope") is None
    assert find_public_key({"keys": [{**jwks["keys"][0], "use": "enc"}]}, key_id(keys[0])) is None
    assert find_public_key({"keys": "x"}, key_id(keys[0])) is None


def test_round_trip_and_header() -> None:
    issuer = Issuer.new()
    vc = badge()
    token = issuer.issue()
    header = json.loads(_unb64(token.split(".")[0]))
    assert header == {"alg": "ES256", "kid": kid_of(issuer.key), "typ": "JWT"}
    verified = verify_vc_jwt(token, issuer.jwks())
    claims = {k: verified.pop(k) for k in ("iss", "jti", "sub", "iat", "nbf", "exp")}
    assert verified == vc  # the payload is the VC itself, plus consistent JWT claims
    assert claims["sub"] == vc["credentialSubject"]["id"]
    assert claims["iss"] == vc["issuer"]["id"]
    assert claims["jti"] == vc["id"]
    assert claims["iat"] == int(NOW.timestamp())
    assert claims["nbf"] == int(datetime.fromisoformat(vc["validFrom"]).timestamp())
    assert claims["exp"] == int(datetime.fromisoformat(vc["validUntil"]).timestamp())
    assert verify_vc_jwt(token + "\n", issuer.jwks()) == verify_vc_jwt(token, issuer.jwks())


def test_signing_refuses_clashing_claims_and_naive_times() -> None:
    key = new_signing_key()
    with pytest.raises(ValueError, match="claims"):
        sign_vc_jwt({**badge(), "iss": "someone"}, key, key_id(key))
    with pytest.raises(ValueError, match="aware"):
        sign_vc_jwt(badge(), key, key_id(key), issued_at=datetime(2026, 1, 1))


def test_key_rotation_keeps_old_credentials_valid() -> None:
    issuer = Issuer.new()
    old_token = issuer.issue()
    issuer.rotate()
    new_token = issuer.issue()
    jwks = issuer.jwks()
    assert len(jwks["keys"]) == 2
    assert (
        json.loads(_unb64(old_token.split(".")[0]))["kid"]
        != json.loads(_unb64(new_token.split(".")[0]))["kid"]
    )
    assert verify_vc_jwt(old_token, jwks)["id"] == verify_vc_jwt(new_token, jwks)["id"]
    with pytest.raises(CredentialInvalid) as caught:
        verify_vc_jwt(old_token, jwks_document(issuer.keys[1:]))  # old key withdrawn
    assert caught.value.reason == "unknown_key"


def _flip_bytes(segment: str) -> list[str]:
    raw = _unb64(segment)
    return [_b64(raw[:i] + bytes([raw[i] ^ 0x01]) + raw[i + 1 :]) for i in range(len(raw))]


def test_flipping_any_byte_fails() -> None:
    issuer = Issuer.new()
    token = issuer.issue()
    jwks = issuer.jwks()
    header, payload, signature = token.split(".")
    tampered = [f"{h}.{payload}.{signature}" for h in _flip_bytes(header)]
    tampered += [f"{header}.{p}.{signature}" for p in _flip_bytes(payload)]
    tampered += [f"{header}.{payload}.{s}" for s in _flip_bytes(signature)]
    # ... and every character of the compact text changed, even where a lenient decoder
    # would read the same bytes (unused bits of the last base64url character).
    tampered += [token[:i] + chr(ord(token[i]) ^ 0x01) + token[i + 1 :] for i in range(len(token))]
    for bad in tampered:
        with pytest.raises(CredentialInvalid):
            verify_vc_jwt(bad, jwks)


@pytest.mark.parametrize(
    ("mangle", "reason"),
    [
        (lambda t: t.replace(".", "", 1), "malformed"),
        (lambda t: t + ".x", "malformed"),
        (lambda t: "", "malformed"),
        (lambda t: _with_header(t, alg="none"), "unsupported_algorithm"),
        (lambda t: _with_header(t, alg="HS256"), "unsupported_algorithm"),
        (lambda t: _with_header(t, typ="vc"), "wrong_type"),
        (lambda t: _with_header(t, kid="someone-else"), "unknown_key"),
        # An ES256 key is never used for another algorithm (no algorithm confusion).
        (lambda t: _with_header(t, alg="EdDSA"), "unknown_key"),
        (lambda t: _with_header(t, typ=None), "bad_signature"),  # allowed, but signed over
        (lambda t: _with_header(t, crit=["b64"]), "malformed"),
        (lambda t: _with_header(t, extra="x"), "bad_signature"),
    ],
)
def test_rejections_have_reasons(mangle: Any, reason: str) -> None:
    issuer = Issuer.new()
    with pytest.raises(CredentialInvalid) as caught:
        verify_vc_jwt(mangle(issuer.issue()), issuer.jwks())
    assert caught.value.reason == reason


def _with_header(token: str, **changes: Any) -> str:
    header, payload, signature = token.split(".")
    data = {**json.loads(_unb64(header)), **changes}
    return ".".join([_b64(json.dumps(data).encode()), payload, signature])


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"iss": "https://forger.example"}, "claims_mismatch"),
        ({"jti": "urn:other"}, "claims_mismatch"),
        ({"sub": "urn:uuid:00000000-0000-4000-8000-000000000000"}, "claims_mismatch"),
        ({"nbf": 0}, "claims_mismatch"),
        ({"exp": 4102444800}, "claims_mismatch"),
        ({"@context": ["https://www.w3.org/2018/credentials/v1"]}, "wrong_type"),
        ({"type": ["OpenBadgeCredential"]}, "wrong_type"),
    ],
)
def test_signed_but_inconsistent_payloads_are_refused(change: dict[str, Any], reason: str) -> None:
    # Signed with a real key, yet the JWT claims contradict the VC (or it is no VC 2.0).
    issuer = Issuer.new()
    token = issuer.issue()
    payload = {**verify_vc_jwt(token, issuer.jwks()), **change}
    headers = {"kid": kid_of(issuer.key), "typ": "JWT"}
    forged = jwt.encode(payload, issuer.key, algorithm="ES256", headers=headers)
    with pytest.raises(CredentialInvalid) as caught:
        verify_vc_jwt(forged, issuer.jwks())
    assert caught.value.reason == reason


def test_verification_ignores_dates() -> None:
    # verify_vc_jwt checks the signature only; verify_credential judges the dates.
    issuer = Issuer.new()
    token = sign_vc_jwt(badge(), issuer.key, kid_of(issuer.key), issued_at=datetime.now(UTC))
    assert verify_vc_jwt(token, issuer.jwks())["validUntil"] == "2029-03-12T23:59:59+08:00"


def test_credentials_of_the_first_release_still_verify() -> None:
    # EdDSA, typ vc+jwt with cty, a bare thumbprint kid: published beside today's ES256 keys.
    issuer = Issuer.new()
    old = issuer.issue_legacy()
    header = json.loads(_unb64(old.split(".")[0]))
    assert header == {
        "alg": "EdDSA",
        "cty": "vc",
        "kid": key_id(issuer.legacy_keys[0]),
        "typ": "vc+jwt",
    }
    assert verify_vc_jwt(old, issuer.jwks())["credentialSubject"]["licenseNumber"]
    # ... but not with an ES256 header pointing at the Ed25519 key.
    with pytest.raises(CredentialInvalid) as caught:
        verify_vc_jwt(_with_header(old, alg="ES256"), issuer.jwks())
    assert caught.value.reason == "unknown_key"
