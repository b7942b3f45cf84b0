"""Every kind of credential the product issues meets Open Badges 3.0 (official schema, VC-JWT
header and claim rules), and so does the issuer profile; the old format would not."""

from __future__ import annotations

from dataclasses import replace

import pytest

from lms.domain.credentials import CredentialSnapshot
from tests.domain.credentials.conformance import (
    assert_credential_conformant,
    assert_profile_conformant,
    validate_against_schema,
)
from tests.domain.credentials.samples import (
    BASE,
    ISSUER_ID,
    SNAPSHOT,
    Issuer,
    badge,
    legacy_badge,
    without_expiry,
)

KINDS = {
    "seminar": replace(
        without_expiry(),
        kind="seminar",
        practicum_hours=0,
        qualifies_for_subsidy=False,
        credential_name={"mn": "Танилцуулах семинар", "en": "Introductory seminar"},
    ),
    "training": SNAPSHOT,
    "trainer": replace(
        SNAPSHOT,
        kind="trainer",
        credential_name={"mn": "Сургагч багш", "en": "Trainer of job coaches"},
    ),
    "english_only": replace(
        SNAPSHOT, course_title={"en": "Job coach training"}, credential_name={"en": "Job coach"}
    ),
}


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_kind_is_conformant(kind: str) -> None:
    snapshot: CredentialSnapshot = KINDS[kind]
    issuer = Issuer.new()
    payload = assert_credential_conformant(issuer.issue(snapshot), BASE)
    assert payload["credentialSubject"]["licenseNumber"] == snapshot.number


def test_the_first_release_format_fails_these_rules() -> None:
    # The checks can fail: the previous format broke the schema and the header rules.
    issuer = Issuer.new()
    with pytest.raises(AssertionError):
        assert_credential_conformant(issuer.issue_legacy(), BASE)


def test_a_two_entry_status_fails_the_official_schema() -> None:
    with pytest.raises(AssertionError, match="credentialStatus"):
        validate_against_schema(legacy_badge(), "achievementcredential.json")
    validate_against_schema(badge(), "achievementcredential.json")


def test_issuer_profile_shape_passes_the_profile_schema() -> None:
    profile = {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": ISSUER_ID,
        "type": ["Profile"],
        "name": "Job coach LMS",
    }
    assert_profile_conformant(profile)
    with pytest.raises(AssertionError):
        assert_profile_conformant({"id": ISSUER_ID, "type": "Profile"})
