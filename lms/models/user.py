"""Accounts and the roles they hold."""

from __future__ import annotations

import uuid
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from lms.extensions import db
from lms.models.types import UTCDateTime, utcnow


class User(UserMixin, db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # Case-folded copy for search: SQLite's lower() only folds ASCII, not Cyrillic.
    name_folded: Mapped[str] = mapped_column(String(200), index=True, default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    locale: Mapped[str] = mapped_column(String(5), default="mn")
    region: Mapped[str] = mapped_column(String(40), default="")
    organisation: Mapped[str] = mapped_column(String(200), default="")
    # Contact number (private, like the email); given by a trainer's bulk enrolment file.
    phone: Mapped[str] = mapped_column(String(40), default="")
    # The national registration number is private: stored encrypted, found by a keyed hash.
    national_id_encrypted: Mapped[str | None] = mapped_column(String(255))
    # Unique: one account per national registration number.
    national_id_index: Mapped[str | None] = mapped_column(String(64), index=True, unique=True)
    # Bumped on logout and password change: every session carrying an older value ends.
    session_version: Mapped[int] = mapped_column(default=1)
    # The holder's id in signed credentials (credentialSubject.id, JWT `sub`): stable, random,
    # and saying nothing about the person (never the national ID or e-mail).
    credential_subject_id: Mapped[str] = mapped_column(
        String(45), unique=True, default=lambda: f"urn:uuid:{uuid.uuid4()}"
    )
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Set by the login itself (one UPDATE in the login's transaction), never per request.
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When an administrator last sent a welcome link: a conditional UPDATE spaces them out.
    welcome_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    roles: Mapped[list[RoleGrant]] = relationship(
        back_populates="user",
        cascade="all, delete-orphan",
        foreign_keys="RoleGrant.user_id",
        lazy="selectin",
    )

    @validates("name")
    def _fold_name(self, _key: str, value: str) -> str:
        self.name_folded = value.casefold()
        return value

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def role_names(self) -> set[str]:
        return {grant.role for grant in self.roles}

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_names.intersection(roles))

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"


class RoleGrant(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "role_grant"
    __table_args__ = (UniqueConstraint("user_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(back_populates="roles", foreign_keys=[user_id])
