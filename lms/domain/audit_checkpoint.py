"""Signed checkpoints of the audit chain's head: what makes cutting off the newest events visible.

The hash chain (`lms.domain.audit_chain`) shows that no event was changed, inserted or removed
*between* two others, but the newest events can be deleted without breaking any link. A
checkpoint is a signed statement "the chain had `events` events, the last one `head_id` with
hash `head_hash`, at `at`"; when the event it names is gone, or the count up to it differs,
verification fails. Events newer than the newest checkpoint are not covered.

Checkpoints are compact JWS signed with the credential signing key (whatever algorithm that key
uses); they verify with nothing but the published public keys.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import jwt
from jwt.api_jws import PyJWS

from lms.domain.credentials.keys import SigningPrivateKey, algorithm, find_public_key

JWS_TYP = "audit-checkpoint+jws"
_ALGORITHMS = ("ES256", "EdDSA")


class CheckpointInvalid(ValueError):
    """A stored checkpoint is not a valid signature over what it claims."""


@dataclass(frozen=True)
class Checkpoint:
    """The head of the chain at one moment: its event id, hash and the number of events."""

    head_id: int
    head_hash: str
    events: int
    at: datetime

    def payload(self) -> bytes:
        """The canonical JSON that is signed."""
        return json.dumps(
            {
                "at": self.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
                "events": self.events,
                "head_hash": self.head_hash,
                "head_id": self.head_id,
            },
            sort_keys=True,
            separators=(",", ":"),
        ).encode()


def sign_checkpoint(checkpoint: Checkpoint, key: SigningPrivateKey, kid: str) -> str:
    """`checkpoint` as a compact JWS made with `key` (its own algorithm) under `kid`."""
    return PyJWS().encode(
        checkpoint.payload(),
        key,
        algorithm=algorithm(key),
        headers={"kid": kid, "typ": JWS_TYP, "cty": "json"},
    )


def read_checkpoint(token: str, public_jwks: Iterable[Mapping[str, Any]]) -> Checkpoint:
    """The checkpoint signed in `token` by one of `public_jwks`; raises `CheckpointInvalid`.

    Every published key of the header's algorithm is tried, so a checkpoint keeps verifying
    when the `kid` spelling of a key changes (thumbprint or URL).
    """
    try:
        header = PyJWS().get_unverified_header(token)
    except jwt.PyJWTError as error:
        raise CheckpointInvalid(f"malformed: {error}") from error
    alg = header.get("alg")
    if alg not in _ALGORITHMS or header.get("typ") != JWS_TYP:
        raise CheckpointInvalid(f"not an audit checkpoint (alg {alg!r})")
    for jwk in public_jwks:
        kid = jwk.get("kid")
        key = find_public_key({"keys": [dict(jwk)]}, kid, alg) if isinstance(kid, str) else None
        if key is None:
            continue
        try:
            payload = PyJWS().decode(token, key, algorithms=[alg])
        except jwt.InvalidSignatureError:
            continue
        except jwt.PyJWTError as error:
            raise CheckpointInvalid(f"malformed: {error}") from error
        return _parse(payload)
    raise CheckpointInvalid("no published signing key made this signature")


def _parse(payload: bytes) -> Checkpoint:
    try:
        data = json.loads(payload)
        checkpoint = Checkpoint(
            head_id=int(data["head_id"]),
            head_hash=str(data["head_hash"]),
            events=int(data["events"]),
            at=datetime.strptime(data["at"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC),
        )
    except (ValueError, KeyError, TypeError) as error:
        raise CheckpointInvalid("the signed payload is not a checkpoint") from error
    if checkpoint.payload() != payload:
        raise CheckpointInvalid("the signed payload is not in canonical form")
    return checkpoint
