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
}


def status_label(status: str) -> str:
    label = _STATUS_LABELS.get(status)
    return str(label) if label is not None else status


def public_facts(credential: Credential, on: date) -> dict[str, Any]:
    """What anyone may know about a credential: never national ID, scores or contacts."""
    snapshot = CredentialSnapshot.from_json(credential.snapshot)
    status = effective_status(credential.status, credential.expires_on, on)
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
            snapshot.qualifies_for_subsidy, credential.status, credential.expires_on, on
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
