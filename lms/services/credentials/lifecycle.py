"""A credential's life after issue: suspend, reinstate, revoke, renew and correct."""

from __future__ import annotations

from lms.domain.credentials.lifecycle import CredentialStatus, in_renewal_window, transition
from lms.extensions import db
from lms.models import Credential, User
from lms.models.types import utcnow
from lms.services import audit, clock
from lms.services.credentials.issuing import _record_event, issue


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
    credential.status = transition(old, action).value  # type: ignore[arg-type]
    credential.status_reason = reason
    credential.status_note = note.strip()
    credential.status_changed_at = utcnow()
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
    db.session.commit()


class RenewalRefused(ValueError):
    """Renewal is only possible inside the renewal window."""


def supersede(old: Credential, actor: User | None, reason: str, note: str = "") -> Credential:
    """Renew (new dates, inside the renewal window) or reissue (a correction, same dates).

    A new credential is issued from the holder's current profile and the enrolment's current
    course version; the old one becomes `superseded`, linked to the new one, and stays
    verifiable. Audited; commits.
    """
    if reason == "renewal" and not in_renewal_window(old.expires_on, clock.today()):
        raise RenewalRefused(old.number)
    transition(old.status, "supersede")  # refuses revoked and already superseded credentials
    new = issue(
        old.enrolment, actor, keep_dates_of=old if reason == "correction" else None, commit=False
    )
    previous = old.status
    old.status = CredentialStatus.SUPERSEDED.value
    old.superseded_by_id = new.id
    _record_event(old, "supersede", previous, actor, reason=reason, note=note.strip())
    old.status_reason = reason
    old.status_note = note.strip()
    old.status_changed_at = utcnow()
    audit.record(
        actor,
        "credential.supersede",
        "credential",
        old.number,
        {"reason": reason, "by": new.number, "note": old.status_note},
    )
    db.session.commit()
    return new
