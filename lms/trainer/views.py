"""Trainers: enrolment requests, cohort keys and accommodations."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from lms.domain.roles import ADMIN, TRAINER
from lms.extensions import db
from lms.models import AttendanceSession, Cohort, Course, Enrolment, PracticumRecord
from lms.permissions import can_follow_enrolment, require_role, teaches_cohort
from lms.services import accounts, credentials, trainer_tools
from lms.services import enrolment as enrolments
from lms.services.course_store import latest_version, parsed_course
from lms.services.progress import localised
from lms.trainer.forms import (
    AccommodationForm,
    CohortForm,
    DecisionForm,
    PracticumForm,
    SessionForm,
)

bp = Blueprint("trainer", __name__, url_prefix="/trainer")


@bp.get("/")
@require_role(TRAINER, ADMIN)
def home() -> ResponseReturnValue:
    return render_template(
        "trainer/home.html",
        requests=trainer_tools.pending_requests(current_user),
        cohorts=trainer_tools.visible_cohorts(current_user),
        trainees=trainer_tools.followed_enrolments(current_user),
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


def _followed_enrolment(enrolment_id: int) -> Enrolment:
    """The enrolment, if the current trainer follows it (its cohort's trainers, or admins)."""
    enrolment = db.session.get(Enrolment, enrolment_id) or abort(404)
    if not can_follow_enrolment(current_user, enrolment):
        abort(403)
    return enrolment


def _taught_cohort(cohort_id: int) -> Cohort:
    """The cohort, if the current user teaches it (or is an admin)."""
    cohort = db.session.get(Cohort, cohort_id) or abort(404)
    if not teaches_cohort(current_user, cohort):
        abort(403)
    return cohort


@bp.post("/requests/<int:enrolment_id>")
@require_role(TRAINER, ADMIN)
def decide(enrolment_id: int) -> ResponseReturnValue:
    enrolment = _followed_enrolment(enrolment_id)
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


@bp.get("/enrolments/<int:enrolment_id>")
@require_role(TRAINER, ADMIN)
def trainee(enrolment_id: int) -> ResponseReturnValue:
    enrolment = _followed_enrolment(enrolment_id)
    course = parsed_course(enrolment.course_version)
    signed, hours = credentials.practicum(enrolment)
    records = (
        db.session.execute(
            select(PracticumRecord)
            .where(PracticumRecord.enrolment_id == enrolment.id)
            .order_by(PracticumRecord.observed_on, PracticumRecord.id)
        )
        .scalars()
        .all()
    )
    return render_template(
        "trainer/trainee.html",
        enrolment=enrolment,
        course=course,
        signed=signed,
        hours=hours,
        records=records,
        decision=credentials.decision(enrolment),
        credential=credentials.current_credential(enrolment),
        attendance=credentials.attendance(enrolment),
        form=_practicum_form(course),
        refusal=trainer_tools.may_sign_off(current_user, enrolment),
    )


def _practicum_form(course: Any) -> PracticumForm:
    form = PracticumForm()
    language = str(get_locale())
    practicum = course.certification.requires.practicum
    form.competency.choices = [SelectChoice("", _("None: hours only"))] + [
        SelectChoice(c.id, localised(dict(c.title), language))
        for c in (practicum.competencies if practicum else ())
    ]
    return form


@bp.post("/enrolments/<int:enrolment_id>/practicum")
@require_role(TRAINER, ADMIN)
def sign_off(enrolment_id: int) -> ResponseReturnValue:
    enrolment = _followed_enrolment(enrolment_id)
    form = _practicum_form(parsed_course(enrolment.course_version))
    if not form.validate_on_submit():
        flash(_("Check the form: a date is needed, and hours from 0 to 200."), "error")
    else:
        try:
            trainer_tools.record_practicum(
                enrolment,
                current_user,
                competency_id=form.competency.data or None,
                hours=float(form.hours.data or 0),
                observed_on=form.observed_on.data,
                supervisor_name=form.supervisor_name.data or "",
                notes=form.notes.data or "",
            )
        except trainer_tools.SignOffRefused:
            abort(403)
        flash(_("Practicum record saved."), "success")
    return redirect(url_for("trainer.trainee", enrolment_id=enrolment.id))


@bp.post("/enrolments/<int:enrolment_id>/issue")
@require_role(TRAINER, ADMIN)
def approve_credential(enrolment_id: int) -> ResponseReturnValue:
    enrolment = _followed_enrolment(enrolment_id)
    if enrolment.user_id == current_user.id:
        abort(403)
    verdict = credentials.decision(enrolment)
    if verdict.eligible and credentials.current_credential(enrolment) is None:
        credential = credentials.issue(enrolment, current_user)
        flash(_("Credential %(number)s issued.", number=credential.number), "success")
    else:
        flash(_("The credential cannot be issued yet."), "error")
    return redirect(url_for("trainer.trainee", enrolment_id=enrolment.id))


@bp.route("/cohorts/<int:cohort_id>/attendance", methods=["GET", "POST"])
@require_role(TRAINER, ADMIN)
def attendance(cohort_id: int) -> ResponseReturnValue:
    cohort = _taught_cohort(cohort_id)
    form = SessionForm()
    if form.validate_on_submit():
        trainer_tools.add_session(cohort, form.held_on.data, form.title.data or "", current_user)
        flash(_("Session added."), "success")
        return redirect(url_for("trainer.attendance", cohort_id=cohort.id))
    sessions = (
        db.session.execute(
            select(AttendanceSession)
            .where(AttendanceSession.cohort_id == cohort.id)
            .order_by(AttendanceSession.held_on, AttendanceSession.id)
        )
        .scalars()
        .all()
    )
    return render_template(
        "trainer/attendance.html",
        cohort=cohort,
        sessions=[(s, trainer_tools.present_user_ids(s)) for s in sessions],
        enrolments=trainer_tools.cohort_enrolments(cohort),
        form=form,
    )


@bp.post("/sessions/<int:session_id>/marks")
@require_role(TRAINER, ADMIN)
def mark_attendance(session_id: int) -> ResponseReturnValue:
    session = db.session.get(AttendanceSession, session_id) or abort(404)
    _taught_cohort(session.cohort_id)
    present = {int(v) for v in request.form.getlist("present") if v.isdigit()}
    trainer_tools.mark_attendance(session, present, current_user)
    flash(_("Attendance saved."), "success")
    return redirect(url_for("trainer.attendance", cohort_id=session.cohort_id))
