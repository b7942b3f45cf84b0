"""CSV and XLSX exports of exactly the reviewer's current filter (all pages), streamed.

Both take the list's query-string values (`RegistryFilter.from_args`; page and per_page are
ignored). They hold national registration numbers, so they are for reviewers and admins only
and every export is audited; `national_ids=0` leaves that column out.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import IO, Any

from flask import (
    Response,
    abort,
    redirect,
    render_template,
    request,
    send_file,
    stream_with_context,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from lms.domain.registry.filters import STATUSES, RegistryFilter
from lms.domain.roles import ADMIN, REVIEWER
from lms.permissions import require_role
from lms.registry.views import bp
from lms.services import clock
from lms.services.registry import export as registry_export
from lms.services.registry import export_jobs
from lms.services.registry import query as registry_query
from lms.web.credential_display import status_label
from lms.web.renewal_status import renewal_value_labels

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def column_headers() -> dict[str, str]:
    """Column titles in the reader's language."""
    return {
        "number": _("Credential number"),
        "holder_name": _("Holder"),
        "national_id": _("National registration number"),
        "region_code": _("Region code"),
        "region_name": _("Aimag or district"),
        "organisation": _("Organisation"),
        "course_slug": _("Course"),
        "course_version": _("Course version"),
        "kind": _("Course kind"),
        "credential_name": _("Credential"),
        "classroom_hours": _("Classroom hours"),
        "practicum_hours": _("Practicum hours"),
        "issued_on": _("Issued on"),
        "expires_on": _("Expires on"),
        "status": _("Status today"),
        "qualifies_for_subsidy": _("Qualifies for the subsidy today"),
        "issuing_trainer": _("Issuing trainer"),
        "renewal_status": _("Renewal status"),
    }


def value_labels() -> dict[str, str]:
    return {
        **{status: status_label(status) for status in STATUSES},
        "yes": _("Yes"),
        "no": _("No"),
        **renewal_value_labels(),
    }


def _export_request() -> tuple[RegistryFilter, bool]:
    view = RegistryFilter.from_args(request.args)
    if view.problems:
        abort(400)  # exporting a broader list than the reviewer meant would be worse
    return replace(view, page=1), request.args.get("national_ids", "1") != "0"


def _read_and_close(file: IO[bytes]) -> Iterator[bytes]:
    """Stream a file in blocks, closing (and so deleting) it at the end or on disconnect."""
    try:
        while block := file.read(64 * 1024):
            yield block
    finally:
        file.close()


def _disposition(extension: str) -> str:
    return f'attachment; filename="registry-{clock.today().isoformat()}.{extension}"'


def _export(kind: str, mimetype: str, body: Any) -> Response:
    """Audit an export of the requested filter, then send `body(view, on, language, headers,
    labels, with_ids)` (an iterator of bytes) as a dated attachment."""
    view, with_ids = _export_request()
    on = clock.today()
    registry_export.record_export(
        current_user, kind, view, registry_query.count(view, on), with_ids
    )
    chunks = body(view, on, str(get_locale() or "mn"), column_headers(), value_labels(), with_ids)
    return Response(
        stream_with_context(chunks),
        mimetype=mimetype,
        headers={"Content-Disposition": _disposition(kind), "Cache-Control": "no-store"},
    )


@bp.get("/export.csv")
@require_role(REVIEWER, ADMIN)
def export_csv() -> ResponseReturnValue:
    return _export("csv", "text/csv", registry_export.csv_chunks)


@bp.get("/export.xlsx")
@require_role(REVIEWER, ADMIN)
def export_xlsx() -> ResponseReturnValue:
    view, _with_ids = _export_request()
    rows = registry_query.count(view, clock.today())
    if rows > export_jobs.inline_limit() and export_jobs.can_run_in_background(view):
        # Too large to build while the browser waits: offer a job (a POST) instead.
        action = url_for("registry.prepare_export", **request.args)
        limit = export_jobs.inline_limit()
        return render_template(
            "registry/export_prepare.html", rows=rows, limit=limit, action=action
        )
    return _export(
        "xlsx",
        XLSX_MIMETYPE,
        lambda *args: _read_and_close(registry_export.xlsx_file(*args)),
    )


@bp.post("/exports")
@require_role(REVIEWER, ADMIN)
def prepare_export() -> ResponseReturnValue:
    view, with_ids = _export_request()
    if not export_jobs.can_run_in_background(view):
        abort(400)
    on = clock.today()
    rows = registry_query.count(view, on)
    language = str(get_locale() or "mn")
    job_id = export_jobs.ask(
        current_user, view, on, language, column_headers(), value_labels(), with_ids, rows
    )
    return redirect(url_for("registry.export_job", job_id=job_id), 303)


@bp.get("/exports/<int:job_id>")
@require_role(REVIEWER, ADMIN)
def export_job(job_id: int) -> ResponseReturnValue:
    job = export_jobs.find(job_id, current_user) or abort(404)
    return render_template("registry/export_job.html", job=job)


@bp.get("/exports/<int:job_id>/download")
@require_role(REVIEWER, ADMIN)
def export_download(job_id: int) -> ResponseReturnValue:
    job = export_jobs.find(job_id, current_user) or abort(404)
    if job.state == "expired":
        abort(410)
    if job.state != "ready":
        abort(404)
    export_jobs.record_download(current_user, job)
    response = send_file(
        job.path,
        mimetype=XLSX_MIMETYPE,
        as_attachment=True,
        download_name=f"registry-{job.asked_on.isoformat()}.xlsx",
        max_age=0,
    )
    response.headers["Cache-Control"] = "no-store"
    return response
