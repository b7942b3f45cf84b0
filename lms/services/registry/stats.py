"""Registry statistics, aggregated in SQL (GROUP BY), never by looping over credentials.

"Valid today" means stored status active and not past the last valid day. Month and week
buckets are folded in Python from a GROUP BY on the plain date column, which is the same SQL
on SQLite and PostgreSQL and returns at most one row per day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import case, func, or_, select

from lms.domain.registry.buckets import Bucket, by_month, by_week, last_months
from lms.extensions import db
from lms.models import Credential

ACTIVE = "active"
MONTHS = 12
EXPIRY_DAYS = 90
COACH_KIND = "training"  # the job coach training course (seminars and trainer courses are not)


def _valid_on(on: date) -> list[object]:
    return [
        Credential.status == ACTIVE,
        Credential.issued_on <= on,
        or_(Credential.expires_on.is_(None), Credential.expires_on >= on),
    ]


def coaches_by_region(on: date) -> list[tuple[str, int]]:
    """Certified job coaches by aimag or district: people holding a subsidy-qualifying
    credential valid on `on`, counted once per region of their credentials."""
    rows = db.session.execute(
        select(Credential.region, func.count(func.distinct(Credential.user_id)))
        .where(*_valid_on(on), Credential.qualifies_for_subsidy.is_(True))
        .group_by(Credential.region)
    )
    return sorted(((region, int(n)) for region, n in rows), key=lambda row: (-row[1], row[0]))


def holders_by_course(on: date) -> list[tuple[str, int]]:
    """People holding a credential valid on `on`, per course (every course, subsidy or not)."""
    rows = db.session.execute(
        select(Credential.course_slug, func.count(func.distinct(Credential.user_id)))
        .where(*_valid_on(on))
        .group_by(Credential.course_slug)
    )
    return sorted(((slug, int(n)) for slug, n in rows), key=lambda row: (-row[1], row[0]))


def issued_by_month(on: date, months: int = MONTHS) -> list[Bucket]:
    """Credentials issued (any course, any status now) in each of the last `months` months."""
    first = last_months(on, months)[0]
    rows = db.session.execute(
        select(Credential.issued_on, func.count())
        .where(Credential.issued_on >= first, Credential.issued_on <= on)
        .group_by(Credential.issued_on)
    )
    return by_month(((day, int(n)) for day, n in rows), on, months)


def expiring_by_week(on: date, days: int = EXPIRY_DAYS) -> list[Bucket]:
    """Active credentials whose last valid day falls in the next `days` days (from `on`), by
    week."""
    last = on + timedelta(days=days - 1)
    rows = db.session.execute(
        select(Credential.expires_on, func.count())
        .where(
            Credential.status == ACTIVE,
            Credential.expires_on >= on,
            Credential.expires_on <= last,
        )
        .group_by(Credential.expires_on)
    )
    return by_week(((day, int(n)) for day, n in rows), on, days)


@dataclass(frozen=True)
class Headline:
    """The totals a reviewer looks for first, on one day."""

    certified: int  # people holding a valid job coach training credential
    qualifying: int  # people holding a valid subsidy-qualifying credential
    issued_this_year: int  # credentials issued from 1 January to the day (any course, status)


def headline(on: date) -> Headline:
    """Certified coaches and subsidy-qualifying people (one query), credentials issued this
    year (one query). Credentials expiring soon are the sum of `expiring_by_week`."""
    people = db.session.execute(
        select(
            func.count(func.distinct(case((Credential.kind == COACH_KIND, Credential.user_id)))),
            func.count(
                func.distinct(
                    case((Credential.qualifies_for_subsidy.is_(True), Credential.user_id))
                )
            ),
        ).where(*_valid_on(on))
    ).one()
    issued = db.session.execute(
        select(func.count())
        .select_from(Credential)
        .where(Credential.issued_on >= on.replace(month=1, day=1), Credential.issued_on <= on)
    ).scalar_one()
    return Headline(
        certified=int(people[0]), qualifying=int(people[1]), issued_this_year=int(issued)
    )
