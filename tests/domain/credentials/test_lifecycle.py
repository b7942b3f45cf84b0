"""Credential status transitions, expiry by date, month arithmetic and the renewal window."""

from __future__ import annotations

import calendar
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lms.domain.credentials import (
    ACTIONS,
    ALLOWED,
    REVOCATION_REASONS,
    CredentialStatus,
    IllegalTransition,
    add_months,
    can_transition,
    effective_status,
    expiry_date,
    in_renewal_window,
    qualifies_for_subsidy,
    transition,
)

S = CredentialStatus
EXPECTED = {
    (S.ACTIVE, "suspend"): S.SUSPENDED,
    (S.ACTIVE, "revoke"): S.REVOKED,
    (S.ACTIVE, "supersede"): S.SUPERSEDED,
    (S.SUSPENDED, "reinstate"): S.ACTIVE,
    (S.SUSPENDED, "revoke"): S.REVOKED,
    (S.SUSPENDED, "supersede"): S.SUPERSEDED,
}


@pytest.mark.parametrize("current", list(S))
@pytest.mark.parametrize("action", ACTIONS)
def test_transition_table(current: CredentialStatus, action: str) -> None:
    expected = EXPECTED.get((current, action))
    assert can_transition(current, action) == (expected is not None)
    assert (action in ALLOWED[current]) == (expected is not None)
    if expected is None:
        with pytest.raises(IllegalTransition):
            transition(current, action)  # type: ignore[arg-type]
    else:
        assert transition(current, action) is expected  # type: ignore[arg-type]
        assert transition(current.value, action) is expected  # type: ignore[arg-type]


def test_final_states_and_unknown_values() -> None:
    assert ALLOWED[S.REVOKED] == ALLOWED[S.SUPERSEDED] == frozenset()
    with pytest.raises(ValueError, match="expired"):
        transition("expired", "suspend")  # expiry is derived, never stored
    with pytest.raises(IllegalTransition):
        transition(S.ACTIVE, "delete")  # type: ignore[arg-type]
    assert REVOCATION_REASONS == (
        "fraud",
        "issued_in_error",
        "misconduct",
        "holder_request",
        "other",
    )


@pytest.mark.parametrize(
    ("status", "expires_on", "on", "effective"),
    [
        (S.ACTIVE, None, date(2090, 1, 1), "active"),
        (S.ACTIVE, date(2029, 3, 12), date(2029, 3, 12), "active"),  # last valid day
        (S.ACTIVE, date(2029, 3, 12), date(2029, 3, 13), "expired"),
        (S.SUSPENDED, date(2029, 3, 12), date(2029, 3, 13), "suspended"),
        (S.REVOKED, date(2029, 3, 12), date(2026, 1, 1), "revoked"),
        (S.SUPERSEDED, date(2029, 3, 12), date(2030, 1, 1), "superseded"),
        ("active", date(2029, 3, 12), date(2029, 4, 1), "expired"),
    ],
)
def test_effective_status(
    status: CredentialStatus | str, expires_on: date | None, on: date, effective: str
) -> None:
    assert effective_status(status, expires_on, on) == effective


@pytest.mark.parametrize(
    ("qualifies", "status", "on", "expected"),
    [
        (True, S.ACTIVE, date(2029, 3, 12), True),
        (True, S.ACTIVE, date(2029, 3, 13), False),  # expired
        (True, S.SUSPENDED, date(2027, 1, 1), False),
        (True, S.REVOKED, date(2027, 1, 1), False),
        (True, S.SUPERSEDED, date(2027, 1, 1), False),
        (False, S.ACTIVE, date(2027, 1, 1), False),  # the seminar never qualifies
    ],
)
def test_qualifies_for_subsidy(
    qualifies: bool, status: CredentialStatus, on: date, expected: bool
) -> None:
    assert qualifies_for_subsidy(qualifies, status, date(2029, 3, 12), on) is expected


@pytest.mark.parametrize(
    ("issued", "months", "expires"),
    [
        (date(2026, 3, 12), 36, date(2029, 3, 12)),
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),  # leap year
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2026, 8, 31), 3, date(2026, 11, 30)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
        (date(2026, 5, 1), None, None),
    ],
)
def test_expiry_date(issued: date, months: int | None, expires: date | None) -> None:
    assert expiry_date(issued, months) == expires


def test_expiry_needs_positive_months() -> None:
    with pytest.raises(ValueError, match="positive"):
        expiry_date(date(2026, 1, 1), 0)


@given(day=st.dates(date(1900, 1, 1), date(2200, 12, 31)), months=st.integers(-600, 600))
def test_add_months_properties(day: date, months: int) -> None:
    moved = add_months(day, months)
    assert (moved.year * 12 + moved.month) - (day.year * 12 + day.month) == months
    assert moved.day == min(day.day, calendar.monthrange(moved.year, moved.month)[1])
    if day.day <= 28:
        assert add_months(moved, -months) == day


EXPIRES = date(2029, 3, 12)


@pytest.mark.parametrize(
    ("on", "open_"),
    [
        (date(2028, 6, 11), False),
        (date(2028, 6, 12), True),  # opens 9 months before
        (date(2029, 3, 12), True),
        (date(2029, 4, 11), True),  # 30th day of grace
        (date(2029, 4, 12), False),
    ],
)
def test_renewal_window(on: date, open_: bool) -> None:
    assert in_renewal_window(EXPIRES, on) is open_


def test_renewal_window_settings_and_no_expiry() -> None:
    assert not in_renewal_window(None, date(2029, 1, 1))
    assert in_renewal_window(EXPIRES, date(2028, 3, 12), window_months=12)
    assert not in_renewal_window(EXPIRES, date(2029, 3, 13), grace_days=0)
    # Clamped month ends: a credential ending 31 May opens on the last day of August.
    assert in_renewal_window(date(2029, 5, 31), date(2028, 8, 31))
    assert not in_renewal_window(date(2029, 5, 31), date(2028, 8, 30))


@pytest.mark.parametrize(
    ("status", "reason", "on", "effective"),
    [
        # The renewed credential stays valid to its last day, then the renewal takes over.
        (S.SUPERSEDED, "renewal", date(2029, 3, 12), "active"),
        (S.SUPERSEDED, "renewal", date(2029, 3, 13), "superseded"),
        # A correction replaces at once.
        (S.SUPERSEDED, "correction", date(2029, 3, 12), "superseded"),
    ],
)
def test_a_credential_renewed_ahead_of_time_stays_valid_to_its_last_day(
    status: CredentialStatus, reason: str, on: date, effective: str
) -> None:
    assert effective_status(status, date(2029, 3, 12), on, status_reason=reason) == effective


@given(on=st.dates(min_value=date(2026, 3, 13), max_value=date(2032, 3, 14)))
def test_old_and_renewed_credential_never_both_or_neither_qualify(on: date) -> None:
    """Old: 2026-03-13..2029-03-12, superseded by a renewal; new: 2029-03-13..2032-03-12.
    On every day of the two terms exactly one of them qualifies: no gap, no overlap."""
    old = qualifies_for_subsidy(True, S.SUPERSEDED, date(2029, 3, 12), on, status_reason="renewal")
    new = qualifies_for_subsidy(True, S.ACTIVE, date(2032, 3, 12), on, starts_on=date(2029, 3, 13))
    if on <= date(2032, 3, 12):
        assert old != new
    else:
        assert (old, new) == (False, False)
    if on < date(2029, 3, 13):
        assert effective_status(S.ACTIVE, date(2032, 3, 12), on, starts_on=date(2029, 3, 13)) == (
            "not_yet_valid"
        )
