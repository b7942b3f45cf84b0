"""W3C Bitstring Status List v1.0: which credentials are revoked, and which suspended.

Each credential has one ``status_index``. Credentials issued now point at one list, the
**message** list (``statusPurpose: "message"``, ``statusSize: 2``): two bits per credential
whose value is explained by ``statusMessage`` — ``0x0`` valid, ``0x1`` suspended, ``0x2``
revoked (``0x3`` is never set). One ``credentialStatus`` entry, as the Open Badges 3.0 schema
requires, still tells a verifier both revocation and suspension.

Credentials issued by the first release point at two one-bit lists with the same index, the
revocation list and the suspension list; those stay published so that they keep verifying.

Encoding, as the Recommendation says: the bitstring is at least 16 KiB (131,072 entries, so that
a list says little about any one holder); index 0 is the left-most (most significant) bit of the
first byte; ``encodedList`` is the Multibase base64url form, i.e. ``"u"`` followed by unpadded
base64url, of the GZIP-compressed bytes. Indexes should be assigned at random
(`pick_status_index`) so that a position does not reveal the order of issue.
"""

from __future__ import annotations

import base64
import binascii
import gzip
import secrets
import zlib
from collections.abc import Collection, Iterable
from datetime import datetime
from typing import Any, Literal

from lms.domain.credentials.timestamps import format_datetime

StatusPurpose = Literal["revocation", "suspension", "message"]
STATUS_PURPOSES: tuple[StatusPurpose, ...] = ("revocation", "suspension", "message")
MIN_LENGTH = 131_072  # entries: the spec's minimum (16 KiB of one-bit entries)
MESSAGE_SIZE = 2  # bits per entry of the message list
# statusMessage: one message for every value the entry's bits can hold (the spec requires it).
STATUS_MESSAGES: tuple[dict[str, str], ...] = (
    {"status": "0x0", "message": "valid"},
    {"status": "0x1", "message": "suspended"},
    {"status": "0x2", "message": "revoked"},
    {"status": "0x3", "message": "unused"},
)
MESSAGE_VALUES = {"valid": 0, "suspended": 1, "revoked": 2}
MAX_DECODED_BYTES = 16 * 1024 * 1024  # refuse larger lists (a gzip bomb, not a status list)
VC_CONTEXT_V2 = "https://www.w3.org/ns/credentials/v2"


class StatusBits:
    """A fixed-length bitstring; index 0 is the most significant bit of the first byte."""

    __slots__ = ("_bytes",)

    def __init__(self, length: int = MIN_LENGTH) -> None:
        if length <= 0 or length % 8:
            raise ValueError(f"a status list length is a positive multiple of 8, not {length}")
        self._bytes = bytearray(length // 8)

    @classmethod
    def from_bytes(cls, data: bytes) -> StatusBits:
        """The bitstring held in ``data`` (8 entries a byte)."""
        bits = cls(len(data) * 8)
        bits._bytes[:] = data
        return bits

    @classmethod
    def from_indexes(cls, indexes: Iterable[int], length: int = MIN_LENGTH) -> StatusBits:
        """A bitstring of ``length`` with exactly the bits at ``indexes`` set."""
        bits = cls(length)
        for index in indexes:
            bits.set(index)
        return bits

    @property
    def length(self) -> int:
        """Number of entries (bits)."""
        return len(self._bytes) * 8

    def _locate(self, index: int) -> tuple[int, int]:
        if not 0 <= index < self.length:
            raise IndexError(f"status index {index} is outside 0..{self.length - 1}")
        return index // 8, 0x80 >> (index % 8)

    def get(self, index: int) -> bool:
        """Whether the bit at ``index`` is set."""
        byte, mask = self._locate(index)
        return bool(self._bytes[byte] & mask)

    def set(self, index: int, value: bool = True) -> None:
        """Set (or with ``value=False`` clear) the bit at ``index``."""
        byte, mask = self._locate(index)
        if value:
            self._bytes[byte] |= mask
        else:
            self._bytes[byte] &= ~mask & 0xFF

    def set_indexes(self) -> list[int]:
        """The indexes of every set bit, in order."""
        return [
            byte * 8 + bit
            for byte, value in enumerate(self._bytes)
            if value
            for bit in range(8)
            if value & (0x80 >> bit)
        ]

    def to_bytes(self) -> bytes:
        """The raw bitstring."""
        return bytes(self._bytes)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, StatusBits) and self._bytes == other._bytes

    def __hash__(self) -> int:
        return hash(bytes(self._bytes))

    def __repr__(self) -> str:
        return f"StatusBits(length={self.length}, set={len(self.set_indexes())})"


def read_value(bits: StatusBits, index: int, size: int = 1) -> int:
    """The ``size``-bit status of entry ``index``: bits ``index*size`` onwards, most
    significant first (the spec's validation algorithm)."""
    value = 0
    for offset in range(size):
        value = (value << 1) | bits.get(index * size + offset)
    return value


