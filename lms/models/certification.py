"""Practicum sign-offs, attendance, credentials and the keys that sign them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    Float,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    event,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, query_expression, relationship

from lms.extensions import db
from lms.models.learning import Cohort, Enrolment
from lms.models.types import UTCDateTime, utcnow
from lms.models.user import User


class PracticumRecord(db.Model):  # type: ignore[name-defined,misc]
    """Supervised practice observed by a trainer: hours, and optionally a competency signed off.

    Append-only: a mistake is corrected by a new record, never by an edit. A record that was
    wrong is voided (`lms.services.cohorts.practicum.void_record`, a conditional UPDATE of the
    three void columns only, once): it stays in the log and stops counting.
    """

    __tablename__ = "practicum_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolment.id"), index=True)
    competency_id: Mapped[str | None] = mapped_column(String(80))
    hours: Mapped[float] = mapped_column(Float, default=0.0)
    observed_on: Mapped[date] = mapped_column(Date)
    signed_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    supervisor_name: Mapped[str] = mapped_column(String(200), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    voided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    voided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    void_reason: Mapped[str] = mapped_column(Text, default="")

    enrolment: Mapped[Enrolment] = relationship()
    signed_by: Mapped[User] = relationship(foreign_keys=[signed_by_id])
    voided_by: Mapped[User | None] = relationship(foreign_keys=[voided_by_id])


class AttendanceSession(db.Model):  # type: ignore[name-defined,misc]
    """A seminar day (or part of one) of a cohort."""

    __tablename__ = "attendance_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id"), index=True)
    held_on: Mapped[date] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String(200), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    cohort: Mapped[Cohort] = relationship()


class AttendanceMark(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "attendance_mark"
    __table_args__ = (UniqueConstraint("session_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("attendance_session.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    present: Mapped[bool] = mapped_column(default=False)
    marked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    marked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Credential(db.Model):  # type: ignore[name-defined,misc]
    """An issued credential: an immutable snapshot plus a status that changes by events."""

    __tablename__ = "credential"
    # The registry sorts by these with `id` as the tie-breaker: both keys come from the index
    # (many credentials share an expiry, or have none). Name search scans the narrow
    # (name, id) index instead of the wide rows.
    __table_args__ = (
        Index("ix_credential_holder_folded", "holder_folded", "id"),
        # Name search (`LIKE '%…%'`) on PostgreSQL: a trigram index finds the matching rows
        # instead of reading every name (needs the pg_trgm extension; SQLite has no such index).
        Index(
            "ix_credential_holder_trgm",
            "holder_folded",
            postgresql_using="gin",
            postgresql_ops={"holder_folded": "gin_trgm_ops"},
            info={"only_on": "postgresql"},
        ).ddl_if(dialect="postgresql"),
        Index("ix_credential_issued_on", "issued_on", "id"),
        Index("ix_credential_expires_on", "expires_on", "id"),
        # The registry's renewal filters (due / grace period / lapsed): active credentials by
        # last valid day, with the course for the per-course grace period, so a count reads
        # the index alone (by `ix_credential_expires_on`, "lapsed" read every expired row).
        Index("ix_credential_status_expires_on", "status", "expires_on", "course_slug"),
        # Create-once rules (integrity issue): one current (not superseded) credential per
        # enrolment, and one successor per superseded credential.
        Index(
            "uq_credential_current_enrolment",
            "enrolment_id",
            unique=True,
            sqlite_where=text("status != 'superseded'"),
            postgresql_where=text("status != 'superseded'"),
        ),
        Index("uq_credential_superseded_by_id", "superseded_by_id", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolment.id"), index=True)
    course_version_id: Mapped[int] = mapped_column(ForeignKey("course_version.id"))
    # What the credential says, frozen when issued (CredentialSnapshot.to_json()).
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    issued_on: Mapped[date] = mapped_column(Date)
    expires_on: Mapped[date | None] = mapped_column(Date)
    qualifies_for_subsidy: Mapped[bool]
    status: Mapped[str] = mapped_column(String(20), index=True)
    status_reason: Mapped[str] = mapped_column(String(40), default="")
    status_note: Mapped[str] = mapped_column(Text, default="")
    status_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Position in the published status lists (revocation and suspension).
    status_index: Mapped[int] = mapped_column(unique=True)
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("credential.id"))
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    # Copies of snapshot fields the registry filters and sorts on (indexed, never change).
    course_slug: Mapped[str] = mapped_column(String(80), index=True, default="")
    kind: Mapped[str] = mapped_column(String(20), default="")
    region: Mapped[str] = mapped_column(String(40), index=True, default="")
    organisation: Mapped[str] = mapped_column(String(200), default="")
    holder_folded: Mapped[str] = mapped_column(String(200), default="")
    # Date (in Mongolia) of the latest status event: on any later date the status is `status`,
    # so "status on date D" needs the event history only for D before this day.
    status_since: Mapped[date | None] = mapped_column(Date)
    # Not a column: the snapshot's holder name, filled only by queries that ask for it
    # (`with_expression`; the registry list reads it without loading the whole snapshot).
    holder_name: Mapped[str | None] = query_expression()

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    enrolment: Mapped[Enrolment] = relationship(foreign_keys=[enrolment_id])


class SigningKey(db.Model):  # type: ignore[name-defined,misc]
    """A public signing key; its private half is a file in the instance folder, never here."""

    __tablename__ = "signing_key"

    id: Mapped[int] = mapped_column(primary_key=True)
    kid: Mapped[str] = mapped_column(String(64), unique=True)
    public_jwk: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class SnapshotIsImmutable(RuntimeError):
    pass


@event.listens_for(Credential, "before_update")
def _snapshot_never_changes(_mapper: Any, connection: Any, target: Credential) -> None:
    state = db.inspect(target)
    for name in (
        "snapshot",
        "number",
        "issued_on",
        "expires_on",
        "user_id",
        "status_index",
        "course_slug",
        "region",
        "holder_folded",
    ):
        if state.attrs[name].history.has_changes():
            raise SnapshotIsImmutable(f"an issued credential's {name} never changes")


@event.listens_for(PracticumRecord, "before_update")
@event.listens_for(PracticumRecord, "before_delete")
def _practicum_append_only(*_args: object) -> None:
    raise SnapshotIsImmutable("practicum records are append-only")
