"""Reviewing continuing-education activities: the queue of submitted ones a trainer (their
own trainees) or an admin (everyone's) may decide, and the decision (approve, or return with
a reason; audited)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from lms.domain.roles import ADMIN, TRAINER
from lms.extensions import db
from lms.models import CeActivity
from lms.permissions import can_decide_ce_activity, require_role
from lms.services.renewal import review
from lms.trainer.ce_forms import CeDecisionForm
from lms.trainer.views import bp
from lms.web.ce_labels import KIND_LABELS, hours_text


def _queue_page(failed: CeDecisionForm | None = None, failed_id: int | None = None) -> str:
    activities = review.queue(current_user)
    forms = {
        activity.id: (
            failed
            if failed is not None and activity.id == failed_id
            else CeDecisionForm(formdata=None, prefix=f"a{activity.id}")
        )
        for activity in activities
    }
    return render_template(
        "trainer/ce_queue.html",
        activities=activities,
        forms=forms,
        kind_labels=KIND_LABELS,
        hours_text=hours_text,
    )


@bp.get("/continuing-education")
@require_role(TRAINER, ADMIN)
def ce_queue() -> ResponseReturnValue:
    return _queue_page()


@bp.post("/continuing-education/<int:activity_id>")
@require_role(TRAINER, ADMIN)
def ce_decide(activity_id: int) -> ResponseReturnValue:
    activity = db.session.get(CeActivity, activity_id)
    if activity is None or not can_decide_ce_activity(current_user, activity):
        abort(404)
    form = CeDecisionForm(prefix=f"a{activity.id}")
    if not form.validate_on_submit():
        return _queue_page(form, activity.id), 400
    approve = bool(form.approve.data)
    reason = "" if approve else (form.reason.data or "").strip()
    if review.decide(activity, current_user, approve, reason):
        flash(_("Activity approved.") if approve else _("Activity returned."), "success")
    else:
        flash(_("This activity has already been decided."), "error")
    return redirect(url_for("trainer.ce_queue"), 303)
