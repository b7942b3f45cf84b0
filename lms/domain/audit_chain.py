"""The hash chain that makes tampering with the audit log detectable."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from lms.domain.audit_checkpoint import Checkpoint

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


def verify_chain(
    entries: Iterable[ChainEntry], checkpoints: Iterable[tuple[str, Checkpoint]] = ()
) -> list[str]:
    """Return one message per broken link or failed checkpoint; empty means intact.

    `entries` in id order; `checkpoints` as (label, verified checkpoint) pairs. Each checkpoint's
    head must still be there with the same hash and the same number of events up to it.
    """
    problems: list[str] = []
    pending = sorted(checkpoints, key=lambda item: item[1].head_id)
    expected_prev = GENESIS
    count = 0
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
        count += 1
        while pending and pending[0][1].head_id <= entry.id:
            label, checkpoint = pending.pop(0)
            problems.extend(_check_head(label, checkpoint, entry, count))
    for label, checkpoint in pending:
        problems.append(
            f"checkpoint {label} of {_when(checkpoint)}: event {checkpoint.head_id}, the newest"
            " event it vouches for, is missing: events were removed from the end of the log"
        )
    return problems


def _when(checkpoint: Checkpoint) -> str:
    return checkpoint.at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def _check_head(label: str, checkpoint: Checkpoint, entry: ChainEntry, count: int) -> list[str]:
    where = f"checkpoint {label} of {_when(checkpoint)}"
    if entry.id != checkpoint.head_id:
        return [f"{where}: event {checkpoint.head_id} it vouches for is missing"]
    problems = []
    if entry.hash != checkpoint.head_hash:
        problems.append(f"{where}: event {entry.id} no longer has the hash it vouched for")
    if count != checkpoint.events:
        problems.append(
            f"{where}: it vouched for {checkpoint.events} events up to event {entry.id},"
            f" {count} are there"
        )
    return problems
