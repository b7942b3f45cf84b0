"""LinkedIn's add-certification link, filled in from a credential."""

from __future__ import annotations

from datetime import date
from urllib.parse import parse_qs, urlsplit

from lms.domain.credentials.sharing import linkedin_add_url


def test_linkedin_link_carries_every_field() -> None:
    url = linkedin_add_url(
        name="Ажлын дасгалжуулагч",
        organisation="Job coach LMS",
        issued_on=date(2026, 3, 12),
        expires_on=date(2029, 3, 12),
        number="JC-2026-00042-3",
        verify_url="https://lms.example.mn/verify/JC-2026-00042-3",
    )
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "www.linkedin.com", "/profile/add")
    fields = {key: values[0] for key, values in parse_qs(parts.query).items()}
    assert fields == {
        "startTask": "CERTIFICATION_NAME",
        "name": "Ажлын дасгалжуулагч",
        "organizationName": "Job coach LMS",
        "issueYear": "2026",
        "issueMonth": "3",
        "expirationYear": "2029",
        "expirationMonth": "3",
        "certUrl": "https://lms.example.mn/verify/JC-2026-00042-3",
        "certId": "JC-2026-00042-3",
    }


def test_no_expiry_means_no_expiry_fields() -> None:
    url = linkedin_add_url(
        name="Seminar & more",
        organisation="LMS",
        issued_on=date(2026, 1, 5),
        expires_on=None,
        number="IS-2026-00001-0",
        verify_url="https://x/verify/IS-2026-00001-0",
    )
    fields = parse_qs(urlsplit(url).query)
    assert "expirationYear" not in fields
    assert fields["name"] == ["Seminar & more"]  # encoded, not breaking the query
