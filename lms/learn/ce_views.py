"""The coach's continuing-education page: the ledger, hours per renewable credential, and the
form to submit an external activity with evidence; and the access-checked evidence download."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from werkzeug.exceptions import RequestEntityTooLarge

from lms.domain.credentials.evidence import MAX_EVIDENCE_BYTES
from lms.extensions import db
from lms.learn.ce_forms import CeSubmissionForm
from lms.learn.views import bp
from lms.models import CeActivity
from lms.permissions import can_see_ce_evidence
from lms.services import clock
from lms.services.renewal import evidence, ledger, providers
from lms.web.ce_labels import KIND_LABELS, STATUS_LABELS, hours_text

OTHER_AREA = "other"
# Room for the form's other fields around the file.
_MAX_REQUEST = MAX_EVIDENCE_BYTES + 64 * 1024
EVIDENCE_PROBLEMS = {
    "empty": _l("The file is empty."),
    "too_large": _l("The file is larger than 5 MB. Upload a smaller scan or photo."),
    "type": _l("The file is not a PDF, PNG or JPEG. Upload the certificate in one of these."),
}


def _language() -> str:
    return str(get_locale() or "mn")


def _area_titles(hours: list[ledger.CredentialHours]) -> dict[str, str]:
    """Topic area id → its title in the page's language, from the coach's renewal rules."""
    language, titles = _language(), {}
    for entry in hours:
        for area in entry.rule.areas:
            title = area.title.get(language) or next(iter(area.title.values()), area.id)
            titles.setdefault(area.id, title)
    titles[OTHER_AREA] = str(_("Another topic"))
    return titles


def _page(form: CeSubmissionForm | None = None, status: int = 200, **extra: Any) -> Any:
    activities = ledger.entries(current_user)
    hours = ledger.credential_hours(
        current_user, [ledger.as_activity(a) for a in activities if a.status != ledger.RETURNED]
    )
    titles = _area_titles(hours)
    form = form or CeSubmissionForm(formdata=None)
    form.area.choices = list(titles.items())
    page = render_template(
        "learn/continuing_education.html",
        form=form,
        activities=activities,
        hours=hours,
        area_titles=titles,
        providers=providers.active_providers(),
        status_labels=STATUS_LABELS,
        kind_labels=KIND_LABELS,
        language=_language(),
        hours_text=hours_text,
        **extra,
    )
    return page, status


@bp.get("/continuing-education")
@login_required
def continuing_education() -> ResponseReturnValue:
    return _page()


@bp.post("/continuing-education")
@login_required
def submit_ce() -> ResponseReturnValue:
    if (request.content_length or 0) > _MAX_REQUEST:
        return _too_large()
    request.max_content_length = _MAX_REQUEST
    try:
        form = CeSubmissionForm()
        form.area.choices = list(_area_titles(ledger.credential_hours(current_user)).items())
        valid = form.validate_on_submit()
    except RequestEntityTooLarge:
        return _too_large()
    if valid and form.done_on.data > clock.today():
        form.done_on.errors = [_("The date cannot be in the future.")]
        valid = False
    if not valid:
        return _page(form, 400)
    upload = form.evidence.data
    data = upload.stream.read(MAX_EVIDENCE_BYTES + 1)
    submission = ledger.Submission(
        kind=form.kind.data,
        title=form.title.data.strip(),
        provider=" ".join(form.provider.data.split()),
        on=form.done_on.data,
        hours=form.hours.data,
        area=form.area.data,
        evidence=data,
        evidence_name=(upload.filename or "")[-200:],
    )
    try:
        activity = ledger.submit(current_user, submission)
    except ledger.EvidenceRefused as refused:
        form.evidence.errors = [str(EVIDENCE_PROBLEMS[refused.problem])]
        return _page(form, 413 if refused.problem == "too_large" else 400)
    if activity.status == ledger.APPROVED:
        flash(_("Activity recorded and approved: its provider is pre-approved."), "success")
    else:
        flash(_("Activity submitted. A trainer will review it."), "success")
    return redirect(url_for("learn.continuing_education"), 303)


def _too_large() -> ResponseReturnValue:
    form = CeSubmissionForm(formdata=None)
    form.evidence.errors = [str(EVIDENCE_PROBLEMS["too_large"])]
    return _page(form, 413)


@bp.get("/continuing-education/<int:activity_id>/evidence")
@login_required
def ce_evidence(activity_id: int) -> ResponseReturnValue:
    """The evidence file, to its coach, the trainers who may decide it, reviewers and admins;
    404 to everyone else (nothing says the activity exists). Always a download."""
    activity = db.session.get(CeActivity, activity_id)
    if activity is None or not can_see_ce_evidence(current_user, activity):
        abort(404)
    found = evidence.path_of(activity.evidence_file)
    if found is None:
        abort(404)
    path, kind = found
    response = send_file(
        path,
        mimetype=kind.mimetype,
        as_attachment=True,
        download_name=f"evidence-{activity.id}.{kind.extension}",
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
