"""Moving a trainee who already studies the course on their own into a cohort."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from lms.domain.roles import ADMIN, TRAINER
from lms.permissions import require_role
from lms.services.cohorts import joining
from lms.trainer.access import taught_cohort
from lms.trainer.forms import MoveIntoCohortForm
from lms.trainer.views import bp


@bp.post("/cohorts/<int:cohort_id>/move-in")
@require_role(TRAINER, ADMIN)
def move_into_cohort(cohort_id: int) -> ResponseReturnValue:
    cohort = taught_cohort(cohort_id)
    form = MoveIntoCohortForm(prefix="move")
    back = redirect(url_for("trainer.cohort", cohort_id=cohort.id) + "#move-in-heading")
    if not form.validate_on_submit():
        flash(_("Enter the email address of a trainee enrolled in this course."), "error")
        return back
    email = form.email.data or ""
    enrolment = joining.placeable_enrolment(cohort, email)
    if enrolment is None:
        flash(
            _("%(email)s: no trainee with this address is enrolled in this course.", email=email),
            "error",
        )
        return back
    outcome = joining.move_into_cohort(enrolment, cohort, current_user)
    messages = {
        "joined": (
            _("%(email)s is now in this cohort; their progress is kept.", email=email),
            "success",
        ),
        "already_here": (_("%(email)s is already in this cohort.", email=email), "info"),
        "full": (_("This cohort is full: raise its capacity first."), "error"),
        "not_enrolled": (
            _("%(email)s: only an active or completed enrolment can be moved.", email=email),
            "error",
        ),
    }
    flash(*messages.get(outcome, messages["not_enrolled"]))
    return back
