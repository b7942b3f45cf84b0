"""Extra time on quizzes for a trainee, set by a trainer who follows them; audited."""

from __future__ import annotations

from sqlalchemy import select

from lms.extensions import db
from lms.models import Accommodation, Enrolment, User
from lms.models.types import utcnow
from lms.services import audit
from lms.services.cohorts.following import _followed


def set_accommodation(user: User, multiplier: float, no_limit: bool, actor: User) -> None:
    """Extra time for every timed quiz `user` starts from now on; audited; commits."""
    row = db.session.execute(
        select(Accommodation).where(Accommodation.user_id == user.id)
    ).scalar_one_or_none()
    if row is None:
        row = Accommodation(user_id=user.id)
        db.session.add(row)
    row.time_multiplier = multiplier
    row.no_time_limit = no_limit
    row.set_by_id = actor.id
    row.set_at = utcnow()
    db.session.flush()
    audit.record(
        actor,
        "accommodation.set",
        "user",
        user.id,
        {"time_multiplier": multiplier, "no_time_limit": no_limit},
    )
    db.session.commit()


def accommodations(trainer: User) -> list[tuple[Accommodation, User]]:
    """Accommodations of the trainees `trainer` follows (every one for an admin)."""
    followed = select(Enrolment.user_id).where(
        Enrolment.state.in_(("requested", "active", "completed")), _followed(trainer)
    )
    rows = db.session.execute(
        select(Accommodation, User)
        .join(User, User.id == Accommodation.user_id)
        .where(User.id.in_(followed))
        .order_by(User.name)
    )
    return [(accommodation, user) for accommodation, user in rows]
