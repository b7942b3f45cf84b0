"""Offline verification: signature, dates, revocation and suspension, and untrusted lists."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from lms.domain.credentials import (
    StatusBits,
    key_id,
    new_signing_key,
    sign_vc_jwt,
    status_list_credential,
    verify_credential,
)
from tests.domain.credentials.samples import (
    INDEX,
    ISSUER_ID,
    NOW,
    REVOCATION_URL,
    SNAPSHOT,
    SUSPENSION_URL,
    Issuer,
    badge,
    without_expiry,
)


@pytest.fixture
def issuer() -> Issuer:
    return Issuer.new()


def test_valid(issuer: Issuer) -> None:
    result = verify_credential(issuer.issue(), issuer.jwks(), issuer.status_lists(), NOW)
    assert (result.valid, result.reason, result.revoked, result.suspended) == (
        True,
        "valid",
        False,
        False,
    )
    assert result.vc is not None
    assert result.vc["credentialSubject"]["licenseNumber"]


@pytest.mark.parametrize(
    ("revoked", "suspended", "reason"),
    [(True, False, "revoked"), (False, True, "suspended"), (True, True, "revoked")],
)
def test_status_bits(issuer: Issuer, revoked: bool, suspended: bool, reason: str) -> None:
    token = issuer.issue()
    issuer.revoked.set(INDEX, revoked)
    issuer.suspended.set(INDEX, suspended)
    result = verify_credential(token, issuer.jwks(), issuer.status_lists(), NOW)
    assert (result.valid, result.reason) == (False, reason)
    assert (result.revoked, result.suspended) == (revoked, suspended)


def test_reinstated_after_suspension(issuer: Issuer) -> None:
    token = issuer.issue()
    issuer.suspended.set(INDEX)
    assert verify_credential(token, issuer.jwks(), issuer.status_lists(), NOW).reason == "suspended"
    issuer.suspended.set(INDEX, False)
    assert verify_credential(token, issuer.jwks(), issuer.status_lists(), NOW).valid


def test_other_credentials_bits_do_not_matter(issuer: Issuer) -> None:
    issuer.revoked.set(INDEX + 1)
    issuer.suspended.set(INDEX - 1)
    assert verify_credential(issuer.issue(), issuer.jwks(), issuer.status_lists(), NOW).valid


@pytest.mark.parametrize(
    ("now", "reason"),
    [
        (datetime(2026, 3, 11, 15, 59, 59, tzinfo=UTC), "not_yet_valid"),  # 23:59:59 in UB
        (datetime(2026, 3, 11, 16, 0, 0, tzinfo=UTC), "valid"),  # midnight in Ulaanbaatar
        (datetime(2029, 3, 12, 15, 59, 59, tzinfo=UTC), "valid"),  # last second of last day
        (datetime(2029, 3, 12, 16, 0, 0, tzinfo=UTC), "expired"),
    ],
)
def test_validity_dates(issuer: Issuer, now: datetime, reason: str) -> None:
    lists = issuer.status_lists(valid_from=datetime(2026, 1, 1, tzinfo=UTC))
    assert verify_credential(issuer.issue(), issuer.jwks(), lists, now).reason == reason


def test_without_expiry_never_expires(issuer: Issuer) -> None:
    token = issuer.issue(without_expiry())
    lists = issuer.status_lists()
    assert verify_credential(token, issuer.jwks(), lists, NOW + timedelta(days=36500)).valid


def test_revocation_outranks_expiry(issuer: Issuer) -> None:
    token = issuer.issue(replace(SNAPSHOT, expires_on=date(2026, 6, 1)))
    issuer.revoked.set(INDEX)
    assert verify_credential(token, issuer.jwks(), issuer.status_lists(), NOW).reason == "revoked"


def test_missing_status_list_fails_closed(issuer: Issuer) -> None:
    lists = issuer.status_lists()
    del lists[SUSPENSION_URL]
    result = verify_credential(issuer.issue(), issuer.jwks(), lists, NOW)
    assert (result.valid, result.reason) == (False, "status_unavailable")
    issuer.revoked.set(INDEX)
    lists = {REVOCATION_URL: issuer.status_lists()[REVOCATION_URL]}
    result = verify_credential(issuer.issue(), issuer.jwks(), lists, NOW)
    assert (result.reason, result.revoked) == ("revoked", True)  # what is known is still said


def test_swapped_lists_are_refused(issuer: Issuer) -> None:
    # Serving the (empty) suspension list where the revocation list belongs must not pass.
    lists = issuer.status_lists()
    swapped = {REVOCATION_URL: lists[SUSPENSION_URL], SUSPENSION_URL: lists[REVOCATION_URL]}
    result = verify_credential(issuer.issue(), issuer.jwks(), swapped, NOW)
    assert (result.valid, result.reason) == (False, "status_invalid")


def _list(issuer: Issuer, purpose: str, bits: StatusBits, url: str = REVOCATION_URL) -> str:
    vc = status_list_credential(url, purpose, bits, ISSUER_ID, NOW - timedelta(hours=1))
    return issuer.sign(vc)


def test_list_signed_by_someone_else_is_refused(issuer: Issuer) -> None:
    stranger = new_signing_key()
    vc = status_list_credential(REVOCATION_URL, "revocation", StatusBits(), ISSUER_ID, NOW)
    lists = {**issuer.status_lists(), REVOCATION_URL: sign_vc_jwt(vc, stranger, key_id(stranger))}
    result = verify_credential(issuer.issue(), issuer.jwks(), lists, NOW)
    assert result.reason == "status_invalid"


def test_list_with_wrong_purpose_or_stale_is_refused(issuer: Issuer) -> None:
    token = issuer.issue()
    wrong_purpose = {
        **issuer.status_lists(),
        REVOCATION_URL: _list(issuer, "suspension", StatusBits()),
    }
    assert verify_credential(token, issuer.jwks(), wrong_purpose, NOW).reason == "status_invalid"
    future = issuer.status_lists(valid_from=NOW + timedelta(days=1))
    assert verify_credential(token, issuer.jwks(), future, NOW).reason == "status_unavailable"


def test_status_index_outside_list_is_refused(issuer: Issuer) -> None:
    token = issuer.issue(index=131_072)
    assert verify_credential(token, issuer.jwks(), issuer.status_lists(), NOW).reason == (
        "status_invalid"
    )


def test_signature_problems_come_first(issuer: Issuer) -> None:
    token = issuer.issue()
    other = Issuer.new()
    result = verify_credential(token, other.jwks(), issuer.status_lists(), NOW)
    assert (result.valid, result.reason, result.vc) == (False, "unknown_key", None)
    head, payload, signature = token.split(".")
    flipped = signature[:10] + ("A" if signature[10] != "A" else "B") + signature[11:]
    result = verify_credential(f"{head}.{payload}.{flipped}", issuer.jwks(), {}, NOW)
    assert result.reason == "bad_signature"


def test_status_list_is_not_a_credential(issuer: Issuer) -> None:
    token = issuer.status_lists()[REVOCATION_URL]
    result = verify_credential(token, issuer.jwks(), issuer.status_lists(), NOW)
    assert (result.valid, result.reason) == (False, "wrong_type")


def test_naive_time_is_refused(issuer: Issuer) -> None:
    with pytest.raises(ValueError, match="aware"):
        verify_credential(issuer.issue(), issuer.jwks(), {}, datetime(2026, 1, 1))


def test_unsigned_badge_is_a_dict_not_a_token() -> None:
    assert badge()["credentialStatus"][0]["statusListIndex"] == str(INDEX)
