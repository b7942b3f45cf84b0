"""Staying certified: where a credential stands in its renewal, and whether its holder has done
enough to renew it.

A course's renewal rules (`RenewalRules`, read from ``course.yml``) say how long a credential is
valid, when the renewal window opens (months before the last valid day) and how long the grace
period after it lasts, and the ways to renew: **continuing-education hours** (a total, topic areas
with an optional minimum and an optional cap each, the activity kinds that count) and/or passing a
named **refresher** course. After the grace period the credential has lapsed and only the full
course again leads to a new one.

Everything here is pure: dates are calendar dates in Mongolia passed in by the caller, hours are
`Decimal` (a workshop of 1.5 hours stays 1.5). The renewed credential is valid from the day after
the old one's last day, so a renewal leaves neither a gap nor an overlap (`renewed_term`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType

from lms.domain.credentials.lifecycle import add_months

ACTIVITY_KINDS: tuple[str, ...] = ("course", "module", "workshop", "conference", "supervision")
"""Kinds of continuing-education activity: inside the LMS (a course or a module published as a CE
activity) or outside it (submitted by the coach with evidence)."""

INTERNAL_KINDS = frozenset({"course", "module"})
"""Kinds the LMS records itself when the coach completes them (no evidence, no approval)."""

ZERO = Decimal(0)


class Phase(StrEnum):
    """Where a credential stands on a day, seen from renewal."""

    NOT_YET = "not_yet"  # valid, the renewal window has not opened
    WINDOW = "window"  # valid, renewal possible
    GRACE = "grace"  # past its last day, still renewable without a gap
    LAPSED = "lapsed"  # past the grace period: the full course again
    NO_EXPIRY = "no_expiry"  # never expires, nothing to renew


@dataclass(frozen=True)
class TopicArea:
    """A topic area continuing-education hours are counted in."""

    id: str
    min_hours: Decimal = ZERO
    max_hours: Decimal | None = None  # at most this many hours of the area count
    title: Mapping[str, str] = field(default_factory=dict, compare=False)  # per language


@dataclass(frozen=True)
class ContinuingEducation:
    """Renewal by continuing-education hours."""

    hours: Decimal
    areas: tuple[TopicArea, ...] = ()
    kinds: frozenset[str] = frozenset(ACTIVITY_KINDS)

    def area(self, area_id: str) -> TopicArea | None:
        return next((area for area in self.areas if area.id == area_id), None)


@dataclass(frozen=True)
class RenewalRules:
    """A course's renewal rules (``renewal:`` in ``course.yml``)."""

    valid_for_months: int
    window_months: int = 9
    grace_days: int = 30
    continuing_education: ContinuingEducation | None = None
    refreshers: tuple[str, ...] = ()  # course slugs; passing any one renews
    automatic: bool = False  # renew without a trainer's confirmation once the rules are met

    def __post_init__(self) -> None:
        if self.valid_for_months < 1:
            raise ValueError("valid_for_months must be at least 1")
        if self.window_months < 0 or self.grace_days < 0:
            raise ValueError("the window and the grace period cannot be negative")
        if self.continuing_education is None and not self.refreshers:
            raise ValueError("a renewal needs continuing-education hours or a refresher course")


@dataclass(frozen=True)
class CeValue:
    """What completing a course published as a continuing-education activity is worth
    (``continuing_education: {hours, area}`` in its ``course.yml``)."""

    hours: Decimal
    area: str


@dataclass(frozen=True)
class Activity:
    """One continuing-education activity in a coach's ledger.

    Only ``approved`` activities count (internal ones are approved when recorded); an activity
    counts towards one renewal only (``used`` once a renewal has counted it)."""

    on: date
    hours: Decimal
    area: str
    kind: str
    approved: bool = True
    used: bool = False


@dataclass(frozen=True)
class AreaProgress:
    area: str
    hours: Decimal  # approved hours recorded in the area
    counted: Decimal  # of which count (after the area's cap)
    min_hours: Decimal
    max_hours: Decimal | None

    @property
    def missing(self) -> Decimal:
        return max(ZERO, self.min_hours - self.counted)


@dataclass(frozen=True)
class HoursProgress:
    """Progress towards the continuing-education rule: "24 of 36 hours; 6 of 9 in practice"."""

    required: Decimal
    counted: Decimal
    areas: tuple[AreaProgress, ...] = ()
    pending: Decimal = ZERO  # hours submitted, not yet approved

    @property
    def missing(self) -> Decimal:
        return max(ZERO, self.required - self.counted)

    @property
    def met(self) -> bool:
        return self.missing == ZERO and all(area.missing == ZERO for area in self.areas)


@dataclass(frozen=True)
class RenewalState:
    """Everything a renewal page, a reminder or the registry needs to say about one credential."""

    phase: Phase
    window_opens: date | None
    expires_on: date | None
    grace_ends: date | None
    hours: HoursProgress | None = None
    refresher_passed: bool = False
    met_by: tuple[str, ...] = field(default_factory=tuple)  # "hours", "refresher"

    @property
    def rules_met(self) -> bool:
        return bool(self.met_by)

    @property
    def can_apply(self) -> bool:
        """The holder may apply now: inside the window or the grace period, with a rule met."""
        return self.phase in (Phase.WINDOW, Phase.GRACE) and self.rules_met


def window_opens(expires_on: date, rules: RenewalRules) -> date:
    return add_months(expires_on, -rules.window_months)


