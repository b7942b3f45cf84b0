"""Sharing a credential: LinkedIn's "Add licence or certification" link.

LinkedIn documents the form ``https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME``
with the fields below; it pre-fills the form, and the holder still confirms it on LinkedIn.
Nothing private goes into the link: the credential's name, the issuer, the dates, the number and
the public verification page, all of which anyone may see at that page anyway.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

LINKEDIN_ADD_URL = "https://www.linkedin.com/profile/add"


def linkedin_add_url(
    *,
    name: str,
    organisation: str,
    issued_on: date,
    expires_on: date | None,
    number: str,
    verify_url: str,
) -> str:
    """The link that opens LinkedIn's add-certification form, filled in."""
    fields: dict[str, str | int] = {
        "startTask": "CERTIFICATION_NAME",
        "name": name,
        "organizationName": organisation,
        "issueYear": issued_on.year,
        "issueMonth": issued_on.month,
    }
    if expires_on is not None:
        fields["expirationYear"] = expires_on.year
        fields["expirationMonth"] = expires_on.month
    fields["certUrl"] = verify_url
    fields["certId"] = number
    return f"{LINKEDIN_ADD_URL}?{urlencode(fields)}"
