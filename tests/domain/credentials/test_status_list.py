"""Bitstring Status List: bit order, encoding, decoding and the list credential."""

from __future__ import annotations

import base64
import gzip
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lms.domain.credentials import (
    MIN_LENGTH,
    StatusBits,
    decode,
    encode,
    pick_status_index,
    status_list_credential,
)

# Example 3 of the W3C Recommendation: an empty list of the minimum size.
SPEC_EXAMPLE = "uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA"


def test_known_vector_bits_0_and_7() -> None:
    bits = StatusBits()
    bits.set(0)
    bits.set(7)
    assert bits.to_bytes()[:2] == bytes([0b10000001, 0])
    assert bits.set_indexes() == [0, 7]
    raw = gzip.decompress(base64.urlsafe_b64decode(encode(bits)[1:] + "=="))
    assert raw[0] == 0b10000001
    assert len(raw) == MIN_LENGTH // 8


def test_spec_example_decodes() -> None:
    bits = decode(SPEC_EXAMPLE)
    assert bits.length == MIN_LENGTH
    assert bits.set_indexes() == []


def test_encoding_is_multibase_and_deterministic() -> None:
    bits = StatusBits.from_indexes([5, 94567])
    text = encode(bits)
    assert text.startswith("u")
    assert not {"=", "+", "/"} & set(text)
    assert encode(StatusBits.from_indexes([94567, 5])) == text
    assert decode(text) == bits


def test_set_clear_and_bounds() -> None:
    bits = StatusBits(16)
    bits.set(9)
    assert bits.get(9)
    assert not bits.get(8)
    bits.set(9, False)
    assert not bits.get(9)
    for index in (-1, 16):
        with pytest.raises(IndexError):
            bits.get(index)
    for length in (0, 12, -8):
        with pytest.raises(ValueError, match="multiple of 8"):
            StatusBits(length)


@given(st.sets(st.integers(0, 4095), max_size=40))
@settings(max_examples=50)
def test_round_trip_property(indexes: set[int]) -> None:
    bits = StatusBits.from_indexes(indexes, length=4096)
    assert bits.set_indexes() == sorted(indexes)
    decoded = decode(encode(bits))
    assert decoded == bits
    assert all(decoded.get(i) == (i in indexes) for i in range(0, 4096, 7))


@pytest.mark.parametrize(
    "text",
    [
        "",
        "u",
        SPEC_EXAMPLE[1:],  # no multibase prefix
        "z" + SPEC_EXAMPLE[1:],
        SPEC_EXAMPLE + "=",
        "u" + base64.urlsafe_b64encode(b"not gzip").decode().rstrip("="),
        "u" + base64.urlsafe_b64encode(gzip.compress(b"", mtime=0)).decode().rstrip("="),
        "u" + base64.urlsafe_b64encode(gzip.compress(b"\0" * 8, mtime=0) * 2).decode().rstrip("="),
        SPEC_EXAMPLE[:-4],  # truncated
        "uH4sI$AAA",
    ],
)
def test_bad_encodings_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match=r"."):
        decode(text)


def test_gzip_bombs_are_refused() -> None:
    text = encode(StatusBits(8 * 1024 * 64))
    with pytest.raises(ValueError, match="longer"):
        decode(text, max_bytes=1024)


def test_status_list_credential() -> None:
    bits = StatusBits.from_indexes([3])
    url = "https://lms.example.mn/credentials/status/revocation"
    vc = status_list_credential(
        url, "revocation", bits, "https://lms.example.mn/issuer", datetime(2026, 11, 23, tzinfo=UTC)
    )
    assert vc == {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": "https://lms.example.mn/issuer",
        "validFrom": "2026-11-23T00:00:00Z",
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encode(bits),
        },
    }
    with pytest.raises(ValueError, match="purpose"):
        status_list_credential(url, "refresh", bits, "x", datetime(2026, 1, 1, tzinfo=UTC))
    with pytest.raises(ValueError, match="entries"):
        status_list_credential(url, "revocation", StatusBits(8), "x", datetime.now(UTC))


def test_pick_status_index() -> None:
    assert pick_status_index(set(range(7)), length=8) == 7
    assert 0 <= pick_status_index(set()) < MIN_LENGTH
    with pytest.raises(ValueError, match="taken"):
        pick_status_index(set(range(8)), length=8)


def test_message_list_holds_two_bits_per_credential() -> None:
    from lms.domain.credentials import MESSAGE_SIZE, message_list, read_value

    bits = message_list([(0, "suspended"), (5, "revoked"), (131_071, "revoked")])
    assert bits.length == MIN_LENGTH * MESSAGE_SIZE  # 131,072 entries of two bits
    assert [read_value(bits, i, MESSAGE_SIZE) for i in (0, 1, 5, 131_071)] == [1, 0, 2, 2]
    # Entry 5 is bits 10 and 11: "10" (0x2), the most significant bit first.
    assert (bits.get(10), bits.get(11)) == (True, False)
    assert bits.set_indexes() == [1, 10, 262_142]
    listed = status_list_credential(
        "https://x/m", "message", bits, "https://x/i", datetime(2026, 1, 1, tzinfo=UTC)
    )
    subject = listed["credentialSubject"]
    assert (subject["statusPurpose"], subject["statusSize"]) == ("message", 2)
    assert [m["message"] for m in subject["statusMessage"]] == [
        "valid",
        "suspended",
        "revoked",
        "unused",
    ]
    with pytest.raises(ValueError, match="entries"):
        status_list_credential("u", "message", StatusBits(MIN_LENGTH), "x", datetime.now(UTC))
    with pytest.raises(KeyError):
        message_list([(1, "expired")])
