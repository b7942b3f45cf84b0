"""Trainers: enrolment requests, cohort keys and accommodations."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from lms.domain.roles import ADMIN, TRAINER
from lms.extensions import db
from lms.models import Cohort, Course, Enrolment
from lms.permissions import require_role
from lms.services import accounts, trainer_tools
from lms.services import enrolment as enrolments
from lms.services.course_store import latest_version
from lms.services.progress import localised
from lms.trainer.forms import AccommodationForm, CohortForm, DecisionForm

bp = Blueprint("trainer", __name__, url_prefix="/trainer")


@bp.get("/")
@require_role(TRAINER, ADMIN)
def home() -> ResponseReturnValue:
    cohorts = db.session.execute(select(Cohort).order_by(Cohort.id.desc())).scalars().all()
    return render_template(
        "trainer/home.html",
        requests=trainer_tools.pending_requests(),
        cohorts=cohorts,
        accommodations=trainer_tools.accommodations(),
        decision_form=DecisionForm(),
        cohort_form=_cohort_form(),
        accommodation_form=AccommodationForm(),
    )


def _cohort_form() -> CohortForm:
    form = CohortForm()
    language = str(get_locale())
    form.course.choices = [
        SelectChoice(course.slug, localised(version.meta["title"], language))
        for course in db.session.execute(select(Course).order_by(Course.slug)).scalars()
        if (version := latest_version(course)) is not None
    ]
    return form


@bp.post("/requests/<int:enrolment_id>")
@require_role(TRAINER, ADMIN)
def decide(enrolment_id: int) -> ResponseReturnValue:
    enrolment = db.session.get(Enrolment, enrolment_id) or abort(404)
    form = DecisionForm()
    if form.validate_on_submit():
        if enrolment.user_id == current_user.id:
            abort(403)  # nobody approves their own request
        enrolments.decide(enrolment, bool(form.approve.data), current_user, form.message.data or "")
        flash(_("Decision saved."), "success")
    return redirect(url_for("trainer.home"))


@bp.post("/cohorts")
@require_role(TRAINER, ADMIN)
def create_cohort() -> ResponseReturnValue:
    form = _cohort_form()
    if form.validate_on_submit():
        course = db.session.execute(
            select(Course).where(Course.slug == form.course.data)
        ).scalar_one()
        cohort = trainer_tools.create_cohort(course, form.name.data or "", current_user)
        flash(
            _("Cohort created. Its enrolment key is %(key)s.", key=cohort.enrolment_key), "success"
        )
    else:
        flash(_("The cohort could not be created: enter a name and choose a course."), "error")
    return redirect(url_for("trainer.home"))


@bp.post("/accommodations")
@require_role(TRAINER, ADMIN)
def accommodation() -> ResponseReturnValue:
    form = AccommodationForm()
    if form.validate_on_submit():
        user = accounts.find_by_email(form.email.data or "")
        if user is None:
            flash(_("No account has this email address."), "error")
        else:
            trainer_tools.set_accommodation(
                user,
                float(form.time_multiplier.data or 1),
                bool(form.no_time_limit.data),
                current_user,
            )
            flash(_("Accommodation saved for %(name)s.", name=user.name), "success")
    else:
        flash(_("Check the accommodation: the multiplier must be from 1 to 5."), "error")
    return redirect(url_for("trainer.home"))
