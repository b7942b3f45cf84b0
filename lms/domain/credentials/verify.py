"""Verifying a credential offline: issuer, signature, validity dates, revocation and suspension.

Used by ``lms credentials verify FILE`` and by the tests. Everything comes in as arguments: the
token, the published JWK Set, the signed status lists (already fetched, by URL) and the time, so
the result is the same wherever and whenever it runs.

A status list is trusted only if it is signed by a key of the same JWK Set, is the list the
credential points at (its ``id`` equals the URL), has the right purpose, is valid at ``now``
and has at least the spec's 131,072 entries. A status that cannot be checked makes the
credential invalid (reason ``status_unavailable`` or ``status_invalid``): failing closed.
Both status designs are read: the one ``message`` entry of today's credentials (two bits whose
``statusMessage`` says valid, suspended or revoked) and the two one-bit entries (revocation,
suspension) of the first release's.

Given ``expected_issuer``, a token naming another issuer is refused (``foreign_issuer``) before
anything else: nothing named inside a token is ever fetched.

Reasons, in priority order when several apply: ``revoked``, ``suspended``, ``expired``,
``not_yet_valid``, ``status_unavailable``, ``status_invalid``; before those ``foreign_issuer``
and any reason of `CredentialInvalid` (``bad_signature``, ``unknown_key``, ...). A valid
credential has reason ``valid``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import jwt

from lms.domain.credentials.signing import CredentialInvalid, issuer_id, verify_vc_jwt
from lms.domain.credentials.status_list import MIN_LENGTH, StatusBits, decode, read_value
from lms.domain.credentials.timestamps import parse_datetime, require_aware


@dataclass(frozen=True)
class VerificationResult:
    """The verdict on one credential."""

    valid: bool
    reason: str
    vc: dict[str, Any] | None  # the signed credential, when the signature is good
    revoked: bool = False
    suspended: bool = False
    issuer: str | None = None  # the issuer a refused foreign token names


class _StatusProblem(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _date_problem(vc: Mapping[str, Any], now: datetime) -> str | None:
    try:
        if "validFrom" in vc and now < parse_datetime(vc["validFrom"]):
            return "not_yet_valid"
        if "validUntil" in vc and now > parse_datetime(vc["validUntil"]):
            return "expired"
    except ValueError:
        return "malformed"
    return None


def _entries(vc: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    status = vc.get("credentialStatus")
    if status is None:
        return []
    entries = status if isinstance(status, list) else [status]
    if not all(isinstance(entry, Mapping) for entry in entries):
        raise _StatusProblem("status_invalid")
    return [e for e in entries if e.get("type") == "BitstringStatusListEntry"]


def _status_bits(
    url: str,
    purpose: str,
    size: int,
    tokens: Mapping[str, str],
    jwks: dict[str, Any],
    now: datetime,
) -> StatusBits:
    token = tokens.get(url)
    if token is None:
        raise _StatusProblem("status_unavailable")
    try:
        listed = verify_vc_jwt(token, jwks)
    except CredentialInvalid as error:
        raise _StatusProblem("status_invalid") from error
    subject = listed.get("credentialSubject")
    if (
        listed.get("id") != url
        or "BitstringStatusListCredential" not in listed.get("type", [])
        or not isinstance(subject, Mapping)
        or subject.get("type") != "BitstringStatusList"
    ):
        raise _StatusProblem("status_invalid")
    purposes = subject.get("statusPurpose")
    if purpose not in (purposes if isinstance(purposes, list) else [purposes]):
        raise _StatusProblem("status_invalid")
    if _date_problem(listed, now) is not None:
        raise _StatusProblem("status_unavailable")  # a stale list says nothing about today
    encoded = subject.get("encodedList")
    try:
        bits = decode(encoded) if isinstance(encoded, str) else None
    except ValueError as error:
        raise _StatusProblem("status_invalid") from error
    if bits is None or bits.length // size < MIN_LENGTH:
        raise _StatusProblem("status_invalid")
    return bits


def _entry_size(entry: Mapping[str, Any]) -> int:
    size = entry.get("statusSize", 1)
    if isinstance(size, str) and size.isascii() and size.isdigit():
        size = int(size)
    if not isinstance(size, int) or isinstance(size, bool) or not 1 <= size <= 8:
        raise _StatusProblem("status_invalid")
    return size


def _message_flags(entry: Mapping[str, Any], value: int) -> dict[str, bool]:
    """What a ``message`` entry's value means, by its (signed) ``statusMessage``."""
    messages = entry.get("statusMessage")
    if not isinstance(messages, list):
        raise _StatusProblem("status_invalid")
    said = [
        m.get("message")
        for m in messages
        if isinstance(m, Mapping) and isinstance(m.get("status"), str)
        and m["status"].lower() in (f"0x{value:x}", f"0x{value:02x}")
    ]  # fmt: skip
    if len(said) != 1 or said[0] not in ("valid", "suspended", "revoked"):
        raise _StatusProblem("status_invalid")
    return {"revocation": said[0] == "revoked", "suspension": said[0] == "suspended"}


