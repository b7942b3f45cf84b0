"""Where a credential stands in its renewal, as the registry shows it, and the registry's renewal
filters as date ranges.

One mapping for every place the registry says it (the list's tag, the coach record, the CSV and
XLSX exports, the API): `renewal_status`, over the pure `lms.domain.credentials.renewal.phase`
with the rules of the credential's course. The filters "renewal due within N days", "in grace
period" and "lapsed" select the same credentials the statuses name (`expiry_range`), so a
filtered list and its rows' tags never disagree.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

from lms.domain.credentials.renewal import Phase, RenewalRules, phase

RENEWED = "renewed"
RENEWAL_STATUSES: tuple[str, ...] = (
    Phase.NOT_YET.value,
    Phase.WINDOW.value,
    Phase.GRACE.value,
    Phase.LAPSED.value,
    RENEWED,
    Phase.NO_EXPIRY.value,
)
"""Renewal statuses: not yet due, window open, grace period, lapsed, renewed (by a newer
credential), no expiry."""


def renewal_status(
    status: str,
    status_reason: str,
    expires_on: date | None,
    on: date,
    rules: RenewalRules | None,
) -> str | None:
    """The renewal status of a credential with stored `status` on `on` (None: renewal does not
    apply to it).

    A credential superseded by a renewal is ``renewed``; one superseded by a correction, and a
    suspended or revoked one, has no renewal status (the new credential, or the decision, is
    what counts). An active credential with no last day has ``no_expiry``; one with a last day
    but whose course has no renewal rules has none; else its `phase` (``expired`` credentials
    are still stored as ``active``)."""
    if status == "superseded":
        return RENEWED if status_reason == "renewal" else None
    if status != "active":
        return None
    if expires_on is None:
        return Phase.NO_EXPIRY.value
    if rules is None:
        return None
    return phase(expires_on, on, rules).value


def expiry_range(renewal: str, on: date, grace_days: int) -> tuple[date | None, date | None]:
    """The last valid days (inclusive bounds, None: open) of credentials that are, on `on`,
    ``due_<n>`` (their last day is `on`..`on` + n), in ``grace`` (past their last day, within
    `grace_days`) or ``lapsed`` (past the grace period), for a course with `grace_days`.

    The same edges as `phase`: the last day itself is still valid, the grace period's last day
    is still grace, the day after it lapsed."""
    if renewal.startswith("due_"):
        days = int(renewal.removeprefix("due_"))
        return on, on + timedelta(days=days)
    if renewal == "grace":
        return on - timedelta(days=grace_days), on - timedelta(days=1)
    if renewal == "lapsed":
        return None, on - timedelta(days=grace_days + 1)
    raise ValueError(renewal)


def renewal_chain(start: int, renewed_by: Mapping[int, int]) -> list[int]:
    """The credentials (ids) `start` belongs to a chain of renewals with, oldest first:
    `renewed_by` maps a credential to the one that renewed it. A credential never renewed and
    renewing none is a chain of one. Safe against a cycle in bad data (each id once)."""
    renews = {new: old for old, new in renewed_by.items()}
    first, seen = start, {start}
    while first in renews and renews[first] not in seen:
        first = renews[first]
        seen.add(first)
    chain = [first]
    while chain[-1] in renewed_by and renewed_by[chain[-1]] not in chain:
        chain.append(renewed_by[chain[-1]])
    return chain
