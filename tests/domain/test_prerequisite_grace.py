"""A credential in its renewal grace period counts for a prerequisite only of the courses that
renew it (issue 19): a coach past the last day may still take the refresher."""

from __future__ import annotations

from types import MappingProxyType

from lms.domain.courses import Prerequisite
from lms.domain.enrolment import LearnerRecord, unmet_prerequisites

NEEDS_CREDENTIAL = [Prerequisite("job-coach-training", "credential")]


def _record(in_grace: dict[str, frozenset[str]] | None = None) -> LearnerRecord:
    return LearnerRecord(frozenset(), frozenset(), MappingProxyType(in_grace or {}))


def test_a_credential_in_grace_counts_for_its_refresher_only() -> None:
    record = _record({"job-coach-training": frozenset({"refresher"})})
    assert unmet_prerequisites(NEEDS_CREDENTIAL, record, "refresher") == []
    assert unmet_prerequisites(NEEDS_CREDENTIAL, record, "other") == NEEDS_CREDENTIAL
    assert unmet_prerequisites(NEEDS_CREDENTIAL, record) == NEEDS_CREDENTIAL


def test_without_grace_an_expired_credential_counts_for_nothing() -> None:
    assert unmet_prerequisites(NEEDS_CREDENTIAL, _record(), "refresher") == NEEDS_CREDENTIAL
    active = LearnerRecord(frozenset(), frozenset({"job-coach-training"}))
    assert unmet_prerequisites(NEEDS_CREDENTIAL, active, "anything") == []
