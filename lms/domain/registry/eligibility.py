"""Was a credential subsidy-qualifying on a given date? The answer and its reason.

The status on a date comes from the credential's event history (`StatusEvent`s), not from its
status today: a revocation after the date does not change what was true on the date, and the
answer says that it happened.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class StatusEvent:
    """One step of a credential's status history, dated in Mongolia."""

    effective_on: date
    action: str  # issue, suspend, reinstate, revoke, supersede
    to_status: str
    reason: str = ""


@dataclass(frozen=True)
class CredentialFacts:
    """What eligibility is decided from (no names or private data needed)."""

    number: str
    course_slug: str
    qualifies_for_subsidy: bool
    issued_on: date
    expires_on: date | None
    events: tuple[StatusEvent, ...]


@dataclass(frozen=True)
class Eligibility:
    """The answer for one credential on one date, with the reason as a code and its facts.

    `reason` is one of: ``qualifies``, ``not_subsidy_course``, ``not_yet_issued``, ``expired``,
    ``suspended``, ``revoked``, ``superseded``. `later_change` names a status change after the
    date (e.g. a revocation) that did not affect the answer.
    """

    number: str
    on: date
    eligible: bool
    reason: str
    status_on_date: str
    valid_from: date
    valid_to: date | None
    later_change: StatusEvent | None = None


def status_on(events: Sequence[StatusEvent], on: date) -> str | None:
    """The status after the last event dated on or before `on` (None: not issued yet).

    Events of the same day apply in the order given, so a same-day change counts for that day.
    """
    current: str | None = None
    for event in sorted(events, key=lambda e: e.effective_on):
        if event.effective_on > on:
            break
        current = event.to_status
    return current


def check(facts: CredentialFacts, on: date) -> Eligibility:
    """Whether `facts` qualified its holder for the subsidy on `on`, and why (or why not)."""
    status = status_on(facts.events, on)
    later = next(
        (e for e in sorted(facts.events, key=lambda e: e.effective_on) if e.effective_on > on),
        None,
    )

    def answer(eligible: bool, reason: str, shown_status: str) -> Eligibility:
        return Eligibility(
            number=facts.number,
            on=on,
            eligible=eligible,
            reason=reason,
            status_on_date=shown_status,
            valid_from=facts.issued_on,
            valid_to=facts.expires_on,
            later_change=later,
        )

    if status is None or on < facts.issued_on:
        return answer(False, "not_yet_issued", "not_issued")
    if status != "active":
        return answer(False, status, status)
    if facts.expires_on is not None and on > facts.expires_on:
        return answer(False, "expired", "expired")
    if not facts.qualifies_for_subsidy:
        return answer(False, "not_subsidy_course", "active")
    return answer(True, "qualifies", "active")


def best(answers: Iterable[Eligibility]) -> Eligibility | None:
    """Among a holder's credentials, the one that qualifies (else the most telling refusal)."""
    ranked = sorted(
        answers,
        key=lambda a: (not a.eligible, a.reason == "not_yet_issued", -a.valid_from.toordinal()),
    )
    return ranked[0] if ranked else None
