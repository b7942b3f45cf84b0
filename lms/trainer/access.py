"""Loading what a trainer acts on, refused at the boundary by the named permission predicates.

Shared by the trainer views: an unknown id is 404, one the trainer does not follow or teach is
403 (`lms.permissions.can_follow_enrolment`, `teaches_cohort`); admins reach everything.
"""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from lms.extensions import db
from lms.models import AttendanceSession, Cohort, Enrolment, QuizAttempt
from lms.permissions import can_follow_enrolment, teaches_cohort


def followed_enrolment(enrolment_id: int) -> Enrolment:
    """The enrolment, if the current trainer follows it (its cohort's trainers, or admins)."""
    enrolment = db.session.get(Enrolment, enrolment_id) or abort(404)
    if not can_follow_enrolment(current_user, enrolment):
        abort(403)
    return enrolment


def taught_cohort(cohort_id: int) -> Cohort:
    """The cohort, if the current user teaches it (or is an admin)."""
    cohort = db.session.get(Cohort, cohort_id) or abort(404)
    if not teaches_cohort(current_user, cohort):
        abort(403)
    return cohort


def taught_session(session_id: int) -> AttendanceSession:
    """An attendance session of a cohort the current user teaches."""
    session = db.session.get(AttendanceSession, session_id) or abort(404)
    taught_cohort(session.cohort_id)
    return session


def followed_attempt(attempt_id: int) -> QuizAttempt:
    """A quiz attempt of an enrolment the current trainer follows (grade data: view only)."""
    attempt = db.session.get(QuizAttempt, attempt_id) or abort(404)
    followed_enrolment(attempt.enrolment_id)
    return attempt
