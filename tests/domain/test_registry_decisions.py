"""The two-person rule: what a proposal needs, and who may resolve it."""

from __future__ import annotations

import pytest

from lms.domain.registry.decisions import (
    CONFIRMED,
    OPEN,
    REJECTED,
    WITHDRAWN,
    Proposal,
    needs_two_people,
    proposal_problems,
    resolution_refusal,
)


@pytest.mark.parametrize(
    ("qualifies", "action", "two"),
    [
        (True, "suspend", True),
        (True, "revoke", True),
        (True, "reinstate", True),
        (True, "renewal", False),
        (True, "correction", False),
        (False, "revoke", False),
    ],
)
def test_needs_two_people(qualifies, action, two):
    assert needs_two_people(qualifies, action) is two


@pytest.mark.parametrize(
    ("proposal", "status", "problems"),
    [
        (Proposal("revoke", "fraud", "Хуурамч баримт."), "active", []),
        (Proposal("revoke", "fraud", "Хуурамч баримт."), "suspended", []),
        (Proposal("revoke", "", "Хуурамч баримт."), "active", ["reason_missing"]),
        (Proposal("revoke", "because", "x"), "active", ["reason_wrong"]),
        (Proposal("revoke", "investigation", "x"), "active", ["reason_wrong"]),
        (Proposal("revoke", "other", "x"), "active", []),
        (Proposal("suspend", "", "Шалгана."), "active", ["reason_missing"]),
        (Proposal("suspend", "fraud", "Шалгана."), "active", ["reason_wrong"]),
        (Proposal("suspend", "investigation", "Шалгана."), "active", []),
        (Proposal("suspend", "other", "  "), "active", ["note"]),
        (Proposal("suspend", "other", "Шалгана."), "suspended", ["transition"]),
        (Proposal("reinstate", "", "Зөв."), "suspended", []),
        (Proposal("reinstate", "fraud", "Зөв."), "suspended", []),  # not stored
        (Proposal("reinstate", "", "Зөв."), "active", ["transition"]),
        (Proposal("revoke", "", ""), "revoked", ["transition", "reason_missing", "note"]),
        (Proposal("supersede", "renewal", "x"), "active", ["action"]),
    ],
)
def test_proposal_problems(proposal, status, problems):
    assert proposal_problems(proposal, status) == problems


def test_the_proposer_cannot_confirm_or_reject_but_may_withdraw():
    assert resolution_refusal(OPEN, 1, 1, CONFIRMED) == "own"
    assert resolution_refusal(OPEN, 1, 1, REJECTED) == "own"
    assert resolution_refusal(OPEN, 1, 1, WITHDRAWN) is None
    assert resolution_refusal(OPEN, 1, 2, CONFIRMED) is None
    assert resolution_refusal(OPEN, 1, 2, REJECTED) is None
    assert resolution_refusal(OPEN, 1, 2, WITHDRAWN) == "not_own"


@pytest.mark.parametrize("state", [CONFIRMED, REJECTED, WITHDRAWN, None])
def test_a_closed_proposal_cannot_be_resolved_again(state):
    assert resolution_refusal(state, 1, 2, CONFIRMED) == "closed"
