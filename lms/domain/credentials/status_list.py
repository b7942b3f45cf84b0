"""W3C Bitstring Status List v1.0: which credentials are revoked, and which suspended.

Each credential has one ``status_index``, used in two lists published at two URLs: the
revocation list and the suspension list (one bit per credential in each; the spec's Example 1
does the same). A bit set to 1 means revoked (or suspended).

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

StatusPurpose = Literal["revocation", "suspension"]
STATUS_PURPOSES: tuple[StatusPurpose, ...] = ("revocation", "suspension")
MIN_LENGTH = 131_072  # bits: the spec's 16 KiB minimum
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
    if bits.length < MIN_LENGTH:
        raise ValueError(f"a status list has at least {MIN_LENGTH} entries, not {bits.length}")
    credential: dict[str, Any] = {
        "@context": [VC_CONTEXT_V2],
        "id": list_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_id,
        "validFrom": format_datetime(valid_from),
    }
    if valid_until is not None:
        credential["validUntil"] = format_datetime(valid_until)
    credential["credentialSubject"] = {
        "id": f"{list_url}#list",
        "type": "BitstringStatusList",
        "statusPurpose": purpose,
        "encodedList": encode(bits),
    }
    return credential


def pick_status_index(taken: Collection[int], length: int = MIN_LENGTH) -> int:
    """A random index in ``0..length-1`` not in ``taken`` (pass a set); raises ValueError when
    every index is taken."""
    if len(taken) >= length:
        raise ValueError("every index of the status list is taken")
    while True:
        index = secrets.randbelow(length)
        if index not in taken:
            return index
