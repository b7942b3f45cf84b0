"""Signing keys: making them, storing them as PEM, publishing them as a JWK Set.

New keys are ECDSA P-256 keys that sign with ``ES256``: one of the two algorithms (with
``RS256``) that Open Badges 3.0 verifiers, 1EdTech's own validator among them, accept. Ed25519
keys made by earlier releases still load and stay published, so credentials they signed (with
``EdDSA``) keep verifying.

The private key lives in a file (PKCS #8 PEM, unencrypted, mode 0600: the caller writes it); the
public keys, old ones included, are published at ``/.well-known/jwks.json``. A key's thumbprint
(RFC 7638) names its file and its database row; the ``kid`` a token carries is the thumbprint
for old Ed25519 keys and, for new keys, the absolute URL that answers with that one JWK.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterable
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

SigningPrivateKey = ec.EllipticCurvePrivateKey | Ed25519PrivateKey
SigningPublicKey = ec.EllipticCurvePublicKey | Ed25519PublicKey
AnySigningKey = SigningPrivateKey | SigningPublicKey
# Kept for callers of the first release's name.
AnyEd25519Key = Ed25519PrivateKey | Ed25519PublicKey

ES256 = "ES256"
EDDSA = "EdDSA"
_P256_BYTES = 32


def b64url(data: bytes) -> str:
    """Unpadded base64url, as JOSE writes binary values."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def new_signing_key() -> ec.EllipticCurvePrivateKey:
    """A fresh ECDSA P-256 private key (it signs with ES256)."""
    return ec.generate_private_key(ec.SECP256R1())


def private_key_pem(key: SigningPrivateKey) -> bytes:
    """``key`` as unencrypted PKCS #8 PEM (protect the file, not the bytes)."""
    return key.private_bytes(
        encoding=serialization.Encoding.PEM,
        format=serialization.PrivateFormat.PKCS8,
        encryption_algorithm=serialization.NoEncryption(),
    )


def load_private_key_pem(data: bytes) -> SigningPrivateKey:
    """Read a PEM private key: a P-256 key, or an Ed25519 key of an earlier release.

    Raises ValueError for anything else (encrypted, RSA, another curve).
    """
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (TypeError, ValueError) as error:
        raise ValueError(f"not an unencrypted PEM private key: {error}") from error
    if isinstance(key, ec.EllipticCurvePrivateKey) and isinstance(key.curve, ec.SECP256R1):
        return key
    if isinstance(key, Ed25519PrivateKey):
        return key
    raise ValueError(f"not a P-256 or Ed25519 key: {type(key).__name__}")


def _public(key: AnySigningKey) -> SigningPublicKey:
    if isinstance(key, ec.EllipticCurvePrivateKey | Ed25519PrivateKey):
        return key.public_key()
    return key


def algorithm(key: AnySigningKey) -> str:
    """The JWS algorithm ``key`` signs with: ES256 (P-256) or EdDSA (Ed25519)."""
    return EDDSA if isinstance(_public(key), Ed25519PublicKey) else ES256


def _members(key: AnySigningKey) -> dict[str, str]:
    """The RFC 7638 required members of the public JWK."""
    public = _public(key)
    if isinstance(public, Ed25519PublicKey):
        return {"crv": "Ed25519", "kty": "OKP", "x": b64url(public.public_bytes_raw())}
    numbers = public.public_numbers()
    return {
        "crv": "P-256",
        "kty": "EC",
        "x": b64url(numbers.x.to_bytes(_P256_BYTES, "big")),
        "y": b64url(numbers.y.to_bytes(_P256_BYTES, "big")),
    }


def key_id(key: AnySigningKey) -> str:
    """The RFC 7638 JWK thumbprint of the (public) key: base64url SHA-256 of its required
    members in lexical order, without whitespace."""
    members = json.dumps(_members(key), separators=(",", ":"), sort_keys=True)
    return b64url(hashlib.sha256(members.encode("ascii")).digest())


def public_jwk(key: AnySigningKey, kid: str) -> dict[str, str]:
    """The public JWK of ``key`` under ``kid``, with its algorithm and ``use: sig``."""
    return {**_members(key), "kid": kid, "alg": algorithm(key), "use": "sig"}


def jwks_document(keys: Iterable[AnySigningKey]) -> dict[str, list[dict[str, str]]]:
    """The JWK Set publishing ``keys`` (current and retired), each under its thumbprint kid."""
    return {"keys": [public_jwk(key, key_id(key)) for key in keys]}


def _from_jwk(jwk: dict[str, Any]) -> SigningPublicKey | None:
    try:
        if jwk.get("kty") == "OKP" and jwk.get("crv") == "Ed25519":
            if jwk.get("alg", EDDSA) != EDDSA or not isinstance(jwk.get("x"), str):
                return None
            return Ed25519PublicKey.from_public_bytes(_b64url_decode(jwk["x"]))
        if jwk.get("kty") == "EC" and jwk.get("crv") == "P-256":
            x, y = jwk.get("x"), jwk.get("y")
            if jwk.get("alg", ES256) != ES256 or not isinstance(x, str) or not isinstance(y, str):
                return None
            raw_x, raw_y = _b64url_decode(x), _b64url_decode(y)
            if len(raw_x) != _P256_BYTES or len(raw_y) != _P256_BYTES:
                return None
            numbers = ec.EllipticCurvePublicNumbers(
                int.from_bytes(raw_x, "big"), int.from_bytes(raw_y, "big"), ec.SECP256R1()
            )
            return numbers.public_key()
    except ValueError:  # not base64, or not a point on the curve
        return None
    return None


def find_public_key(jwks: Any, kid: str, alg: str | None = None) -> SigningPublicKey | None:
    """The signature key with ``kid`` in the JWK Set ``jwks`` (for ``alg``, if given), or None.

    A key is only ever used with its own algorithm: an ES256 header never selects an Ed25519
    key, nor the other way round.
    """
    keys = jwks.get("keys") if isinstance(jwks, dict) else None
    for jwk in keys if isinstance(keys, list) else ():
        if not isinstance(jwk, dict) or jwk.get("kid") != kid or jwk.get("use", "sig") != "sig":
            continue
        key = _from_jwk(jwk)
        if key is not None and (alg is None or algorithm(key) == alg):
            return key
    return None
