"""A dated, signed snapshot of the registry that the ministry can archive, and diffs of two.

The snapshot is canonical JSON (keys sorted, no spaces, UTF-8, entries ordered by number), so
the same registry on the same date always gives the same bytes, and its SHA-256 names it. It is
signed as a compact JWS (ES256 with today's P-256 keys, EdDSA for snapshots signed with the
first release's Ed25519 keys; ``kid`` in the header) with the keys that sign the credentials, so
anyone holding the published JWK Set can check an archived copy years later.

What an entry carries is public or registry data only — never a national registration number:
an archived file travels, and the number is not needed to tell who held what.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime
from typing import Any

import jwt
from jwt.api_jws import PyJWS

from lms.domain.credentials.keys import (
    EDDSA,
    ES256,
    SigningPrivateKey,
    algorithm,
    b64url,
    find_public_key,
)

SNAPSHOT_TYPE = "job-coach-registry-snapshot"
SCHEMA_VERSION = 1
JWS_TYP = "registry-snapshot+jws"
ALGORITHMS = (ES256, EDDSA)  # each key only with its own algorithm
_SEGMENT = re.compile(r"[A-Za-z0-9_-]+")


class SnapshotInvalid(Exception):
    """A signed snapshot that does not verify; ``reason`` is a machine code.

    Codes: ``malformed``, ``unsupported_algorithm``, ``wrong_type``, ``unknown_key``,
    ``bad_signature``.
    """

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


@dataclass(frozen=True)
class SnapshotEntry:
    """One credential as the registry stood on the snapshot's date."""

    number: str
    holder_name: str
    region: str
    organisation: str
    course_slug: str
    course_version: str
    kind: str
    issued_on: date
    expires_on: date | None
    status: str  # on the date: active, expired, suspended, revoked, superseded
    qualifies_for_subsidy: bool  # on the date

    def to_json(self) -> dict[str, Any]:
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["issued_on"] = self.issued_on.isoformat()
        data["expires_on"] = self.expires_on.isoformat() if self.expires_on else None
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SnapshotEntry:
        expires = data["expires_on"]
        return cls(
            number=str(data["number"]),
            holder_name=str(data["holder_name"]),
            region=str(data["region"]),
            organisation=str(data["organisation"]),
            course_slug=str(data["course_slug"]),
            course_version=str(data["course_version"]),
            kind=str(data["kind"]),
            issued_on=date.fromisoformat(data["issued_on"]),
            expires_on=date.fromisoformat(expires) if expires else None,
            status=str(data["status"]),
            qualifies_for_subsidy=bool(data["qualifies_for_subsidy"]),
        )


