"""A credential's life after issue: suspend, reinstate, revoke, renew and correct."""

from __future__ import annotations

from sqlalchemy import update

from lms.domain.credentials.lifecycle import (
    CredentialStatus,
    IllegalTransition,
    in_renewal_window,
    stored_reason,
    transition,
)
from lms.extensions import db
from lms.models import Credential, User
from lms.models.types import utcnow
from lms.services import audit, clock, notifications
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
    """Renewal is only possible inside the renewal window."""


def supersede(old: Credential, actor: User | None, reason: str, note: str = "") -> Credential:
    """Renew (new dates, inside the renewal window) or reissue (a correction, same dates).

    A new credential is issued from the holder's current profile and the enrolment's current
    course version; the old one becomes `superseded`, linked to the new one, and stays
    verifiable. Audited; commits. A credential is superseded once: the old one is moved to
    `superseded` first by a conditional UPDATE, so of two corrections or renewals sent at the
    same moment the second is refused (`IllegalTransition`) and one new credential exists.
    """
    if reason == "renewal" and not in_renewal_window(old.expires_on, clock.today()):
        raise RenewalRefused(old.number)
    previous = old.status
    transition(previous, "supersede")  # refuses revoked and already superseded credentials
    _move_status(old, previous, CredentialStatus.SUPERSEDED.value, reason, note.strip())
    try:
        new = issue(
            old.enrolment,
            actor,
            keep_dates_of=old if reason == "correction" else None,
            commit=False,
        )
    except AlreadyIssued:  # another current credential of the enrolment: nothing to replace
        db.session.rollback()
        raise IllegalTransition("the enrolment has another current credential") from None
    old.superseded_by_id = new.id
    _record_event(old, "supersede", previous, actor, reason=reason, note=old.status_note)
    audit.record(
        actor,
        "credential.supersede",
        "credential",
        old.number,
        {"reason": reason, "by": new.number, "note": old.status_note},
    )
    db.session.commit()
    return new
