"""Reviewers' decisions on credentials, each audited in its own transaction.

A reviewer marks a credential reviewed or raises a concern alone. Suspending, reinstating or
revoking a subsidy-qualifying credential takes two people (`lms.domain.registry.decisions`):
`propose` opens a proposal, a different reviewer or administrator `confirm`s it (the status
changes, and the audit log names both) or `reject`s it, and the proposer may `withdraw` it.
Only one proposal per credential is open at a time.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from lms.domain.credentials import IllegalTransition
from lms.domain.credentials.lifecycle import stored_reason
from lms.domain.registry.decisions import (
    CONFIRMED,
    NOTE_KINDS,
    OPEN,
    REJECTED,
    WITHDRAWN,
    Proposal,
    proposal_problems,
    resolution_refusal,
)
from lms.extensions import db
from lms.models import Credential, RegistryDecision, User
from lms.models.locking import lock_row
from lms.models.types import utcnow
from lms.services import audit, notifications
from lms.services.credentials import lifecycle as credential_lifecycle

PROPOSAL = "proposal"


class DecisionRefused(ValueError):
    """The decision cannot be taken; `code` says why (shown to the reviewer in words).

    Codes: those of `proposal_problems` and `resolution_refusal`, ``kind``, ``note`` and
    ``already_open`` (another proposal for the credential is waiting).
    """

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def record_note(credential: Credential, actor: User, kind: str, note: str) -> RegistryDecision:
    """Mark `credential` reviewed, or raise a concern (which needs a note). Audited; commits."""
    note = note.strip()
    if kind not in NOTE_KINDS:
        raise DecisionRefused("kind")
    if kind == "concern" and not note:
        raise DecisionRefused("note")
    decision = RegistryDecision(
        credential_id=credential.id, kind=kind, note=note, actor_id=actor.id
    )
    db.session.add(decision)
    db.session.flush()
    audit.record(
        actor, f"registry.{kind}", "credential", credential.number, {"decision": decision.id}
    )
    db.session.commit()
    return decision


def open_proposal(credential: Credential) -> RegistryDecision | None:
    """The credential's open proposal. A partial unique index keeps it to one; the oldest is
    taken all the same, so a page never fails on data older than that index."""
    return (
        db.session.execute(
            select(RegistryDecision)
            .where(
                RegistryDecision.credential_id == credential.id,
                RegistryDecision.kind == PROPOSAL,
                RegistryDecision.state == OPEN,
            )
            .order_by(RegistryDecision.id)
        )
        .scalars()
        .first()
    )


def propose(credential: Credential, actor: User, proposal: Proposal) -> RegistryDecision:
    """Open a proposal to suspend, reinstate or revoke `credential`. Audited; commits.

    One open proposal per credential (a partial unique index): two reviewers proposing at
    once are serialised on the credential's row, and the second is refused ``already_open``.
    """
    lock_row(Credential, credential.id)
    db.session.refresh(credential)  # the status as it is now, not when the page was read
    problems = proposal_problems(proposal, credential.status)
    if problems:
        raise DecisionRefused(problems[0])
    if open_proposal(credential) is not None:
        raise DecisionRefused("already_open")
    decision = RegistryDecision(
        credential_id=credential.id,
        kind=PROPOSAL,
        action=proposal.action,
        reason=stored_reason(proposal.action, proposal.reason),
        note=proposal.note.strip(),
        actor_id=actor.id,
        state=OPEN,
    )
    db.session.add(decision)
    try:
        db.session.flush()
    except IntegrityError:  # only past the lock if a writer skipped it; the index holds
        db.session.rollback()
        raise DecisionRefused("already_open") from None
    audit.record(
        actor,
        "registry.propose",
        "credential",
        credential.number,
        {"decision": decision.id, "action": decision.action, "reason": decision.reason},
    )
    notifications.proposal_waiting(decision, actor)
    db.session.commit()
    return decision


def _close(decision: RegistryDecision, actor: User, outcome: str, note: str) -> None:
    """Move the proposal from open to `outcome`, only if it is still open (a conditional
    UPDATE: two people resolving at the same moment cannot both succeed)."""
    refusal = resolution_refusal(decision.state, decision.actor_id, actor.id, outcome)
    if refusal:
        raise DecisionRefused(refusal)
    done = db.session.execute(
        update(RegistryDecision)
        .where(RegistryDecision.id == decision.id, RegistryDecision.state == OPEN)
        .values(
            state=outcome,
            resolved_by_id=actor.id,
            resolved_at=utcnow(),
            resolution_note=note.strip(),
        )
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        db.session.rollback()
        raise DecisionRefused("closed")
    db.session.expire(decision)


def _audit(decision: RegistryDecision, actor: User, action: str, outcome: str) -> None:
    audit.record(
        actor,
        f"registry.{action}",
        "credential",
        decision.credential.number,
        {
            "decision": decision.id,
            "action": decision.action,
            "reason": decision.reason,
            "proposed_by": decision.actor_id,
            f"{outcome}_by": actor.id,
        },
    )


def confirm(decision: RegistryDecision, actor: User, note: str = "") -> None:
    """A second person confirms: the credential's status changes. Audited; commits."""
    proposer = decision.actor
    credential = decision.credential
    _close(decision, actor, CONFIRMED, note)
    _audit(decision, actor, "confirm", CONFIRMED)
    try:
        credential_lifecycle.change_status(
            credential,
            decision.action or "",
            actor,
            decision.reason,
            decision.note,
            proposed_by=proposer,
        )
    except IllegalTransition:
        db.session.rollback()
        raise DecisionRefused("transition") from None


def reject(decision: RegistryDecision, actor: User, note: str = "") -> None:
    """A second person rejects the proposal: nothing changes. Audited; commits."""
    _close(decision, actor, REJECTED, note)
    _audit(decision, actor, "reject", REJECTED)
    db.session.commit()


def withdraw(decision: RegistryDecision, actor: User) -> None:
    """The proposer takes the proposal back. Audited; commits."""
    _close(decision, actor, WITHDRAWN, "")
    _audit(decision, actor, "withdraw", WITHDRAWN)
    db.session.commit()
