"""Cohort details, trainers, enrolment keys and seats; every change audited."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import date

from sqlalchemy import func, select, update

from lms.domain.roles import TRAINER
from lms.extensions import db
from lms.models import Cohort, CohortTrainer, Enrolment, User
from lms.services import audit
from lms.services.accounts import find_by_email

# Requests count too: approving one must never overfill the cohort.
SEAT_STATES = ("active", "requested", "completed")


class CohortError(ValueError):
    """A change to a cohort that cannot be made; `code` says why (worded by the view)."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(code)
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class CohortDetails:
    """What a trainer sets on a cohort besides its course version and trainers."""

    name: str
    starts_on: date | None = None
    ends_on: date | None = None
    region: str = ""
    online: bool = False
    capacity: int | None = None


def details_of(cohort: Cohort) -> CohortDetails:
    return CohortDetails(**{f.name: getattr(cohort, f.name) for f in fields(CohortDetails)})


def _audit_value(value: object) -> object:
    return value.isoformat() if isinstance(value, date) else value


def update_details(cohort: Cohort, details: CohortDetails, actor: User) -> dict[str, object]:
    """Change name, dates, place and capacity; audited with what changed; commits.

    Capacity may not go below the seats already taken (raises CohortError "capacity").
    """
    lock(cohort)
    if details.capacity is not None and details.capacity < seats_taken(cohort):
        db.session.rollback()
        raise CohortError("capacity", str(seats_taken(cohort)))
    changed: dict[str, object] = {}
    for f in fields(CohortDetails):
        new = getattr(details, f.name)
        new = new.strip() if isinstance(new, str) else new
        old = getattr(cohort, f.name)
        if old != new:
            changed[f.name] = {"from": _audit_value(old), "to": _audit_value(new)}
            setattr(cohort, f.name, new)
    if changed:
        audit.record(actor, "cohort.update", "cohort", cohort.id, changed)
    db.session.commit()
    return changed


def regenerate_key(cohort: Cohort, actor: User) -> str:
    """A new enrolment key; the old one stops working at once. Audited; commits."""
    from lms.services.trainer_tools import new_enrolment_key

    cohort.enrolment_key = new_enrolment_key()
    audit.record(actor, "cohort.key_regenerate", "cohort", cohort.id)
    db.session.commit()
    return cohort.enrolment_key


def trainers(cohort: Cohort) -> list[User]:
    """The cohort's trainers, in the order they were added."""
    return list(
        db.session.execute(
            select(User)
            .join(CohortTrainer, CohortTrainer.user_id == User.id)
            .where(CohortTrainer.cohort_id == cohort.id)
            .order_by(CohortTrainer.id)
        ).scalars()
    )


def split_emails(text: str) -> list[str]:
    """Addresses separated by commas, semicolons, spaces or lines; duplicates dropped."""
    seen: dict[str, None] = {}
    for part in re.split(r"[\s,;]+", text):
        if part:
            seen.setdefault(part.strip().lower(), None)
    return list(seen)


def find_trainers(emails: list[str]) -> tuple[list[User], list[tuple[str, str]]]:
    """Accounts for co-trainer emails, and (email, code) for each one that cannot be added:
    `unknown` (no account) or `not_trainer` (the account lacks the trainer role)."""
    found, problems = [], []
    for email in emails:
        user = find_by_email(email)
        if user is None or not user.active:
            problems.append((email, "unknown"))
        elif not user.has_role(TRAINER):
            problems.append((email, "not_trainer"))
        else:
            found.append(user)
    return found, problems


def add_trainer(cohort: Cohort, user: User, actor: User, *, commit: bool = True) -> bool:
    """Make `user` a trainer of the cohort; False if they already are. Audited."""
    if not user.has_role(TRAINER):
        raise CohortError("not_trainer", user.email)
    exists = db.session.execute(
        select(CohortTrainer.id).where(
            CohortTrainer.cohort_id == cohort.id, CohortTrainer.user_id == user.id
        )
    ).first()
    if exists:
        return False
    db.session.add(CohortTrainer(cohort_id=cohort.id, user_id=user.id, added_by_id=actor.id))
    db.session.flush()
    audit.record(actor, "cohort.trainer_add", "cohort", cohort.id, {"user": user.id})
    if commit:
        db.session.commit()
    return True


def remove_trainer(cohort: Cohort, user: User, actor: User) -> None:
    """Take `user` off the cohort's trainers; the last trainer stays. Audited; commits."""
    lock(cohort)  # two trainers removing each other at once must not leave none
    row = db.session.execute(
        select(CohortTrainer).where(
            CohortTrainer.cohort_id == cohort.id, CohortTrainer.user_id == user.id
        )
    ).scalar_one_or_none()
    if row is None:
        db.session.rollback()
        raise CohortError("not_a_trainer")
    count = db.session.execute(
        select(func.count()).select_from(CohortTrainer).where(CohortTrainer.cohort_id == cohort.id)
    ).scalar_one()
    if count <= 1:
        db.session.rollback()
        raise CohortError("last_trainer")
    db.session.delete(row)
    audit.record(actor, "cohort.trainer_remove", "cohort", cohort.id, {"user": user.id})
    db.session.commit()


def lock(cohort: Cohort) -> None:
    """Take the cohort row's write lock until the transaction ends.

    Counting seats and enrolling happen under it, so concurrent enrolments queue instead of
    overfilling. PostgreSQL: SELECT ... FOR UPDATE. SQLite: a write makes this transaction
    the database's single writer (its SELECTs alone would not start a transaction).
    """
    if db.engine.dialect.name == "postgresql":
        db.session.execute(select(Cohort.id).where(Cohort.id == cohort.id).with_for_update())
    else:
        db.session.execute(
            update(Cohort)
            .where(Cohort.id == cohort.id)
            .values(capacity=Cohort.capacity)
            .execution_options(synchronize_session=False)
        )


def seats_taken(cohort: Cohort) -> int:
    """Enrolments of the cohort that hold a seat: active, requested or completed."""
    return db.session.execute(
        select(func.count())
        .select_from(Enrolment)
        .where(Enrolment.cohort_id == cohort.id, Enrolment.state.in_(SEAT_STATES))
    ).scalar_one()


def seats_left(cohort: Cohort) -> int | None:
    """Free seats, or None for a cohort without a capacity."""
    if cohort.capacity is None:
        return None
    return max(cohort.capacity - seats_taken(cohort), 0)


def seat_counts(cohorts: list[Cohort]) -> dict[int, int]:
    """Seats taken per cohort id, in one query (for lists of cohorts)."""
    if not cohorts:
        return {}
    rows = db.session.execute(
        select(Enrolment.cohort_id, func.count())
        .where(Enrolment.cohort_id.in_([c.id for c in cohorts]))
        .where(Enrolment.state.in_(SEAT_STATES))
        .group_by(Enrolment.cohort_id)
    )
    return {cohort_id: count for cohort_id, count in rows}
