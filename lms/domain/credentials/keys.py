"""Ed25519 signing keys: making them, storing them as PEM, publishing them as a JWK Set.

The private key lives in a file (PKCS #8 PEM, unencrypted, mode 0600: the caller writes it); the
public keys, old ones included, are published at ``/.well-known/jwks.json`` so that credentials
signed before a key rotation keep verifying. A key's ``kid`` is its RFC 7638 JWK thumbprint, so
it is derived from the key itself and never collides by accident.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterable
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

AnyEd25519Key = Ed25519PrivateKey | Ed25519PublicKey


def b64url(data: bytes) -> str:
    """Unpadded base64url, as JOSE writes binary values."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def new_signing_key() -> Ed25519PrivateKey:
    """A fresh Ed25519 private key."""
    return Ed25519PrivateKey.generate()


def private_key_pem(key: Ed25519PrivateKey) -> bytes:
    """``key`` as unencrypted PKCS #8 PEM (protect the file, not the bytes)."""
    return key.private_bytes(
        encoding=serialization.Encoding.PEM,
        format=serialization.PrivateFormat.PKCS8,
        encryption_algorithm=serialization.NoEncryption(),
    )


def load_private_key_pem(data: bytes) -> Ed25519PrivateKey:
    """Read a PEM private key; raises ValueError unless it is an unencrypted Ed25519 key."""
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (TypeError, ValueError) as error:
        raise ValueError(f"not an unencrypted PEM private key: {error}") from error
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"not an Ed25519 key: {type(key).__name__}")
    return key


def _public(key: AnyEd25519Key) -> Ed25519PublicKey:
    return key.public_key() if isinstance(key, Ed25519PrivateKey) else key


def _x(key: AnyEd25519Key) -> str:
    return b64url(_public(key).public_bytes_raw())


def key_id(key: AnyEd25519Key) -> str:
    """The RFC 7638 JWK thumbprint of the (public) key: base64url SHA-256 of its required
    members ``crv``, ``kty``, ``x`` in that order, without whitespace."""
    members = json.dumps(
        {"crv": "Ed25519", "kty": "OKP", "x": _x(key)}, separators=(",", ":"), sort_keys=True
    )
    return b64url(hashlib.sha256(members.encode("ascii")).digest())


def public_jwk(key: AnyEd25519Key, kid: str) -> dict[str, str]:
    """The public JWK of ``key`` (an OKP key, curve Ed25519), for signatures with EdDSA."""
    return {"kty": "OKP", "crv": "Ed25519", "x": _x(key), "kid": kid, "alg": "EdDSA", "use": "sig"}


def jwks_document(keys: Iterable[AnyEd25519Key]) -> dict[str, list[dict[str, str]]]:
    """The JWK Set publishing ``keys`` (current and retired), each under its thumbprint kid."""
    return {"keys": [public_jwk(key, key_id(key)) for key in keys]}


def find_public_key(jwks: Any, kid: str) -> Ed25519PublicKey | None:
    """The Ed25519 signature key with ``kid`` in the JWK Set ``jwks``, or None."""
    keys = jwks.get("keys") if isinstance(jwks, dict) else None
    for jwk in keys if isinstance(keys, list) else ():
        if not isinstance(jwk, dict) or jwk.get("kid") != kid:
            continue
        if jwk.get("kty") != "OKP" or jwk.get("crv") != "Ed25519":
            continue
        if jwk.get("use", "sig") != "sig" or jwk.get("alg", "EdDSA") != "EdDSA":
            continue
        x = jwk.get("x")
        if not isinstance(x, str):
            continue
        try:
            raw = base64.urlsafe_b64decode(x + "=" * (-len(x) % 4))
            return Ed25519PublicKey.from_public_bytes(raw)
        except ValueError:
            continue
    return None
