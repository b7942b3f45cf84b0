"""Reviewers' decisions: reviewed, concern, and the two-person status-change proposals.

Every route is a POST with CSRF that returns to the coach's record; refusals are explained in
words there (for example: the proposer cannot confirm their own proposal).
"""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from lms.domain.registry.decisions import PROPOSAL_ACTIONS, Proposal
from lms.domain.roles import ADMIN, REVIEWER
from lms.extensions import db
from lms.models import Credential, RegistryDecision
from lms.permissions import require_role
from lms.registry.forms import NoteForm, ProposalForm, ResolveForm
from lms.registry.views import bp
from lms.services.credentials import issuing as credentials
from lms.services.registry import decisions as registry_decisions
from lms.services.registry.decisions import DecisionRefused
from lms.web.decision_messages import refusal_message


def _credential(number: str) -> Credential:
    return credentials.find(number) or abort(404)


def _proposal(decision_id: int) -> RegistryDecision:
    decision = db.session.get(RegistryDecision, decision_id)
    if decision is None or decision.kind != registry_decisions.PROPOSAL:
        abort(404)
    return decision


def _back(credential: Credential) -> ResponseReturnValue:
    if request.args.get("back") == "pending":  # the form was on the pending-decisions queue
        return redirect(url_for("registry.pending_decisions"))
    return redirect(
        url_for(
            "registry.coach",
            user_id=credential.user_id,
            _anchor=f"credential-{credential.number}",
        )
    )


@bp.post("/credentials/<number>/decisions")
@require_role(REVIEWER, ADMIN)
def record_note(number: str) -> ResponseReturnValue:
    credential = _credential(number)
    form = NoteForm(prefix=f"note{credential.id}")
    if not form.validate_on_submit():
        flash(_("The decision could not be recorded: check the form."), "error")
        return _back(credential)
    try:
        registry_decisions.record_note(
            credential, current_user, form.kind.data or "", form.note.data or ""
        )
    except DecisionRefused as refused:
        flash(refusal_message(refused.code), "error")
    else:
        flash(_("Decision recorded."), "success")
    return _back(credential)


@bp.post("/credentials/<number>/proposals")
@require_role(REVIEWER, ADMIN)
def propose(number: str) -> ResponseReturnValue:
    credential = _credential(number)
    form = ProposalForm(prefix=f"change{credential.id}").offer(list(PROPOSAL_ACTIONS))
    if not credential.qualifies_for_subsidy:
        flash(refusal_message("not_subsidy"), "error")
    elif not form.validate_on_submit():
        flash(_("The proposal was not saved: choose a change and explain it in the note."), "error")
        for message in form.reason.errors:  # which reason this change needs, in words
            flash(str(message), "error")
    else:
        proposal = Proposal(form.action.data or "", form.reason.data or "", form.note.data or "")
        try:
            registry_decisions.propose(credential, current_user, proposal)
        except DecisionRefused as refused:
            flash(refusal_message(refused.code), "error")
        else:
            flash(
                _("Proposal saved. A different reviewer or administrator must now confirm it."),
                "success",
            )
    return _back(credential)


@bp.post("/proposals/<int:decision_id>/confirm")
@require_role(REVIEWER, ADMIN)
def confirm(decision_id: int) -> ResponseReturnValue:
    return _resolve(decision_id, "confirm")


@bp.post("/proposals/<int:decision_id>/reject")
@require_role(REVIEWER, ADMIN)
def reject(decision_id: int) -> ResponseReturnValue:
    return _resolve(decision_id, "reject")


@bp.post("/proposals/<int:decision_id>/withdraw")
@require_role(REVIEWER, ADMIN)
def withdraw(decision_id: int) -> ResponseReturnValue:
    return _resolve(decision_id, "withdraw")


def _resolve(decision_id: int, outcome: str) -> ResponseReturnValue:
    decision = _proposal(decision_id)
    credential = decision.credential
    form = ResolveForm(prefix=f"p{decision.id}")
    if not form.validate_on_submit():
        flash(_("The decision could not be recorded: check the form."), "error")
        return _back(credential)
    note = form.note.data or ""
    try:
        if outcome == "confirm":
            registry_decisions.confirm(decision, current_user, note)
            done = _("Confirmed: the credential's status has changed.")
        elif outcome == "reject":
            registry_decisions.reject(decision, current_user, note)
            done = _("Proposal rejected: the credential is unchanged.")
        else:
            registry_decisions.withdraw(decision, current_user)
            done = _("Proposal withdrawn.")
    except DecisionRefused as refused:
        flash(refusal_message(refused.code), "error")
    else:
        flash(done, "success")
    return _back(credential)
