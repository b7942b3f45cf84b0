"""Trainers and administrators decide submitted activities: approve, or return with a reason.

A trainer decides for the coaches they follow (`lms.permissions.can_decide_ce_activity`: a
trainee in a cohort they teach, or outside cohorts on a course they are assigned to); an
administrator for everyone; nobody for their own activities. One person decides (no two-person
rule); the decision is a conditional UPDATE, so of two reviewers at once exactly one wins.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import joinedload

from lms.domain.roles import ADMIN
from lms.extensions import db
from lms.models import CeActivity, Enrolment, User
from lms.models.types import utcnow
from lms.services import audit
from lms.services.cohorts.following import assigned_course_ids, taught_cohort_ids
from lms.services.renewal.ledger import APPROVED, RETURNED, SUBMITTED


def followed_coach_ids(user: User) -> Any:
    """SQL: ids of the coaches `user` follows as a trainer (see the module doc)."""
    return select(Enrolment.user_id).where(
        or_(
            Enrolment.cohort_id.in_(taught_cohort_ids(user)),
            and_(
                Enrolment.cohort_id.is_(None),
                Enrolment.course_id.in_(assigned_course_ids(user)),
            ),
        )
    )


def queue(user: User) -> list[CeActivity]:
    """Submitted activities `user` may decide, oldest first."""
    query = (
        select(CeActivity)
        .options(joinedload(CeActivity.user))
        .where(CeActivity.status == SUBMITTED, CeActivity.user_id != user.id)
        .order_by(CeActivity.submitted_at, CeActivity.id)
    )
    if not user.has_role(ADMIN):
        query = query.where(CeActivity.user_id.in_(followed_coach_ids(user)))
    return list(db.session.execute(query).scalars())


def decide(activity: CeActivity, actor: User, approve: bool, reason: str = "") -> bool:
    """Approve, or return with `reason`; False when it was decided already. Audited; commits."""
    status = APPROVED if approve else RETURNED
    result = db.session.execute(
        update(CeActivity)
        .where(CeActivity.id == activity.id, CeActivity.status == SUBMITTED)
        .values(status=status, decided_by_id=actor.id, decided_at=utcnow(), reason=reason)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        db.session.rollback()
        return False
    action = "ce.approve" if approve else "ce.return"
    audit.record(actor, action, "ce_activity", activity.id, {"reason": reason} if reason else {})
    db.session.commit()
    db.session.refresh(activity)
    return True
