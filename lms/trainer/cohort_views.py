"""Cohorts: create, see and edit one, its key and trainers, and move it to a newer version."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from lms.domain.roles import ADMIN, TRAINER
from lms.extensions import db
from lms.models import Course, CourseVersion, User
from lms.permissions import require_role
from lms.services.cohorts import management as cohort_management
from lms.services.cohorts import management as cohorts
from lms.services.cohorts import version_move
from lms.services.cohorts.management import CohortDetails, CohortError
from lms.services.learning import seats
from lms.services.learning.progress import localised
from lms.trainer.access import taught_cohort
from lms.trainer.forms import (
    CohortDetailsForm,
    CohortForm,
    CoTrainerForm,
    MoveCohortForm,
    MoveIntoCohortForm,
)
from lms.trainer.views import bp


def _semver(version: CourseVersion) -> tuple[int, int, int]:
    return (version.major, version.minor, version.patch)


def cohort_form() -> CohortForm:
    """The creation form; each course's newest version is listed first and chosen by default."""
    form = CohortForm()
    language = str(get_locale())
    choices = []
    for course in db.session.execute(select(Course).order_by(Course.slug)).scalars():
        versions = sorted(course.versions, key=_semver, reverse=True)
        for index, version in enumerate(versions):
            label = f"{localised(versions[0].meta['title'], language)} — {version.version}"
            if index == 0:
                choices.append(SelectChoice(course.slug, _("%(label)s (newest)", label=label)))
            else:
                choices.append(SelectChoice(f"{course.slug}@{version.version}", label))
    form.course.choices = choices
    return form


def _chosen_version(value: str) -> CourseVersion | None:
    slug, _sep, number = value.partition("@")
    course = db.session.execute(select(Course).where(Course.slug == slug)).scalar_one_or_none()
    if course is None or not course.versions:
        return None
    if not number:
        return max(course.versions, key=_semver)
    return next((v for v in course.versions if v.version == number), None)


def _details(form: CohortDetailsForm) -> CohortDetails:
    return CohortDetails(
        name=(form.name.data or "").strip(),
        starts_on=form.starts_on.data,
        ends_on=form.ends_on.data,
        region=form.region.data or "",
        online=bool(form.online.data),
        capacity=form.capacity.data,
    )


def _trainer_problem(email: str, code: str) -> str:
    if code == "unknown":
        return _("%(email)s: no trainer has an account with this address.", email=email)
    return _("%(email)s: this account does not have the trainer role.", email=email)


@bp.get("/cohorts/new")
@require_role(TRAINER, ADMIN)
def new_cohort() -> ResponseReturnValue:
    return render_template("trainer/cohort_new.html", form=cohort_form())


@bp.post("/cohorts")
@require_role(TRAINER, ADMIN)
def create_cohort() -> ResponseReturnValue:
    form = cohort_form()
    if form.validate_on_submit():
        version = _chosen_version(form.course.data or "")
        co_trainers, problems = cohorts.find_trainers(
            cohorts.split_emails(form.co_trainers.data or "")
        )
        if version is not None and not problems:
            cohort = cohort_management.create_cohort(
                version.course,
                form.name.data or "",
                current_user,
                version=version,
                details=_details(form),
                co_trainers=co_trainers,
            )
            flash(
                _("Cohort created. Its enrolment key is %(key)s.", key=cohort.enrolment_key),
                "success",
            )
            return redirect(url_for("trainer.cohort", cohort_id=cohort.id))
        form.co_trainers.errors = [_trainer_problem(email, code) for email, code in problems]
    return render_template("trainer/cohort_new.html", form=form), 400


@bp.get("/cohorts/<int:cohort_id>")
@require_role(TRAINER, ADMIN)
def cohort(cohort_id: int) -> ResponseReturnValue:
    cohort = taught_cohort(cohort_id)
    return render_template(
        "trainer/cohort.html",
        cohort=cohort,
        trainers=cohorts.trainers(cohort),
        seats_taken=seats.seats_taken(cohort),
        newer=version_move.newer_versions(cohort),
        trainer_form=CoTrainerForm(),
        move_in_form=MoveIntoCohortForm(prefix="move"),
    )


