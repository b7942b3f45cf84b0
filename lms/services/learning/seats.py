"""Seats in a cohort: enrolments holding a place, counted under the cohort's row lock."""

from __future__ import annotations

from sqlalchemy import func, select, update

from lms.extensions import db
from lms.models import Cohort, Enrolment

SEAT_STATES = ("active", "requested", "completed")  # enrolment states that hold a seat


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
