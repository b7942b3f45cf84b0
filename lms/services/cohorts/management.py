"""Cohort details, trainers, enrolment keys and seats; every change audited."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import date

from sqlalchemy import func, select

from lms.domain.roles import TRAINER
from lms.extensions import db
from lms.models import Cohort, CohortTrainer, Course, CourseVersion, User
from lms.services import audit
from lms.services.accounts.users import find_by_email
from lms.services.cohorts import management as cohorts
from lms.services.courses.store import latest_version
from lms.services.learning.seats import lock, seats_taken

# Requests count too: approving one must never overfill the cohort.


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
    lock(cohort)  # two people adding the same co-trainer at once: the second sees the first
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


_KEY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_enrolment_key() -> str:
    return "".join(secrets.choice(_KEY_ALPHABET) for _ in range(8))


def create_cohort(
    course: Course,
    name: str,
    actor: User,
    *,
    version: CourseVersion | None = None,
    details: CohortDetails | None = None,
    co_trainers: Iterable[User] = (),
) -> Cohort:
    """A cohort on `version` (default: the newest); its creator and `co_trainers` teach it.

    Audited with everything set; commits.
    """
    version = version or latest_version(course)
    if version is None or version.course_id != course.id:
        raise LookupError(course.slug)
    details = details or CohortDetails(name=name)
    cohort = Cohort(
        course_id=course.id,
        course_version_id=version.id,
        name=name.strip(),
        enrolment_key=new_enrolment_key(),
        starts_on=details.starts_on,
        ends_on=details.ends_on,
        region=details.region,
        online=details.online,
        capacity=details.capacity,
        created_by_id=actor.id,
    )
    db.session.add(cohort)
    db.session.flush()
    db.session.add(CohortTrainer(cohort_id=cohort.id, user_id=actor.id, added_by_id=actor.id))
    audit.record(
        actor,
        "cohort.create",
        "cohort",
        cohort.id,
        {
            "course": course.slug,
            "name": cohort.name,
            "version": version.version,
            "starts_on": details.starts_on.isoformat() if details.starts_on else None,
            "ends_on": details.ends_on.isoformat() if details.ends_on else None,
            "region": details.region,
            "online": details.online,
            "capacity": details.capacity,
        },
    )
    for user in co_trainers:
        if user.id != actor.id:
            cohorts.add_trainer(cohort, user, actor, commit=False)
    db.session.commit()
    return cohort
