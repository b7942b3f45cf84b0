"""Taking, storing, reading and comparing signed registry snapshots (`RegistrySnapshot`).

A snapshot holds every credential that was in the registry on its date, with its status on
that date from the credential's event history (so a snapshot of a past date shows what was true
then). It is signed with the current credential signing key and stored once, immutable.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from lms.domain.credentials import effective_status, qualifies_for_subsidy
from lms.domain.registry.snapshot import (
    RegistrySnapshotDocument,
    SnapshotDiff,
    SnapshotEntry,
    SnapshotInvalid,
    canonical_json,
    diff,
    sha256_hex,
    sign_snapshot,
    verify_snapshot,
)
from lms.extensions import db
from lms.models import Credential, RegistrySnapshot, User
from lms.services import audit, clock
from lms.services.credentials import audit_checkpoints, keys
from lms.services.credentials.signing import issuer_id
from lms.services.registry.query import status_on_date


class SnapshotRefused(ValueError):
    """A snapshot cannot be taken of a date that has not happened yet."""


class SnapshotExists(ValueError):
    """The date already has its snapshot (one per date, a unique index): `snapshot` is it."""

    def __init__(self, snapshot: RegistrySnapshot) -> None:
        super().__init__(snapshot.taken_on.isoformat())
        self.snapshot = snapshot


def on_date(on: date) -> RegistrySnapshot | None:
    """The stored snapshot of `on`, if one was taken."""
    return db.session.execute(
        select(RegistrySnapshot).where(RegistrySnapshot.taken_on == on)
    ).scalar_one_or_none()


def entries_on(on: date) -> Iterator[SnapshotEntry]:
    """Every credential in the registry on `on`, with its status and subsidy answer that day."""
    query = (
        select(
            Credential.number,
            # Two fields of the frozen snapshot, read by the database: no JSON parse per row.
            Credential.snapshot["holder_name"].as_string().label("holder_name"),
            Credential.snapshot["course_version"].as_string().label("course_version"),
            Credential.region,
            Credential.organisation,
            Credential.course_slug,
            Credential.kind,
            Credential.issued_on,
            Credential.expires_on,
            Credential.qualifies_for_subsidy,
            status_on_date(on).label("status_on"),
        )
        .where(Credential.issued_on <= on)
        .order_by(Credential.number)
    )
    for row in db.session.execute(query, execution_options={"yield_per": 1000}):
        if row.status_on is None:
            continue  # a reissue dated back: it entered the registry after `on`
        yield SnapshotEntry(
            number=row.number,
            holder_name=row.holder_name,
            region=row.region,
            organisation=row.organisation,
            course_slug=row.course_slug,
            course_version=row.course_version,
            kind=row.kind,
            issued_on=row.issued_on,
            expires_on=row.expires_on,
            status=effective_status(row.status_on, row.expires_on, on),
            qualifies_for_subsidy=qualifies_for_subsidy(
                row.qualifies_for_subsidy, row.status_on, row.expires_on, on
            ),
        )


def take(on: date, actor: User | None) -> RegistrySnapshot:
    """Sign and store the registry as it stood on `on`; audited; commits.

    Needs an app context (the issuer's URL, from LMS_PUBLIC_URL, is part of the document).
    One snapshot per date: raises `SnapshotExists` with the stored one when the date has it,
    also when another request stored it a moment earlier.
    """
    if on > clock.today():
        raise SnapshotRefused(on.isoformat())
    existing = on_date(on)
    if existing is not None:
        raise SnapshotExists(existing)
    document = RegistrySnapshotDocument(
        taken_on=on,
        generated_at=datetime.now(UTC),
        issuer=issuer_id(),
        entries=tuple(entries_on(on)),
    )
    kid, key = keys.signing_key()
    digest = sha256_hex(canonical_json(document))
    statuses = Counter(entry.status for entry in document.entries)
    row = RegistrySnapshot(
        taken_on=on,
        created_by_id=actor.id if actor else None,
        entries=len(document.entries),
        sha256=digest,
        signed=sign_snapshot(document, key, kid),
        summary={
            "kid": kid,
            "statuses": dict(sorted(statuses.items())),
            "qualifying": sum(e.qualifies_for_subsidy for e in document.entries),
        },
    )
    db.session.add(row)
    try:
        db.session.flush()
    except IntegrityError:  # another request stored this date's snapshot meanwhile
        db.session.rollback()
        existing = on_date(on)
        if existing is None:
            raise
        raise SnapshotExists(existing) from None
    audit.record(
        actor,
        "registry.snapshot",
        "registry_snapshot",
        row.id,
        {"taken_on": on.isoformat(), "entries": row.entries, "sha256": digest},
    )
    # Every snapshot also pins the audit chain's head, with its own event (docs/audit.md).
    audit_checkpoints.write_checkpoint(audit_checkpoints.REGISTRY_SNAPSHOT, commit=False)
    db.session.commit()
    return row


def all_snapshots() -> list[RegistrySnapshot]:
    """Every stored snapshot, newest date first."""
    return list(
        db.session.execute(
            select(RegistrySnapshot).order_by(
                RegistrySnapshot.taken_on.desc(), RegistrySnapshot.id.desc()
            )
        ).scalars()
    )


def find(snapshot_id: int) -> RegistrySnapshot | None:
    return db.session.get(RegistrySnapshot, snapshot_id)


def document(row: RegistrySnapshot) -> RegistrySnapshotDocument:
    """The stored snapshot, checked against the published keys and its recorded hash.

    Raises `SnapshotInvalid` if the stored copy was altered.
    """
    parsed, payload = verify_snapshot(row.signed, keys.jwks())
    if sha256_hex(payload) != row.sha256:
        raise SnapshotInvalid("bad_signature", "the payload does not match the stored hash")
    return parsed


def compare(older: RegistrySnapshot, newer: RegistrySnapshot) -> SnapshotDiff:
    """What changed from `older` to `newer` (both verified first)."""
    return diff(document(older).entries, document(newer).entries)


def record_download(actor: User, row: RegistrySnapshot, file_format: str) -> None:
    """Audit a reviewer's download of a snapshot; commits."""
    audit.record(
        actor, "registry.snapshot_download", "registry_snapshot", row.id, {"format": file_format}
    )
    db.session.commit()