@bp.route("/cohorts/<int:cohort_id>/edit", methods=["GET", "POST"])
@require_role(TRAINER, ADMIN)
def edit_cohort(cohort_id: int) -> ResponseReturnValue:
    cohort = taught_cohort(cohort_id)
    form = CohortDetailsForm(obj=cohort)
    if form.validate_on_submit():
        try:
            cohorts.update_details(cohort, _details(form), current_user)
        except CohortError as error:
            form.capacity.errors = [
                _(
                    "%(taken)s places are already taken: the capacity cannot be lower.",
                    taken=error.detail,
                )
            ]
        else:
            flash(_("Cohort details saved."), "success")
            return redirect(url_for("trainer.cohort", cohort_id=cohort.id))
    status = 400 if form.errors else 200
    return render_template("trainer/cohort_edit.html", cohort=cohort, form=form), status


@bp.post("/cohorts/<int:cohort_id>/key")
@require_role(TRAINER, ADMIN)
def regenerate_key(cohort_id: int) -> ResponseReturnValue:
    cohort = taught_cohort(cohort_id)
    if FlaskForm().validate_on_submit():
        key = cohorts.regenerate_key(cohort, current_user)
        flash(_("New enrolment key: %(key)s. The old key no longer works.", key=key), "success")
    return redirect(url_for("trainer.cohort", cohort_id=cohort.id))


@bp.post("/cohorts/<int:cohort_id>/trainers")
@require_role(TRAINER, ADMIN)
def add_cohort_trainer(cohort_id: int) -> ResponseReturnValue:
    cohort = taught_cohort(cohort_id)
    form = CoTrainerForm()
    if not form.validate_on_submit():
        flash(_("Enter the email address of a trainer."), "error")
        return redirect(url_for("trainer.cohort", cohort_id=cohort.id))
    found, problems = cohorts.find_trainers([form.email.data or ""])
    if problems:
        flash(_trainer_problem(*problems[0]), "error")
    elif cohorts.add_trainer(cohort, found[0], current_user):
        flash(_("%(name)s now teaches this cohort.", name=found[0].name), "success")
    else:
        flash(_("%(name)s already teaches this cohort.", name=found[0].name), "info")
    return redirect(url_for("trainer.cohort", cohort_id=cohort.id))


@bp.post("/cohorts/<int:cohort_id>/trainers/<int:user_id>/remove")
@require_role(TRAINER, ADMIN)
def remove_cohort_trainer(cohort_id: int, user_id: int) -> ResponseReturnValue:
    cohort = taught_cohort(cohort_id)
    user = db.session.get(User, user_id) or abort(404)
    if not FlaskForm().validate_on_submit():
        return redirect(url_for("trainer.cohort", cohort_id=cohort.id))
    try:
        cohorts.remove_trainer(cohort, user, current_user)
    except CohortError as error:
        if error.code == "last_trainer":
            flash(_("A cohort always keeps at least one trainer."), "error")
        else:
            abort(404)
        return redirect(url_for("trainer.cohort", cohort_id=cohort.id))
    flash(_("%(name)s no longer teaches this cohort.", name=user.name), "success")
    if user.id == current_user.id and not current_user.has_role(ADMIN):
        return redirect(url_for("trainer.home"))  # they can no longer open the cohort
    return redirect(url_for("trainer.cohort", cohort_id=cohort.id))


@bp.route("/cohorts/<int:cohort_id>/move", methods=["GET", "POST"])
@require_role(TRAINER, ADMIN)
def move_cohort(cohort_id: int) -> ResponseReturnValue:
    cohort = taught_cohort(cohort_id)
    form = MoveCohortForm()
    if form.validate_on_submit():
        target = version_move.find_newer(cohort, _int(form.version.data))
        if target is None:
            flash(_("Choose one of the newer versions listed."), "error")
            return redirect(url_for("trainer.move_cohort", cohort_id=cohort.id))
        old = cohort.course_version.version
        moved = version_move.move(cohort, target, current_user)
        flash(
            ngettext(
                "The cohort moved from version %(old)s to %(new)s with %(num)s trainee.",
                "The cohort moved from version %(old)s to %(new)s with %(num)s trainees.",
                moved,
                old=old,
                new=target.version,
            ),
            "success",
        )
        return redirect(url_for("trainer.cohort", cohort_id=cohort.id))
    newer = version_move.newer_versions(cohort)
    chosen = version_move.find_newer(cohort, _int(request.args.get("version")))
    if chosen is None and request.args.get("version"):
        abort(404)
    preview = version_move.preview(cohort, chosen) if chosen else None
    if chosen:
        form.version.data = str(chosen.id)
    return render_template(
        "trainer/move.html", cohort=cohort, newer=newer, preview=preview, form=form
    )


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None
