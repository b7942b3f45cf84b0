"""A coach's record, and the eligibility check ("was this coach qualified on this date?")."""

from __future__ import annotations

from flask import abort, render_template
from flask.typing import ResponseReturnValue
from flask_login import current_user

from lms.domain.credentials.lifecycle import can_transition
from lms.domain.registry.decisions import PROPOSAL_ACTIONS
from lms.domain.roles import ADMIN, REVIEWER
from lms.permissions import can_see_ce_evidence, can_see_private_data, require_role
from lms.registry.forms import (
    ACTION_LABELS,
    REASON_LABELS,
    EligibilityForm,
    NoteForm,
    ProposalForm,
    ResolveForm,
)
from lms.registry.views import bp
from lms.services import clock
from lms.services.registry import records as registry
from lms.services.registry.records import CredentialRecord
from lms.web.ce_labels import KIND_LABELS, STATUS_LABELS, hours_text
from lms.web.renewal_status import RENEWAL_TAGS, renewal_label


@bp.get("/coaches/<int:user_id>")
@require_role(REVIEWER, ADMIN)
def coach(user_id: int) -> ResponseReturnValue:
    private = can_see_private_data(current_user)
    record = registry.coach_record(user_id, with_private_data=private) or abort(404)
    return render_template(
        "registry/coach.html",
        record=record,
        private=private,
        forms={entry.credential.id: decision_forms(entry) for entry in record.credentials},
        action_labels=ACTION_LABELS,
        reason_labels=REASON_LABELS,
        is_admin=current_user.has_role(ADMIN),
        renewal_tags=RENEWAL_TAGS,
        renewal_label=renewal_label,
        ce_kind_labels=KIND_LABELS,
        ce_status_labels=STATUS_LABELS,
        hours_text=hours_text,
        # Evidence links only where the evidence route itself would let this reader in.
        evidence_visible={
            activity.id
            for activity in record.ledger
            if activity.evidence_file and can_see_ce_evidence(current_user, activity)
        },
    )


def decision_forms(entry: CredentialRecord) -> dict[str, object]:
    """The forms shown under one credential (ids prefixed: a record has several)."""
    forms: dict[str, object] = {"note": NoteForm(prefix=f"note{entry.credential.id}")}
    proposal = entry.open_proposal
    if proposal is not None:
        forms["resolve"] = ResolveForm(prefix=f"p{proposal.id}")
    elif entry.credential.qualifies_for_subsidy:
        actions = [a for a in PROPOSAL_ACTIONS if can_transition(entry.credential.status, a)]
        if actions:
            forms["proposal"] = ProposalForm(prefix=f"change{entry.credential.id}").offer(actions)
    return forms


@bp.route("/eligibility", methods=["GET", "POST"])
@require_role(REVIEWER, ADMIN)
def eligibility() -> ResponseReturnValue:
    # The check is a POST: it may carry a national registration number, which must never be
    # in a URL. The answer is rendered directly (no redirect), so it is not stored anywhere.
    form = EligibilityForm()
    answer = subject = None
    asked = False
    if form.validate_on_submit():
        asked = True
        query, on = form.query.data or "", form.on.data or clock.today()
        if form.is_credential_number():
            answer = registry.eligibility_for_number(query, on)
        else:
            answer = registry.eligibility_for_national_id(query, on)
        subject = registry.answered_credential(answer) if answer else None
    elif not form.is_submitted():
        form.on.data = clock.today()
    status = 400 if form.errors else 200
    return render_template(
        "registry/eligibility.html", form=form, answer=answer, subject=subject, asked=asked
    ), status