def write_value(bits: StatusBits, index: int, value: int, size: int = 1) -> None:
    """Store ``value`` (``0 <= value < 2**size``) as the status of entry ``index``."""
    if not 0 <= value < 1 << size:
        raise ValueError(f"a {size}-bit status is 0..{(1 << size) - 1}, not {value}")
    for offset in range(size):
        bits.set(index * size + offset, bool(value >> (size - 1 - offset) & 1))


def message_list(statuses: Iterable[tuple[int, str]], entries: int = MIN_LENGTH) -> StatusBits:
    """The message list's bits for ``(index, status)`` pairs (``valid``, ``suspended`` or
    ``revoked``); every other entry reads ``0x0``."""
    bits = StatusBits(entries * MESSAGE_SIZE)
    for index, status in statuses:
        write_value(bits, index, MESSAGE_VALUES[status], MESSAGE_SIZE)
    return bits


def encode(bits: StatusBits) -> str:
    """The ``encodedList`` value: ``"u"`` + unpadded base64url of the gzipped bitstring.

    The gzip header carries no timestamp, so equal bits always encode to the same text.
    """
    compressed = gzip.compress(bits.to_bytes(), mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).rstrip(b"=").decode("ascii")


def decode(text: str, max_bytes: int = MAX_DECODED_BYTES) -> StatusBits:
    """Read an ``encodedList``; raises ValueError for anything but a well-formed list."""
    if not text.startswith("u"):
        raise ValueError("an encodedList is multibase base64url and starts with 'u'")
    body = text[1:]
    if not body or "=" in body or not body.isascii():
        raise ValueError("an encodedList is unpadded base64url")
    try:
        compressed = base64.b64decode(body + "=" * (-len(body) % 4), altchars=b"-_", validate=True)
        inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)  # gzip framing
        data = inflater.decompress(compressed, max_bytes + 1)
    except (binascii.Error, zlib.error) as error:
        raise ValueError(f"an encodedList is not gzipped base64url: {error}") from error
    if len(data) > max_bytes:
        raise ValueError(f"status list longer than {max_bytes} bytes")
    if not inflater.eof or inflater.unused_data:
        raise ValueError("an encodedList holds one complete gzip member")
    if not data:
        raise ValueError("an encodedList is not empty")
    return StatusBits.from_bytes(data)


def status_list_credential(
    list_url: str,
    purpose: str,
    bits: StatusBits,
    issuer_id: str,
    valid_from: datetime,
    *,
    valid_until: datetime | None = None,
) -> dict[str, Any]:
    """An unsigned ``BitstringStatusListCredential`` published at ``list_url``.

    Sign it with `lms.domain.credentials.signing.sign_vc_jwt` before publishing.
    """
    if purpose not in STATUS_PURPOSES:
        raise ValueError(f"status purpose must be one of {STATUS_PURPOSES}, not {purpose!r}")
    size = MESSAGE_SIZE if purpose == "message" else 1
    if bits.length // size < MIN_LENGTH:
        raise ValueError(
            f"a status list has at least {MIN_LENGTH} entries, not {bits.length // size}"
        )
    credential: dict[str, Any] = {
        "@context": [VC_CONTEXT_V2],
        "id": list_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_id,
        "validFrom": format_datetime(valid_from),
    }
    if valid_until is not None:
        credential["validUntil"] = format_datetime(valid_until)
    subject: dict[str, Any] = {
        "id": f"{list_url}#list",
        "type": "BitstringStatusList",
        "statusPurpose": purpose,
        "encodedList": encode(bits),
    }
    if purpose == "message":  # drafts read these from the list, the Recommendation from entries
        subject["statusSize"] = MESSAGE_SIZE
        subject["statusMessage"] = [dict(message) for message in STATUS_MESSAGES]
    credential["credentialSubject"] = subject
    return credential


def message_status_entry(list_url: str, index: int) -> dict[str, Any]:
    """The one ``credentialStatus`` entry of a credential at ``index`` of the message list."""
    if index < 0:
        raise ValueError(f"a status index is >= 0, not {index}")
    return {
        "id": f"{list_url}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "message",
        "statusListIndex": str(index),
        "statusListCredential": list_url,
        "statusSize": MESSAGE_SIZE,
        "statusMessage": [dict(message) for message in STATUS_MESSAGES],
    }


def pick_status_index(taken: Collection[int], length: int = MIN_LENGTH) -> int:
    """A random index in ``0..length-1`` not in ``taken`` (pass a set); raises ValueError when
    every index is taken."""
    if len(taken) >= length:
        raise ValueError("every index of the status list is taken")
    while True:
        index = secrets.randbelow(length)
        if index not in taken:
            return index
