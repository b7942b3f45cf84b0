"""Batch eligibility: upload a CSV of (credential number or national ID, date) rows, see the
answer for each row, download the result as CSV or XLSX.

Everything is posted: the file holds national registration numbers, which never go into a
URL. The download posts the sealed file back and checks it again (nothing is stored).
"""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from lms.domain.bulk_enrolment import Problem
from lms.domain.registry import batch
from lms.domain.roles import ADMIN, REVIEWER
from lms.permissions import require_role
from lms.registry.batch_forms import BatchDownloadForm, BatchUploadForm
from lms.registry.exports import XLSX_MIMETYPE, _read_and_close
from lms.registry.views import bp
from lms.services import clock
from lms.services.registry import batch_eligibility as batch_service
from lms.web.credential_display import status_label
from lms.web.eligibility_words import change_label, explain, outcome_label, problem_text

PREVIEW_ROWS = 500  # rows shown on the page; the downloads hold every row


def _words() -> batch_service.Words:
    return batch_service.Words(
        headers={
            "line": _("Line"),
            "given": _("Credential number or national registration number"),
            "given_date": _("Date"),
            "outcome": _("Answer"),
            "explanation": _("Why"),
            "number": _("Credential number"),
            "holder_name": _("Holder"),
            "status_on_date": _("Status on the date"),
            "valid_from": _("Valid from"),
            "valid_to": _("Valid until"),
            "later_change": _("Later change"),
        },
        outcome=outcome_label,
        explain=explain,
        status=_status_on_date,
        change=change_label,
    )


def _status_on_date(status: str) -> str:
    return _("Not issued yet") if status == "not_issued" else status_label(status)


def _upload_page(form: BatchUploadForm, problem: Problem | None = None) -> str:
    return render_template(
        "registry/batch_eligibility.html",
        form=form,
        problem=problem_text(problem) if problem else None,
        max_rows=batch.MAX_ROWS,
    )


@bp.route("/eligibility/batch", methods=["GET", "POST"])
@require_role(REVIEWER, ADMIN)
def batch_eligibility() -> ResponseReturnValue:
    form = BatchUploadForm()
    if not form.validate_on_submit():
        return _upload_page(form), 400 if form.errors else 200
    data = form.file.data.read(batch.MAX_BYTES + 1)
    result = batch_service.check_file(data)
    if result.parsed.problem is not None:
        return _upload_page(form, result.parsed.problem), 400
    sealed = batch_service.seal(data, current_user)
    if sealed is None:
        return _upload_page(form, Problem("too_long")), 400
    batch_service.record(current_user, "registry.batch_eligibility", result)
    return render_template(
        "registry/batch_eligibility_result.html",
        result=result,
        counts=result.counts,
        shown=result.answers[:PREVIEW_ROWS],
        form=BatchDownloadForm(batch=sealed),
        explain=explain,
        outcome_label=outcome_label,
        change_label=change_label,
    )


@bp.post("/eligibility/batch/result")
@require_role(REVIEWER, ADMIN)
def batch_eligibility_result() -> ResponseReturnValue:
    form = BatchDownloadForm()
    try:
        if not form.validate_on_submit():
            raise batch_service.TokenInvalid
        result = batch_service.check_file(batch_service.unseal(form.batch.data or "", current_user))
        if result.parsed.problem is not None:
            raise batch_service.TokenInvalid
    except batch_service.TokenInvalid:
        flash(_("This result has expired. Upload the file again."), "error")
        return redirect(url_for("registry.batch_eligibility"), 303)
    kind = "xlsx" if form.xlsx.data else "csv"
    batch_service.record(current_user, "registry.batch_eligibility_download", result, kind)
    name = f"eligibility-{clock.today().isoformat()}.{kind}"
    headers = {"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"}
    if kind == "csv":
        body = batch_service.result_csv(result, _words())
        return Response(body, mimetype="text/csv", headers=headers)
    workbook = batch_service.result_xlsx(result, _words())
    return Response(_read_and_close(workbook), mimetype=XLSX_MIMETYPE, headers=headers)


@bp.get("/eligibility/batch/template.csv")
@require_role(REVIEWER, ADMIN)
def batch_eligibility_template() -> ResponseReturnValue:
    # With the byte order mark Excel opens the Cyrillic column titles correctly.
    body = "\ufeff" + batch.template(str(get_locale() or "mn"))
    return Response(
        body.encode("utf-8"),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="eligibility-batch-template.csv"'},
    )
