"""Reading the renewal rules of a credential (``certification.credential.renewal`` in
``course.yml``) and the continuing-education value of a course (``continuing_education``).

```yaml
certification:
  credential:
    valid_for_months: 36
    renewal:
      window_months: 9        # the window opens 9 months before the last valid day
      grace_days: 30          # renewable for 30 days after it; then lapsed
      continuing_education:
        hours: 36
        kinds: [course, module, workshop, conference]
        areas:
          - {id: practice, title: {mn: ..., en: ...}, min_hours: 12}
          - {id: ethics, title: {mn: ..., en: ...}, min_hours: 3, max_hours: 12}
      refreshers: [job-coach-refresher]   # passing one of these renews too
      automatic: false        # true: renewed without a trainer's confirmation
continuing_education:         # this course counts as a CE activity
  hours: 6
  area: practice
```
"""

from __future__ import annotations

from decimal import Decimal

from lms.domain.courses.problems import N_
from lms.domain.courses.values import Reader
from lms.domain.courses.yaml_reader import Entry, label
from lms.domain.credentials.renewal import (
    ACTIVITY_KINDS,
    CeValue,
    ContinuingEducation,
    RenewalRules,
    TopicArea,
)

_MAX_HOURS = 1000.0


def _shown(hours: Decimal) -> str:
    """24.0 → "24", 1.5 → "1.5"."""
    return f"{hours.normalize():f}"


def _hours(reader: Reader, entry: Entry | None, *, above_zero: bool = True) -> Decimal:
    value = reader.number(entry, 0.0, above=0 if above_zero else None, maximum=_MAX_HOURS)
    return Decimal(str(value)).quantize(Decimal("0.1"))


def read_renewal(
    reader: Reader, entry: Entry | None, valid_for_months: int | None
) -> RenewalRules | None:
    """The renewal rules under ``entry`` (None when absent or wrong)."""
    fields = reader.fields(
        entry,
        (),
        ("window_months", "grace_days", "continuing_education", "refreshers", "automatic"),
    )
    if fields is None or entry is None:
        return None
    if valid_for_months is None:
        reader.error(
            entry.line,
            entry.where,
            N_("a credential without valid_for_months never expires and has nothing to renew"),
        )
        return None
    window = reader.integer(fields.get("window_months"), 9, minimum=0, maximum=valid_for_months)
    grace = reader.integer(fields.get("grace_days"), 30, minimum=0, maximum=366)
    ce = _continuing_education(reader, fields.get("continuing_education"))
    refreshers = tuple(slug for slug, _ in reader.identifier_list(fields.get("refreshers")))
    if ce is None and not refreshers:
        reader.error(
            entry.line,
            entry.where,
            N_("say how to renew: continuing_education, refreshers, or both"),
        )
        return None
    rules = RenewalRules(
        valid_for_months=valid_for_months,
        window_months=window,
        grace_days=grace,
        continuing_education=ce,
        refreshers=refreshers,
        automatic=reader.boolean(fields.get("automatic")),
    )
    return rules


def _continuing_education(reader: Reader, entry: Entry | None) -> ContinuingEducation | None:
    fields = reader.fields(entry, ("hours",), ("kinds", "areas"))
    if fields is None:
        return None
    hours = _hours(reader, fields.get("hours"))
    kinds_entry = fields.get("kinds")
    kinds = (
        frozenset(
            reader.choice(item, ACTIVITY_KINDS, "course") for item in reader.sequence(kinds_entry)
        )
        if kinds_entry is not None
        else frozenset(ACTIVITY_KINDS)
    )
    areas: list[TopicArea] = []
    minimums = Decimal(0)
    for item in reader.sequence(fields.get("areas")):
        area = reader.mapping(
            item.node, item.where, item.line, ("id", "title"), ("min_hours", "max_hours")
        )
        if area is None:
            continue
        area_id = reader.identifier(area.get("id"))
        if any(known.id == area_id for known in areas):
            reader.error(
                item.line, label(item.where, "id"), N_("duplicate area id '%(id)s'"), id=area_id
            )
            continue
        low = _hours(reader, area.get("min_hours"), above_zero=False)
        cap_entry = area.get("max_hours")
        cap = _hours(reader, cap_entry) if cap_entry is not None else None
        if cap is not None and cap < low and cap_entry is not None:
            reader.error(
                cap_entry.line,
                cap_entry.where,
                N_("must be at least min_hours (%(limit)s)"),
                limit=_shown(low),
            )
        minimums += low
        areas.append(TopicArea(area_id, low, cap, reader.localised(area.get("title"))))
    hours_entry = fields.get("hours")
    if hours_entry is not None and minimums > hours:
        reader.error(
            hours_entry.line,
            hours_entry.where,
            N_("the areas' min_hours add up to %(sum)s, more than the %(hours)s hours required"),
            sum=_shown(minimums),
            hours=_shown(hours),
        )
    caps = [area.max_hours for area in areas if area.max_hours is not None]
    if areas and len(caps) == len(areas) and sum(caps, Decimal(0)) < hours and hours_entry:
        reader.error(
            hours_entry.line,
            hours_entry.where,
            N_("the areas' max_hours allow only %(sum)s of the %(hours)s hours required"),
            sum=_shown(sum(caps, Decimal(0))),
            hours=_shown(hours),
        )
    return ContinuingEducation(hours, tuple(areas), kinds)


def read_ce_value(reader: Reader, entry: Entry | None) -> CeValue | None:
    """``continuing_education: {hours, area}`` of a course that counts as a CE activity."""
    fields = reader.fields(entry, ("hours", "area"))
    if fields is None:
        return None
    return CeValue(_hours(reader, fields.get("hours")), reader.identifier(fields.get("area")))
