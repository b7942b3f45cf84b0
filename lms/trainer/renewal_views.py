"""Renewal requests to decide: the queue of open requests of the coaches a trainer follows (an
admin: everyone's), each confirmed (a new credential is issued) or refused with a reason."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from lms.domain.roles import ADMIN, TRAINER
from lms.extensions import db
from lms.models import RenewalRequest
from lms.permissions import can_decide_renewal, require_role
from lms.services.renewal import applying, ledger, standing
from lms.trainer.ce_forms import RenewalDecisionForm
from lms.trainer.views import bp
from lms.web.ce_labels import STATUS_LABELS, hours_text
from lms.web.renewal_words import METHOD_LABELS, hours_summary, phase_text, problem_text


def _queue_page(
    failed: RenewalDecisionForm | None = None, failed_id: int | None = None, status: int = 200
) -> Any:
    requests = applying.queue(current_user)
    rows = [(request, standing.state_of(request.credential)) for request in requests]
    forms = {
        request.id: (
            failed
            if failed is not None and request.id == failed_id
            else RenewalDecisionForm(formdata=None, prefix=f"r{request.id}")
        )
        for request in requests
    }
    page = render_template(
        "trainer/renewals.html",
        rows=rows,
        forms=forms,
        method_labels=METHOD_LABELS,
        phase_text=phase_text,
        hours_summary=hours_summary,
        hours_text=hours_text,
        status_labels=STATUS_LABELS,
        ledgers={r.user_id: ledger.entries(r.user) for r in requests},
    )
    return page, status


@bp.get("/renewals")
@require_role(TRAINER, ADMIN)
def renewal_queue() -> ResponseReturnValue:
    return _queue_page()


@bp.post("/renewals/<int:request_id>")
@require_role(TRAINER, ADMIN)
def renewal_decide(request_id: int) -> ResponseReturnValue:
    request = db.session.get(RenewalRequest, request_id)
    if request is None or not can_decide_renewal(current_user, request):
        abort(404)
    form = RenewalDecisionForm(prefix=f"r{request.id}")
    if not form.validate_on_submit():
        return _queue_page(form, request.id, 400)
    try:
        if form.confirm.data:
            new = applying.confirm(request, current_user)
            flash(
                _("Renewal confirmed: the new credential is %(number)s.", number=new.number),
                "success",
            )
        else:
            applying.refuse(request, current_user, form.reason.data or "")
            flash(_("Renewal refused. The coach sees your reason."), "success")
    except applying.RenewalProblem as problem:
        flash(problem_text(problem.code), "error")
    return redirect(url_for("trainer.renewal_queue"), 303)
