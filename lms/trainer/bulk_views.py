"""Bulk enrolment of a cohort from a CSV file: upload, preview row by row, apply."""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from lms.domain import bulk_enrolment as bulk_file
from lms.domain.bulk_enrolment import Problem
from lms.domain.roles import ADMIN, TRAINER
from lms.models import Cohort
from lms.permissions import require_role
from lms.services.cohorts import bulk_enrolment as bulk_service
from lms.services.learning import seats
from lms.trainer.access import taught_cohort
from lms.trainer.forms import BulkApplyForm, BulkUploadForm
from lms.trainer.views import bp

_PROBLEMS = {
    # the whole file
    "too_large": _l("The file is too large (over %(detail)s kB). Split it into smaller files."),
    "utf16": _l("The file is not saved as UTF-8. In Excel, save it as “CSV UTF-8”."),
    "not_utf8": _l("The file is not saved as UTF-8. In Excel, save it as “CSV UTF-8”."),
    "empty": _l("The file is empty."),
    "bad_csv": _l("The file cannot be read as CSV near line %(detail)s: check the quotes."),
    "duplicate_column": _l("The column “%(detail)s” appears twice."),
    "missing_columns": _l(
        "Columns are missing: %(detail)s. The first row must hold the column titles."
    ),
    "no_rows": _l("The file has column titles but nobody to enrol."),
    "too_many_rows": _l("The file has more than %(detail)s rows. Split it into smaller files."),
    # one row
    "name_missing": _l("The name is missing."),
    "name_too_long": _l("The name is longer than %(detail)s characters."),
    "email_missing": _l("The email address is missing."),
    "email_invalid": _l("“%(detail)s” is not a valid email address."),
    "email_duplicate": _l("The same email address is on line %(detail)s."),
    "phone_invalid": _l("“%(detail)s” is not a phone number."),
    "region_unknown": _l("Unknown aimag or district: “%(detail)s”."),
    "region_ambiguous": _l(
        "“%(detail)s” is both an aimag and a district: add “аймаг” or “дүүрэг”."
    ),
    "organisation_too_long": _l("The organisation is longer than %(detail)s characters."),
    "account_disabled": _l("This account is disabled."),
    "enrolled_elsewhere": _l("Already enrolled in this course, in another cohort or alone."),
    "prerequisites": _l("Does not meet the prerequisites of this course."),
    "cohort_full": _l("No place left: the cohort is full."),
}
_COLUMNS = {
    "name": _l("name"),
    "email": _l("email"),
}


def problem_text(problem: Problem) -> str:
    detail = problem.detail
    if problem.code == "missing_columns":
        detail = ", ".join(str(_COLUMNS.get(c, c)) for c in detail.split(", "))
    return str(_PROBLEMS[problem.code]) % {"detail": detail}


def _upload_page(cohort: Cohort, form: BulkUploadForm, problem: Problem | None = None) -> str:
    return render_template(
        "trainer/bulk.html",
        cohort=cohort,
        form=form,
        problem=problem_text(problem) if problem else None,
        seats_left=seats.seats_left(cohort),
    )


@bp.route("/cohorts/<int:cohort_id>/bulk", methods=["GET", "POST"])
@require_role(TRAINER, ADMIN)
def bulk_enrolment(cohort_id: int) -> ResponseReturnValue:
    cohort = taught_cohort(cohort_id)
    form = BulkUploadForm()
    if not form.validate_on_submit():
        return _upload_page(cohort, form), 400 if form.errors else 200
    data = form.file.data.read(bulk_file.MAX_BYTES + 1)
    preview = bulk_service.preview(cohort, data, current_user)
    if preview.parsed.problem is not None:
        return _upload_page(cohort, form, preview.parsed.problem), 400
    return _preview_page(cohort, preview)


def _preview_page(cohort: Cohort, preview: bulk_service.Preview, changed: bool = False) -> str:
    form = BulkApplyForm(token=preview.token)
    return render_template(
        "trainer/bulk_preview.html",
        cohort=cohort,
        preview=preview,
        counts=preview.counts,
        form=form,
        changed=changed,
        describe=problem_text,
    )


@bp.post("/cohorts/<int:cohort_id>/bulk/apply")
@require_role(TRAINER, ADMIN)
def bulk_apply(cohort_id: int) -> ResponseReturnValue:
    cohort = taught_cohort(cohort_id)
    form = BulkApplyForm()
    try:
        if not form.validate_on_submit():
            raise bulk_service.TokenInvalid
        result = bulk_service.apply(cohort, form.token.data or "", current_user)
    except bulk_service.TokenInvalid:
        flash(_("This preview has expired. Upload the file again."), "error")
        return redirect(url_for("trainer.bulk_enrolment", cohort_id=cohort.id))
    except bulk_service.PlanChanged as changed:
        if changed.preview.parsed.problem is not None:
            flash(problem_text(changed.preview.parsed.problem), "error")
            return redirect(url_for("trainer.bulk_enrolment", cohort_id=cohort.id))
        return _preview_page(cohort, changed.preview, changed=True), 409
    flash(
        ngettext(
            "%(num)s person enrolled: %(new)s new accounts, %(existing)s existing accounts.",
            "%(num)s people enrolled: %(new)s new accounts, %(existing)s existing accounts.",
            len(result.enrolled),
            new=len(result.created),
            existing=len(result.enrolled) - len(result.created),
        ),
        "success",
    )
    if result.created:
        flash(_("Each new account was sent a link to choose a password."), "info")
    if result.skipped or result.errors:
        flash(
            _(
                "Not enrolled: %(already)s already in the cohort, %(errors)s rows with errors.",
                already=result.skipped,
                errors=result.errors,
            ),
            "info",
        )
    if result.mail_failures:
        flash(
            ngettext(
                "%(num)s link could not be sent: that person can use “Forgot your password?”.",
                "%(num)s links could not be sent: those people can use “Forgot your password?”.",
                result.mail_failures,
            ),
            "error",
        )
    return redirect(url_for("trainer.cohort", cohort_id=cohort.id))


@bp.get("/cohorts/bulk-template.csv")
@require_role(TRAINER, ADMIN)
def bulk_template() -> ResponseReturnValue:
    # With the byte order mark Excel opens the Cyrillic column titles correctly.
    body = "\ufeff" + bulk_file.template(str(get_locale() or "mn"))
    return Response(
        body.encode("utf-8"),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="bulk-enrolment-template.csv"'},
    )
