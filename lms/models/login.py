"""Per-account login throttling, shared by every worker through the database."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from lms.extensions import db
from lms.models.types import UTCDateTime


class LoginThrottle(db.Model):  # type: ignore[name-defined,misc]
    """Failed-login state of one e-mail address, known account or not.

    `account_key` is a keyed hash of the normalised address, so the table neither stores the
    addresses people typed nor tells which of them have accounts. `version` makes every change a
    compare-and-swap: two workers can never both spend the same attempt.
    """

    __tablename__ = "login_throttle"

    account_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    last_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(default=0)
