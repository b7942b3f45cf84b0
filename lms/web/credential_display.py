"""How credentials are described on pages: status words and the facts anyone may see."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l

from lms.domain.credentials import effective_status, qualifies_for_subsidy
from lms.domain.credentials.snapshot import CredentialSnapshot
from lms.domain.regions import region_name
from lms.models import Credential

_STATUS_LABELS = {  # translated when asked for, one at a time (lists show many rows)
    "active": _l("Valid"),
    "expired": _l("Expired"),
    "suspended": _l("Suspended"),
    "revoked": _l("Revoked"),
    "superseded": _l("Replaced by a newer credential"),
    "not_yet_valid": _l("Valid from a later date"),
}


def status_label(status: str) -> str:
    label = _STATUS_LABELS.get(status)
    return str(label) if label is not None else status


def public_facts(credential: Credential, on: date) -> dict[str, Any]:
    """What anyone may know about a credential: never national ID, scores or contacts."""
    snapshot = CredentialSnapshot.from_json(credential.snapshot)
    timing = {"status_reason": credential.status_reason, "starts_on": credential.issued_on}
    status = effective_status(credential.status, credential.expires_on, on, **timing)
    return {
        "number": credential.number,
        "status": status,
        "holder_name": snapshot.holder_name,
        "credential_name": dict(snapshot.credential_name),
        "course": dict(snapshot.course_title),
        "course_version": snapshot.course_version,
        "region": {lang: region_name(snapshot.region, lang) for lang in ("mn", "en")},
        "issued_on": snapshot.issued_on.isoformat(),
        "expires_on": snapshot.expires_on.isoformat() if snapshot.expires_on else None,
        "qualifies_for_subsidy": qualifies_for_subsidy(
            snapshot.qualifies_for_subsidy, credential.status, credential.expires_on, on, **timing
        ),
        "checked_on": on.isoformat(),
        "superseded_by": _number_of(credential.superseded_by_id),
    }


def _number_of(credential_id: int | None) -> str | None:
    if credential_id is None:
        return None
    from lms.extensions import db

    other = db.session.get(Credential, credential_id)
    return other.number if other else None


def renewal_links(credential: Credential) -> dict[str, str | None]:
    """The renewal chain around `credential`: ``renewed_by`` (the number of the credential that
    renewed it, when it was superseded by a renewal) and ``renews`` (the number of the one it
    renewed)."""
    from sqlalchemy import select

    from lms.extensions import db

    renewed_by = None
    if credential.status_reason == "renewal":
        renewed_by = _number_of(credential.superseded_by_id)
    renews = db.session.execute(
        select(Credential.number).where(
            Credential.superseded_by_id == credential.id, Credential.status_reason == "renewal"
        )
    ).scalar_one_or_none()
    return {"renewed_by": renewed_by, "renews": renews}
