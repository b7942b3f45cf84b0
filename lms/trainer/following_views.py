"""Following trainees: one trainee's record, their attempts and accommodation, attendance.

Every route loads what it acts on through `lms.trainer.access`, so a trainer of one cohort
never reaches another cohort's trainees (admins reach all).
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from lms.domain.roles import ADMIN, TRAINER
from lms.permissions import require_role
from lms.services import certification
from lms.services.cohorts import accommodations, practicum, trainee_overview
from lms.services.cohorts import attendance as attendance_service
from lms.services.courses.store import parsed_course
from lms.services.credentials import issuing as credentials
from lms.services.learning import attempts as attempt_service
from lms.services.learning.progress import localised
from lms.trainer.access import followed_attempt, followed_enrolment, taught_cohort, taught_session
from lms.trainer.forms import (
    AccommodationForm,
    PracticumForm,
    SessionEditForm,
    SessionForm,
    TraineeAccommodationForm,
)
from lms.trainer.views import bp
from lms.web.attempt_review import review


@bp.get("/enrolments/<int:enrolment_id>")
@require_role(TRAINER, ADMIN)
def trainee(enrolment_id: int) -> ResponseReturnValue:
    enrolment = followed_enrolment(enrolment_id)
    course = parsed_course(enrolment.course_version)
    signed, hours = certification.practicum(enrolment)
    language = str(get_locale())
    accommodation = trainee_overview.accommodation_of(enrolment.user)
    accommodation_form = TraineeAccommodationForm(
        time_multiplier=accommodation.time_multiplier if accommodation else 1.5,
        no_time_limit=accommodation.no_time_limit if accommodation else False,
    )
    response = make_response(
        render_template(
            "trainer/trainee.html",
            enrolment=enrolment,
            course=course,
            signed=signed,
            hours=hours,
            records=trainee_overview.practicum_log(enrolment),
            attempts=trainee_overview.attempt_rows(enrolment, language),
            accommodation=accommodation,
            accommodation_form=accommodation_form,
            decision=certification.decision(enrolment),
            credential=credentials.current_credential(enrolment),
            attendance=certification.attendance(enrolment),
            form=_practicum_form(course),
            refusal=practicum.may_sign_off(current_user, enrolment),
        )
    )
    response.headers["Cache-Control"] = "no-store"  # grade data
    return response


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
    enrolment = followed_enrolment(enrolment_id)
    form = _practicum_form(parsed_course(enrolment.course_version))
    if not form.validate_on_submit():
        flash(_("Check the form: a date is needed, and hours from 0 to 200."), "error")
    else:
        try:
            practicum.record_practicum(
                enrolment,
                current_user,
                competency_id=form.competency.data or None,
                hours=float(form.hours.data or 0),
                observed_on=form.observed_on.data,
                supervisor_name=form.supervisor_name.data or "",
                notes=form.notes.data or "",
            )
        except practicum.SignOffRefused:
            abort(403)
        flash(_("Practicum record saved."), "success")
    return redirect(url_for("trainer.trainee", enrolment_id=enrolment.id))


@bp.post("/enrolments/<int:enrolment_id>/issue")
@require_role(TRAINER, ADMIN)
def approve_credential(enrolment_id: int) -> ResponseReturnValue:
    enrolment = followed_enrolment(enrolment_id)
    if enrolment.user_id == current_user.id:
        abort(403)
    verdict = certification.decision(enrolment)
    if verdict.eligible and credentials.current_credential(enrolment) is None:
        try:
            credential = credentials.issue(enrolment, current_user)
        except credentials.AlreadyIssued:
            flash(_("This trainee's credential has already been issued."), "error")
        else:
            flash(_("Credential %(number)s issued.", number=credential.number), "success")
    else:
        flash(_("The credential cannot be issued yet."), "error")
    return redirect(url_for("trainer.trainee", enrolment_id=enrolment.id))


@bp.post("/enrolments/<int:enrolment_id>/accommodation")
@require_role(TRAINER, ADMIN)
def set_accommodation(enrolment_id: int) -> ResponseReturnValue:
    enrolment = followed_enrolment(enrolment_id)
    form = TraineeAccommodationForm()
    if form.validate_on_submit():
        accommodations.set_accommodation(
            enrolment.user,
            float(form.time_multiplier.data or 1),
            bool(form.no_time_limit.data),
            current_user,
        )
        flash(_("Accommodation saved for %(name)s.", name=enrolment.user.name), "success")
    else:
        flash(_("Check the accommodation: the multiplier must be from 1 to 5."), "error")
    return redirect(url_for("trainer.trainee", enrolment_id=enrolment.id, _anchor="accommodation"))


@bp.post("/accommodations")
@require_role(TRAINER, ADMIN)
def accommodation() -> ResponseReturnValue:
    """The workspace's form by email, limited to trainees the trainer follows."""
    form = AccommodationForm()
    if form.validate_on_submit():
        user = trainee_overview.followed_user_by_email(current_user, form.email.data or "")
        if user is None:
            flash(_("None of the trainees you follow has this email address."), "error")
        else:
            accommodations.set_accommodation(
                user,
                float(form.time_multiplier.data or 1),
                bool(form.no_time_limit.data),
                current_user,
            )
            flash(_("Accommodation saved for %(name)s.", name=user.name), "success")
    else:
        flash(_("Check the accommodation: the multiplier must be from 1 to 5."), "error")
    return redirect(url_for("trainer.home"))


