"""Pending decisions: the proposals waiting for a second reviewer or administrator.

The queue lists every open proposal, oldest first, with who proposed what and why, and the
confirm / reject form (the proposer sees withdraw instead: the two-person rule). The forms
post to the routes of `decision_views` with ``back=pending``, which return here. The number
in the main menu is `waiting_count`: one COUNT, run only for reviewers and administrators.
"""

from __future__ import annotations

from typing import Any

from flask import render_template
from flask.typing import ResponseReturnValue
from flask_login import current_user

from lms.domain.credentials.lifecycle import effective_status
from lms.domain.roles import ADMIN, REVIEWER
from lms.permissions import require_role
from lms.registry.forms import ACTION_LABELS, REASON_LABELS, ResolveForm
from lms.registry.views import bp
from lms.services import clock
from lms.services.registry import pending


@bp.app_context_processor
def _pending_count() -> dict[str, Any]:
    """`pending_decisions()` for the main menu: called by the template only for reviewers
    and administrators, so nobody else pays for the query."""

    def count() -> int:
        if not current_user.is_authenticated or not current_user.has_role(REVIEWER, ADMIN):
            return 0
        return pending.waiting_count(current_user)

    return {"pending_decisions": count}


@bp.get("/pending")
@require_role(REVIEWER, ADMIN)
def pending_decisions() -> ResponseReturnValue:
    on = clock.today()
    proposals = pending.open_proposals()
    total = pending.open_count() if len(proposals) >= pending.QUEUE_LIMIT else len(proposals)
    items = [
        {
            "proposal": proposal,
            "credential": proposal.credential,
            "status": effective_status(
                proposal.credential.status, proposal.credential.expires_on, on
            ),
            "own": proposal.actor_id == current_user.id,
            "form": ResolveForm(prefix=f"p{proposal.id}"),
        }
        for proposal in proposals
    ]
    return render_template(
        "registry/pending.html",
        items=items,
        total=total,
        waiting=sum(1 for item in items if not item["own"]),
        action_labels=ACTION_LABELS,
        reason_labels=REASON_LABELS,
    )
