"""Looking up what a signed-in trainee may open: the course, and the enrolment that gives access."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from lms.models import Course, Enrolment
from lms.permissions import can_learn_in
from lms.services.courses.store import find_course
from lms.services.learning import enrolment as enrolments


def course_or_404(slug: str) -> Course:
    return find_course(slug) or abort(404)


def learning_enrolment(course: Course) -> Enrolment:
    """The signed-in trainee's enrolment that gives access to the course content, or 403."""
    enrolment = enrolments.enrolment_for(current_user, course)
    if not can_learn_in(current_user, enrolment):
        abort(403)
    assert enrolment is not None  # noqa: S101 - can_learn_in checked it
    enrolments.follow_patch_releases(enrolment)
    return enrolment


def learning_place(slug: str) -> enrolments.LearningPlace:
    """The course and the signed-in trainee's enrolment giving access to it, with its progress,
    in one query: 404 without the course, 403 without access (as the two functions above)."""
    place = enrolments.learning_place(current_user, slug) or abort(404)
    if not can_learn_in(current_user, place.enrolment):
        abort(403)
    assert place.enrolment is not None  # noqa: S101 - can_learn_in checked it
    enrolments.follow_patch_releases(place.enrolment, place.newest_patch_id)
    return place
