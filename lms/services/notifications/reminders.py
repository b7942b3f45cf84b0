"""The daily reminder pass: 90, 30 and 7 days before expiry, and the opening renewal window.

Run by the scheduled job `credential-reminders` (Mongolian morning). Each reminder is once
ever per credential and stage (the outbox's unique dedupe key), so running the pass twice a
day, or again after a missed day, never repeats one; after a missed day the nearest stage
not yet sent goes out (a credential 25 days from expiry gets the 30-day reminder, not 90).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select

from lms.domain.credentials.lifecycle import in_renewal_window
from lms.extensions import db
from lms.models import Credential, User
from lms.services import clock
from lms.services.notifications.messages import credential_expiring, renewal_window_opened

STAGES = (7, 30, 90)


@dataclass
class ReminderPass:
    expiring: list[tuple[str, int]] = field(default_factory=list)
    renewal: list[str] = field(default_factory=list)


def stage_for(expires_on: date, today: date) -> int | None:
    """The reminder stage due on `today`: the smallest of 7/30/90 days not yet passed."""
    left = (expires_on - today).days
    if left < 0:
        return None
    return next((stage for stage in STAGES if left <= stage), None)


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
            Credential.expires_on >= today,
            Credential.expires_on <= today + timedelta(days=max(STAGES) + 366),
        )
        .order_by(Credential.id)
    ).all()
    for credential, holder in rows:
        stage = stage_for(credential.expires_on, today)
        if stage is not None and credential_expiring(credential, holder, stage):
            result.expiring.append((credential.number, stage))
        if in_renewal_window(credential.expires_on, today) and renewal_window_opened(
            credential, holder
        ):
            result.renewal.append(credential.number)
    db.session.commit()
    return result
