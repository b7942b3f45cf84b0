"""The Open Badges 3.0 rules every issued credential must meet, checked with public tools only.

- the official 1EdTech JSON schemas (vendored in `ob_v3p0_schema/`, see its README), with
  `jsonschema` and date-time format checking;
- the VC-JWT rules of OB 3.0 (`ob_v3p0/integrity.md`) and 1EdTech's validator: ``alg`` ES256
  (or RS256), ``typ`` absent or ``JWT``, ``kid`` an absolute URL under the site's address, no
  other header; ``iss``/``jti``/``sub``/``nbf``/``exp`` agreeing with the credential; ``sub``
  equal to ``credentialSubject.id``, a ``urn:uuid:``;
- one ``credentialStatus`` object: a Bitstring Status List ``message`` entry of two bits whose
  ``statusMessage`` names valid, suspended and revoked.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from datetime import datetime
from pathlib import Path
from typing import Any

import jsonschema

SCHEMA_DIR = Path(__file__).parent / "ob_v3p0_schema"
SCHEMA_SHA256 = {
    "achievementcredential.json": (
        "5753fb3ecf7d024ed273dd364bd683f483eb47257e718e6618832cf89eb2083a"
    ),
    "profile.json": "9b05049f720b8ad9bd7aed358ca59c643c34bf1cec0b29fd7baa8bf98efed164",
}
UUID_URN = re.compile(
    r"urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"
)


def _schema(name: str) -> dict[str, Any]:
    data = (SCHEMA_DIR / name).read_bytes()
    assert hashlib.sha256(data).hexdigest() == SCHEMA_SHA256[name], f"{name} was edited"
    schema: dict[str, Any] = json.loads(data)
    assert schema["$schema"].startswith("https://json-schema.org/draft/2019-09/")
    return schema


def validate_against_schema(instance: Any, name: str) -> None:
    """``instance`` passes the vendored official schema ``name`` (formats checked too)."""
    schema = _schema(name)
    validator = jsonschema.Draft201909Validator(
        schema, format_checker=jsonschema.Draft201909Validator.FORMAT_CHECKER
    )
    errors = sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path))
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors]


def _segment(token: str, part: int) -> dict[str, Any]:
    raw = token.split(".")[part]
    decoded: dict[str, Any] = json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
    return decoded


def _epoch(text: str) -> int:
    return int(datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp())


def assert_profile_conformant(profile: dict[str, Any]) -> None:
    """The issuer profile passes the official Profile schema."""
    validate_against_schema(profile, "profile.json")


def assert_credential_conformant(token: str, public_base: str) -> dict[str, Any]:
    """``token`` meets every rule above; returns its payload."""
    header, payload = _segment(token, 0), _segment(token, 1)
    assert set(header) <= {"alg", "kid", "typ"}, header
    assert header["alg"] in ("ES256", "RS256"), header
    assert header.get("typ", "JWT") == "JWT", header
    assert header["kid"].startswith(public_base.rstrip("/") + "/"), header
    assert "#" not in header["kid"]
    assert "?" not in header["kid"]

    claims = {
        key: payload[key] for key in ("iss", "jti", "sub", "nbf", "exp", "iat") if key in payload
    }
    vc = {key: value for key, value in payload.items() if key not in claims}
    validate_against_schema(vc, "achievementcredential.json")
    assert claims["iss"] == vc["issuer"]["id"]
    assert claims["jti"] == vc["id"]
    assert claims["sub"] == vc["credentialSubject"]["id"]
    assert UUID_URN.fullmatch(claims["sub"]), claims["sub"]
    assert claims["nbf"] == _epoch(vc["validFrom"])
    if "validUntil" in vc:
        assert claims["exp"] == _epoch(vc["validUntil"])
    else:
        assert "exp" not in claims

    status = vc["credentialStatus"]
    assert isinstance(status, dict), "credentialStatus is one object"
    assert status["type"] == "BitstringStatusListEntry"
    assert status["statusPurpose"] == "message"
    assert status["statusSize"] == 2
    messages = {m["status"]: m["message"] for m in status["statusMessage"]}
    assert len(messages) == 2 ** status["statusSize"]
    assert {"valid", "suspended", "revoked"} <= set(messages.values())
    assert int(status["statusListIndex"]) >= 0
    assert status["statusListCredential"].startswith(public_base.rstrip("/") + "/")
    return payload