def grace_ends(expires_on: date, rules: RenewalRules) -> date:
    """The last day a credential past ``expires_on`` can still be renewed."""
    return expires_on + timedelta(days=rules.grace_days)


def phase(expires_on: date | None, on: date, rules: RenewalRules) -> Phase:
    """Where a credential whose last valid day is ``expires_on`` stands on ``on``."""
    if expires_on is None:
        return Phase.NO_EXPIRY
    if on < window_opens(expires_on, rules):
        return Phase.NOT_YET
    if on <= expires_on:
        return Phase.WINDOW
    if on <= grace_ends(expires_on, rules):
        return Phase.GRACE
    return Phase.LAPSED


def hours_progress(
    rule: ContinuingEducation,
    activities: Iterable[Activity],
    since: date,
    until: date,
) -> HoursProgress:
    """Count approved, unused activities of a counted kind dated ``since``..``until``.

    An area's hours count up to its cap; hours in an area the rule does not name count towards
    the total only when the rule names no areas at all."""
    by_area: dict[str, Decimal] = {}
    pending = ZERO
    for activity in activities:
        if activity.used or activity.kind not in rule.kinds or activity.hours <= ZERO:
            continue
        if not since <= activity.on <= until:
            continue
        if rule.areas and rule.area(activity.area) is None:
            continue
        if not activity.approved:
            pending += activity.hours
            continue
        by_area[activity.area] = by_area.get(activity.area, ZERO) + activity.hours
    if not rule.areas:
        total = sum(by_area.values(), ZERO)
        return HoursProgress(rule.hours, min(total, rule.hours), (), pending)
    areas = []
    for area in rule.areas:
        recorded = by_area.get(area.id, ZERO)
        counted = recorded if area.max_hours is None else min(recorded, area.max_hours)
        areas.append(AreaProgress(area.id, recorded, counted, area.min_hours, area.max_hours))
    total = sum((area.counted for area in areas), ZERO)
    return HoursProgress(rule.hours, min(total, rule.hours), tuple(areas), pending)


def renewal_state(
    rules: RenewalRules,
    *,
    issued_on: date,
    expires_on: date | None,
    on: date,
    activities: Iterable[Activity] = (),
    refreshers_passed: Mapping[str, date] = MappingProxyType({}),
    counting_from: date | None = None,
) -> RenewalState:
    """Where the credential stands on ``on`` and which renewal rules its holder has met.

    Activities and refresher passes count from ``counting_from`` to ``on``. By default that is
    ``issued_on`` (the credential's first valid day): nothing done before the credential began
    counts towards renewing it. A credential that renewed another passes the day after that
    renewal was granted: what counted for one renewal never counts for the next (activities
    are also marked used; a refresher pass has no such mark, so the date decides)."""
    current = phase(expires_on, on, rules)
    if expires_on is None:
        return RenewalState(current, None, None, None)
    since = issued_on if counting_from is None else counting_from
    hours = None
    met: list[str] = []
    if rules.continuing_education is not None:
        hours = hours_progress(rules.continuing_education, activities, since, on)
        if hours.met:
            met.append("hours")
    passed = any(
        slug in refreshers_passed and since <= refreshers_passed[slug] <= on
        for slug in rules.refreshers
    )
    if passed:
        met.append("refresher")
    return RenewalState(
        phase=current,
        window_opens=window_opens(expires_on, rules),
        expires_on=expires_on,
        grace_ends=grace_ends(expires_on, rules),
        hours=hours,
        refresher_passed=passed,
        met_by=tuple(met),
    )


@dataclass(frozen=True)
class Term:
    """The validity of a credential: first and last valid day."""

    starts_on: date
    expires_on: date


def renewed_term(old_expires_on: date, rules: RenewalRules) -> Term:
    """The term of the credential that renews one whose last day is ``old_expires_on``: it begins
    the next day and lasts ``valid_for_months`` (no gap, no overlap, whenever the renewal is
    granted inside the window or the grace period)."""
    return Term(
        old_expires_on + timedelta(days=1), add_months(old_expires_on, rules.valid_for_months)
    )


def retake_term(old_expires_on: date | None, rules: RenewalRules | None, on: date) -> Term | None:
    """The term of a credential earned on ``on`` by retaking the course to renew one whose last
    day is ``old_expires_on``: inside the renewal window or the grace period it follows the old
    one without a gap (`renewed_term`); once the old one has lapsed, or without renewal rules
    or expiry, None: the usual term from ``on``, as for a first credential."""
    if rules is None or old_expires_on is None:
        return None
    if phase(old_expires_on, on, rules) not in (Phase.WINDOW, Phase.GRACE):
        return None
    return renewed_term(old_expires_on, rules)


def reminder_due(state: RenewalState, on: date, days_before: tuple[int, ...] = (90, 30, 7)) -> str:
    """Which renewal reminder, if any, belongs to ``on``: ``"window_opened"`` on the day the
    window opens, ``"before_<n>"`` n days before the last day, ``"grace_started"`` the day after
    it, ``"lapsed"`` the day after the grace period; else ``""``."""
    if state.expires_on is None or state.window_opens is None or state.grace_ends is None:
        return ""
    if on == state.window_opens:
        return "window_opened"
    for days in days_before:
        if on == state.expires_on - timedelta(days=days):
            return f"before_{days}"
    if on == state.expires_on + timedelta(days=1):
        return "grace_started"
    if on == state.grace_ends + timedelta(days=1):
        return "lapsed"
    return ""
