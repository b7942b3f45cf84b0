"""The life of a credential: its status, how the status may change, expiry and renewal dates.

A credential is never deleted. Its stored status is one of `CredentialStatus`; **expiry is not a
stored status** but read from the date (`effective_status`), so a credential expires on time
without a job having to run. Dates are calendar dates in Mongolia (the caller passes "today"
there), and ``expires_on`` is the **last day** the credential is valid, as printed on the
certificate ("valid until 12 March 2029").

Transitions (`ALLOWED`): an active credential may be suspended (reversible: reinstate), revoked,
or superseded (by a renewal or a corrected reissue, which is a new credential); a suspended one
may be reinstated, revoked or superseded. Revoked and superseded are final.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from datetime import date, timedelta
from enum import StrEnum
from types import MappingProxyType
from typing import Literal


class CredentialStatus(StrEnum):
    """The stored status of a credential (by value in the database)."""

    ACTIVE = "active"
    SUSPENDED = "suspended"
    REVOKED = "revoked"
    SUPERSEDED = "superseded"


EXPIRED = "expired"
"""The effective status of an active credential after its last valid day (never stored)."""

NOT_YET_VALID = "not_yet_valid"
"""The effective status of a renewing credential before its first valid day (never stored)."""

Action = Literal["suspend", "reinstate", "revoke", "supersede"]
ACTIONS: tuple[Action, ...] = ("suspend", "reinstate", "revoke", "supersede")

RESULT: Mapping[Action, CredentialStatus] = MappingProxyType(
    {
        "suspend": CredentialStatus.SUSPENDED,
        "reinstate": CredentialStatus.ACTIVE,
        "revoke": CredentialStatus.REVOKED,
        "supersede": CredentialStatus.SUPERSEDED,
    }
)
"""The status each action leads to."""

ALLOWED: Mapping[CredentialStatus, frozenset[Action]] = MappingProxyType(
    {
        CredentialStatus.ACTIVE: frozenset({"suspend", "revoke", "supersede"}),
        CredentialStatus.SUSPENDED: frozenset({"reinstate", "revoke", "supersede"}),
        CredentialStatus.REVOKED: frozenset(),
        CredentialStatus.SUPERSEDED: frozenset(),
    }
)
"""The actions allowed in each status; revoked and superseded are final."""

RevocationReason = Literal["fraud", "issued_in_error", "misconduct", "holder_request", "other"]
REVOCATION_REASONS: tuple[RevocationReason, ...] = (
    "fraud",
    "issued_in_error",
    "misconduct",
    "holder_request",
    "other",
)
"""Why a credential was revoked; stored with a free-text note."""

SuspensionReason = Literal["investigation", "records_check", "holder_pause", "other"]
SUSPENSION_REASONS: tuple[SuspensionReason, ...] = (
    "investigation",
    "records_check",
    "holder_pause",
    "other",
)
"""Why a credential was suspended (reversibly); its own list: a suspension is not a verdict."""

REASONS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {"suspend": SUSPENSION_REASONS, "revoke": REVOCATION_REASONS}
)
"""The actions that need a reason, each with the reasons it may give. Reinstating takes none."""


def N_(message: str) -> str:  # noqa: N802 - the name gettext tools know
    """Mark an English text for the catalogue; it is translated where it is shown."""
    return message


REASON_WORDS: Mapping[str, str] = MappingProxyType(
    {
        "investigation": N_("A complaint or concern is being investigated"),
        "records_check": N_("The training records are being checked"),
        "holder_pause": N_("Paused at the holder's request"),
        "fraud": N_("Fraud"),
        "issued_in_error": N_("Issued in error"),
        "misconduct": N_("Misconduct"),
        "holder_request": N_("At the holder's request"),
        "other": N_("Other"),
    }
)
"""Every reason code in English words (the web forms, the registry and the holder's notice
translate them)."""


def reason_problem(action: str, reason: str) -> str | None:
    """What is wrong with giving ``reason`` for ``action`` (None: nothing).

    ``reason_missing``: the action needs a reason from its list and none was chosen;
    ``reason_wrong``: the reason is from another list (a revocation reason for a suspension).
    A reason given for an action that takes none is not an error: it is not stored
    (`stored_reason`).
    """
    allowed = REASONS.get(action)
    if allowed is None:
        return None
    if not reason:
        return "reason_missing"
    return None if reason in allowed else "reason_wrong"


def stored_reason(action: str, reason: str) -> str:
    """The reason to store with ``action``: ``reason`` when it belongs to the action's list,
    else empty (a reinstatement, or a reason from another list, stores none)."""
    return reason if reason in REASONS.get(action, ()) else ""


SupersedeReason = Literal["renewal", "correction"]
SUPERSEDE_REASONS: tuple[SupersedeReason, ...] = ("renewal", "correction")
"""Why a credential was replaced by a new one (a renewal, or a reissue correcting e.g. a name)."""


class IllegalTransition(ValueError):
    """A credential was asked to change status in a way its current status does not allow."""


def can_transition(current: CredentialStatus | str, action: str) -> bool:
    """Whether ``action`` is allowed for a credential in status ``current``."""
    return action in ALLOWED[CredentialStatus(current)]


def transition(current: CredentialStatus | str, action: Action) -> CredentialStatus:
    """The status after ``action``; raises `IllegalTransition` if it is not allowed.

    ``current`` may be the stored string; an unknown status raises ValueError.
    """
    status = CredentialStatus(current)
    if action not in ALLOWED[status]:
        raise IllegalTransition(f"a {status} credential cannot be {action}d")
    return RESULT[action]


def effective_status(
    status: CredentialStatus | str,
    expires_on: date | None,
    on: date,
    *,
    status_reason: str = "",
    starts_on: date | None = None,
) -> str:
    """The status to show on ``on``: ``"expired"`` for an active credential past its last day,
    otherwise the stored status (a suspended, revoked or superseded one stays so).

    Renewal leaves no overlap: a credential superseded by a renewal (``status_reason ==
    "renewal"``) stays active to its last day, and the credential that renews it
    (``starts_on`` after ``on``) is ``"not_yet_valid"`` until its first day."""
    stored = CredentialStatus(status)
    if (
        stored is CredentialStatus.SUPERSEDED
        and status_reason == "renewal"
        and expires_on is not None
        and on <= expires_on
    ):
        return CredentialStatus.ACTIVE.value
    if stored is CredentialStatus.ACTIVE and starts_on is not None and on < starts_on:
        return NOT_YET_VALID
    if stored is CredentialStatus.ACTIVE and expires_on is not None and on > expires_on:
        return EXPIRED
    return stored.value


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole calendar months (negative goes back), clamped to the month's end:
    2026-01-31 + 1 month is 2026-02-28."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def expiry_date(issued_on: date, valid_for_months: int | None) -> date | None:
    """The last valid day of a credential issued on ``issued_on``, or None if it never expires.

    A credential valid for 36 months issued on 2026-03-12 is valid until 2029-03-12.
    """
    if valid_for_months is None:
        return None
    if valid_for_months < 1:
        raise ValueError(f"valid_for_months must be positive, not {valid_for_months}")
    return add_months(issued_on, valid_for_months)


def in_renewal_window(
    expires_on: date | None, on: date, window_months: int = 9, grace_days: int = 30
) -> bool:
    """Whether a credential expiring on ``expires_on`` may be renewed on ``on``.

    The window opens ``window_months`` before the last valid day and closes ``grace_days``
    after it (DOMAIN: 9 months before, 30 days' grace). A credential without expiry is never
    renewed.
    """
    if expires_on is None:
        return False
    opens = add_months(expires_on, -window_months)
    closes = expires_on + timedelta(days=grace_days)
    return opens <= on <= closes


def qualifies_for_subsidy(
    qualifies: bool,
    status: CredentialStatus | str,
    expires_on: date | None,
    on: date,
    *,
    status_reason: str = "",
    starts_on: date | None = None,
) -> bool:
    """Whether the credential lets its holder claim the subsidy on ``on``: the course says it
    qualifies, and the credential is effectively active that day (not expired, suspended,
    revoked, superseded, or a renewal not yet begun; see `effective_status`)."""
    shown = effective_status(
        status, expires_on, on, status_reason=status_reason, starts_on=starts_on
    )
    return qualifies and shown == CredentialStatus.ACTIVE
