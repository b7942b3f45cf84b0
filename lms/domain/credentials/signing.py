"""Signing and verifying Verifiable Credentials as JWTs (Open Badges 3.0 VC-JWT, ES256).

Style: the **VC itself is the JWT payload** (W3C "Securing Verifiable Credentials using JOSE and
COSE", 2025, and Open Badges 3.0's VC-JWT proof format). The protected header is exactly
``{"alg": "ES256", "kid": <URL of the one JWK>, "typ": "JWT"}`` — what OB 3.0 verifiers
expect: ``typ`` ``JWT``, a ``kid`` that can be dereferenced, and nothing else. Registered claims
are added *consistently* with the VC: ``iss`` = issuer id, ``jti`` = credential id, ``sub`` =
``credentialSubject.id``, ``nbf``/``exp`` = ``validFrom``/``validUntil``, ``iat`` = signing time.
Any JWT library can therefore check the signature and dates with nothing but the published JWK
Set.

Tokens of the first release (``alg: EdDSA``, ``typ: vc+jwt``, ``cty: vc``, ``kid`` a bare
thumbprint) still verify: the algorithm follows the key the ``kid`` names, and each key is used
only with its own algorithm.

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

from lms.domain.credentials.keys import (
    EDDSA,
    ES256,
    SigningPrivateKey,
    algorithm,
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
    "ALGORITHMS",
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
    "subject_id",
    "verify_vc_jwt",
]

ALGORITHM = ES256  # what new credentials are signed with
ALGORITHMS = (ES256, EDDSA)  # what verifies: EdDSA for credentials of the first release
JWT_TYP = "JWT"
ACCEPTED_TYPES = (None, "JWT", "vc+jwt")  # absent or JWT (OB 3.0); vc+jwt (first release)
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
    if (subject := subject_id(vc)) is not None:
        claims["sub"] = subject
    return claims


def subject_id(vc: dict[str, Any]) -> str | None:
    """``credentialSubject.id``, which the JWT's ``sub`` repeats."""
    subject = vc.get("credentialSubject")
    value = subject.get("id") if isinstance(subject, dict) else None
    return value if isinstance(value, str) else None


def sign_vc_jwt(
    payload_vc: dict[str, Any],
    key: SigningPrivateKey,
    kid: str,
    *,
    issued_at: datetime | None = None,
) -> str:
    """Sign ``payload_vc`` as a compact JWS (``typ: JWT``) with ``key`` under ``kid``.

    The algorithm is the key's (ES256 for the keys made now). ``issued_at`` (default: now)
    becomes ``iat``; the VC's own fields are not changed.
    """
    moment = issued_at or datetime.now(UTC)
    require_aware(moment, "issued_at")
    clashes = {"iss", "jti", "iat", "nbf", "exp", "sub", "aud"} & set(payload_vc)
    if clashes:
        raise ValueError(f"the VC already has JWT claims {sorted(clashes)}")
    payload = {**payload_vc, **_registered_claims(payload_vc, moment)}
    headers = {"kid": kid, "typ": JWT_TYP}
    return jwt.encode(
        payload, key, algorithm=algorithm(key), headers=headers, json_encoder=_Utf8Json
    )


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
    pairs = (("iss", issuer_id(vc)), ("jti", vc.get("id")), ("sub", subject_id(vc)))
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
    alg = header.get("alg")
    if alg not in ALGORITHMS:
        raise CredentialInvalid("unsupported_algorithm", str(alg))
    if header.get("typ") not in ACCEPTED_TYPES:
        raise CredentialInvalid("wrong_type", f"typ is {header.get('typ')!r}, not {JWT_TYP}")
    if "crit" in header:
        raise CredentialInvalid("malformed", "critical header parameters are not supported")
    kid = header.get("kid")
    key = find_public_key(jwks, kid, str(alg)) if isinstance(kid, str) else None
    if key is None:
        raise CredentialInvalid("unknown_key", f"no published {alg} key has kid {kid!r}")
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
        vc = jwt.decode(token.strip(), key, algorithms=[str(alg)], options=options)
    except jwt.InvalidSignatureError as error:
        raise CredentialInvalid("bad_signature", "the signature does not match") from error
    except jwt.PyJWTError as error:
        raise CredentialInvalid("malformed", str(error)) from error
    _check_claims(vc)
    return vc
