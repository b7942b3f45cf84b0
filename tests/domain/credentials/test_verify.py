"""Offline verification: signature, dates, revocation and suspension, and untrusted lists.

Today's credentials carry one ``message`` status entry; those of the first release two entries
(revocation and suspension lists) and an EdDSA signature. Both must keep verifying.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from lms.domain.credentials import (
    StatusBits,
    key_id,
    message_list,
    new_signing_key,
    sign_vc_jwt,
    status_list_credential,
    verify_credential,
)
from tests.domain.credentials.samples import (
    INDEX,
    ISSUER_ID,
    MESSAGE_URL,
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
    token, old_token = issuer.issue(), issuer.issue_legacy()
    issuer.revoked.set(INDEX, revoked)
    issuer.suspended.set(INDEX, suspended)
    result = verify_credential(token, issuer.jwks(), issuer.status_lists(), NOW)
    assert (result.valid, result.reason) == (False, reason)
    # One two-bit entry holds one status: revoked wins over suspended.
    assert (result.revoked, result.suspended) == (revoked, suspended and not revoked)
    old = verify_credential(old_token, issuer.jwks(), issuer.status_lists(), NOW)
    assert (old.valid, old.reason) == (False, reason)
    assert (old.revoked, old.suspended) == (revoked, suspended)


def test_a_credential_of_the_first_release_still_verifies(issuer: Issuer) -> None:
    issuer.rotate()  # signed since with ES256 keys; the old Ed25519 key stays published
    old = issuer.issue_legacy()
    assert isinstance(verify_credential(old, issuer.jwks(), {}, NOW).vc, dict)
    result = verify_credential(old, issuer.jwks(), issuer.status_lists(), NOW)
    assert (result.valid, result.reason) == (True, "valid")
    assert len(result.vc["credentialStatus"]) == 2 if result.vc else False


def test_message_values_follow_status_message(issuer: Issuer) -> None:
    # The two bits of entry INDEX, read as the spec says (index * statusSize, most
    # significant first), and named by the entry's statusMessage.
    token = issuer.issue()
    for status, reason in (("valid", "valid"), ("suspended", "suspended"), ("revoked", "revoked")):
        bits = message_list([(INDEX, status)])
        listed = status_list_credential(MESSAGE_URL, "message", bits, ISSUER_ID, NOW)
        result = verify_credential(token, issuer.jwks(), {MESSAGE_URL: issuer.sign(listed)}, NOW)
        assert result.reason == reason
    unused = StatusBits(2 * 131_072)
    unused.set(2 * INDEX)
    unused.set(2 * INDEX + 1)  # 0x3: never written by the issuer, so not to be trusted
    listed = status_list_credential(MESSAGE_URL, "message", unused, ISSUER_ID, NOW)
    result = verify_credential(token, issuer.jwks(), {MESSAGE_URL: issuer.sign(listed)}, NOW)
    assert result.reason == "status_invalid"


def test_a_one_bit_list_where_the_message_list_belongs_is_refused(issuer: Issuer) -> None:
    wrong = status_list_credential(MESSAGE_URL, "revocation", StatusBits(), ISSUER_ID, NOW)
    lists = {**issuer.status_lists(), MESSAGE_URL: issuer.sign(wrong)}
    assert verify_credential(issuer.issue(), issuer.jwks(), lists, NOW).reason == "status_invalid"


def test_foreign_issuer_is_refused_before_anything_is_read(issuer: Issuer) -> None:
    stranger = Issuer.new()
    vc = {**badge(), "issuer": {"id": "https://other.example/issuer", "type": ["Profile"]}}
    token = stranger.sign(vc)
    result = verify_credential(
        token, issuer.jwks(), issuer.status_lists(), NOW, expected_issuer=ISSUER_ID
    )
    assert (result.valid, result.reason, result.issuer) == (
        False,
        "foreign_issuer",
        "https://other.example/issuer",
    )
    own = verify_credential(
        issuer.issue(), issuer.jwks(), issuer.status_lists(), NOW, expected_issuer=ISSUER_ID
    )
    assert own.valid


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
    del lists[MESSAGE_URL]
    result = verify_credential(issuer.issue(), issuer.jwks(), lists, NOW)
    assert (result.valid, result.reason) == (False, "status_unavailable")
    lists = issuer.status_lists()
    del lists[SUSPENSION_URL]
    result = verify_credential(issuer.issue_legacy(), issuer.jwks(), lists, NOW)
    assert (result.valid, result.reason) == (False, "status_unavailable")
    issuer.revoked.set(INDEX)
    lists = {REVOCATION_URL: issuer.status_lists()[REVOCATION_URL]}
    result = verify_credential(issuer.issue_legacy(), issuer.jwks(), lists, NOW)
    assert (result.reason, result.revoked) == ("revoked", True)  # what is known is still said


def test_swapped_lists_are_refused(issuer: Issuer) -> None:
    # Serving the (empty) suspension list where the revocation list belongs must not pass.
    lists = issuer.status_lists()
    swapped = {REVOCATION_URL: lists[SUSPENSION_URL], SUSPENSION_URL: lists[REVOCATION_URL]}
    result = verify_credential(issuer.issue_legacy(), issuer.jwks(), swapped, NOW)
    assert (result.valid, result.reason) == (False, "status_invalid")


def _list(issuer: Issuer, purpose: str, bits: StatusBits, url: str = REVOCATION_URL) -> str:
    vc = status_list_credential(url, purpose, bits, ISSUER_ID, NOW - timedelta(hours=1))
    return issuer.sign(vc)


def test_list_signed_by_someone_else_is_refused(issuer: Issuer) -> None:
    stranger = new_signing_key()
    vc = status_list_credential(MESSAGE_URL, "message", message_list([]), ISSUER_ID, NOW)
    lists = {**issuer.status_lists(), MESSAGE_URL: sign_vc_jwt(vc, stranger, key_id(stranger))}
    result = verify_credential(issuer.issue(), issuer.jwks(), lists, NOW)
    assert result.reason == "status_invalid"


def test_list_with_wrong_purpose_or_stale_is_refused(issuer: Issuer) -> None:
    token = issuer.issue()
    wrong_purpose = {
        **issuer.status_lists(),
        REVOCATION_URL: _list(issuer, "suspension", StatusBits()),
    }
    old = issuer.issue_legacy()
    assert verify_credential(old, issuer.jwks(), wrong_purpose, NOW).reason == "status_invalid"
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
    assert badge()["credentialStatus"]["statusListIndex"] == str(INDEX)
