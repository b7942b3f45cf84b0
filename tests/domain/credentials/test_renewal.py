"""The renewal rule engine: window edges, grace period, topic caps and minimums, the refresher
path, the renewed term (tables, then properties)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lms.domain.credentials.renewal import (
    Activity,
    ContinuingEducation,
    Phase,
    RenewalRules,
    TopicArea,
    hours_progress,
    phase,
    reminder_due,
    renewal_state,
    renewed_term,
)

H = Decimal
EXPIRES = date(2029, 3, 12)
ISSUED = date(2026, 3, 13)
CE = ContinuingEducation(
    hours=H(36),
    areas=(
        TopicArea("practice", min_hours=H(9)),
        TopicArea("ethics", min_hours=H(3), max_hours=H(12)),
        TopicArea("employers", max_hours=H(12)),
    ),
    kinds=frozenset({"course", "module", "workshop", "conference"}),
)
RULES = RenewalRules(
    valid_for_months=36, window_months=9, grace_days=30, continuing_education=CE,
    refreshers=("job-coach-refresher",),
)  # fmt: skip


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2028, 6, 11), Phase.NOT_YET),
        (date(2028, 6, 12), Phase.WINDOW),  # opens 9 months before the last day
        (EXPIRES, Phase.WINDOW),  # the last valid day
        (date(2029, 3, 13), Phase.GRACE),  # the day after
        (date(2029, 4, 11), Phase.GRACE),  # the 30th day of grace
        (date(2029, 4, 12), Phase.LAPSED),
    ],
)
def test_phase_edges(on, expected):
    assert phase(EXPIRES, on, RULES) == expected


def test_a_credential_without_expiry_has_nothing_to_renew():
    state = renewal_state(RULES, issued_on=ISSUED, expires_on=None, on=EXPIRES)
    assert state.phase is Phase.NO_EXPIRY
    assert not state.can_apply


def _a(on, hours, area, kind="workshop", **extra):
    return Activity(on=on, hours=H(hours), area=area, kind=kind, **extra)


@pytest.mark.parametrize(
    ("activities", "counted", "met"),
    [
        ([], H(0), False),
        # 40 hours but ethics capped at 12: 9 + 12 + 12 = 33
        (
            [
                _a(date(2027, 1, 1), 9, "practice"),
                _a(date(2027, 2, 1), 19, "ethics"),
                _a(date(2027, 3, 1), 12, "employers"),
            ],
            H(33),
            False,
        ),  # fmt: skip
        # enough hours, but the practice minimum of 9 is not met
        (
            [
                _a(date(2027, 1, 1), 8, "practice"),
                _a(date(2027, 2, 1), 12, "ethics"),
                _a(date(2027, 3, 1), 12, "employers"),
                _a(date(2027, 4, 1), 0.5, "practice"),
                _a(date(2027, 4, 2), 4, "ethics"),
            ],
            H("32.5"),
            False,
        ),  # fmt: skip
        (
            [
                _a(date(2027, 1, 1), 12, "practice"),
                _a(date(2027, 2, 1), 12, "ethics"),
                _a(date(2027, 3, 1), 12, "employers"),
            ],
            H(36),
            True,
        ),  # fmt: skip
        # more than required: counted stops at the total
        ([_a(date(2027, 1, 1), 30, "practice"), _a(date(2027, 2, 1), 12, "ethics")], H(36), True),
    ],
)
def test_hours_with_caps_and_minimums(activities, counted, met):
    progress = hours_progress(CE, activities, ISSUED, EXPIRES)
    assert progress.counted == counted
    assert progress.met is met


@pytest.mark.parametrize(
    "activity",
    [
        _a(date(2026, 3, 12), 36, "practice"),  # before the credential began
        _a(date(2029, 3, 13), 36, "practice"),  # after the day asked about
        _a(date(2027, 1, 1), 36, "practice", approved=False),  # waiting for approval
        _a(date(2027, 1, 1), 36, "practice", used=True),  # counted by an earlier renewal
        _a(date(2027, 1, 1), 36, "practice", kind="supervision"),  # a kind the rule ignores
        _a(date(2027, 1, 1), 36, "gardening"),  # an area the rule does not name
    ],
)
def test_activities_that_do_not_count(activity):
    assert hours_progress(CE, [activity], ISSUED, EXPIRES).counted == 0


def test_pending_hours_are_reported_but_not_counted():
    progress = hours_progress(
        CE, [_a(date(2027, 1, 1), 6, "practice", approved=False)], ISSUED, EXPIRES
    )
    assert (progress.counted, progress.pending, progress.missing) == (0, 6, 36)


def test_a_rule_without_areas_counts_every_area():
    rule = ContinuingEducation(hours=H(10))
    progress = hours_progress(rule, [_a(date(2027, 1, 1), 7, "x"), _a(date(2027, 1, 2), 4, "y")],
                              ISSUED, EXPIRES)  # fmt: skip
    assert progress.met
    assert progress.counted == 10


def test_the_refresher_renews_only_when_passed_during_the_credential():
    inside = renewal_state(RULES, issued_on=ISSUED, expires_on=EXPIRES, on=date(2029, 1, 5),
                           refreshers_passed={"job-coach-refresher": date(2029, 1, 4)})  # fmt: skip
    before = renewal_state(RULES, issued_on=ISSUED, expires_on=EXPIRES, on=date(2029, 1, 5),
                           refreshers_passed={"job-coach-refresher": date(2026, 1, 4)})  # fmt: skip
    other = renewal_state(RULES, issued_on=ISSUED, expires_on=EXPIRES, on=date(2029, 1, 5),
                          refreshers_passed={"employer-seminar": date(2029, 1, 4)})  # fmt: skip
    assert inside.met_by == ("refresher",)
    assert inside.can_apply
    assert not before.rules_met
    assert not other.rules_met


@pytest.mark.parametrize(
    ("on", "can_apply"),
    [
        (date(2028, 6, 11), False),  # met, window not open yet
        (date(2028, 6, 12), True),
        (date(2029, 4, 11), True),  # last day of grace
        (date(2029, 4, 12), False),  # lapsed: the full course again
    ],
)
def test_applying_needs_the_window_or_grace(on, can_apply):
    met = [_a(date(2027, 1, 1), 12, a) for a in ("practice", "ethics", "employers")]
    state = renewal_state(RULES, issued_on=ISSUED, expires_on=EXPIRES, on=on, activities=met)
    assert state.rules_met
    assert state.can_apply is can_apply


def test_the_renewed_term_starts_the_day_after_the_old_last_day():
    term = renewed_term(EXPIRES, RULES)
    assert term.starts_on == date(2029, 3, 13)
    assert term.expires_on == date(2032, 3, 12)


def test_rules_need_a_way_to_renew():
    with pytest.raises(ValueError, match="continuing-education hours or a refresher"):
        RenewalRules(valid_for_months=36)


@pytest.mark.parametrize(
    ("on", "kind"),
    [
        (date(2028, 6, 12), "window_opened"),
        (EXPIRES - timedelta(days=90), "before_90"),
        (EXPIRES - timedelta(days=30), "before_30"),
        (EXPIRES - timedelta(days=7), "before_7"),
        (EXPIRES + timedelta(days=1), "grace_started"),
        (date(2029, 4, 12), "lapsed"),
        (EXPIRES, ""),
        (EXPIRES - timedelta(days=8), ""),
    ],
)
def test_reminders_fall_on_their_days(on, kind):
    state = renewal_state(RULES, issued_on=ISSUED, expires_on=EXPIRES, on=on)
    assert reminder_due(state, on) == kind


days = st.dates(min_value=date(2020, 1, 1), max_value=date(2040, 12, 31))
hours = st.decimals(min_value=0, max_value=40, places=1, allow_nan=False, allow_infinity=False)
areas = st.sampled_from(["practice", "ethics", "employers", "other"])
activities = st.lists(
    st.builds(
        Activity,
        on=days,
        hours=hours,
        area=areas,
        kind=st.sampled_from(["course", "workshop", "supervision"]),
        approved=st.booleans(),
        used=st.booleans(),
    ),
    max_size=20,
)


@given(expires=days, on=days)
def test_phases_follow_each_other_in_time(expires, on):
    later = on + timedelta(days=1)
    order = [Phase.NOT_YET, Phase.WINDOW, Phase.GRACE, Phase.LAPSED]
    assert order.index(phase(expires, on, RULES)) <= order.index(phase(expires, later, RULES))


@given(expires=days)
def test_renewal_leaves_no_gap_and_no_overlap(expires):
    term = renewed_term(expires, RULES)
    assert term.starts_on == expires + timedelta(days=1)
    assert term.expires_on > term.starts_on


@given(items=activities, extra=st.builds(Activity, on=days, hours=hours, area=areas,
       kind=st.just("workshop"), approved=st.just(True), used=st.just(False)))  # fmt: skip
def test_counted_hours_stay_in_range_and_never_fall_when_an_activity_is_added(items, extra):
    before = hours_progress(CE, items, date(2020, 1, 1), date(2040, 12, 31))
    after = hours_progress(CE, [*items, extra], date(2020, 1, 1), date(2040, 12, 31))
    assert 0 <= before.counted <= CE.hours
    assert after.counted >= before.counted
    for area in before.areas:
        assert area.max_hours is None or area.counted <= area.max_hours


def test_a_refresher_that_renewed_the_old_credential_does_not_renew_the_new_one():
    """Renewed in the grace period with a refresher passed on 2029-04-01: the new credential
    begins 2029-03-13, before that pass. Counting from the day after the renewal was granted
    (2029-04-02), the same pass does not renew it again in 2032."""
    new_issued, new_expires = date(2029, 3, 13), date(2032, 3, 12)
    passed = {"job-coach-refresher": date(2029, 4, 1)}
    kwargs = {"issued_on": new_issued, "expires_on": new_expires, "on": date(2032, 1, 5)}
    assert renewal_state(RULES, refreshers_passed=passed, **kwargs).met_by == ("refresher",)
    counted = renewal_state(
        RULES, refreshers_passed=passed, counting_from=date(2029, 4, 2), **kwargs
    )
    assert counted.met_by == ()
    later = {"job-coach-refresher": date(2031, 10, 1)}
    again = renewal_state(RULES, refreshers_passed=later, counting_from=date(2029, 4, 2), **kwargs)
    assert again.met_by == ("refresher",)


@pytest.mark.parametrize(
    ("on", "starts_on"),
    [
        (date(2028, 6, 11), None),  # before the window: a retake earns a fresh credential
        (date(2028, 6, 12), date(2029, 3, 13)),  # window open: follows without a gap
        (EXPIRES, date(2029, 3, 13)),
        (date(2029, 4, 11), date(2029, 3, 13)),  # last day of grace: still no gap
        (date(2029, 4, 12), None),  # lapsed: the usual term from the day it is earned
    ],
)
def test_the_retake_path_follows_the_old_credential_only_while_it_is_renewable(on, starts_on):
    from lms.domain.credentials.renewal import retake_term

    term = retake_term(EXPIRES, RULES, on)
    assert (term.starts_on if term else None) == starts_on
    if term is not None:
        assert term.expires_on == date(2032, 3, 12)
    assert retake_term(None, RULES, on) is None
    assert retake_term(EXPIRES, None, on) is None
