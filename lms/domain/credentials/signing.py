"""Signing and verifying Verifiable Credentials as JWTs (VC-JOSE-COSE 2.0 style, EdDSA).

Style: the **VC itself is the JWT payload** (W3C "Securing Verifiable Credentials using JOSE and
COSE", 2025), not the older VC-JWT 1.1 form that wraps it in a ``vc`` claim. The protected header
is ``{"alg": "EdDSA", "cty": "vc", "kid": <RFC 7638 thumbprint>, "typ": "vc+jwt"}``. Registered
claims are added *consistently* with the VC, as that spec allows: ``iss`` = issuer id, ``jti`` =
credential id, ``nbf``/``exp`` = ``validFrom``/``validUntil``, ``iat`` = signing time. Any JWT
library can therefore check the signature and dates with nothing but the published JWK Set.

`verify_vc_jwt` checks the signature only (plus that the claims agree with the VC); dates and
status are judged by `lms.domain.credentials.verify.verify_credential`, which takes the time as
an argument. It also refuses non-canonical base64url, so *every* changed character of a token
fails, even one that a lenient decoder would read as the same bytes.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from lms.domain.credentials.keys import (
    b64url,
    find_public_key,
    jwks_document,
    key_id,
    load_private_key_pem,
    new_signing_key,
    private_key_pem,
    public_jwk,
)
from lms.domain.credentials.open_badge import open_badge_credential
from lms.domain.credentials.status_list import VC_CONTEXT_V2
from lms.domain.credentials.timestamps import epoch_seconds, parse_datetime, require_aware

if TYPE_CHECKING:  # jwt.types.Options is newer than the oldest PyJWT we accept
    from jwt.types import Options

__all__ = [  # key handling and the badge builder live in their own modules; exported here too
    "ALGORITHM",
    "CredentialInvalid",
    "issuer_id",
    "jwks_document",
    "key_id",
    "load_private_key_pem",
    "new_signing_key",
    "open_badge_credential",
    "private_key_pem",
    "public_jwk",
    "sign_vc_jwt",
    "verify_vc_jwt",
]

ALGORITHM = "EdDSA"
JWT_TYP = "vc+jwt"
JWT_CTY = "vc"
_SEGMENT = re.compile(r"[A-Za-z0-9_-]+")


class _Utf8Json(json.JSONEncoder):
    """Keep Cyrillic as UTF-8 in the payload: a third of the bytes of ``\\u`` escapes."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**{**options, "ensure_ascii": False})


class CredentialInvalid(Exception):
    """A token is not a valid credential; ``reason`` is a machine code.

    Codes: ``malformed``, ``unsupported_algorithm``, ``wrong_type``, ``unknown_key``,
    ``bad_signature``, ``claims_mismatch``.
    """

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


def issuer_id(vc: dict[str, Any]) -> str | None:
    """The ``issuer`` of a VC, whether written as a URL or as a profile object."""
    issuer = vc.get("issuer")
    if isinstance(issuer, dict):
        issuer = issuer.get("id")
    return issuer if isinstance(issuer, str) else None


def _registered_claims(vc: dict[str, Any], issued_at: datetime) -> dict[str, Any]:
    claims: dict[str, Any] = {"iat": epoch_seconds(issued_at)}
    if (issuer := issuer_id(vc)) is not None:
        claims["iss"] = issuer
    if isinstance(vc.get("id"), str):
        claims["jti"] = vc["id"]
    if "validFrom" in vc:
        claims["nbf"] = epoch_seconds(parse_datetime(vc["validFrom"]))
    if "validUntil" in vc:
        claims["exp"] = epoch_seconds(parse_datetime(vc["validUntil"]))
    return claims


def sign_vc_jwt(
    payload_vc: dict[str, Any],
    key: Ed25519PrivateKey,
    kid: str,
    *,
    issued_at: datetime | None = None,
) -> str:
    """Sign ``payload_vc`` as a compact JWS (``typ: vc+jwt``) with ``key`` under ``kid``.

    ``issued_at`` (default: now) becomes ``iat``; the VC's own fields are not changed.
    """
    moment = issued_at or datetime.now(UTC)
    require_aware(moment, "issued_at")
    clashes = {"iss", "jti", "iat", "nbf", "exp", "sub", "aud"} & set(payload_vc)
    if clashes:
        raise ValueError(f"the VC already has JWT claims {sorted(clashes)}")
    payload = {**payload_vc, **_registered_claims(payload_vc, moment)}
    headers = {"kid": kid, "typ": JWT_TYP, "cty": JWT_CTY}
    return jwt.encode(payload, key, algorithm=ALGORITHM, headers=headers, json_encoder=_Utf8Json)