@dataclass(frozen=True)
class RegistrySnapshotDocument:
    """The whole registry on `taken_on`, as generated at `generated_at` by `issuer`."""

    taken_on: date
    generated_at: datetime
    issuer: str
    entries: tuple[SnapshotEntry, ...]

    def to_json(self) -> dict[str, Any]:
        """The document as plain JSON values (entries sorted by number)."""
        moment = self.generated_at.astimezone(UTC).replace(microsecond=0)
        return {
            "type": SNAPSHOT_TYPE,
            "schema": SCHEMA_VERSION,
            "taken_on": self.taken_on.isoformat(),
            "generated_at": moment.isoformat().replace("+00:00", "Z"),
            "issuer": self.issuer,
            "count": len(self.entries),
            "entries": [e.to_json() for e in sorted(self.entries, key=lambda e: e.number)],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> RegistrySnapshotDocument:
        """Read what `to_json` wrote; raises SnapshotInvalid(``wrong_type``) otherwise."""
        if data.get("type") != SNAPSHOT_TYPE or data.get("schema") != SCHEMA_VERSION:
            raise SnapshotInvalid("wrong_type", "not a registry snapshot of this schema")
        try:
            entries = tuple(SnapshotEntry.from_json(e) for e in data["entries"])
            document = cls(
                taken_on=date.fromisoformat(data["taken_on"]),
                generated_at=datetime.fromisoformat(data["generated_at"].replace("Z", "+00:00")),
                issuer=str(data["issuer"]),
                entries=entries,
            )
        except (KeyError, TypeError, ValueError) as error:
            raise SnapshotInvalid("malformed", str(error)) from error
        if data.get("count") != len(entries):
            raise SnapshotInvalid("malformed", "count disagrees with the entries")
        return document


def canonical_json(document: RegistrySnapshotDocument) -> bytes:
    """The document's canonical bytes: sorted keys, no whitespace, UTF-8 (Cyrillic unescaped)."""
    return json.dumps(
        document.to_json(), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    """The SHA-256 of `data` in hex (what names a stored snapshot)."""
    return hashlib.sha256(data).hexdigest()


def sign_snapshot(document: RegistrySnapshotDocument, key: SigningPrivateKey, kid: str) -> str:
    """`document` signed as a compact JWS whose payload is exactly its canonical JSON."""
    return PyJWS().encode(
        canonical_json(document),
        key,
        algorithm=algorithm(key),
        headers={"kid": kid, "typ": JWS_TYP, "cty": "json"},
    )


def _decode_segment(segment: str) -> bytes:
    """Strict base64url (canonical spelling only), so every changed character is refused."""
    if not _SEGMENT.fullmatch(segment):
        raise SnapshotInvalid("malformed", "a JWS segment is not base64url")
    try:
        data = base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
    except (binascii.Error, ValueError) as error:
        raise SnapshotInvalid("malformed", "a JWS segment is not base64url") from error
    if b64url(data) != segment:
        raise SnapshotInvalid("malformed", "a JWS segment is not canonical base64url")
    return data


def verify_snapshot(token: str, jwks: Mapping[str, Any]) -> tuple[RegistrySnapshotDocument, bytes]:
    """The document signed in `token` and its canonical bytes, if a key of `jwks` signed it.

    Raises `SnapshotInvalid`.
    """
    segments = token.strip().split(".")
    if len(segments) != 3:
        raise SnapshotInvalid("malformed", "a compact JWS has three segments")
    raw_header, payload, _signature = (_decode_segment(s) for s in segments)
    try:
        header = json.loads(raw_header)
    except ValueError as error:
        raise SnapshotInvalid("malformed", "the JWS header is not JSON") from error
    if not isinstance(header, dict):
        raise SnapshotInvalid("malformed", "the JWS header is not an object")
    alg = header.get("alg")
    if alg not in ALGORITHMS:
        raise SnapshotInvalid("unsupported_algorithm", str(alg))
    if header.get("typ") != JWS_TYP or "crit" in header:
        raise SnapshotInvalid("wrong_type", f"typ is {header.get('typ')!r}")
    kid = header.get("kid")
    key = find_public_key(dict(jwks), kid, str(alg)) if isinstance(kid, str) else None
    if key is None:
        raise SnapshotInvalid("unknown_key", f"no published {alg} key has kid {kid!r}")
    try:
        PyJWS().decode(token.strip(), key, algorithms=[str(alg)])
    except jwt.InvalidSignatureError as error:
        raise SnapshotInvalid("bad_signature", "the signature does not match") from error
    except jwt.PyJWTError as error:
        raise SnapshotInvalid("malformed", str(error)) from error
    try:
        data = json.loads(payload)
    except ValueError as error:
        raise SnapshotInvalid("malformed", "the payload is not JSON") from error
    if not isinstance(data, dict):
        raise SnapshotInvalid("malformed", "the payload is not an object")
    return RegistrySnapshotDocument.from_json(data), payload


@dataclass(frozen=True)
class StatusChange:
    """A credential present in both snapshots whose status differs."""

    old: SnapshotEntry
    new: SnapshotEntry


@dataclass(frozen=True)
class SnapshotDiff:
    """What changed between two snapshots, by credential number (each list sorted by number).

    `added` and `removed` are entries of one side only; the other lists are status changes
    into that status (`reinstated`: from suspended back to active). Anything else that changed
    lands in `other`.
    """

    added: tuple[SnapshotEntry, ...]
    removed: tuple[SnapshotEntry, ...]
    expired: tuple[StatusChange, ...]
    revoked: tuple[StatusChange, ...]
    suspended: tuple[StatusChange, ...]
    reinstated: tuple[StatusChange, ...]
    superseded: tuple[StatusChange, ...]
    other: tuple[StatusChange, ...]

    @property
    def is_empty(self) -> bool:
        return not any(getattr(self, f.name) for f in fields(self))


_INTO = {"expired": "expired", "revoked": "revoked", "suspended": "suspended"}


def diff(old: Iterable[SnapshotEntry], new: Iterable[SnapshotEntry]) -> SnapshotDiff:
    """Compare the entries of an older and a newer snapshot."""
    before = {e.number: e for e in old}
    after = {e.number: e for e in new}
    buckets: dict[str, list[StatusChange]] = {
        name: [] for name in ("expired", "revoked", "suspended", "reinstated", "superseded")
    }
    other: list[StatusChange] = []
    for number in sorted(before.keys() & after.keys()):
        change = StatusChange(before[number], after[number])
        if change.old == change.new:
            continue
        was, now = change.old.status, change.new.status
        if was != now and now in _INTO:
            buckets[_INTO[now]].append(change)
        elif was == "suspended" and now == "active":
            buckets["reinstated"].append(change)
        elif was != now and now == "superseded":
            buckets["superseded"].append(change)
        else:
            other.append(change)
    return SnapshotDiff(
        added=tuple(after[n] for n in sorted(after.keys() - before.keys())),
        removed=tuple(before[n] for n in sorted(before.keys() - after.keys())),
        expired=tuple(buckets["expired"]),
        revoked=tuple(buckets["revoked"]),
        suspended=tuple(buckets["suspended"]),
        reinstated=tuple(buckets["reinstated"]),
        superseded=tuple(buckets["superseded"]),
        other=tuple(other),
    )