@bp.get("/attempts/<int:attempt_id>")
@require_role(TRAINER, ADMIN)
def attempt(attempt_id: int) -> ResponseReturnValue:
    attempt = followed_attempt(attempt_id)
    if attempt.state == attempt_service.IN_PROGRESS:
        attempt_service.expire_if_due(attempt)
    quiz = attempt_service.quiz_of(attempt, attempt.quiz_id) or abort(404)
    response = make_response(
        render_template(
            "trainer/trainee_attempt.html",
            attempt=attempt,
            enrolment=attempt.enrolment,
            quiz=quiz,
            title=localised(dict(quiz.title), str(get_locale())),
            time_taken=trainee_overview.time_taken(attempt),
            questions=review(attempt, quiz),
        )
    )
    response.headers["Cache-Control"] = "no-store"  # grade data
    return response


@bp.route("/cohorts/<int:cohort_id>/attendance", methods=["GET", "POST"])
@require_role(TRAINER, ADMIN)
def attendance(cohort_id: int) -> ResponseReturnValue:
    cohort = taught_cohort(cohort_id)
    form = SessionForm()
    if form.validate_on_submit():
        session = attendance_service.add_session(
            cohort, form.held_on.data, form.title.data or "", current_user
        )
        flash(_("Session added. Mark who is present below."), "success")
        return redirect(url_for("trainer.session", session_id=session.id))
    return render_template(
        "trainer/attendance.html",
        cohort=cohort,
        sessions=attendance_service.sessions(cohort),
        trainees=len(attendance_service.members(cohort)),
        required_share=parsed_course(cohort.course_version).certification.requires.attendance,
        form=form,
    )


@bp.get("/sessions/<int:session_id>")
@require_role(TRAINER, ADMIN)
def session(session_id: int) -> ResponseReturnValue:
    session = taught_session(session_id)
    roster = attendance_service.roster(session)
    form = SessionEditForm(held_on=session.held_on, title=session.title)
    return render_template(
        "trainer/attendance_session.html",
        session=session,
        cohort=session.cohort,
        roster=roster,
        present=sum(entry.present for entry in roster),
        form=form,
    )


@bp.post("/sessions/<int:session_id>/marks")
@require_role(TRAINER, ADMIN)
def mark_attendance(session_id: int) -> ResponseReturnValue:
    session = taught_session(session_id)
    bulk = request.form.get("bulk")
    members = attendance_service.members(session.cohort)
    if bulk == "all":
        present = {user.id for _enrolment, user in members}
    elif bulk == "none":
        present = set()
    else:
        present = {int(v) for v in request.form.getlist("present") if v.isdigit()}
    attendance_service.mark_attendance(session, present, current_user)
    count = len(present & {user.id for _enrolment, user in members})
    flash(
        _(
            "Attendance saved: %(present)s of %(total)s present.",
            present=count,
            total=len(members),
        ),
        "success",
    )
    return redirect(url_for("trainer.session", session_id=session.id))


@bp.post("/sessions/<int:session_id>/edit")
@require_role(TRAINER, ADMIN)
def edit_session(session_id: int) -> ResponseReturnValue:
    session = taught_session(session_id)
    form = SessionEditForm()
    if form.validate_on_submit():
        attendance_service.edit_session(
            session, form.held_on.data, form.title.data or "", current_user
        )
        flash(_("Session changed."), "success")
    else:
        flash(_("Check the session: a date is needed."), "error")
    return redirect(url_for("trainer.session", session_id=session.id))


@bp.post("/sessions/<int:session_id>/delete")
@require_role(TRAINER, ADMIN)
def delete_session(session_id: int) -> ResponseReturnValue:
    session = taught_session(session_id)
    cohort_id = session.cohort_id
    try:
        attendance_service.delete_session(session, current_user)
    except attendance_service.SessionNotEmpty:
        flash(_("A session where someone was marked present cannot be deleted."), "error")
        return redirect(url_for("trainer.session", session_id=session_id))
    flash(_("Session deleted."), "success")
    return redirect(url_for("trainer.attendance", cohort_id=cohort_id))
