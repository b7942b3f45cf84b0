"""The kinds of notification, and which of them a person may turn off."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Kind:
    name: str
    label: object  # a lazy translation: shown on the account page
    # Required by the ministry: the holder is always told (no opt-out).
    required: bool = False


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind("enrolment_decided", _l("My enrolment request was approved or declined")),
        Kind("credential_issued", _l("A credential was issued to me")),
        Kind("credential_expiring", _l("My credential expires in 90, 30 or 7 days")),
        Kind("renewal_window", _l("The renewal window of my credential opened")),
        Kind("renewal_grace", _l("My credential expired and its grace period for renewal began")),
        Kind("renewal_lapsed", _l("My credential lapsed without being renewed")),
        Kind("credential_status", _l("My credential was suspended, reinstated or revoked"), True),
        Kind("proposal_waiting", _l("A registry proposal waits for a second reviewer")),
        Kind("enrolment_requested", _l("Someone asked to join a cohort I train")),
        Kind("name_correction", _l("Someone asks for their credentials under a corrected name")),
    )
}

OPTIONAL = tuple(name for name, kind in KINDS.items() if not kind.required)
