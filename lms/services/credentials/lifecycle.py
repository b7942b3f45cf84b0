"""A credential's life after issue: suspend, reinstate, revoke, renew and correct."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import update

from lms.domain.credentials.lifecycle import (
    CredentialStatus,
    IllegalTransition,
    add_months,
    in_renewal_window,
    stored_reason,
    transition,
)
from lms.domain.credentials.renewal import Phase, RenewalRules, Term, phase, renewed_term
from lms.extensions import db
from lms.models import Credential, User
from lms.models.types import utcnow
from lms.services import audit, clock, notifications
from lms.services.courses.store import course_rules
from lms.services.credentials.issuing import AlreadyIssued, _record_event, issue


def _move_status(credential: Credential, old: str, new: str, reason: str, note: str) -> None:
    """Move `credential` from status `old` to `new` only if it is still `old`: a conditional
    UPDATE, so of two changes made at the same moment from the same status one wins and the
    other is refused (`IllegalTransition`, after a rollback) instead of overwriting it."""
    done = db.session.execute(
        update(Credential)
        .where(Credential.id == credential.id, Credential.status == old)
        .values(status=new, status_reason=reason, status_note=note, status_changed_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        db.session.rollback()
        raise IllegalTransition(f"the credential is no longer {old}")
    db.session.expire(credential)


def change_status(
    credential: Credential,
    action: str,
    actor: User | None,
    reason: str = "",
    note: str = "",
    *,
    proposed_by: User | None = None,
) -> None:
    """Suspend, reinstate or revoke; audited; commits. Raises IllegalTransition.

    `proposed_by` names the reviewer who proposed a change that `actor` confirms (the
    registry's two-person rule); the audit entry then names both.
    """
    old = credential.status
    new = transition(old, action).value  # type: ignore[arg-type]
    reason = stored_reason(action, reason)  # only where the action takes one, from its list
    _move_status(credential, old, new, reason, note.strip())
    _record_event(credential, action, old, actor, reason=reason, note=credential.status_note)
    audit.record(
        actor,
        f"credential.{action}",
        "credential",
        credential.number,
        {
            "from": old,
            "to": credential.status,
            "reason": reason,
            "note": credential.status_note,
            **({"proposed_by": proposed_by.id} if proposed_by is not None else {}),
        },
    )
    holder = db.session.get(User, credential.user_id)
    if holder is not None and action in ("suspend", "reinstate", "revoke"):
        notifications.credential_status_changed(credential, holder, action)
    db.session.commit()


class RenewalRefused(ValueError):
    """Renewal is only possible inside the renewal window or the grace period after it:
    ``opens``..``closes`` (None: the credential never expires, nothing to renew)."""

    def __init__(self, number: str, opens: date | None = None, closes: date | None = None):
        super().__init__(number)
        self.opens, self.closes = opens, closes


def renewal_term(old: Credential, rules: RenewalRules | None, on: date) -> Term | None:
    """The term of the credential renewing `old` on `on`: from the day after its last day, for
    the renewal rules' validity (`renewed_term`). Raises `RenewalRefused` outside the window
    and the grace period of `rules`. A course without renewal rules keeps the defaults (9 months
    before to 30 days after) and the validity its credential is issued for (None: it no longer
    expires, the new one is issued from `on` as before)."""
    if old.expires_on is None:
        raise RenewalRefused(old.number)
    if rules is not None:
        if phase(old.expires_on, on, rules) not in (Phase.WINDOW, Phase.GRACE):
            raise RenewalRefused(
                old.number,
                add_months(old.expires_on, -rules.window_months),
                old.expires_on + timedelta(days=rules.grace_days),
            )
        return renewed_term(old.expires_on, rules)
    if not in_renewal_window(old.expires_on, on):
        raise RenewalRefused(
            old.number, add_months(old.expires_on, -9), old.expires_on + timedelta(days=30)
        )
    months = course_rules(old.enrolment.course_version).certification.credential.valid_for_months
    if months is None:
        return None
    return Term(old.expires_on + timedelta(days=1), add_months(old.expires_on, months))


def supersede(
    old: Credential,
    actor: User | None,
    reason: str,
    note: str = "",
    *,
    rules: RenewalRules | None = None,
    commit: bool = True,
) -> Credential:
    """Renew (new dates, inside the renewal window) or reissue (a correction, same dates).

    A renewal follows `rules` (the credential's renewal rules, `lms.services.renewal.standing`):
    possible inside their window or grace period, the new credential valid from the day after
    the old one's last day (`renewal_term`). The old credential stays valid to its last day:
    its `supersede` event is dated the day after, and the new one's `issue` event its first
    valid day, so eligibility on a date has neither a gap nor an overlap.

    A new credential is issued from the holder's current profile and the enrolment's current
    course version; the old one becomes `superseded`, linked to the new one, and stays
    verifiable. Audited; commits unless told not to. A credential is superseded once: the old
    one is moved to `superseded` first by a conditional UPDATE, so of two corrections or
    renewals sent at the same moment the second is refused (`IllegalTransition`) and one new
    credential exists.
    """
    term = renewal_term(old, rules, clock.today()) if reason == "renewal" else None
    previous = old.status
    transition(previous, "supersede")  # refuses revoked and already superseded credentials
    expires_on = old.expires_on
    _move_status(old, previous, CredentialStatus.SUPERSEDED.value, reason, note.strip())
    try:
        new = issue(
            old.enrolment,
            actor,
            keep_dates_of=old if reason == "correction" else None,
            term=term,
            commit=False,
        )
    except AlreadyIssued:  # another current credential of the enrolment: nothing to replace
        db.session.rollback()
        raise IllegalTransition("the enrolment has another current credential") from None
    old.superseded_by_id = new.id
    # A renewed credential is valid to its last day; a corrected one is replaced today.
    superseded_on = expires_on + timedelta(days=1) if term and expires_on else None
    _record_event(
        old, "supersede", previous, actor, on=superseded_on, reason=reason, note=old.status_note
    )
    audit.record(
        actor,
        "credential.supersede",
        "credential",
        old.number,
        {"reason": reason, "by": new.number, "note": old.status_note},
    )
    if commit:
        db.session.commit()
    return new
