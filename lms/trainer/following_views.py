"""Following trainees: one trainee's record, their attempts and accommodation, attendance.

Every route loads what it acts on through `lms.trainer.access`, so a trainer of one cohort
never reaches another cohort's trainees (admins reach all).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from lms.domain.roles import ADMIN, TRAINER
from lms.permissions import require_role
from lms.services import certification, clock
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
    VoidPracticumForm,
)
from lms.trainer.views import bp
from lms.web.attempt_review import review


@bp.get("/enrolments/<int:enrolment_id>")
@require_role(TRAINER, ADMIN)
def trainee(enrolment_id: int) -> ResponseReturnValue:
    return _trainee_page(followed_enrolment(enrolment_id))


def _trainee_page(
    enrolment: Any,
    form: PracticumForm | None = None,
    void_form: VoidPracticumForm | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    """The trainee's page; a practicum form that failed is shown with its errors (400)."""
    course = parsed_course(enrolment.course_version)
    signed, hours = certification.practicum(enrolment)
    language = str(get_locale())
    accommodation = trainee_overview.accommodation_of(enrolment.user)
    # The form shows what is in force: empty when nothing is (not a suggested 1.5).
    in_force = accommodation is not None and not accommodation.no_time_limit
    accommodation_form = TraineeAccommodationForm(
        time_multiplier=Decimal(f"{accommodation.time_multiplier:g}") if in_force else None,
        no_time_limit=accommodation.no_time_limit if accommodation else False,
    )
    records = trainee_overview.practicum_log(enrolment)
    response = make_response(
        render_template(
            "trainer/trainee.html",
            enrolment=enrolment,
            course=course,
            signed=signed,
            hours=hours,
            records=records,
            attempts=trainee_overview.attempt_rows(enrolment, language),
            accommodation=accommodation,
            accommodation_form=accommodation_form,
            decision=certification.decision(enrolment),
            credential=credentials.current_credential(enrolment),
            attendance=certification.attendance(enrolment),
            form=_practicum_form(course, enrolment, form),
            void_form=_void_form(course, records, void_form),
            refusal=practicum.may_sign_off(current_user, enrolment),
        ),
        status,
    )
    response.headers["Cache-Control"] = "no-store"  # grade data
    return response


def _competency_titles(course: Any) -> dict[str, str]:
    language = str(get_locale())
    practicum = course.certification.requires.practicum
    return {
        c.id: localised(dict(c.title), language)
        for c in (practicum.competencies if practicum else ())
    }


def _practicum_form(
    course: Any, enrolment: Any, form: PracticumForm | None = None
) -> PracticumForm:
    form = form or PracticumForm()
    form.competency.choices = [SelectChoice("", _("None: hours only"))] + [
        SelectChoice(cid, title) for cid, title in _competency_titles(course).items()
    ]
    earliest, today = practicum.earliest_observation(enrolment), clock.today()
    form.observed_on.render_kw = {"min": earliest.isoformat(), "max": today.isoformat()}
    form.observed_on.description = _(
        "From %(start)s (the start of the enrolment) to today, %(today)s.",
        start=format_date(earliest, "medium"),
        today=format_date(today, "medium"),
    )
    return form


def _void_form(
    course: Any, records: list[Any], form: VoidPracticumForm | None = None
) -> VoidPracticumForm:
    form = form or VoidPracticumForm()
    titles = _competency_titles(course)
    form.record.choices = [
        SelectChoice(
            r.id,
            _(
                "%(date)s · %(what)s · %(hours)s h · signed by %(name)s",
                date=format_date(r.observed_on, "medium"),
                what=titles.get(r.competency_id, r.competency_id)
                if r.competency_id
                else _("hours only"),
                hours=f"{r.hours:g}",
                name=r.signed_by.name,
            ),
        )
        for r in records
        if r.voided_at is None
    ]
    return form


PRACTICUM_PROBLEMS = {
    "future": ("observed_on", _l("The date of observation cannot be after today.")),
    "before_start": (
        "observed_on",
        _l("The date of observation cannot be before the enrolment began."),
    ),
    "hours": ("hours", _l("Use a number from 0 to 200.")),
    "competency": ("competency", _l("Choose a competency of this course.")),
    "empty": ("hours", _l("Enter more than 0 hours, or choose the competency signed off.")),
}


@bp.post("/enrolments/<int:enrolment_id>/practicum")
@require_role(TRAINER, ADMIN)
def sign_off(enrolment_id: int) -> ResponseReturnValue:
    enrolment = followed_enrolment(enrolment_id)
    refusal = practicum.may_sign_off(current_user, enrolment)
    if refusal:
        abort(403)
    form = _practicum_form(parsed_course(enrolment.course_version), enrolment)
    if not form.validate_on_submit():
        return _trainee_page(enrolment, form=form, status=400)
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
    except practicum.PracticumRejected as rejected:
        for code in rejected.problems:
            name, message = PRACTICUM_PROBLEMS[code]
            form[name].errors = [*form[name].errors, str(message)]
        return _trainee_page(enrolment, form=form, status=400)
    flash(_("Practicum record saved."), "success")
    return redirect(url_for("trainer.trainee", enrolment_id=enrolment.id, _anchor="practicum"))


@bp.post("/enrolments/<int:enrolment_id>/practicum/void")
@require_role(TRAINER, ADMIN)
def void_practicum(enrolment_id: int) -> ResponseReturnValue:
    enrolment = followed_enrolment(enrolment_id)
    if practicum.may_sign_off(current_user, enrolment):
        abort(403)
    course = parsed_course(enrolment.course_version)
    form = _void_form(course, trainee_overview.practicum_log(enrolment))
    if not form.validate_on_submit():
        return _trainee_page(enrolment, void_form=form, status=400)
    record = practicum.find_record(enrolment, form.record.data) or abort(404)
    try:
        practicum.void_record(record, current_user, form.reason.data or "")
    except practicum.SignOffRefused:
        abort(403)
    except practicum.PracticumRejected as rejected:
        if "already_void" in rejected.problems:
            form.record.errors = [_("This record is already void.")]
        else:
            form.reason.errors = [_("Write why the record is void, in at most 500 characters.")]
        return _trainee_page(enrolment, void_form=form, status=400)
    flash(_("The record is void: it no longer counts towards the practicum."), "success")
    if credentials.current_credential(enrolment) is not None:
        flash(
            _(
                "A credential was already issued for this enrolment, and voiding does not take "
                "it back. If it no longer stands, ask a registry reviewer to suspend or revoke it."
            ),
            "info",
        )
    return redirect(url_for("trainer.trainee", enrolment_id=enrolment.id, _anchor="practicum"))


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
        flash(_("Check the accommodation: a multiplier from 1 to 5, or no time limit."), "error")
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
        flash(_("Check the accommodation: a multiplier from 1 to 5, or no time limit."), "error")
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
