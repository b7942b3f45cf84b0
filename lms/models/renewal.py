"""The continuing-education ledger: what a coach did to stay certified, and the providers whose
activities an administrator approved in advance."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Date, ForeignKey, Index, Numeric, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from lms.extensions import db
from lms.models.certification import Credential
from lms.models.course import CourseVersion
from lms.models.types import UTCDateTime, utcnow
from lms.models.user import User

CENT = Decimal("0.01")


class Hours(TypeDecorator[Decimal]):
    """Hours as NUMERIC(6, 2), read back as `Decimal` on SQLite and PostgreSQL alike.

    Read as float and converted through its shortest text form: SQLite has no decimal type
    (SQLAlchemy warns when asked for one), and two decimal places survive a float exactly."""

    impl = Numeric(6, 2, asdecimal=False)
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: Any) -> str | None:
        return None if value is None else str(Decimal(value).quantize(CENT))

    def process_result_value(self, value: Any, dialect: Any) -> Decimal | None:
        return None if value is None else Decimal(str(value)).quantize(CENT)


class CeProvider(db.Model):  # type: ignore[name-defined,misc]
    """A provider whose activities are approved when submitted (kept by administrators)."""

    __tablename__ = "ce_provider"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # Case-folded, spaces collapsed: the submitted provider matches on this.
    name_key: Mapped[str] = mapped_column(String(200), unique=True)
    active: Mapped[bool] = mapped_column(default=True)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CeActivity(db.Model):  # type: ignore[name-defined,misc]
    """One continuing-education activity in a coach's ledger.

    Internal entries (a completed course published as CE) are recorded by the LMS, approved,
    once per (coach, course version): the unique constraint decides under concurrency.
    External ones are submitted with evidence and approved or returned by a trainer or an
    administrator, or approved on submission when the provider is pre-approved (`provider_id`).
    """

    __tablename__ = "ce_activity"
    __table_args__ = (UniqueConstraint("user_id", "course_version_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    source: Mapped[str] = mapped_column(String(10))  # internal / external
    kind: Mapped[str] = mapped_column(String(20))  # lms.domain.credentials.renewal.ACTIVITY_KINDS
    title: Mapped[str] = mapped_column(String(200), default="")
    provider: Mapped[str] = mapped_column(String(200), default="")
    done_on: Mapped[date] = mapped_column(Date)
    hours: Mapped[Decimal] = mapped_column(Hours)
    area: Mapped[str] = mapped_column(String(80), default="")
    # submitted -> approved | returned (a conditional UPDATE: decided once)
    status: Mapped[str] = mapped_column(String(20), index=True)
    course_version_id: Mapped[int | None] = mapped_column(ForeignKey("course_version.id"))
    provider_id: Mapped[int | None] = mapped_column(ForeignKey("ce_provider.id"))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reason: Mapped[str] = mapped_column(Text, default="")
    # The evidence file's name in the private evidence folder ("" for none), as uploaded.
    evidence_file: Mapped[str] = mapped_column(String(80), default="")
    evidence_name: Mapped[str] = mapped_column(String(200), default="")
    evidence_type: Mapped[str] = mapped_column(String(40), default="")
    # Set when a renewal counts this activity (it counts towards one renewal only).
    used_by_credential_id: Mapped[int | None] = mapped_column(
        ForeignKey("credential.id"), index=True
    )

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    course_version: Mapped[CourseVersion | None] = relationship()
    preapproved_provider: Mapped[CeProvider | None] = relationship()


class RenewalRequest(db.Model):  # type: ignore[name-defined,misc]
    """A coach's application to renew a credential, confirmed or refused by a trainer or an
    administrator (or confirmed at once where the course's renewal is automatic).

    Create-once: a partial unique index allows one ``applied`` request per credential, so two
    clicks or two tabs make one row; the decision is a conditional UPDATE (decided once)."""

    __tablename__ = "renewal_request"
    __table_args__ = (
        Index(
            "uq_renewal_request_applied_credential",
            "credential_id",
            unique=True,
            sqlite_where=text("status = 'applied'"),
            postgresql_where=text("status = 'applied'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    credential_id: Mapped[int] = mapped_column(ForeignKey("credential.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    method: Mapped[str] = mapped_column(String(20))  # hours / refresher: the rule met
    # applied -> confirmed | refused
    status: Mapped[str] = mapped_column(String(20), index=True)
    applied_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reason: Mapped[str] = mapped_column(Text, default="")
    new_credential_id: Mapped[int | None] = mapped_column(ForeignKey("credential.id"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    credential: Mapped[Credential] = relationship(foreign_keys=[credential_id])
    new_credential: Mapped[Credential | None] = relationship(foreign_keys=[new_credential_id])