def _decode_segment(segment: str) -> bytes:
    """Strict base64url: the alphabet only, no padding, and the canonical spelling."""
    if not _SEGMENT.fullmatch(segment):
        raise CredentialInvalid("malformed", "a JWS segment is not base64url")
    try:
        data = base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
    except (binascii.Error, ValueError) as error:
        raise CredentialInvalid("malformed", "a JWS segment is not base64url") from error
    if b64url(data) != segment:
        raise CredentialInvalid("malformed", "a JWS segment is not canonical base64url")
    return data


def _header(token: str) -> dict[str, Any]:
    segments = token.split(".")
    if len(segments) != 3:
        raise CredentialInvalid("malformed", "a compact JWS has three segments")
    raw = [_decode_segment(segment) for segment in segments]
    try:
        header = json.loads(raw[0])
    except ValueError as error:
        raise CredentialInvalid("malformed", "the JWS header is not JSON") from error
    if not isinstance(header, dict):
        raise CredentialInvalid("malformed", "the JWS header is not an object")
    return header


def _check_claims(vc: dict[str, Any]) -> None:
    context = vc.get("@context")
    if not isinstance(context, list) or not context or context[0] != VC_CONTEXT_V2:
        raise CredentialInvalid("wrong_type", "not a VC 2.0 credential (@context)")
    types = vc.get("type")
    if not isinstance(types, list) or "VerifiableCredential" not in types:
        raise CredentialInvalid("wrong_type", "type lacks VerifiableCredential")
    pairs = (("iss", issuer_id(vc)), ("jti", vc.get("id")))
    for claim, value in pairs:
        if claim in vc and vc[claim] != value:
            raise CredentialInvalid("claims_mismatch", f"{claim} disagrees with the credential")
    for claim, field in (("nbf", "validFrom"), ("exp", "validUntil")):
        if claim not in vc:
            continue
        try:
            agrees = field in vc and vc[claim] == epoch_seconds(parse_datetime(vc[field]))
        except ValueError as error:
            raise CredentialInvalid("malformed", f"{field} is not a date-time") from error
        if not agrees:
            raise CredentialInvalid("claims_mismatch", f"{claim} disagrees with {field}")


def verify_vc_jwt(token: str, jwks: dict[str, Any]) -> dict[str, Any]:
    """The VC signed in ``token`` (with its JWT claims), if a key of ``jwks`` signed it.

    Raises `CredentialInvalid`. Dates and status are not judged here (see `verify_credential`).
    """
    header = _header(token.strip())
    if header.get("alg") != ALGORITHM:
        raise CredentialInvalid("unsupported_algorithm", str(header.get("alg")))
    if header.get("typ") != JWT_TYP:
        raise CredentialInvalid("wrong_type", f"typ is {header.get('typ')!r}, not {JWT_TYP}")
    if "crit" in header:
        raise CredentialInvalid("malformed", "critical header parameters are not supported")
    kid = header.get("kid")
    key = find_public_key(jwks, kid) if isinstance(kid, str) else None
    if key is None:
        raise CredentialInvalid("unknown_key", f"no published Ed25519 key has kid {kid!r}")
    options: Options = {
        "verify_signature": True,
        "verify_exp": False,
        "verify_nbf": False,
        "verify_iat": False,
        "verify_aud": False,
        "verify_iss": False,
        "verify_sub": False,
        "verify_jti": False,
    }
    try:
        vc = jwt.decode(token.strip(), key, algorithms=[ALGORITHM], options=options)
    except jwt.InvalidSignatureError as error:
        raise CredentialInvalid("bad_signature", "the signature does not match") from error
    except jwt.PyJWTError as error:
        raise CredentialInvalid("malformed", str(error)) from error
    _check_claims(vc)
    return vc
