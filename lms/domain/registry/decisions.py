"""Reviewers' decisions: what a status-change proposal needs, and who may confirm it.

Suspending, reinstating or revoking a subsidy-qualifying credential changes who may claim
public money, so it takes two people: one proposes (with a reason and a note), a different
reviewer or administrator confirms or rejects. The proposer may withdraw their proposal.
"""

from __future__ import annotations

from dataclasses import dataclass

from lms.domain.credentials.lifecycle import can_transition, reason_problem

PROPOSAL_ACTIONS: tuple[str, ...] = ("suspend", "reinstate", "revoke")
"""Status changes that go through a proposal for subsidy-qualifying credentials."""

NOTE_KINDS: tuple[str, ...] = ("reviewed", "concern")
"""Decisions a single reviewer records alone (they change nothing about the credential)."""

OPEN, CONFIRMED, REJECTED, WITHDRAWN = "open", "confirmed", "rejected", "withdrawn"


@dataclass(frozen=True)
class Proposal:
    """A proposed status change, as typed by the proposer."""

    action: str
    reason: str
    note: str


def needs_two_people(qualifies_for_subsidy: bool, action: str) -> bool:
    """Whether `action` on a credential must be proposed and confirmed by someone else."""
    return qualifies_for_subsidy and action in PROPOSAL_ACTIONS


def proposal_problems(proposal: Proposal, current_status: str) -> list[str]:
    """What is wrong with `proposal` for a credential now in `current_status` (empty: fine).

    Codes: ``action`` (not a proposal action), ``transition`` (not possible from the status),
    ``reason_missing`` / ``reason_wrong`` (a suspension needs one of SUSPENSION_REASONS, a
    revocation one of REVOCATION_REASONS; see `reason_problem`), ``note`` (always needed).
    A reinstatement takes no reason; one sent with it is not stored.
    """
    problems: list[str] = []
    if proposal.action not in PROPOSAL_ACTIONS:
        return ["action"]
    if not can_transition(current_status, proposal.action):
        problems.append("transition")
    reason = reason_problem(proposal.action, proposal.reason)
    if reason:
        problems.append(reason)
    if not proposal.note.strip():
        problems.append("note")
    return problems


def resolution_refusal(
    state: str | None, proposer_id: int, resolver_id: int, outcome: str
) -> str | None:
    """Why `resolver_id` may not resolve a proposal with `outcome` (None: they may).

    Codes: ``closed`` (not open any more), ``own`` (the proposer confirms or rejects their own
    proposal: they may only withdraw it), ``not_own`` (someone else withdraws it).
    """
    if state != OPEN:
        return "closed"
    if outcome in (CONFIRMED, REJECTED) and resolver_id == proposer_id:
        return "own"
    if outcome == WITHDRAWN and resolver_id != proposer_id:
        return "not_own"
    return None
