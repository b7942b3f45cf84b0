"""Practicum records: what may be recorded, and when a record may be voided (no app)."""

from __future__ import annotations

import math
from datetime import date

import pytest

from lms.domain.credentials.lifecycle import reason_problem, stored_reason
from lms.domain.practicum import (
    MAX_VOID_REASON,
    PracticumEntry,
    enrolment_start,
    entry_problems,
    void_problems,
)

START, TODAY = date(2026, 11, 2), date(2026, 12, 3)
COMPETENCIES = frozenset({"task-analysis", "fading"})


@pytest.mark.parametrize(
    ("competency", "hours", "observed_on", "problems"),
    [
        ("task-analysis", 24, TODAY, []),
        ("task-analysis", 0, START, []),  # a competency alone, on the first day
        (None, 0.5, date(2026, 11, 20), []),  # hours alone
        ("task-analysis", 24, date(2027, 6, 1), ["future"]),  # the case
        (None, 3, date(2026, 12, 4), ["future"]),  # tomorrow in Mongolia
        (None, 3, date(2026, 11, 1), ["before_start"]),
        (None, 0, TODAY, ["empty"]),  # the other case: nothing observed
        ("", 0, TODAY, ["empty"]),
        (None, -1, TODAY, ["hours"]),
        (None, 200.5, TODAY, ["hours"]),
        (None, math.nan, TODAY, ["hours"]),
        (None, math.inf, TODAY, ["hours"]),
        ("made-up", 2, TODAY, ["competency"]),
        ("made-up", 0, date(2030, 1, 1), ["future", "competency"]),
        (None, 0, date(2026, 1, 1), ["before_start", "empty"]),
    ],
)
def test_entry_problems(competency, hours, observed_on, problems):
    entry = PracticumEntry(competency, hours, observed_on)
    found = entry_problems(entry, earliest=START, today=TODAY, competencies=COMPETENCIES)
    assert found == problems


@pytest.mark.parametrize(
    ("activated", "requested", "cohort_starts", "start"),
    [
        (date(2026, 11, 5), date(2026, 11, 1), None, date(2026, 11, 5)),
        (None, date(2026, 11, 1), None, date(2026, 11, 1)),  # not activated yet
        (date(2026, 11, 5), date(2026, 11, 1), date(2026, 10, 20), date(2026, 10, 20)),
        (date(2026, 11, 5), date(2026, 11, 1), date(2026, 12, 1), date(2026, 11, 5)),
    ],
)
def test_enrolment_start_is_the_earlier_of_activation_and_the_cohort(
    activated, requested, cohort_starts, start
):
    assert enrolment_start(activated, requested, cohort_starts) == start


@pytest.mark.parametrize(
    ("reason", "already_void", "problems"),
    [
        ("The date was typed wrong.", False, []),
        ("   ", False, ["reason"]),
        ("", True, ["already_void", "reason"]),
        ("x" * (MAX_VOID_REASON + 1), False, ["reason_length"]),
        ("Again.", True, ["already_void"]),
    ],
)
def test_void_problems(reason, already_void, problems):
    assert void_problems(reason, already_void=already_void) == problems


@pytest.mark.parametrize(
    ("action", "reason", "problem", "stored"),
    [
        ("suspend", "investigation", None, "investigation"),
        ("suspend", "other", None, "other"),
        ("suspend", "", "reason_missing", ""),
        ("suspend", "fraud", "reason_wrong", ""),  # the issue: a suspension saved as fraud
        ("revoke", "fraud", None, "fraud"),
        ("revoke", "other", None, "other"),
        ("revoke", "", "reason_missing", ""),
        ("revoke", "records_check", "reason_wrong", ""),
        ("reinstate", "", None, ""),
        ("reinstate", "fraud", None, ""),  # not an error, and not stored
    ],
)
def test_status_change_reasons(action, reason, problem, stored):
    assert reason_problem(action, reason) == problem
    assert stored_reason(action, reason) == stored
