"""The daily reminder pass: where each credential stands in its renewal, told to its holder.

Run by the scheduled job `credential-reminders` (Mongolian morning). The stages follow the
credential's renewal rules (`standing.state_of`):

- **window opened**: once, while the renewal window is open;
- **90, 30 and 7 days** before the last valid day, each saying what is still missing to renew
  (continuing-education hours in total and per area with a minimum, or the refresher course);
- **grace period started**: the day after the last day, while not renewed (the last day to
  renew);
- **lapsed**: after the grace period, not renewed (the full course is needed again).

Each is once ever per credential and stage (the outbox's unique dedupe key), so running the
pass twice a day, or again after a missed day, never repeats one; after missed days the
nearest stage not yet sent goes out (a credential 25 days from expiry gets the 30-day reminder,
not 90; one in its grace period gets the grace notice, one lapsed only the lapsed notice, for up
to `LAPSED_CATCH_UP` days). Only active credentials with renewal rules are reminded: a renewed
(superseded), revoked or suspended one is not.

It lives in the renewal package (not in notifications, which it calls) because the wording
needs the renewal standing, a higher service layer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select

from lms.domain.credentials.renewal import Phase
from lms.extensions import db
from lms.models import Credential, User
from lms.services import clock
from lms.services.courses.store import find_course, latest_version
from lms.services.notifications.messages import (
    credential_expiring,
    renewal_grace_started,
    renewal_lapsed,
    renewal_window_opened,
)
from lms.services.renewal import standing

STAGES = (7, 30, 90)
LAPSED_CATCH_UP = timedelta(days=30)
"""How long after the grace period a missed lapsed notice is still sent."""
LOOK_BACK = timedelta(days=400)
"""Credentials that expired longer ago than this are past any grace period and catch-up."""


@dataclass
class ReminderPass:
    expiring: list[tuple[str, int]] = field(default_factory=list)
    renewal: list[str] = field(default_factory=list)
    grace: list[str] = field(default_factory=list)
    lapsed: list[str] = field(default_factory=list)


def stage_for(expires_on: date, today: date) -> int | None:
    """The reminder stage due on `today`: the smallest of 7/30/90 days not yet passed."""
    left = (expires_on - today).days
    if left < 0:
        return None
    return next((stage for stage in STAGES if left <= stage), None)


def _titles(slugs: tuple[str, ...], cache: dict[str, object]) -> dict[str, object]:
    """Course slug → its title per language (newest published version), looked up once."""
    for slug in slugs:
        if slug not in cache:
            course = find_course(slug)
            version = latest_version(course) if course is not None else None
            cache[slug] = version.meta.get("title") if version is not None else slug
    return {slug: cache[slug] for slug in slugs}


def run_reminders(today: date | None = None) -> ReminderPass:
    """Write the reminders due today (idempotent); commits."""
    today = today or clock.today()
    result = ReminderPass()
    rows = db.session.execute(
        select(Credential, User)
        .join(User, User.id == Credential.user_id)
        .where(
            Credential.status == "active",
            Credential.expires_on.is_not(None),
            Credential.expires_on >= today - LOOK_BACK,
            Credential.expires_on <= today + timedelta(days=max(STAGES) + 366),
        )
        .order_by(Credential.id)
    ).all()
    titles: dict[str, object] = {}
    for credential, holder in rows:
        rules = standing.rules_for(credential)
        if rules is None:
            continue  # nothing to renew: no reminders
        state = standing.state_of(credential, on=today)
        if state is None or state.expires_on is None or state.grace_ends is None:
            continue
        if state.phase is Phase.GRACE:
            if renewal_grace_started(credential, holder, state):
                result.grace.append(credential.number)
            continue
        if state.phase is Phase.LAPSED:
            if today <= state.grace_ends + LAPSED_CATCH_UP and renewal_lapsed(credential, holder):
                result.lapsed.append(credential.number)
            continue
        stage = stage_for(state.expires_on, today)
        if stage is not None and credential_expiring(
            credential, holder, stage, state, rules, _titles(rules.refreshers, titles)
        ):
            result.expiring.append((credential.number, stage))
        if state.phase is Phase.WINDOW and renewal_window_opened(credential, holder):
            result.renewal.append(credential.number)
    db.session.commit()
    return result
