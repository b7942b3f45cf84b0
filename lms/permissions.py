"""Named permission predicates, declared at the view boundary."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort
from flask_login import current_user

from lms.domain.roles import ADMIN, REVIEWER, TRAINER

F = TypeVar("F", bound=Callable[..., Any])


def require_role(*roles: str) -> Callable[[F], F]:
    """Anonymous users are sent to log in; signed-in users without one of `roles` get 403."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                from lms.extensions import login_manager

                return login_manager.unauthorized()
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


def can_manage_users(user: Any) -> bool:
    return bool(user.is_authenticated and user.has_role(ADMIN))


def can_learn_in(user: Any, enrolment: Any) -> bool:
    """Course content is for the enrolment's own trainee, once it is active or completed."""
    return bool(
        user.is_authenticated
        and enrolment is not None
        and enrolment.user_id == user.id
        and enrolment.state in ("active", "completed")
    )


def can_view_attempt(user: Any, attempt: Any) -> bool:
    """An attempt, its answers and its result belong to the trainee who made it."""
    return bool(user.is_authenticated and attempt.enrolment.user_id == user.id)


def can_review_registry(user: Any) -> bool:
    """The ministry registry (names with national IDs, decisions, exports) is for reviewers."""
    return bool(user.is_authenticated and user.has_role(REVIEWER, ADMIN))


def can_see_private_data(user: Any) -> bool:
    """National registration numbers and contact details: reviewers and admins only."""
    return can_review_registry(user)


def teaches_cohort(user: Any, cohort: Any) -> bool:
    """Cohort trainers (creator and co-trainers) act on their own cohorts; admins on all."""
    if cohort is None:
        return False
    from lms.models import CohortTrainer

    return _admin_or_assigned_trainer(user, CohortTrainer, CohortTrainer.cohort_id == cohort.id)


def follows_course(user: Any, course_id: int) -> bool:
    """Trainers an administrator assigned to the course (`CourseTrainer`); admins always."""
    from lms.models import CourseTrainer

    return _admin_or_assigned_trainer(user, CourseTrainer, CourseTrainer.course_id == course_id)


def _admin_or_assigned_trainer(user: Any, assignment: Any, of_subject: Any) -> bool:
    """Admins; trainers with a row in `assignment` (matching `of_subject`); nobody else."""
    if not user.is_authenticated:
        return False
    if user.has_role(ADMIN):
        return True
    if not user.has_role(TRAINER):
        return False
    from sqlalchemy import select

    from lms.extensions import db

    found = db.session.execute(
        select(assignment.id).where(of_subject, assignment.user_id == user.id)
    ).first()
    return found is not None


def can_follow_enrolment(user: Any, enrolment: Any) -> bool:
    """A trainer may follow a trainee in one of their cohorts; an enrolment outside any cohort
    (an open course taken alone, or a request not tied to a cohort) only if an administrator
    assigned them to its course. Admins follow every enrolment."""
    if not (user.is_authenticated and enrolment is not None):
        return False
    if enrolment.user_id == user.id and not user.has_role(ADMIN):
        return False  # nobody follows (or signs off, or approves) their own record
    if enrolment.cohort_id is None:
        return follows_course(user, enrolment.course_id)
    return teaches_cohort(user, enrolment.cohort)


def can_decide_ce_activity(user: Any, activity: Any) -> bool:
    """A coach's continuing-education activity is decided by an admin, or by a trainer who
    follows the coach (a trainee of a cohort they teach, or outside cohorts on a course they
    are assigned to); never by the coach."""
    if not (user.is_authenticated and activity is not None) or activity.user_id == user.id:
        return False
    if user.has_role(ADMIN):
        return True
    if not user.has_role(TRAINER):
        return False
    from sqlalchemy import and_, or_, select

    from lms.extensions import db
    from lms.models import CohortTrainer, CourseTrainer, Enrolment

    # The same rule as `lms.services.renewal.review.followed_coach_ids`, for one coach.
    taught = select(CohortTrainer.cohort_id).where(CohortTrainer.user_id == user.id)
    assigned = select(CourseTrainer.course_id).where(CourseTrainer.user_id == user.id)
    query = select(Enrolment.id).where(
        Enrolment.user_id == activity.user_id,
        or_(
            Enrolment.cohort_id.in_(taught),
            and_(Enrolment.cohort_id.is_(None), Enrolment.course_id.in_(assigned)),
        ),
    )
    return db.session.execute(query.limit(1)).first() is not None


def can_decide_renewal(user: Any, request: Any) -> bool:
    """A coach's renewal request is decided as their activities are: by an admin, or by a
    trainer who follows the coach; never by the coach."""
    return can_decide_ce_activity(user, request)


def can_see_ce_evidence(user: Any, activity: Any) -> bool:
    """Evidence of an activity: its coach, the trainers who may decide it, reviewers, admins."""
    if not (user.is_authenticated and activity is not None):
        return False
    if activity.user_id == user.id or user.has_role(REVIEWER, ADMIN):
        return True
    return can_decide_ce_activity(user, activity)
