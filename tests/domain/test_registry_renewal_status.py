"""The registry's renewal statuses and filters: one mapping, the same edges as `phase`."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from lms.domain.credentials.renewal import ContinuingEducation, Phase, RenewalRules, phase
from lms.domain.registry.export_rows import RegistryRow, cells, columns, csv_cells, renewal_text
from lms.domain.registry.filters import RENEWALS, RegistryFilter
from lms.domain.registry.renewal_status import (
    RENEWAL_STATUSES,
    expiry_range,
    renewal_chain,
    renewal_status,
)

ON = date(2027, 6, 15)
RULES = RenewalRules(36, grace_days=30, continuing_education=ContinuingEducation(Decimal(36)))


@pytest.mark.parametrize(
    ("status", "reason", "expires_on", "rules", "expected"),
    [
        ("active", "", ON + timedelta(days=400), RULES, "not_yet"),
        ("active", "", ON, RULES, "window"),  # the last day itself
        ("active", "", ON - timedelta(days=1), RULES, "grace"),
        ("active", "", ON - timedelta(days=30), RULES, "grace"),  # the grace period's last day
        ("active", "", ON - timedelta(days=31), RULES, "lapsed"),  # the day after
        ("active", "", None, RULES, "no_expiry"),
        ("active", "", None, None, "no_expiry"),
        ("active", "", ON, None, None),  # a course without renewal rules
        ("superseded", "renewal", ON, RULES, "renewed"),
        ("superseded", "correction", ON, RULES, None),
        ("suspended", "", ON, RULES, None),
        ("revoked", "fraud", ON - timedelta(days=1), RULES, None),
    ],
)
def test_renewal_status(status, reason, expires_on, rules, expected):
    assert renewal_status(status, reason, expires_on, ON, rules) == expected
    assert expected is None or expected in RENEWAL_STATUSES


@pytest.mark.parametrize("grace_days", [0, 1, 30, 90])
def test_expiry_ranges_select_what_the_phase_names(grace_days):
    """A credential expiring `offset` days from today is in the grace / lapsed range exactly when
    `phase` says grace / lapsed, and in due_N when its last day is today..today+N."""
    rules = RenewalRules(36, grace_days=grace_days, refreshers=("refresher",))
    for offset in range(-200, 300):
        expires_on = ON + timedelta(days=offset)
        current = phase(expires_on, ON, rules)

        def inside(renewal, expires_on=expires_on):
            low, high = expiry_range(renewal, ON, grace_days)
            return (low is None or low <= expires_on) and (high is None or expires_on <= high)

        assert inside("grace") == (current == Phase.GRACE), offset
        assert inside("lapsed") == (current == Phase.LAPSED), offset
        for days in (30, 90, 180, 270):
            assert inside(f"due_{days}") == (0 <= offset <= days), (offset, days)


def test_filter_reads_renewal_values_and_names_bad_ones():
    for value in RENEWALS:
        view = RegistryFilter.from_args({"renewal": value})
        assert view.renewal == value
        assert not view.problems
        assert view.to_args() == {"renewal": value}
        assert view.is_filtered
    assert RENEWALS == ("due_30", "due_90", "due_180", "due_270", "grace", "lapsed")
    for bad in ("due_60", "due_", "GRACE", "lapsed;drop"):
        view = RegistryFilter.from_args({"renewal": bad})
        assert view.renewal == ""
        assert view.problems == ("renewal",)


def test_renewal_chain_oldest_first_from_any_link():
    renewed_by = {1: 2, 2: 3, 7: 8}
    assert renewal_chain(1, renewed_by) == [1, 2, 3]
    assert renewal_chain(2, renewed_by) == [1, 2, 3]
    assert renewal_chain(3, renewed_by) == [1, 2, 3]
    assert renewal_chain(8, renewed_by) == [7, 8]
    assert renewal_chain(5, renewed_by) == [5]
    assert sorted(renewal_chain(1, {1: 2, 2: 1})) == [1, 2]  # bad data: each id once


def _row(status, renewed_by=None):
    return RegistryRow(
        "JC-2026-00001-1", "Бат", None, "khovd", "Ховд", "", "demo", {"en": "Demo"}, "1.0.0",
        "training", {"en": "Job coach"}, 40.0, 20.0, ON, ON, "active", True, None,
        status, renewed_by,
    )  # fmt: skip


LABELS = {
    "active": "Active",
    "yes": "Yes",
    "no": "No",
    "renewal:grace": "Grace period",
    "renewal:renewed": "Renewed by %(number)s",
}


def test_the_renewal_column_is_last_in_both_exports():
    assert columns()[-1] == "renewal_status"
    assert columns(False)[-1] == "renewal_status"
    for status, text in (
        ("grace", "Grace period"),
        ("renewed", "Renewed by JC-2027-00002-7"),
        (None, ""),
    ):
        row = _row(status, "JC-2027-00002-7" if status == "renewed" else None)
        assert renewal_text(row, LABELS) == text
        assert cells(row, "en", LABELS)[-1] == text
        assert csv_cells(row, "en", LABELS, False)[-1] == text
        assert len(cells(row, "en", LABELS)) == len(columns())
