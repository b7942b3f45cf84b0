"""The ministry registry: credential status history, reviewers' decisions, snapshots, API tokens."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text, event, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.extensions import db
from lms.models.certification import Credential, SnapshotIsImmutable
from lms.models.types import UTCDateTime, utcnow
from lms.models.user import User


class CredentialEvent(db.Model):  # type: ignore[name-defined,misc]
    """One step in a credential's life (issued, suspended, reinstated, revoked, superseded).

    Append-only. `effective_on` is the calendar date in Mongolia when the step took effect:
    the status of a credential on a date D is the `to_status` of its last event on or before D,
    so a later revocation never changes what was true on D.
    """

    __tablename__ = "credential_event"
    __table_args__ = (Index("ix_credential_event_credential_on", "credential_id", "effective_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    credential_id: Mapped[int] = mapped_column(ForeignKey("credential.id"))
    action: Mapped[str] = mapped_column(String(20))  # issue, suspend, reinstate, revoke, supersede
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    effective_on: Mapped[date] = mapped_column(Date)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    reason: Mapped[str] = mapped_column(String(40), default="")
    note: Mapped[str] = mapped_column(Text, default="")

    credential: Mapped[Credential] = relationship()
    actor: Mapped[User | None] = relationship()


class RegistryDecision(db.Model):  # type: ignore[name-defined,misc]
    """A reviewer's decision on a credential: reviewed, a concern, or a status-change proposal.

    A proposal (`kind` = "proposal", `action` = suspend or revoke) needs a second person: it
    stays `state` = "open" until another reviewer or admin confirms or rejects it.
    """

    __tablename__ = "registry_decision"
    # One open proposal per credential, whoever proposes and however fast.
    __table_args__ = (
        Index(
            "uq_registry_decision_open_proposal",
            "credential_id",
            unique=True,
            sqlite_where=text("state = 'open'"),
            postgresql_where=text("state = 'open'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    credential_id: Mapped[int] = mapped_column(ForeignKey("credential.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # reviewed, concern, proposal
    action: Mapped[str | None] = mapped_column(String(20))  # proposals: suspend or revoke
    reason: Mapped[str] = mapped_column(String(40), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    actor_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Proposals only: open -> confirmed | rejected | withdrawn
    state: Mapped[str | None] = mapped_column(String(20), index=True)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolution_note: Mapped[str] = mapped_column(Text, default="")

    credential: Mapped[Credential] = relationship()
    actor: Mapped[User] = relationship(foreign_keys=[actor_id])
    resolved_by: Mapped[User | None] = relationship(foreign_keys=[resolved_by_id])


class RegistrySnapshot(db.Model):  # type: ignore[name-defined,misc]
    """A dated, signed copy of the registry the ministry can archive (immutable)."""

    __tablename__ = "registry_snapshot"

    id: Mapped[int] = mapped_column(primary_key=True)
    # One snapshot per date: a second request for the same date opens the stored one.
    taken_on: Mapped[date] = mapped_column(Date, index=True, unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    entries: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    # The signed document (a compact JWS over the canonical JSON); what is downloaded.
    signed: Mapped[str] = mapped_column(Text)
    summary: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class ApiToken(db.Model):  # type: ignore[name-defined,misc]
    """A bearer token for the read-only API; only its hash is stored."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    scopes: Mapped[list[str]] = mapped_column(JSON)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))  # shown in lists to tell tokens apart
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


@event.listens_for(CredentialEvent, "before_update")
@event.listens_for(CredentialEvent, "before_delete")
@event.listens_for(RegistrySnapshot, "before_update")
@event.listens_for(RegistrySnapshot, "before_delete")
def _append_only(*_args: object) -> None:
    raise SnapshotIsImmutable("credential events and registry snapshots are append-only")
