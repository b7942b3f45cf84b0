"""Trainers: enrolment requests, cohort keys and accommodations."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from lms.domain.registry.paging import page_links
from lms.domain.roles import ADMIN, TRAINER
from lms.permissions import require_role
from lms.services import clock
from lms.services.cohorts import accommodations, workspace
from lms.services.cohorts import following as trainer_tools
from lms.services.learning import enrolment as enrolments
from lms.trainer.access import followed_enrolment as _followed_enrolment
from lms.trainer.access import taught_cohort as _taught_cohort  # noqa: F401
from lms.trainer.forms import (
    AccommodationForm,
    DecisionForm,
)

bp = Blueprint("trainer", __name__, url_prefix="/trainer")


@bp.get("/")
@require_role(TRAINER, ADMIN)
def home() -> ResponseReturnValue:
    """Cohorts first, with what needs attention; then requests; then a search of trainees."""
    query = request.args.get("q", "").strip()
    today = clock.today()
    trainees = workspace.search_trainees(
        current_user, query, request.args.get("page", 1, type=int) or 1
    )
    return render_template(
        "trainer/home.html",
        cohorts=workspace.cohort_summaries(current_user, today),
        today=today,
        requests=trainer_tools.pending_requests(current_user),
        query=query,
        trainees=trainees,
        trainee_pages=page_links(trainees.page, trainees.pages),
        accommodations=accommodations.accommodations(current_user),
        decision_form=DecisionForm(),
        accommodation_form=AccommodationForm(),
    )


@bp.post("/requests/<int:enrolment_id>")
@require_role(TRAINER, ADMIN)
def decide(enrolment_id: int) -> ResponseReturnValue:
    enrolment = _followed_enrolment(enrolment_id)
    form = DecisionForm()
    if form.validate_on_submit():
        if enrolment.user_id == current_user.id:
            abort(403)  # nobody approves their own request
        approve, message = bool(form.approve.data), form.message.data or ""
        if enrolments.decide(enrolment, approve, current_user, message):
            flash(_("Decision saved."), "success")
        else:  # decided a moment ago, by another trainer or another tab
            flash(_("This request has already been decided."), "error")
    return redirect(url_for("trainer.home"))


# Routes of the trainer workspace that live in their own modules (they register on `bp`).
from lms.trainer import (  # noqa: E402,F401
    analysis_views,
    bulk_views,
    ce_views,
    cohort_views,
    following_views,
    joining_views,
    progress_views,
    renewal_views,
)
