"""The hash chain that makes tampering with the audit log detectable."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

GENESIS = "0" * 64


@dataclass(frozen=True)
class ChainEntry:
    """The fields of one audit event that the hash covers."""

    id: int
    at: datetime
    actor_id: int | None
    action: str
    subject_type: str
    subject_id: str
    details: dict[str, Any]
    prev_hash: str
    hash: str


def entry_hash(
    prev_hash: str,
    at: datetime,
    actor_id: int | None,
    action: str,
    subject_type: str,
    subject_id: str,
    details: dict[str, Any],
) -> str:
    """SHA-256 over the previous hash and a canonical JSON form of the event."""
    payload = json.dumps(
        {
            "at": at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "actor": actor_id,
            "action": action,
            "subject": [subject_type, subject_id],
            "details": details,
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256((prev_hash + payload).encode()).hexdigest()


def verify_chain(entries: Iterable[ChainEntry]) -> list[str]:
    """Return one message per broken link; an empty list means the chain is intact."""
    problems: list[str] = []
    expected_prev = GENESIS
    for entry in entries:
        if entry.prev_hash != expected_prev:
            problems.append(f"event {entry.id}: previous hash does not match event before it")
        recomputed = entry_hash(
            entry.prev_hash,
            entry.at,
            entry.actor_id,
            entry.action,
            entry.subject_type,
            entry.subject_id,
            entry.details,
        )
        if recomputed != entry.hash:
            problems.append(f"event {entry.id}: contents do not match its hash")
        expected_prev = entry.hash
    return problems