def _entry_flags(
    entry: Mapping[str, Any], tokens: Mapping[str, str], jwks: dict[str, Any], now: datetime
) -> dict[str, bool]:
    url, purpose, index = (
        entry.get("statusListCredential"),
        entry.get("statusPurpose"),
        entry.get("statusListIndex"),
    )
    if not (isinstance(url, str) and isinstance(purpose, str) and isinstance(index, str)):
        raise _StatusProblem("status_invalid")
    if not index.isascii() or not index.isdigit():
        raise _StatusProblem("status_invalid")
    size = _entry_size(entry)
    if (purpose == "message") != (size > 1):
        raise _StatusProblem("status_invalid")
    bits = _status_bits(url, purpose, size, tokens, jwks, now)
    if (int(index) + 1) * size > bits.length:
        raise _StatusProblem("status_invalid")
    value = read_value(bits, int(index), size)
    if purpose == "message":
        return _message_flags(entry, value)
    return {purpose: bool(value)}


def _status_flags(
    vc: Mapping[str, Any], tokens: Mapping[str, str], jwks: dict[str, Any], now: datetime
) -> tuple[dict[str, bool], str | None]:
    """The flags by purpose, and the first problem met (other entries are still read)."""
    flags: dict[str, bool] = {}
    problem = None
    try:
        entries = _entries(vc)
    except _StatusProblem as error:
        return flags, error.reason
    for entry in entries:
        try:
            found = _entry_flags(entry, tokens, jwks, now)
        except _StatusProblem as error:
            problem = problem or error.reason
            continue
        for purpose, flag in found.items():
            flags[purpose] = flags.get(purpose, False) or flag
    return flags, problem


def unverified_issuer(token: str) -> str | None:
    """The issuer a token *claims*, read without checking anything (to refuse strangers)."""
    try:
        payload = jwt.decode(token.strip(), options={"verify_signature": False})
    except jwt.PyJWTError:
        return None
    return issuer_id(payload) if isinstance(payload, dict) else None


def verify_credential(
    token: str,
    jwks: dict[str, Any],
    status_lists: Mapping[str, str],
    now: datetime,
    *,
    expected_issuer: str | None = None,
) -> VerificationResult:
    """Verify a signed ``OpenBadgeCredential`` as of ``now`` (time-zone aware).

    ``status_lists`` maps each status list URL to its signed JWT, as published. With
    ``expected_issuer``, a token naming another issuer gets reason ``foreign_issuer``.
    """
    require_aware(now, "now")
    if expected_issuer is not None:
        claimed = unverified_issuer(token)
        if claimed is not None and claimed != expected_issuer:
            return VerificationResult(False, "foreign_issuer", None, issuer=claimed)
    try:
        vc = verify_vc_jwt(token, jwks)
    except CredentialInvalid as error:
        return VerificationResult(False, error.reason, None)
    if "OpenBadgeCredential" not in vc.get("type", []):
        return VerificationResult(False, "wrong_type", vc)
    flags, status_problem = _status_flags(vc, status_lists, jwks, now)
    revoked, suspended = flags.get("revocation", False), flags.get("suspension", False)
    reasons = [
        "revoked" if revoked else None,
        "suspended" if suspended else None,
        _date_problem(vc, now),
        status_problem,
    ]
    reason = next((r for r in reasons if r is not None), "valid")
    return VerificationResult(reason == "valid", reason, vc, revoked, suspended)
